/** Drawing blocks of the confirmation: section headings, field grids, the steps table, paragraphs. */
import { FONT_REGULAR } from '../../../pdf/fonts';
import { EMPTY_VALUE, type Label } from './labels.js';
import type { Pager } from './page.js';
import type { Doc } from '../../../pdf/pdf';

export const COLORS = {
  text: '#111111',
  label: '#5f6368',
  accent: '#1f3a5f',
  rule: '#c8ccd2',
  band: '#eef2f6',
} as const;

export interface TextStyle {
  /**
   * Emphasis. Drawn with the regular face, filled and stroked (text render mode 2, a hairline
   * outline): a second (bold) face would embed a second CFF subset, roughly doubling the
   * per-document font cost and adding ~60 KB; the text stays plain for extraction.
   */
  bold?: boolean;
  size: number;
  color?: string;
  lineGap?: number;
  align?: 'left' | 'center' | 'right' | 'justify';
  characterSpacing?: number;
}

function apply(doc: Doc, s: TextStyle): void {
  doc.font(FONT_REGULAR).fontSize(s.size);
}

function textOptions(s: TextStyle, width: number): PDFKit.Mixins.TextOptions {
  return {
    width,
    lineGap: s.lineGap ?? 1.5,
    align: s.align ?? 'left',
    characterSpacing: s.characterSpacing ?? 0,
    fill: true,
    stroke: s.bold === true,
  };
}

/**
 * Text is handled line by line (on "\n"). A line that fits `width` is placed directly, skipping
 * pdfkit's LineWrapper (most of the text cost); the wrapped and the direct path put a fitting
 * line at the same place. A line's height and width depend only on the font (one per thread),
 * the style and the width, so they are remembered per thread: labels and clauses that every
 * confirmation repeats are measured once, and each line is measured once per document instead
 * of twice (measure, then draw).
 */
interface LineMetrics {
  h: number;
  /** Width when the line fits on one line (drawn directly); undefined when it wraps. */
  w: number | undefined;
}

const LINE_MEMO_LIMIT = 5_000;
const lineMemo = new Map<string, LineMetrics>();

function measureLine(doc: Doc, line: string, width: number, s: TextStyle): LineMetrics {
  const lineGap = s.lineGap ?? 1.5;
  if (s.align !== 'justify') {
    const w = doc.widthOfString(line, { characterSpacing: s.characterSpacing ?? 0 });
    if (w <= width) return { h: doc.currentLineHeight(true) + lineGap, w };
  }
  return { h: doc.heightOfString(line, textOptions(s, width)), w: undefined };
}

function lineHeight(doc: Doc, line: string, width: number, s: TextStyle): LineMetrics {
  const key = `${s.size}|${s.lineGap ?? 1.5}|${s.characterSpacing ?? 0}|${s.align === 'justify'}|${width}|${line}`;
  let m = lineMemo.get(key);
  if (m === undefined) {
    m = measureLine(doc, line, width, s);
    if (lineMemo.size >= LINE_MEMO_LIMIT) lineMemo.clear();
    lineMemo.set(key, m);
  }
  return m;
}

/** Height `text` takes at `width` in style `s`. */
export function measure(doc: Doc, text: string, width: number, s: TextStyle): number {
  apply(doc, s);
  let total = 0;
  for (const line of text.split('\n')) total += lineHeight(doc, line, width, s).h;
  return total;
}

/** Draws `text` with its top-left at (x, y) (measure first when the height matters). */
export function draw(doc: Doc, text: string, x: number, y: number, width: number, s: TextStyle): void {
  apply(doc, s);
  const color = s.color ?? COLORS.text;
  doc.save().fillColor(color);
  if (s.bold) doc.strokeColor(color).lineWidth(s.size * 0.04);
  let top = y;
  for (const line of text.split('\n')) {
    const { h, w } = lineHeight(doc, line, width, s);
    if (w === undefined) {
      doc.text(line, x, top, textOptions(s, width));
    } else if (line !== '') {
      const dx = s.align === 'right' ? width - w : s.align === 'center' ? (width - w) / 2 : 0;
      doc.text(line, x + dx, top, {
        lineBreak: false,
        characterSpacing: s.characterSpacing ?? 0,
        fill: true,
        stroke: s.bold === true,
      });
    }
    top += h;
  }
  doc.restore();
}

export function bilingual(l: Label, sep = '  '): string {
  return `${l.zh}${sep}${l.en}`;
}

export function orEmpty(v: string | undefined): string {
  return v === undefined || v.trim() === '' ? EMPTY_VALUE : v;
}

export function rule(doc: Doc, x1: number, x2: number, y: number, color: string = COLORS.rule, width = 0.5): void {
  doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke().restore();
}

const HEADING_H = 19;
const HEADING_STYLE: TextStyle = { bold: true, size: 10, color: COLORS.accent };

/** A shaded band with the section title; kept on the same page as `keepWithNext` points of content. */
export function sectionHeading(p: Pager, title: Label, keepWithNext = 34): void {
  p.ensure(HEADING_H + keepWithNext + 6);
  p.y += 6;
  drawBand(p, title);
}

