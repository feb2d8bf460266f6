/**
 * QR code of the verification URL, drawn as vector rectangles (no raster image): crisp at any
 * zoom, a few hundred bytes of content stream, and deterministic. The `qrcode` package computes
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
 * Horizontal runs of dark modules are merged into one rectangle each.
 */
export function drawQrCode(doc: Doc, text: string, x: number, y: number, width: number, color = '#000000'): QrMatrix {
  const m = qrMatrix(text);
  const unit = width / m.size;
  doc.save();
  for (let row = 0; row < m.size; row++) {
    let col = 0;
    while (col < m.size) {
      if (!m.isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < m.size && m.isDark(row, col)) col++;
      doc.rect(x + start * unit, y + row * unit, (col - start) * unit, unit);
    }
  }
  doc.fill(color);
  doc.restore();
  return m;
}
