/**
 * Calendar dates as 'YYYY-MM-DD' strings. The valuation core never reads the clock: the valuation
 * date, lock-up ends and appraisal base dates are all passed in. Arithmetic is on whole UTC days
 * (Date.UTC is pure; only `new Date()` / `Date.now()` would read the clock).
 */
import { ValuationError } from './numeric';

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export interface CalendarDate {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number;
}

/** Parses and validates a calendar date (refuses '2025-02-30'). */
export function parseIsoDate(value: string, field = 'date'): CalendarDate {
  const m = ISO_DATE_RE.exec(value);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) return { year, month, day };
  }
  throw new ValuationError('INVALID_INPUT', `${field}: not a calendar date YYYY-MM-DD: ${JSON.stringify(value)}`);
}

export const isIsoDate = (value: string): boolean => {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
};

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const dayNumber = (d: CalendarDate): number => Date.UTC(d.year, d.month - 1, d.day) / MS_PER_DAY;

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(parseIsoDate(to)) - dayNumber(parseIsoDate(from));
}

export function formatIsoDate(d: CalendarDate): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

/** The same calendar date `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const d = parseIsoDate(date);
  const year = d.year + years;
  return formatIsoDate({ year, month: d.month, day: Math.min(d.day, daysInMonth(year, d.month)) });
}

/**
 * The same day `months` later, clamped to the last day of a shorter month (2024-02-29 + 12 months =
 * 2025-02-28; 2025-01-31 + 1 month = 2025-02-28): the listings' addMonths, so that both agree on
 * when an appraisal expires.
 */
export function addMonths(date: string, months: number): string {
  const d = parseIsoDate(date);
  const total = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return formatIsoDate({ year, month, day: Math.min(d.day, daysInMonth(year, month)) });
}

/** The date `days` whole days later (earlier when negative). */
export function addDays(date: string, days: number): string {
  const t = new Date((dayNumber(parseIsoDate(date)) + days) * MS_PER_DAY);
  return formatIsoDate({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() });
}
