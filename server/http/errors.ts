/**
 * One error type for expected failures, with stable upper-snake codes, mapped to
 * application/problem+json by one handler (server/http/error-handler.ts).
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  PRICE_NOT_ON_TICK: 400,
  QUANTITY_NOT_ON_LOT: 400,
  PRICE_OUT_OF_BAND: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_KEY_REUSED: 409,
  INVALID_STATE: 409,
  CONFLICT: 409,
  DEADLINE_PASSED: 409,
  FOUR_EYES: 409,
  ROFR_ALREADY_ANSWERED: 409,
  PAYMENT_ALREADY_CONFIRMED: 409,
  REVOCATION_PENDING: 409,
  // Admitting members and funds (server/members, server/funds/admission).
  DUPLICATE_USCC: 409,
  USERNAME_TAKEN: 409,
  FUND_EXISTS: 409,
  NOT_QUALIFIED: 422,
  INSUFFICIENT_POSITION: 422,
  SELF_TRADE: 422,
  BUYER_NOT_QUALIFIED: 422,
  BELOW_MIN_HOLDING: 422,
  INVESTOR_CAP_REACHED: 422,
  ROUND_TRIP_TOO_SOON: 422,
  STATE_OWNED_MUST_LIST: 422,
  CONFIRMATION_RENDER_FAILED: 422,
  CLOCK_NOT_SIMULATED: 409,
  CLOCK_MOVES_FORWARD_ONLY: 409,
  // Listings and bidding (server/listings): state conflicts 409, rule violations 422.
  AUCTION_CLOSED: 409,
  AUCTION_NOT_OPEN: 409,
  ALREADY_REGISTERED: 409,
  DEPOSIT_ALREADY_CONFIRMED: 409,
  SEALED_BID_ALREADY_PLACED: 409,
  PRICE_BELOW_APPRAISAL: 422,
  APPROVAL_REQUIRED: 422,
  APPRAISAL_EXPIRED: 422,
  REAPPRAISAL_REQUIRED: 422,
  DEPOSIT_TOO_HIGH: 422,
  DEPOSIT_AMOUNT_MISMATCH: 422,
  EXTENSION_TOO_SHORT: 422,
  NOT_REGISTERED: 422,
  BID_TOO_LOW: 422,
  BID_NOT_ON_INCREMENT: 422,
  ALREADY_HIGHEST_BIDDER: 422,
  PRICE_BELOW_ASK: 422,
  LIMIT_REACHED: 422,
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
