/**
 * Domain errors: an expected refusal with a stable upper-snake code, a detail for people and, for a
 * refusal about figures, its `params` (decimal strings, api.md). They carry no HTTP status: the
 * code → status table lives in server/http/error-status.ts, the only place that speaks HTTP.
 */
export type Params = Record<string, unknown>;

export class AppError extends Error {
  /**
   * Members added to the problem document. A refusal's figures and variant go under `extra.params`
   * (decimal strings and `reason`, api.md), which the message catalogue reads.
   */
  readonly extra?: Params;
  /**
   * Not a refusal but "the exchange cannot do this just now" (a PDF worker died, the engine is not
   * ready): never kept under an Idempotency-Key, so a retry runs again.
   */
  readonly retryLater: boolean;

  constructor(code: string, detail: string, extra?: Params);
  /** @deprecated the status comes from the code (server/http/error-status.ts); a number here is ignored. */
  constructor(code: string, detail: string, status: number | undefined, extra?: Params);
  constructor(
    readonly code: string,
    detail: string,
    paramsOrStatus?: Params | number,
    params?: Params,
  ) {
    super(detail);
    const p = typeof paramsOrStatus === 'object' ? paramsOrStatus : params;
    if (p) this.extra = p;
    this.retryLater = false;
  }

  /** The refusal's figures and variant, under their api.md name. */
  get params(): Params | undefined {
    return this.extra?.params as Params | undefined;
  }

  /** A failure the caller should retry later (see `retryLater`). */
  static retryLater(code: string, detail: string, params?: Params): AppError {
    const err = new AppError(code, detail, params);
    (err as { retryLater: boolean }).retryLater = true;
    return err;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (why: string) => new AppError('FORBIDDEN', why);
