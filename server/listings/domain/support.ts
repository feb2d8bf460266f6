/**
 * Small pure helpers shared by the listing core: result values, roles, money and date arithmetic.
 */
import { Dec, HUNDRED, ZERO, formatYuan, isYuanString, type Decimal } from '../../../shared/decimal';
import { addCalendarDays, beijingInstant, isIsoDate } from '../../../shared/calendar';
import type { Actor, Listing, ListingError, ListingErrorCode, ListingEvent } from './types';

export const fail = (code: ListingErrorCode, detail: string, params?: Readonly<Record<string, string>>): ListingError =>
  params ? { ok: false, code, detail, params } : { ok: false, code, detail };

/** A handler's outcome: the events it emitted (it mutated the working copy) or an error. */
export type Step = { ok: true; events: ListingEvent[] } | ListingError;
export const done = (events: ListingEvent[]): Step => ({ ok: true, events });

export const OPERATOR = 'operator';
export const SELLER = 'seller';
export const BUYER = 'buyer';

export const isOperator = (a: Actor): boolean => a.roles.includes(OPERATOR);
export const isListingSeller = (l: Listing, a: Actor): boolean => a.orgId === l.sellerOrgId && a.roles.includes(SELLER);

/** Parses a positive yuan amount, normalised to 2 decimals; null when it is not one. */
export function positiveYuan(s: unknown): string | null {
  if (!isYuanString(s)) return null;
  const d = new Dec(s);
  return d.gt(ZERO) ? formatYuan(d) : null;
}

export const yuan = (s: string): Decimal => new Dec(s);

/** pct percent of an amount, exact (no rounding: used only for comparisons). */
export const pctOf = (amount: string, pct: string): Decimal => yuan(amount).times(new Dec(pct)).div(HUNDRED);

/** True when amount = base + k × increment for a whole k ≥ minSteps. */
export function onIncrement(amount: string, base: string, increment: string): boolean {
  const diff = yuan(amount).minus(yuan(base));
  return diff.gte(ZERO) && diff.mod(yuan(increment)).eq(ZERO);
}

export const nonEmptyText = (s: unknown, maxLength = 500): s is string =>
  typeof s === 'string' && s.trim().length > 0 && s.length <= maxLength;

/** Date plus whole months, clamped to the month's last day (2024-02-29 + 12 months = 2025-02-28). */
export function addMonths(date: string, months: number): string {
  if (!isIsoDate(date)) throw new Error(`not a calendar date: ${date}`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 00:00 Beijing on the day after `date`: the instant a period ending on `date` is over. */
export const endOfBeijingDay = (date: string): number => beijingInstant(addCalendarDays(date, 1), '00:00');

export const laterDate = (a: string, b: string): string => (a >= b ? a : b);

/** Bilingual bidder alias by 0-based registration index: A…Z, AA, AB… (bijective base 26, no randomness). */
export function bidderAlias(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new Error(`alias index must be a whole number, got ${index}`);
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return `竞买人${letters} / Bidder ${letters}`;
}

export const isoTime = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
