/** NAV arithmetic shared by server and client. */
import { Dec, Rounding, type Decimal } from './decimal';

/** NAV per yuan of commitment carries 8 decimals (half-up); it is the figure every consideration is computed from. */
export const NAV_PER_COMMITMENT_SCALE = 8;

export function navPerCommitment(fundNav: Decimal, totalCommitment: Decimal): Decimal {
  return fundNav.div(totalCommitment).round(NAV_PER_COMMITMENT_SCALE, Rounding.HALF_UP);
}

/** NAV attributable to a commitment, to the fen (half-up). */
export function navOfCommitment(perCommitment: Decimal, commitment: Decimal): Decimal {
  return perCommitment.times(commitment).round(2, Rounding.HALF_UP);
}

export const dec = (s: string): Decimal => new Dec(s);
