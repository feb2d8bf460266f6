/** Small helpers shared by the valuation specifications. */
import { expect } from 'chai';
import { Dec, type Decimal } from '../../shared/decimal';

export const d = (s: string): Decimal => new Dec(s);

/** |actual − expected| ≤ tolerance × |expected| (or ≤ tolerance when expected is 0). */
export function expectRelativelyClose(actual: number, expected: number, tolerance: number, label = ''): void {
  const scale = expected === 0 ? 1 : Math.abs(expected);
  const error = Math.abs(actual - expected) / scale;
  expect(error, `${label} ${actual} vs ${expected} (relative error ${error})`).to.be.at.most(tolerance);
}

export function expectDecimalClose(actual: Decimal, expected: string, tolerance: string, label = ''): void {
  const diff = actual.minus(d(expected)).abs();
  expect(diff.lte(d(tolerance)), `${label} ${actual.toString()} vs ${expected} (off by ${diff.toString()})`).to.equal(true);
}
