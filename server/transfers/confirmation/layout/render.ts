/**
 * renderConfirmationPdf: the bilingual transfer confirmation (交易凭证) as an A4 PDF.
 *
 * Determinism: for the same input (and the same versions of pdfkit, fontkit, qrcode, the font
 * package and Node's zlib) the bytes are identical. CreationDate/ModDate come from `issuedAt`;
 * pdfkit's trailer /ID is an MD5 of the info dictionary (no randomness); the font subset tag is
 * derived from pdfkit's per-document font id (F1, F2); no raster images, no timestamps taken
 * from the clock. Not deterministic across those library versions (layout, subsetting or
 * deflate output may change), which does not matter: the server stores the bytes once and
 * serves and hashes exactly those.
 */
import { COLORS, bilingual, draw, fieldRow, measure, paragraph, rule, sectionHeading, tableSection } from './blocks.js';
import { registerConfirmationFonts } from '../../../pdf/fonts';
import { BEIJING_OFFSET_MS } from '../../../../shared/calendar';
import * as L from './labels.js';
import { A4, FOOTER_Y, MARGIN_TOP, MAX_PAGES, Pager } from './page.js';
import { openDocument, type Doc } from '../../../pdf/pdf';
import { drawQrCode } from '../../../pdf/qr';
import type { ConfirmationData } from './types.js';
import { validateConfirmationData } from './validate.js';

const QR_SIZE = 78;

export interface RenderOptions {
  /** Page cap (default MAX_PAGES = 5). */
  maxPages?: number;
}

/**
 * Renders the confirmation. Throws PdfRenderError with code VALIDATION_FAILED (bad
 * input, including characters the font cannot print) or CONFIRMATION_TOO_LONG (page cap).
 */
export async function renderConfirmationPdf(data: ConfirmationData, options: RenderOptions = {}): Promise<Buffer> {
  const d = validateConfirmationData(data);
  const issued = new Date(d.issuedAt);
  const { doc, bytes } = openDocument(
    {
      size: 'A4',
      autoFirstPage: false,
      bufferPages: true, // footers ("page i of n") are written once the page count is known
      lang: 'zh-CN',
      displayTitle: true,
      info: {
        Title: `交易凭证 Transfer Confirmation ${d.confirmationNumber}`,
        Subject: `${d.sellerName} → ${d.buyerName}: ${d.fundName}`,
        Author: issuer(d),
        Keywords: `交易凭证, transfer confirmation, ${d.confirmationNumber}`,
        Creator: 'sfund-exchange confirmations',
        Producer: 'PDFKit',
        CreationDate: issued,
        ModDate: issued,
      },
    },
    { storeFontProgramsUncompressed: true },
  );
  try {
    registerConfirmationFonts(doc);
    const pager = new Pager(doc, options.maxPages ?? MAX_PAGES);
    pager.onContinuationPage = (p) => runningHeader(p, d);
    pager.addPage();
    header(pager, d);
    body(pager, d);
    footers(doc, d);
  } catch (err) {
    doc.end(); // let the stream finish; its bytes are discarded
    await bytes.catch(() => undefined);
    throw err;
  }
  doc.end();
  return bytes;
}

function issuer(d: ConfirmationData): string {
  return d.exchangeName && d.exchangeName.trim() !== '' ? d.exchangeName : L.DEFAULT_ISSUER;
}

function header(p: Pager, d: ConfirmationData): void {
  const { doc } = p;
  const top = MARGIN_TOP;
  const qrX = p.right - QR_SIZE;
  drawQrCode(doc, d.verificationUrl, qrX, top, QR_SIZE);
  const scan = bilingual(L.SCAN, ' ');
  draw(doc, scan, qrX - 10, top + QR_SIZE + 3, QR_SIZE + 20, { size: 7, color: COLORS.label, align: 'center' });

  const w = qrX - p.left - 20;
  let y = top;
  const small = { size: 8.5, color: COLORS.label };
  const iss = issuer(d);
  draw(doc, iss, p.left, y, w, small);
  y += measure(doc, iss, w, small) + 4;
  const title = { bold: true, size: 24, color: COLORS.accent, characterSpacing: 4 };
  draw(doc, L.TITLE.zh, p.left, y, w, title);
  y += measure(doc, L.TITLE.zh, w, title);
  const en = { size: 10.5, color: COLORS.accent, characterSpacing: 1.5 };
  draw(doc, L.TITLE.en, p.left, y, w, en);
  y += measure(doc, L.TITLE.en, w, en) + 2;
  const sub = { size: 7.5, color: COLORS.label };
  const subtitle = `${L.SUBTITLE.zh}  ${L.SUBTITLE.en}`;
  draw(doc, subtitle, p.left, y, w, sub);
  y += measure(doc, subtitle, w, sub) + 6;
  const num = { bold: true, size: 11.5 };
  const numText = `${bilingual(L.FIELDS.confirmationNumber)}：${d.confirmationNumber}`;
  draw(doc, numText, p.left, y, w, num);
  y += measure(doc, numText, w, num);

  p.y = Math.max(y, top + QR_SIZE + 14) + 6;
  rule(doc, p.left, p.right, p.y, COLORS.accent, 1.2);
  p.y += 4;

  // Language clause and how to verify, right under the title.
  const note = { size: 7.5, color: COLORS.label, lineGap: 1 };
  paragraph(p, `${L.PREVAILS.zh}\n${L.PREVAILS.en}`, note, 0);
  p.y -= 6;
  paragraph(p, `${L.VERIFY.zh}\n${L.VERIFY.en}`, note, 0);
  p.y -= 6;
  paragraph(p, `${bilingual(L.URL_LABEL)}：${d.verificationUrl}`, { size: 8.5, color: COLORS.accent }, 0);
  if (d.auditHead) {
    p.y -= 6;
    paragraph(p, `${bilingual(L.AUDIT_HEAD_LABEL)}：${d.auditHead}`, note, 0);
  }
}

