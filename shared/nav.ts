/** NAV arithmetic shared by server and client. */
import { HUNDRED, Rounding, YUAN_SCALE, ZERO, type Decimal } from './decimal';

/**
 * NAV per yuan of commitment carries 8 decimals (half-up). It is a reference figure to show (beside
 * prices, on trades); amounts are never computed from it: on a 60,000,000 commitment its rounding
 * alone could move a consideration by 30 fen. Amounts come from the fund's own NAV and total
 * commitment (navAttributable, consideration).
 */
export const NAV_PER_COMMITMENT_SCALE = 8;

export function navPerCommitment(fundNav: Decimal, totalCommitment: Decimal): Decimal {
  return fundNav.div(totalCommitment).round(NAV_PER_COMMITMENT_SCALE, Rounding.HALF_UP);
}

/** NAV attributable to a commitment: fund NAV × commitment ÷ the fund's total commitment, half-up to the fen once. */
export function navAttributable(fundNav: Decimal, totalCommitment: Decimal, commitment: Decimal): Decimal {
  if (totalCommitment.lte(ZERO)) throw new Error('a fund without commitments has no NAV per commitment');
  return fundNav.times(commitment).div(totalCommitment).round(YUAN_SCALE, Rounding.HALF_UP);
}

/**
 * Consideration of a book trade (domain.md: price% × NAV attributable to the quantity):
 * price% × fund NAV × quantity ÷ (100 × total commitment), rounded half-up to the fen once, at the
 * end (never per lot, never through the rounded NAV per commitment).
 */
export function consideration(pricePct: Decimal, fundNav: Decimal, totalCommitment: Decimal, quantity: Decimal): Decimal {
  if (totalCommitment.lte(ZERO)) throw new Error('a fund without commitments has no NAV per commitment');
  return pricePct.times(fundNav).times(quantity).div(HUNDRED.times(totalCommitment)).round(YUAN_SCALE, Rounding.HALF_UP);
}
