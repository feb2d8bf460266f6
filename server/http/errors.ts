/**
 * One error type for expected failures, with stable upper-snake codes, mapped to
 * application/problem+json by one handler (server/http/error-handler.ts).
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  PRICE_NOT_ON_TICK: 400,
  QUANTITY_NOT_ON_LOT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_KEY_REUSED: 409,
  INVALID_STATE: 409,
  CONFLICT: 409,
  INSUFFICIENT_POSITION: 422,
  SELF_TRADE: 422,
  BUYER_NOT_QUALIFIED: 422,
  BELOW_MIN_HOLDING: 422,
  INVESTOR_CAP_REACHED: 422,
  ROUND_TRIP_TOO_SOON: 422,
  STATE_OWNED_MUST_LIST: 422,
  CLOCK_NOT_SIMULATED: 409,
  CLOCK_MOVES_FORWARD_ONLY: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly status: number;
  constructor(readonly code: ErrorCode | (string & {}), detail: string, status?: number, readonly extra?: Record<string, unknown>) {
    super(detail);
    this.status = status ?? (ERROR_STATUS as Record<string, number>)[code] ?? 422;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (why: string) => new AppError('FORBIDDEN', why);
