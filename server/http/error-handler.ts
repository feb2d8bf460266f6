import type { ErrorRequestHandler } from 'express';
import { AppError } from '../commands/errors';
import { HttpError, httpStatusOf } from './errors';
import { localise, preferredLanguage, type Lang } from '../i18n/localise';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  [k: string]: unknown;
}

/** The problem in the reader's language; `params` (figures as decimal strings) travel unchanged. */
export function problemOf(err: AppError, lang: Lang): Problem {
  const params = err.extra?.params as Record<string, unknown> | undefined;
  const { title, detail } = localise(err.code, err.message, params, lang);
  const status = httpStatusOf(err);
  return {
    type: `https://sfund.exchange/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
    ...err.extra,
    title,
    status,
    code: err.code,
    detail,
  };
}

/** Maps every error to problem+json. Body-parser errors (malformed JSON, too large) are client errors, never 5xx. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let appErr: AppError;
  if (err instanceof AppError) appErr = err;
  else if (err?.type === 'entity.parse.failed') appErr = new AppError('VALIDATION_FAILED', 'request body is not valid JSON');
  else if (err?.type === 'entity.too.large') appErr = new AppError('PAYLOAD_TOO_LARGE', 'request body is too large');
  else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500)
    appErr = new HttpError('VALIDATION_FAILED', String(err.message ?? 'bad request'), err.status);
  else {
    req.log?.error({ err }, 'unhandled error');
    appErr = new HttpError('INTERNAL', 'internal error; the request id in the logs identifies it', 500);
  }
  res
    .status(httpStatusOf(appErr))
    .type('application/problem+json')
    .json(problemOf(appErr, preferredLanguage(req.get('accept-language'))));
};
