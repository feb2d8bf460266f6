/**
 * The code → HTTP status table: the only place a domain error (server/commands/errors.ts, which knows
 * no HTTP) becomes a status. Every code a command can refuse with is listed here, and the OpenAPI
 * document names them per route.
 */
import { AppError } from '../commands/errors';

export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  PRICE_NOT_ON_TICK: 400,
  QUANTITY_NOT_ON_LOT: 400,
  PRICE_OUT_OF_BAND: 400,
  /** A period or vintage range that is empty or outside what exists (public market data). */
  INVALID_RANGE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
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
  // The state-owned qualification handshake: a deposit before the buyer's handshake settled (not yet, not never).
  SELLER_ANSWER_PENDING: 409,
  PRICE_BELOW_APPRAISAL: 422,
  APPROVAL_REQUIRED: 422,
  APPRAISAL_EXPIRED: 422,
  REAPPRAISAL_REQUIRED: 422,
  DEPOSIT_TOO_HIGH: 422,
  DEPOSIT_AMOUNT_MISMATCH: 422,
  /** The award's winner no longer meets what its registration was checked for (the rulebook's code in params.reason). */
  WINNER_NOT_ELIGIBLE: 422,
  BIDDER_NOT_ELIGIBLE: 422,
  /** An instalment listing's interest below the one-year LPR in force (Order 32 art. 28). */
  INTEREST_BELOW_LPR: 422,
  EXTENSION_TOO_SHORT: 422,
  NOT_REGISTERED: 422,
  BID_TOO_LOW: 422,
  BID_NOT_ON_INCREMENT: 422,
  ALREADY_HIGHEST_BIDDER: 422,
  PRICE_BELOW_ASK: 422,
  LIMIT_REACHED: 422,
  // Pledges and in-kind distributions (server/pledges, server/distributions).
  PLEDGE_NOT_ALLOWED: 422,
  // Payment by instalments (server/transfers/domain/instalments.ts).
  INSTALMENTS_NOT_ALLOWED: 422,
  INSTALMENT_PLAN_INVALID: 422,
  INKIND_NOT_ALLOWED: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A code missing from the table is a refusal of the request as sent: 422. */
export function statusOf(err: AppError): number {
  if (err.retryLater) return 503;
  return (ERROR_STATUS as Record<string, number>)[err.code] ?? 422;
}

/**
 * Errors the HTTP layer itself answers with a status no code names (the body parser's 4xx, an
 * unexpected failure's 500).
 */
export class HttpError extends AppError {
  constructor(
    code: string,
    detail: string,
    readonly status: number,
    params?: Record<string, unknown>,
  ) {
    super(code, detail, params);
  }
}

export const httpStatusOf = (err: AppError): number => (err instanceof HttpError ? err.status : statusOf(err));
