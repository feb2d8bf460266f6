/**
 * Transfer confirmation (交易凭证) PDF layout: bilingual (Chinese prevails), A4, CJK font subset, QR
 * code of the public verification URL. See render.ts for determinism, page.ts for the page cap; the
 * fonts, QR, pdfkit and the worker pool are the PDF layer's (server/pdf).
 */
import type { PdfWorkerPool } from '../../../pdf';
import type { RenderOptions } from './render';
import type { ConfirmationData } from './types';

export type { ConfirmationData, ConfirmationStep } from './types';
export { renderConfirmationPdf, type RenderOptions } from './render';
export { validateConfirmationData, MAX_FIELD_LENGTH, MAX_STEPS } from './validate';
export { confirmationVerifyUrl } from './verify-url';
export { MAX_PAGES } from './page';
export { sampleConfirmationData } from './sample';

/** The module a PDF worker loads to render confirmations (server/pdf/registry.ts). */
export const CONFIRMATION_RENDERER_MODULE = require.resolve('./renderer');

/** Same contract (and bytes) as renderConfirmationPdf, computed in one of the pool's workers. */
export function renderConfirmationInWorker(pool: PdfWorkerPool, data: ConfirmationData, options: RenderOptions = {}): Promise<Buffer> {
  return pool.render('confirmation', { data, options });
}
