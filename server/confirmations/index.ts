/**
 * Transfer confirmation (交易凭证) PDF: bilingual (Chinese prevails), A4, CJK font subset,
 * QR code of the public verification URL. See render.ts for determinism, page.ts for the page
 * cap, fonts.ts for the font and why it is parsed once per process.
 */
export type { ConfirmationData, ConfirmationStep } from './types.js';
export { renderConfirmationPdf, type RenderOptions } from './render.js';
export { createPdfWorkerPool, lazyPdfWorkerPool, type PdfWorkerPool, type PdfWorkerPoolOptions } from './worker-pool.js';
export type { WorkerStats } from './worker-protocol.js';
export { ConfirmationRenderError, isConfirmationRenderError, type ConfirmationErrorCode } from './errors.js';
export { validateConfirmationData, MAX_FIELD_LENGTH, MAX_STEPS } from './validate.js';
export { confirmationVerifyUrl } from './verify-url.js';
export { MAX_PAGES } from './page.js';
export {
  FONT_REGULAR,
  cffSubsetSpeedupActive,
  confirmationFonts,
  fontFilePath,
  fontLoadCount,
  registerConfirmationFonts,
  unsupportedCharacters,
} from './fonts.js';
export { openDocument, type Doc } from './pdf.js';
export { qrMatrix, drawQrCode, type QrMatrix } from './qr.js';
export { sampleConfirmationData } from './sample.js';
