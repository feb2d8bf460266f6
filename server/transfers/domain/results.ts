/**
 * Results of `decide`: expected refusals are values with stable upper-snake codes, never throws.
 * Broken invariants (a programmer's mistake, e.g. a review without eligibility facts) throw.
 *
 * Codes are checked in this order, so that a caller learns nothing about a transfer it may not touch:
 *   1. FORBIDDEN            the actor may not take this action on this transfer (role, organisation)
 *   2. INVALID_STATE        the action does not apply in the transfer's current state
 *   3. DEADLINE_PASSED      the current step's deadline (or the ROFR window) has passed; the next tick fails/closes it
 *   4. VALIDATION_FAILED    a required field is missing or malformed (reason, bankRef, registrationRef,
 *                           stateEquityRef for state-owned parties, buyerOrgId with several unpaid legs)
 *   5. rule codes           FOUR_EYES, ROFR_ALREADY_ANSWERED, PAYMENT_ALREADY_CONFIRMED,
 *                           INSTALMENTS_NOT_ALLOWED, INSTALMENT_PLAN_INVALID (instalments.ts), BUYER_NOT_QUALIFIED,
 *                           BELOW_MIN_HOLDING, INVESTOR_CAP_REACHED, ROUND_TRIP_TOO_SOON, INSUFFICIENT_POSITION
 */
import type { Transfer, TransferEvent } from './types';

export const TRANSFER_ERROR_CODES = [
  'FORBIDDEN',
  'INVALID_STATE',
  'DEADLINE_PASSED',
  'VALIDATION_FAILED',
  'FOUR_EYES',
  'ROFR_ALREADY_ANSWERED',
  'PAYMENT_ALREADY_CONFIRMED',
  'INSTALMENTS_NOT_ALLOWED',
  'INSTALMENT_PLAN_INVALID',
  'BUYER_NOT_QUALIFIED',
  'BELOW_MIN_HOLDING',
  'INVESTOR_CAP_REACHED',
  'ROUND_TRIP_TOO_SOON',
  'INSUFFICIENT_POSITION',
] as const;

export type TransferErrorCode = (typeof TRANSFER_ERROR_CODES)[number];

export interface Accepted {
  readonly ok: true;
  readonly transfer: Transfer;
  readonly events: readonly TransferEvent[];
}

export interface Refused {
  readonly ok: false;
  readonly code: TransferErrorCode;
  readonly detail: string;
  /** Figures (decimal strings) and the message variant (`reason`) for the reader's-language catalogue. */
  readonly params?: Readonly<Record<string, string>>;
}

export type DecideResult = Accepted | Refused;

export const refuse = (code: TransferErrorCode, detail: string, params?: Readonly<Record<string, string>>): Refused =>
  params ? { ok: false, code, detail, params } : { ok: false, code, detail };
export const accept = (transfer: Transfer, events: readonly TransferEvent[]): Accepted => ({ ok: true, transfer, events });

/** A broken invariant: a bug in the caller or here, not a user's mistake. */
export class TransferInvariantError extends Error {}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new TransferInvariantError(message);
}
