/**
 * Exact decimals for money, percentages of NAV and commitment quantities.
 *
 * Every amount in the exchange passes through here. A private big.js constructor in strict mode
 * refuses JavaScript numbers (so a float can never sneak in) and every division or rounding names
 * its scale and rounding mode. Wire format: money "12500000.00" (yuan, 2 decimals), percent of NAV
 * "87.50" (2 decimals), quantities "5000000" (whole yuan of commitment).
 */
import BigBase from 'big.js';

export type Decimal = BigBase.Big;

/** Our own Big constructor: strict (no numbers in, no lossy numbers out), 30 decimal places for division. */
export const Dec: BigBase.BigConstructor = BigBase();
Dec.strict = true;
Dec.DP = 30;
Dec.RM = Dec.roundHalfUp;

/** Rounding modes, named so that every rounding in the code says which one it uses. */
export const Rounding = {
  /** Local habit for RMB amounts: 0.005 → 0.01. */
  HALF_UP: 1,
  /** Banker's rounding, for statistics only. */
  HALF_EVEN: 2,
  /** Toward zero: used where the exchange must never give away more than exists (whole lots). */
  DOWN: 0,
  /** Away from zero: used where a minimum must be met (fees with a minimum, deposits). */
  UP: 3,
} as const;
export type RoundingMode = (typeof Rounding)[keyof typeof Rounding];

export const YUAN_SCALE = 2;
export const PCT_SCALE = 2;

const YUAN_RE = /^-?(0|[1-9]\d{0,15})(\.\d{1,2})?$/;
const PCT_RE = /^(0|[1-9]\d{0,3})(\.\d{1,2})?$/;
const QUANTITY_RE = /^[1-9]\d{0,15}$/;
const DECIMAL_RE = /^-?(0|[1-9]\d{0,20})(\.\d{1,12})?$/;

export class DecimalFormatError extends Error {
  constructor(
    readonly kind: string,
    readonly input: unknown,
  ) {
    super(`not a valid ${kind}: ${JSON.stringify(input)}`);
  }
}

function parseWith(re: RegExp, kind: string, input: unknown): Decimal {
  if (typeof input !== 'string' || !re.test(input)) throw new DecimalFormatError(kind, input);
  return new Dec(input);
}

export const isYuanString = (s: unknown): s is string => typeof s === 'string' && YUAN_RE.test(s);
export const isPctString = (s: unknown): s is string => typeof s === 'string' && PCT_RE.test(s);
export const isQuantityString = (s: unknown): s is string => typeof s === 'string' && QUANTITY_RE.test(s);
export const isDecimalString = (s: unknown): s is string => typeof s === 'string' && DECIMAL_RE.test(s);

/** Yuan with at most 2 decimals, e.g. "12500000.00". */
export const parseYuan = (s: unknown): Decimal => parseWith(YUAN_RE, 'yuan amount', s);
/** Percent of NAV with at most 2 decimals, e.g. "87.50". */
export const parsePct = (s: unknown): Decimal => parseWith(PCT_RE, 'percent of NAV', s);
/** Whole yuan of commitment, positive, e.g. "5000000". */
export const parseQuantity = (s: unknown): Decimal => parseWith(QUANTITY_RE, 'quantity', s);
/** A general decimal (rates, volatilities) with up to 12 decimals, for calculators. */
export const parseDecimal = (s: unknown): Decimal => parseWith(DECIMAL_RE, 'decimal', s);

/** Rounds to fen with the named mode and formats with exactly 2 decimals. */
export function formatYuan(d: Decimal, mode: RoundingMode = Rounding.HALF_UP): string {
  return d.round(YUAN_SCALE, mode).toFixed(YUAN_SCALE);
}

export function formatPct(d: Decimal, mode: RoundingMode = Rounding.HALF_UP): string {
  return d.round(PCT_SCALE, mode).toFixed(PCT_SCALE);
}

/** An integer quantity; refuses anything with a fractional part rather than rounding it away. */
export function formatQuantity(d: Decimal): string {
  if (!d.eq(d.round(0, Rounding.DOWN))) throw new Error(`quantity ${d.toString()} is not whole`);
  return d.toFixed(0);
}

export const ZERO: Decimal = new Dec('0');
export const HUNDRED: Decimal = new Dec('100');

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

export const max = (a: Decimal, b: Decimal): Decimal => (a.gte(b) ? a : b);
export const min = (a: Decimal, b: Decimal): Decimal => (a.lte(b) ? a : b);

/** Basis points of an amount, rounded up to the fen (the exchange never undercharges by rounding). */
export function basisPoints(amount: Decimal, bps: Decimal): Decimal {
  return amount.times(bps).div(new Dec('10000')).round(YUAN_SCALE, Rounding.UP);
}

/** Pro-rata share of a total: total × part / whole, at the named scale and rounding. */
export function proRata(total: Decimal, part: Decimal, whole: Decimal, scale: number, mode: RoundingMode): Decimal {
  if (whole.eq(ZERO)) throw new Error('pro rata of a zero whole');
  return total.times(part).div(whole).round(scale, mode);
}

// Ticks and lots: the order book works in exact integers. These brands keep a tick count from being
// mixed up with a lot count or with a plain number.
export type Ticks = number & { readonly __unit: 'ticks' };
export type Lots = number & { readonly __unit: 'lots' };

/** 1 tick = 0.01 percentage point of NAV: "87.50" → 8750. */
export function pctToTicks(pct: Decimal): Ticks {
  const t = pct.times(HUNDRED);
  if (!t.eq(t.round(0, Rounding.DOWN))) throw new DecimalFormatError('price on tick', pct.toString());
  return Number(t.toFixed(0)) as Ticks;
}

export function ticksToPct(t: Ticks): string {
  return new Dec(String(t)).div(HUNDRED).toFixed(PCT_SCALE);
}

/** Quantity in yuan of commitment → whole lots, or null when it is not a multiple of the lot size. */
export function quantityToLots(quantity: Decimal, lotSize: Decimal): Lots | null {
  const lots = quantity.div(lotSize);
  if (!lots.eq(lots.round(0, Rounding.DOWN))) return null;
  return Number(lots.toFixed(0)) as Lots;
}

export function lotsToQuantity(lots: Lots, lotSize: Decimal): string {
  return lotSize.times(new Dec(String(lots))).toFixed(0);
}
