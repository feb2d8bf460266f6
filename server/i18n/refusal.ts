import { AppError } from '../commands/errors';

/** Figures and the message variant of a refusal: decimal strings and names, printed by the catalogue. */
export type RefusalParams = Readonly<Record<string, string>>;

/** An AppError whose `params` the error handler prints in the reader's language (and sends as they are). */
export function refusal(code: string, detail: string, params?: RefusalParams): AppError {
  return params ? new AppError(code, detail, { params }) : new AppError(code, detail);
}
