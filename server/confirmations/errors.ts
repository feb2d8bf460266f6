/** Errors of the confirmation renderer; `code` follows the API's upper-snake convention. */
export type ConfirmationErrorCode = 'VALIDATION_FAILED' | 'CONFIRMATION_TOO_LONG' | 'PDF_RENDER_FAILED';

export class ConfirmationRenderError extends Error {
  constructor(
    readonly code: ConfirmationErrorCode,
    message: string,
    /** One line per problem found (input errors list every bad field). */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ConfirmationRenderError';
  }
}

export function isConfirmationRenderError(e: unknown): e is ConfirmationRenderError {
  return e instanceof ConfirmationRenderError;
}