/**
 * The issue time as printed: Beijing local time (UTC+8, no daylight saving), like the workflow steps'
 * dates and the year of the confirmation number. `issuedAt` itself (an ISO instant) stays the PDF's
 * CreationDate/ModDate and the `issuedAt` the verification answer gives.
 */
export function beijingIssueTime(issuedAt: string): string {
  const local = new Date(Date.parse(issuedAt) + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
  return `${local}（北京时间 / Beijing time, UTC+8）`;
}

function pct(v: string): string {
  return v.trim().endsWith('%') ? v : `${v}%`;
}

function body(p: Pager, d: ConfirmationData): void {
  const F = L.FIELDS;
  sectionHeading(p, L.SECTIONS.general);
  fieldRow(p, [
    { label: F.confirmationNumber, value: d.confirmationNumber, strong: true },
    { label: F.projectNumber, value: d.projectNumber },
    { label: F.issuedAt, value: beijingIssueTime(d.issuedAt) },
  ]);
  fieldRow(p, [
    { label: F.contractDate, value: d.contractDate },
    { label: F.listingStartDate, value: d.listingStartDate },
    { label: F.listingEndDate, value: d.listingEndDate },
  ]);

  sectionHeading(p, L.SECTIONS.parties);
  fieldRow(p, [
    { label: F.sellerName, value: d.sellerName, strong: true },
    { label: F.buyerName, value: d.buyerName, strong: true },
  ]);

  sectionHeading(p, L.SECTIONS.subject);
  fieldRow(p, [{ label: F.fundName, value: d.fundName, strong: true }]);
  fieldRow(p, [
    { label: F.commitment, value: d.commitment },
    { label: F.paidIn, value: d.paidIn },
    { label: F.unfunded, value: d.unfunded },
  ]);

  sectionHeading(p, L.SECTIONS.terms);
  fieldRow(p, [
    { label: F.tradingMethod, value: d.tradingMethod },
    { label: F.paymentMethod, value: d.paymentMethod },
  ]);
  fieldRow(p, [{ label: F.valuationResult, value: d.valuationResult }]);
  fieldRow(p, [
    { label: F.price, value: d.price },
    { label: F.pctOfNav, value: pct(d.pctOfNav) },
    { label: F.consideration, value: d.consideration, strong: true },
  ]);
  fieldRow(p, [
    { label: F.sellerFee, value: d.sellerFee },
    { label: F.buyerFee, value: d.buyerFee },
  ]);
  if (d.instalments?.length) {
    const I = L.INSTALMENT_COLUMNS;
    tableSection(
      p,
      L.SECTIONS.instalments,
      L.CONTINUED,
      [
        { label: I.number, share: 0.08 },
        { label: I.dueDate, share: 0.16 },
        { label: I.amount, share: 0.2 },
        { label: I.interest, share: 0.16 },
        { label: I.paid, share: 0.4 },
      ],
      d.instalments.map((i) => [i.number, i.dueDate, i.amount, i.interest, i.paid]),
    );
  }

  const C = L.STEP_COLUMNS;
  const rows = d.steps.map((s, i) => [String(i + 1), s.name, s.date, s.actor, s.result ?? '']);
  tableSection(
    p,
    L.SECTIONS.steps,
    L.CONTINUED,
    [
      { label: C.index, share: 0.07 },
      { label: C.name, share: 0.3 },
      { label: C.date, share: 0.17 },
      { label: C.actor, share: 0.28 },
      { label: C.result, share: 0.18 },
    ],
    rows.length > 0 ? rows : [['', bilingual(L.NO_STEPS, ' / '), '', '', '']],
  );

  sectionHeading(p, L.SECTIONS.review);
  paragraph(p, d.reviewConclusion.trim() === '' ? L.EMPTY_VALUE : d.reviewConclusion);
  p.y += 2;
  paragraph(p, `${L.CLOSING.zh}\n${L.CLOSING.en}`, { size: 7.5, color: COLORS.label, lineGap: 1 });
  paragraph(p, `${bilingual(L.ISSUER)}：${issuer(d)}\n${bilingual(L.FIELDS.issuedAt)}：${beijingIssueTime(d.issuedAt)}`, {
    size: 9,
    bold: true,
    align: 'right',
  });
}

/** Top of every page after the first. */
function runningHeader(p: Pager, d: ConfirmationData): void {
  const text =
    `${L.TITLE.zh} ${L.TITLE.en} · ${bilingual(L.FIELDS.confirmationNumber, ' ')}：${d.confirmationNumber}` +
    `  ${L.CONTINUED.zh} ${L.CONTINUED.en}`;
  const s = { size: 8, color: COLORS.label };
  draw(p.doc, text, p.left, p.y, p.width, s);
  p.y += measure(p.doc, text, p.width, s) + 3;
  rule(p.doc, p.left, p.right, p.y, COLORS.accent, 0.8);
  p.y += 6;
}

function footers(doc: Doc, d: ConfirmationData): void {
  const range = doc.bufferedPageRange();
  const left = 48;
  const width = A4.width - 2 * left;
  const s = { size: 7, color: COLORS.label };
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    rule(doc, left, left + width, FOOTER_Y - 5);
    draw(
      doc,
      `${bilingual(L.FIELDS.confirmationNumber, ' ')}：${d.confirmationNumber} · 以中文文本为准 The Chinese text prevails`,
      left,
      FOOTER_Y,
      width * 0.7,
      s,
    );
    draw(doc, L.pageOf(i + 1, range.count), left + width * 0.55, FOOTER_Y, width * 0.45, { ...s, align: 'right' });
  }
}
