/**
 * zod 4 schemas of the three valuation calculator request bodies (api.md "Valuation calculators").
 *
 * Decimals travel as strings: a JSON number where a decimal belongs is refused (it may already have
 * lost precision in the client's float). Whole years may be a JSON integer or a digit string.
 * Unknown fields are refused too, so a misspelt field is an error rather than a silent default.
 * Messages name the field and say what is expected; the server maps issues to VALIDATION_FAILED.
 */
import { z } from 'zod';
import { Dec, isDecimalString, type Decimal } from '../decimal';

interface Bounds {
  readonly min?: string;
  readonly minExclusive?: boolean;
  readonly max?: string;
  readonly maxExclusive?: boolean;
}

function boundsViolation(value: Decimal, bounds: Bounds, field: string): string | null {
  if (bounds.min !== undefined) {
    const min = new Dec(bounds.min);
    if (bounds.minExclusive ? !value.gt(min) : value.lt(min))
      return `${field} must be ${bounds.minExclusive ? 'greater than' : 'at least'} ${bounds.min}`;
  }
  if (bounds.max !== undefined) {
    const max = new Dec(bounds.max);
    if (bounds.maxExclusive ? !value.lt(max) : value.gt(max))
      return `${field} must be ${bounds.maxExclusive ? 'below' : 'at most'} ${bounds.max}`;
  }
  return null;
}

/** A decimal string (shared/decimal's general format: up to 21 digits, up to 12 decimals) within bounds. */
export function decimalString(field: string, bounds: Bounds = {}) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `${field} is required`
          : `${field} must be a decimal string such as "0.25", not a JSON ${typeof issue.input} (numbers may already have lost precision)`,
    })
    .superRefine((s, ctx) => {
      if (!isDecimalString(s)) {
        ctx.addIssue({
          code: 'custom',
          message:
            `${field} must be a plain decimal string: digits, an optional minus ` +
            `sign and point, at most 12 decimals (got ${JSON.stringify(s)})`,
        });
        return;
      }
      const problem = boundsViolation(new Dec(s), bounds, field);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** A whole number of years, as a JSON integer or a digit string, within [min, max]. */
export function wholeYears(field: string, min: number, max: number) {
  const message = `${field} must be a whole number of years from ${min} to ${max}`;
  return z
    .union([z.number().int(), z.string().regex(/^\d{1,4}$/)], { error: message })
    .transform((v) => (typeof v === 'string' ? Number(v) : v))
    .refine((n) => n >= min && n <= max, { error: message });
}

/** With 0 < c ≤ k the GP never reaches k of the profit; only c = 0 or c > k make sense. */
function catchUpCompletes(catchUp: string, carry: string): boolean {
  if (!isDecimalString(catchUp) || !isDecimalString(carry)) return true; // already reported on the field
  const c = new Dec(catchUp);
  return c.eq(new Dec('0')) || c.gt(new Dec(carry));
}

export const MAX_TARGET_IRRS = 20;
export const MAX_LPS = 200;
export const MAX_FLOW_ROWS = 1000;

/** POST /api/valuation/lockup-discount */
export const lockupDiscountRequest = z.strictObject({
  price: decimalString('price', { min: '0', minExclusive: true }),
  volatility: decimalString('volatility', { min: '0', max: '10' }),
  years: decimalString('years', { min: '0', max: '100' }),
  dividendYield: decimalString('dividendYield', { min: '0', max: '1' }).optional(),
});
export type LockupDiscountRequest = z.output<typeof lockupDiscountRequest>;

/** POST /api/valuation/projection */
export const projectionRequest = z
  .strictObject({
    commitment: decimalString('commitment', { min: '0', minExclusive: true }),
    callRates: z
      .array(decimalString('each call rate', { min: '0', max: '1' }), { error: 'callRates must be an array of decimal strings' })
      .min(1, { error: 'callRates must list at least one rate (a shorter list than the life repeats its last rate)' })
      .max(100, { error: 'callRates may list at most 100 rates' }),
    lifeYears: wholeYears('lifeYears', 1, 100),
    bow: decimalString('bow', { min: '0', max: '100' }),
    growth: decimalString('growth', { min: '-1', minExclusive: true, max: '10' }),
    yield: decimalString('yield', { min: '0', max: '1' }),
    purchaseYear: wholeYears('purchaseYear', 0, 99),
    targetIrrs: z
      .array(decimalString('each target IRR', { min: '-1', minExclusive: true, max: '10' }), {
        error: 'targetIrrs must be an array of decimal strings',
      })
      .min(1, { error: 'targetIrrs must list at least one rate' })
      .max(MAX_TARGET_IRRS, { error: `targetIrrs may list at most ${MAX_TARGET_IRRS} rates` }),
  })
  .refine((r) => r.purchaseYear < r.lifeYears, {
    error: 'purchaseYear must be before the end of the fund life (below lifeYears)',
    path: ['purchaseYear'],
  });
export type ProjectionRequest = z.output<typeof projectionRequest>;

const flowRow = z
  .strictObject({
    year: wholeYears('flows[].year', 0, 100),
    call: decimalString('flows[].call', { min: '0' }).optional(),
    distribution: decimalString('flows[].distribution', { min: '0' }).optional(),
  })
  .refine((f) => f.call !== undefined || f.distribution !== undefined, { error: 'each flow needs a call or a distribution' });

/** POST /api/valuation/waterfall */
export const waterfallRequest = z
  .strictObject({
    kind: z.literal('european', { error: 'kind must be "european": the calculator runs the whole-fund waterfall' }),
    hurdle: decimalString('hurdle', { min: '0', max: '1' }),
    catchUp: decimalString('catchUp', { min: '0', max: '1' }),
    carry: decimalString('carry', { min: '0', max: '1', maxExclusive: true }),
    commitments: z.preprocess(
      (raw, ctx) => {
        // zod drops an own "__proto__" key without a word (pollution guard); refuse it instead, or
        // that LP's commitment would silently vanish from the split.
        if (raw !== null && typeof raw === 'object' && Object.hasOwn(raw, '__proto__')) {
          ctx.addIssue({ code: 'custom', message: 'an LP may not be named "__proto__"' });
        }
        return raw;
      },
      z
        .record(
          z.string().min(1, { error: 'an LP name must not be empty' }).max(100, { error: 'an LP name may have at most 100 characters' }),
          decimalString('each commitment', { min: '0', minExclusive: true }),
          { error: 'commitments must be an object of LP name → decimal string' },
        )
        .refine((c) => Object.keys(c).length >= 1 && Object.keys(c).length <= MAX_LPS, {
          error: `commitments must name 1 to ${MAX_LPS} LPs`,
        }),
    ),
    flows: z
      .array(flowRow, { error: 'flows must be an array of {year, call?, distribution?}' })
      .min(1, { error: 'flows must list at least one year' })
      .max(MAX_FLOW_ROWS, { error: `flows may list at most ${MAX_FLOW_ROWS} rows` }),
  })
  .refine((r) => catchUpCompletes(r.catchUp, r.carry), {
    error: 'catchUp must be 0 (no catch-up) or greater than carry: otherwise the GP never catches up',
    path: ['catchUp'],
  });
export type WaterfallRequest = z.output<typeof waterfallRequest>;
