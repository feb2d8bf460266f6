/**
 * The order ticket's arithmetic, exact (big.js), the same functions the server prices trades with
 * (shared/nav.ts): consideration = price% × fund NAV × quantity ÷ total commitment, half-up to the
 * fen once; the unfunded commitment the buyer takes over = quantity × (fund commitment − paid-in) /
 * fund commitment.
 */
import { Dec, Rounding } from '../../shared/decimal';
import { consideration as exactConsideration, navAttributable } from '../../shared/nav';

const PCT = /^(0|[1-9]\d{0,3})(\.\d{1,2})?$/;
const QTY = /^[1-9]\d{0,15}$/;

const AMOUNT = /^-?\d+(\.\d+)?$/;
const fundFigures = (nav: string | null | undefined, totalCommitment: string | undefined) =>
  nav && totalCommitment && AMOUNT.test(nav) && AMOUNT.test(totalCommitment) && new Dec(totalCommitment).gt(new Dec('0'))
    ? { nav: new Dec(nav), total: new Dec(totalCommitment) }
    : null;

export function consideration(
  pricePct: string,
  nav: string | null | undefined,
  totalCommitment: string | undefined,
  quantity: string,
): string | null {
  const f = fundFigures(nav, totalCommitment);
  if (!f || !PCT.test(pricePct) || !QTY.test(quantity)) return null;
  return exactConsideration(new Dec(pricePct), f.nav, f.total, new Dec(quantity)).toFixed(2);
}

export function unfundedTakenOver(quantity: string, totalCommitment: string | undefined, paidIn: string | undefined): string | null {
  if (!QTY.test(quantity) || !totalCommitment || !paidIn) return null;
  const total = new Dec(totalCommitment);
  if (total.eq(new Dec('0'))) return null;
  return new Dec(quantity)
    .times(total.minus(new Dec(paidIn)))
    .div(total)
    .toFixed(2, Rounding.HALF_UP);
}

/** NAV attributable to a quantity: fund NAV × quantity ÷ total commitment, half-up to the fen. */
export function navOf(quantity: string, nav: string | null | undefined, totalCommitment: string | undefined): string | null {
  const f = fundFigures(nav, totalCommitment);
  if (!f || !QTY.test(quantity)) return null;
  return navAttributable(f.nav, f.total, new Dec(quantity)).toFixed(2);
}

/** A price as % of the NAV of `nav`: amount / nav × 100, 2 decimals half-up. */
export function pctOf(amount: string, nav: string): string | null {
  if (!/^\d+(\.\d+)?$/.test(amount) || !/^\d+(\.\d+)?$/.test(nav) || new Dec(nav).eq(new Dec('0'))) return null;
  return new Dec(amount).div(new Dec(nav)).times(new Dec('100')).toFixed(2, Rounding.HALF_UP);
}

export function isPct(s: string): boolean {
  return PCT.test(s);
}
export function isQuantity(s: string): boolean {
  return QTY.test(s);
}

/** Discount to NAV of a price in % of NAV: 100 − price, exact ("87.50" → "12.50"; a premium is negative). */
export function discountToNav(pricePct: string): string {
  return new Dec('100').minus(new Dec(pricePct)).toFixed(2);
}

/** The sum of yuan amounts, exact, with 2 decimals. */
export function totalYuan(amounts: readonly string[]): string {
  return amounts
    .reduce((acc, a) => acc.plus(new Dec(a)), new Dec('0'))
    .round(2, Rounding.HALF_UP)
    .toFixed(2);
}

/** a − b for yuan amounts, exact, with 2 decimals. */
export function yuanDifference(a: string, b: string): string {
  return new Dec(a).minus(new Dec(b)).round(2, Rounding.HALF_UP).toFixed(2);
}
