/**
 * The numeric boundary of the valuation module: the ONE place where exact decimals become doubles
 * and doubles become decimals again, plus the module's error type.
 *
 * Why doubles at all: the option formulas, the projection's (t/L)^B and the IRR solver are
 * transcendental, so big.js cannot evaluate them exactly either. Money enters and leaves the module
 * as big.js decimals (or decimal strings); everything in between that needs exp/log/pow runs in
 * doubles, and crosses back here with a named scale and rounding.
 */
import { Dec, Rounding, parseDecimal, type Decimal, type RoundingMode } from '../decimal';

/**
 * Scale of every decimal the module derives from a double or from a division (ratios, discounts,
 * money in yuan). 12 places keep a discount to 1e-12 absolute (far inside the 1e-8 relative
 * tolerance for any discount above 1e-4) and money far below the fen, so that the final rounding
 * to a wire format happens once, at the edge.
 */
export const INTERNAL_SCALE = 12;

/**
 * Expected, caller-caused problems with the inputs, as a value with a stable code and a detail that
 * names the field (the server maps it to 400 VALIDATION_FAILED). Outcomes that are not input errors
 * (no IRR, an expired appraisal) are result objects with their own codes instead.
 */
export class ValuationError extends Error {
  constructor(
    readonly code: ValuationErrorCode,
    detail: string,
  ) {
    super(detail);
    this.name = 'ValuationError';
  }
}
export type ValuationErrorCode = 'INVALID_INPUT';

/** Programmer errors (broken invariants) fail loudly; they are never a user's fault. */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`valuation invariant broken: ${message}`);
}

/** Throws INVALID_INPUT with the field named, for checks the zod schemas cannot see. */
export function requireInput(condition: boolean, detail: string): asserts condition {
  if (!condition) throw new ValuationError('INVALID_INPUT', detail);
}

/**
 * A double computed from caller-chosen inputs that can legitimately leave the range of a double
 * (a price discounted over up to 100 years at an IRR close to −100% reaches 1e600): the caller's
 * input error, INVALID_INPUT with `detail`, and not the broken invariant fromDouble would report.
 */
export function requireFinite(x: number, detail: () => string): number {
  if (!Number.isFinite(x)) throw new ValuationError('INVALID_INPUT', detail());
  return x;
}

/**
 * Decimal → double, to the nearest double (ECMAScript string-to-number conversion is correctly
 * rounded). Used only to feed transcendental formulas.
 */
export function toDouble(d: Decimal): number {
  const x = Number(d.toString());
  assert(Number.isFinite(x), `decimal ${d.toString()} does not fit a double`);
  return x;
}

/**
 * Double → decimal: the shortest decimal string that identifies the double (ECMAScript
 * Number::toString, identical on every engine), then rounded to `scaleDp` places with `mode`
 * (half-up unless stated). Refuses NaN and infinities: they mean a formula was fed nonsense.
 */
export function fromDouble(x: number, scaleDp: number = INTERNAL_SCALE, mode: RoundingMode = Rounding.HALF_UP): Decimal {
  assert(Number.isFinite(x), `double ${x} is not finite`);
  return new Dec(String(x)).round(scaleDp, mode);
}

/** Parses a decimal input string, naming the field in the error (VALIDATION for the caller). */
export function decimalField(value: string, field: string): Decimal {
  try {
    return parseDecimal(value);
  } catch {
    throw new ValuationError('INVALID_INPUT', `${field}: not a decimal string: ${JSON.stringify(value)}`);
  }
}

/** Rounds a derived decimal to the internal scale, half-up. */
export const internal = (d: Decimal): Decimal => d.round(INTERNAL_SCALE, Rounding.HALF_UP);

export const ONE: Decimal = new Dec('1');
export const MINUS_ONE: Decimal = new Dec('-1');
