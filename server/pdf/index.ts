/**
 * The PDF layer: fonts (a CJK subset, parsed once per process, with fontkit's subsetter patched only
 * after a probe shows byte-identical output), QR codes, the pdfkit document, and the worker pool with
 * a registry of renderers. It imports no feature: features register their renderers (registry.ts)
 * and hand the pool the modules that do.
 */
export { PdfRenderError, isPdfRenderError } from './errors';
export {
  FONT_REGULAR,
  cffSubsetSpeedupActive,
  confirmationFonts,
  fontFilePath,
  fontLoadCount,
  registerConfirmationFonts,
  unsupportedCharacters,
} from './fonts';
export { openDocument, type Doc } from './pdf';
export { qrMatrix, drawQrCode, type QrMatrix } from './qr';
export { registerRenderer, type Renderer } from './registry';
export { createPdfWorkerPool, lazyPdfWorkerPool, type PdfWorkerPool, type PdfWorkerPoolOptions } from './worker-pool';
export type { WorkerStats } from './worker-protocol';
