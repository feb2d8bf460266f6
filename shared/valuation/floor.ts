/**
 * The state-owned floor price (国资, Order 32 practice):
 *   floor = filed appraisal (or valuation report) × ratio,
 * where the ratio may go below 0.90 only when the approving unit's written consent is recorded, and
 * an appraisal is usable for one year from its base date. Dates are passed in; nothing reads a clock.
 */
import { Dec, Rounding, YUAN_SCALE, ZERO, type Decimal } from '../decimal';
import { addDays, addMonths, daysBetween, parseIsoDate } from './dates';
import { ONE } from './numeric';

/** Below this ratio an approval document is required (rule). */
export const STATE_OWNED_MIN_RATIO: Decimal = new Dec('0.90');
/** An appraisal is valid for this many months from its base date (rule; listings' appraisalValidityMonths). */
export const APPRAISAL_VALIDITY_MONTHS = 12;
/** The same rule in years, as valuation.md states it. */
export const APPRAISAL_VALIDITY_YEARS = APPRAISAL_VALIDITY_MONTHS / 12;

export interface FloorInput {
  readonly appraisalValue: Decimal;
  readonly appraisalBaseDate: string;
  readonly ratio: Decimal;
  readonly approvalRef?: string;
  /** The date the floor is needed for (listing, reprice, award). */
  readonly onDate: string;
}

export type FloorResult =
  | {
      readonly ok: true;
      /** The filed appraisal, as given: a first listing may not be priced below it. */
      readonly appraisalValue: Decimal;
      /** Rounded UP to the fen: a floor is a minimum, and rounding must never let a price slip under it. */
      readonly floor: Decimal;
      readonly ratio: Decimal;
      /** Last day the appraisal may be used: the day before it expires (see appraisalExpiresOn). */
      readonly validThrough: string;
      readonly approvalRef: string | null;
    }
  | { readonly ok: false; readonly code: 'INVALID_INPUT' | 'APPRAISAL_EXPIRED' | 'APPROVAL_REQUIRED'; readonly detail: string };

/**
 * The first day an appraisal is no longer usable: base date + 12 months, clamped to the end of a
 * shorter month (2024-02-29 → 2025-02-28). This is the rule the listings enforce
 * (server/listings/domain/state-owned.ts checkAppraisalValid: expired when date ≥ base + 12 months),
 * so a floor is never offered on a day a listing would refuse the appraisal: "valid one year from the
 * base date" is read as the year that ends the day before the anniversary.
 */
export function appraisalExpiresOn(appraisalBaseDate: string): string {
  return addMonths(appraisalBaseDate, APPRAISAL_VALIDITY_MONTHS);
}

/**
 * Checks in this order: inputs, then expiry, then the 90% rule. The appraisal is usable through
 * the day before appraisalExpiresOn (2025-03-31 → through 2026-03-30; 2024-02-29 → through
 * 2025-02-27) and APPRAISAL_EXPIRED from that day on.
 */
export function stateOwnedFloor(input: FloorInput): FloorResult {
  try {
    parseIsoDate(input.appraisalBaseDate, 'appraisalBaseDate');
    parseIsoDate(input.onDate, 'onDate');
  } catch (e) {
    return { ok: false, code: 'INVALID_INPUT', detail: (e as Error).message };
  }
  if (!input.appraisalValue.gt(ZERO)) return { ok: false, code: 'INVALID_INPUT', detail: 'the appraisal value must be positive' };
  if (!input.ratio.gt(ZERO) || input.ratio.gt(ONE))
    return { ok: false, code: 'INVALID_INPUT', detail: 'the ratio must be above 0 and at most 1' };
  if (daysBetween(input.appraisalBaseDate, input.onDate) < 0) {
    return { ok: false, code: 'INVALID_INPUT', detail: 'the appraisal base date is after the date of use' };
  }
  const expiresOn = appraisalExpiresOn(input.appraisalBaseDate);
  const validThrough = addDays(expiresOn, -1);
  if (daysBetween(expiresOn, input.onDate) >= 0) {
    return {
      ok: false,
      code: 'APPRAISAL_EXPIRED',
      detail: `the appraisal of ${input.appraisalBaseDate} was valid through ${validThrough} and expired on ${expiresOn}`,
    };
  }
  const approvalRef = input.approvalRef?.trim() ? input.approvalRef.trim() : null;
  if (input.ratio.lt(STATE_OWNED_MIN_RATIO) && approvalRef === null) {
    return {
      ok: false,
      code: 'APPROVAL_REQUIRED',
      detail: `a ratio below ${STATE_OWNED_MIN_RATIO.toFixed(2)} needs the approving unit's written consent`,
    };
  }
  return {
    ok: true,
    appraisalValue: input.appraisalValue,
    floor: input.appraisalValue.times(input.ratio).round(YUAN_SCALE, Rounding.UP),
    ratio: input.ratio,
    validThrough,
    approvalRef,
  };
}
