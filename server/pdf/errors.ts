/**
 * Errors of a PDF renderer; `code` follows the API's upper-snake convention. PDF_RENDER_FAILED is the
 * exchange's trouble (a worker that failed); other codes describe the document's input (a renderer's
 * own, e.g. VALIDATION_FAILED, CONFIRMATION_TOO_LONG).
 */
export class PdfRenderError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** One line per problem found (input errors list every bad field). */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'PdfRenderError';
  }
}

export function isPdfRenderError(e: unknown): e is PdfRenderError {
  return e instanceof PdfRenderError;
}