function drawBand(p: Pager, title: Label, suffix = ''): void {
  const { doc } = p;
  doc.save().rect(p.left, p.y, p.width, HEADING_H).fill(COLORS.band).restore();
  doc.save().rect(p.left, p.y, 2.5, HEADING_H).fill(COLORS.accent).restore();
  draw(doc, `${title.zh}   ${title.en}${suffix}`, p.left + 8, p.y + 4, p.width - 16, HEADING_STYLE);
  p.y += HEADING_H + 2;
}

export interface Field {
  label: Label;
  value: string;
  /** Print the value in bold (amounts, names). */
  strong?: boolean;
}

const CELL_PAD_X = 6;
const LABEL_STYLE: TextStyle = { size: 7.5, color: COLORS.label, lineGap: 0.5 };
const VALUE_STYLE: TextStyle = { size: 10, lineGap: 2 };

/**
 * One row of 1–3 equal cells, each a small bilingual label over its value; values wrap and the
 * row takes the height of its tallest cell. A thin rule closes the row.
 */
export function fieldRow(p: Pager, fields: Field[]): void {
  const { doc } = p;
  const cellW = p.width / fields.length;
  const inner = cellW - 2 * CELL_PAD_X;
  const heights = fields.map((f) => {
    const lh = measure(doc, bilingual(f.label), inner, LABEL_STYLE);
    const vh = measure(doc, orEmpty(f.value), inner, { ...VALUE_STYLE, bold: f.strong === true });
    return { lh, h: lh + 2 + vh };
  });
  const rowH = Math.max(...heights.map((h) => h.h)) + 9;
  p.ensure(rowH);
  fields.forEach((f, i) => {
    const x = p.left + i * cellW + CELL_PAD_X;
    const top = p.y + 4;
    draw(doc, bilingual(f.label), x, top, inner, LABEL_STYLE);
    draw(doc, orEmpty(f.value), x, top + heights[i]!.lh + 2, inner, { ...VALUE_STYLE, bold: f.strong === true });
    if (i > 0) {
      const vx = p.left + i * cellW;
      doc
        .save()
        .moveTo(vx, p.y + 3)
        .lineTo(vx, p.y + rowH - 3)
        .lineWidth(0.4)
        .strokeColor(COLORS.rule)
        .stroke()
        .restore();
    }
  });
  p.y += rowH;
  rule(doc, p.left, p.right, p.y);
}

/** A free-text paragraph across the content width. */
export function paragraph(p: Pager, text: string, s: TextStyle = VALUE_STYLE, indent = CELL_PAD_X): void {
  const w = p.width - 2 * indent;
  const h = measure(p.doc, text, w, s);
  p.ensure(h + 8);
  draw(p.doc, text, p.left + indent, p.y + 4, w, s);
  p.y += h + 8;
}

export interface Column {
  label: Label;
  /** Fraction of the table width. */
  share: number;
}

const TH_STYLE: TextStyle = { size: 7.5, color: COLORS.label, lineGap: 0.5 };
const TD_STYLE: TextStyle = { size: 8.5, lineGap: 1.5 };

/**
 * A section made of a table whose rows break across pages; the section band (marked
 * "continued") and the header row are repeated on each new page. The heading, the header row
 * and the first row are kept together.
 */
export function tableSection(p: Pager, section: Label, continued: Label, columns: Column[], rows: string[][]): void {
  const { doc } = p;
  const widths = columns.map((c) => c.share * p.width);
  const inner = (i: number) => widths[i]! - 2 * CELL_PAD_X;
  const xs = widths.map((_, i) => p.left + widths.slice(0, i).reduce((a, b) => a + b, 0));

  const headerH = Math.max(...columns.map((c, i) => measure(doc, `${c.label.zh}\n${c.label.en}`, inner(i), TH_STYLE))) + 8;
  const drawHeader = () => {
    doc.save().rect(p.left, p.y, p.width, headerH).fill('#f7f8fa').restore();
    columns.forEach((c, i) => draw(doc, `${c.label.zh}\n${c.label.en}`, xs[i]! + CELL_PAD_X, p.y + 4, inner(i), TH_STYLE));
    p.y += headerH;
    rule(doc, p.left, p.right, p.y, COLORS.rule, 0.6);
  };

  const heights = rows.map((row) => Math.max(...row.map((cell, i) => measure(doc, orEmpty(cell), inner(i), TD_STYLE))) + 8);
  sectionHeading(p, section, headerH + (heights[0] ?? 0));
  drawHeader();
  rows.forEach((row, r) => {
    const rowH = heights[r]!;
    if (p.ensure(rowH)) {
      drawBand(p, section, `  ${continued.zh} ${continued.en}`);
      drawHeader();
    }
    row.forEach((cell, i) => draw(doc, orEmpty(cell), xs[i]! + CELL_PAD_X, p.y + 4, inner(i), TD_STYLE));
    p.y += rowH;
    rule(doc, p.left, p.right, p.y);
  });
}
