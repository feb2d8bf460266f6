/**
 * Pro-rata allocation of money with exact sums.
 */
import { Dec, Rounding, ZERO, sum, type Decimal } from '../decimal';
import { ONE, requireInput } from './numeric';

/**
 * Splits `total` by weights at `scale` places so that the parts add up exactly to the total rounded
 * half-up to `scale` (largest remainder: each part is rounded down, and the leftover units go to the
 * largest fractional parts, ties to the earlier key).
 */
export function allocateProRata(total: Decimal, weights: readonly (readonly [string, Decimal])[], scale: number): Map<string, Decimal> {
  const whole = sum(weights.map(([, w]) => w));
  requireInput(whole.gt(ZERO) && weights.every(([, w]) => w.gte(ZERO)), 'weights must be ≥ 0 and add up to more than 0');
  requireInput(total.gte(ZERO), 'only a non-negative total is allocated');
  const unit = ONE.div(new Dec('10').pow(scale));
  const exact = weights.map(([key, w], index) => ({ key, index, value: total.times(w).div(whole) }));
  const floored = exact.map((e) => {
    const part = e.value.round(scale, Rounding.DOWN);
    return { ...e, part, fraction: e.value.minus(part) };
  });
  let leftover = total.round(scale, Rounding.HALF_UP).minus(sum(floored.map((f) => f.part)));
  const order = [...floored].sort((a, b) => b.fraction.cmp(a.fraction) || a.index - b.index);
  const out = new Map<string, Decimal>(floored.map((f) => [f.key, f.part]));
  for (const f of order) {
    if (leftover.lte(ZERO)) break;
    out.set(f.key, out.get(f.key)!.plus(unit));
    leftover = leftover.minus(unit);
  }
  return out;
}
