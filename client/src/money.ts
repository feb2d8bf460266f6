/**
 * The order ticket's arithmetic, exact (big.js): consideration = price% × NAV per commitment ×
 * quantity, half-up to the fen (as the transfer workflow prices a book trade); the unfunded
 * commitment the buyer takes over = quantity × (fund commitment − paid-in) / fund commitment.
 */
import { Dec, Rounding } from '../../shared/decimal';

const PCT = /^(0|[1-9]\d{0,3})(\.\d{1,2})?$/;
const QTY = /^[1-9]\d{0,15}$/;

export function consideration(pricePct: string, navPerCommitment: string, quantity: string): string | null {
  if (!PCT.test(pricePct) || !QTY.test(quantity) || !/^\d+(\.\d+)?$/.test(navPerCommitment)) return null;
  return new Dec(pricePct).times(new Dec(navPerCommitment)).times(new Dec(quantity)).div(new Dec('100')).toFixed(2, Rounding.HALF_UP);
}

export function unfundedTakenOver(quantity: string, totalCommitment: string | undefined, paidIn: string | undefined): string | null {
  if (!QTY.test(quantity) || !totalCommitment || !paidIn) return null;
  const total = new Dec(totalCommitment);
  if (total.eq(new Dec('0'))) return null;
  return new Dec(quantity).times(total.minus(new Dec(paidIn))).div(total).toFixed(2, Rounding.HALF_UP);
}

/** NAV attributable to a quantity: quantity × NAV per commitment, half-up to the fen. */
export function navOf(quantity: string, navPerCommitment: string): string | null {
  if (!QTY.test(quantity) || !/^\d+(\.\d+)?$/.test(navPerCommitment)) return null;
  return new Dec(quantity).times(new Dec(navPerCommitment)).toFixed(2, Rounding.HALF_UP);
}

/** A price as % of the NAV of `nav`: amount / nav × 100, 2 decimals half-up. */
export function pctOf(amount: string, nav: string): string | null {
  if (!/^\d+(\.\d+)?$/.test(amount) || !/^\d+(\.\d+)?$/.test(nav) || new Dec(nav).eq(new Dec('0'))) return null;
  return new Dec(amount).div(new Dec(nav)).times(new Dec('100')).toFixed(2, Rounding.HALF_UP);
}

export function isPct(s: string): boolean { return PCT.test(s); }
export function isQuantity(s: string): boolean { return QTY.test(s); }
