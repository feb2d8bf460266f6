/**
 * QR code of the verification URL, drawn as vector rectangles (no raster image): crisp at any
 * zoom, a few KB of content stream, and deterministic. The `qrcode` package computes
 * the module matrix (its mask choice is deterministic for a given text and level).
 */
import { create as createQr } from 'qrcode';
import type { Doc } from './pdf.js';

export interface QrMatrix {
  /** Modules per side (without quiet zone). */
  size: number;
  isDark(row: number, col: number): boolean;
}

/** Error correction M (15 %): survives a crease or a stamp on a printed copy. */
export function qrMatrix(text: string): QrMatrix {
  const qr = createQr(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  return { size, isDark: (row, col) => data[row * size + col] === 1 };
}

/**
 * Draws the symbol with its top-left corner at (x, y), `width` points wide, dark modules in
 * `color`. The caller leaves a light margin of ≥ 4 modules around it (the quiet zone).
 *
 * One path, in module units: the coordinate system is scaled to one module per unit, each
 * horizontal run of dark modules is one `col row len 1 re` with small integers, and the path is
 * filled once. A few hundred `re` with six-decimal page coordinates, each its own pdfkit call,
 * were ~40 % of the first page's content stream (more to format, write and deflate).
 */
export function drawQrCode(doc: Doc, text: string, x: number, y: number, width: number, color = '#000000'): QrMatrix {
  const m = qrMatrix(text);
  const ops: string[] = [];
  for (let row = 0; row < m.size; row++) {
    let col = 0;
    while (col < m.size) {
      if (!m.isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < m.size && m.isDark(row, col)) col++;
      ops.push(`${start} ${row} ${col - start} 1 re`);
    }
  }
  const unit = width / m.size;
  doc.save().transform(unit, 0, 0, unit, x, y);
  // pdfkit has no call for a ready-made path; addContent appends operators as rect() would.
  if (ops.length > 0) (doc as unknown as { addContent(data: string): unknown }).addContent(ops.join('\n'));
  doc.fill(color);
  doc.restore();
  return m;
}
