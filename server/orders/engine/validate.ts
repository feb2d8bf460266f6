/**
 * Field checks of commands, shared by the fast engine and the reference book so that both refuse
 * exactly the same input with the same code, in the documented precedence order (see types.ts).
 */
import type { AmendCode, AmendOrder, NewOrder, SubmitCode } from './types';
import { MAX_ORDER_LOTS, MAX_PRICE_TICKS } from './types';

export const isValidPrice = (p: unknown): boolean => typeof p === 'number' && Number.isSafeInteger(p) && p >= 1 && p <= MAX_PRICE_TICKS;

export const isValidLots = (q: unknown): boolean => typeof q === 'number' && Number.isSafeInteger(q) && q >= 1 && q <= MAX_ORDER_LOTS;

/** Stateless checks of a new order; null when its fields are acceptable. */
export function checkNewOrder(o: NewOrder, nowMs: number): SubmitCode | null {
  if (o.side !== 'buy' && o.side !== 'sell') return 'INVALID_SIDE';
  if (!isValidPrice(o.priceTicks)) return 'INVALID_PRICE';
  if (!isValidLots(o.lots)) return 'INVALID_QUANTITY';
  const tif = o.timeInForce;
  if (tif !== 'GTC' && tif !== 'GTD' && tif !== 'IOC' && tif !== 'FOK') return 'INVALID_TIME_IN_FORCE';
  const exp = o.expiresAtMs;
  if (tif === 'GTD') {
    if (typeof exp !== 'number' || !Number.isSafeInteger(exp) || exp <= nowMs) return 'INVALID_EXPIRY';
  } else if (exp !== undefined && exp !== null) {
    return 'INVALID_EXPIRY';
  }
  const aon = o.allOrNone === true;
  const hasMin = o.minLots !== undefined && o.minLots !== null;
  if (o.side === 'buy' && (aon || hasMin)) return 'CONDITIONS_ONLY_FOR_SELLS';
  if (hasMin && (aon || !isValidLots(o.minLots) || (o.minLots as number) > o.lots)) return 'INVALID_MIN_QUANTITY';
  return null;
}

/** Stateless checks of an amend; null when its fields are acceptable. */
export function checkAmend(a: AmendOrder): AmendCode | null {
  const hasPrice = a.priceTicks !== undefined && a.priceTicks !== null;
  const hasLots = a.remainingLots !== undefined && a.remainingLots !== null;
  if (!hasPrice && !hasLots) return 'INVALID_AMEND';
  if (hasPrice && !isValidPrice(a.priceTicks)) return 'INVALID_PRICE';
  if (hasLots && !isValidLots(a.remainingLots)) return 'INVALID_QUANTITY';
  return null;
}
