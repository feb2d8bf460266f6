/**
 * Allocation of an in-kind distribution of listed shares (实物分配股票), pure and exact (big.js, never
 * floats). The rule, as api.md states it and as this exchange fixes the details:
 *
 *  1. Each LP's exact entitlement is e_i = shares × paidIn_i ÷ Σ paidIn (paid-in capital at the record
 *     date), a rational number.
 *  2. An eligible LP receives ⌊e_i⌋ whole shares (rounded down); an ineligible one (ineligibleOrgIds:
 *     the company's insiders, or an LP that cannot hold listed shares) receives none.
 *  3. Everything else is paid in cash in lieu: sharesInLieu_i is e_i − shares_i, carried to 8 decimal
 *     places (SHARES_IN_LIEU_DP). The leftover R = shares − Σ shares_i is a whole number (shares and
 *     every shares_i are whole), so the fractions are apportioned exactly onto R: each LP gets its
 *     fraction rounded down to 1e-8, and the few 1e-8 units still missing go one each to the largest
 *     remainders (ties: lower orgId first). Hence Σ shares_i + Σ sharesInLieu_i = shares exactly.
 *  4. Leftover whole shares are NOT redistributed as shares to other LPs: the fund keeps the R
 *     shares behind the cash in lieu and pays their value, sharesInLieu_i × referencePrice rounded
 *     half-up to the fen, to each LP. So no eligible LP is a whole share or more away from its exact
 *     entitlement, and the split never depends on the order of the LPs.
 *
 * Why floor, not largest-remainder for whole shares: a whole share given to one LP for another's
 * fraction would move value between LPs; cash at the reference price keeps every LP at its exact
 * entitlement to the fen.
 */
import { Dec, Rounding, ZERO, sum, type Decimal } from '../../../shared/decimal';

export const SHARES_IN_LIEU_DP = 8;

export interface Holder {
  readonly orgId: string;
  readonly paidIn: string;
}

export interface AllocationInput {
  /** Whole shares distributed, a positive integer string. */
  readonly shares: string;
  /** Yuan per share, at most 2 decimals. */
  readonly referencePrice: string;
  readonly holders: readonly Holder[];
  readonly ineligibleOrgIds: ReadonlySet<string>;
}

export interface Allocation {
  readonly orgId: string;
  readonly eligible: boolean;
  /** Exact entitlement to 8 decimals (rounded down), for the reader. */
  readonly entitlement: string;
  readonly shares: string;
  readonly sharesInLieu: string;
  readonly cashInLieu: string;
}

const UNIT = new Dec('1e8');

export function allocateInKind(input: AllocationInput): Allocation[] {
  const total = new Dec(input.shares);
  const holders = [...input.holders]
    .filter((h) => new Dec(h.paidIn).gt(ZERO))
    .sort((a, b) => (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0));
  const paidIn = sum(holders.map((h) => new Dec(h.paidIn)));
  if (paidIn.lte(ZERO)) throw new Error('an allocation needs paid-in capital');
  // Dec divides to 30 decimals; paid-in is in fen (denominator ≤ 10^18 fen), so a quotient's fractional
  // part is either exactly 0 or at least 10^-18 away from a whole number: rounding down below stays exact.
  const exact = holders.map((h) => total.times(h.paidIn).div(paidIn));
  const whole = holders.map((h, i) => (input.ineligibleOrgIds.has(h.orgId) ? ZERO : exact[i]!.round(0, Rounding.DOWN)));
  const leftoverUnits = total.minus(sum(whole)).times(UNIT);
  const fractionUnits = exact.map((e, i) => e.minus(whole[i]!).times(UNIT));
  const units = fractionUnits.map((f) => f.round(0, Rounding.DOWN));
  let missing = Number(leftoverUnits.minus(sum(units)).toFixed(0)); // 0 ≤ missing < number of holders
  const byRemainder = holders
    .map((_, i) => i)
    .sort((a, b) => fractionUnits[b]!.minus(units[b]!).cmp(fractionUnits[a]!.minus(units[a]!)) || a - b);
  const extra = new Array<Decimal>(holders.length).fill(ZERO);
  for (const i of byRemainder) {
    if (missing <= 0) break;
    extra[i] = new Dec('1');
    missing--;
  }
  const price = new Dec(input.referencePrice);
  return holders.map((h, i) => {
    const inLieu = units[i]!.plus(extra[i]!).div(UNIT);
    return {
      orgId: h.orgId,
      eligible: !input.ineligibleOrgIds.has(h.orgId),
      entitlement: exact[i]!.round(SHARES_IN_LIEU_DP, Rounding.DOWN).toFixed(SHARES_IN_LIEU_DP),
      shares: whole[i]!.toFixed(0),
      sharesInLieu: inLieu.toFixed(SHARES_IN_LIEU_DP),
      cashInLieu: inLieu.times(price).round(2, Rounding.HALF_UP).toFixed(2),
    };
  });
}

/** What leaves the fund: whole shares at the reference price (to the fen) plus the cash in lieu. */
export function distributedValue(allocations: readonly Allocation[], referencePrice: string): string {
  const price = new Dec(referencePrice);
  return sum(allocations.map((a) => new Dec(a.shares).times(price).round(2, Rounding.HALF_UP).plus(a.cashInLieu))).toFixed(2);
}
