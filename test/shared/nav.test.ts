import { expect } from 'chai';
import fc from 'fast-check';
import { Dec } from '../../shared/decimal';
import { consideration, navAttributable, navPerCommitment } from '../../shared/nav';

/** round-half-up(n / d) for positive integers, exactly (BigInt). */
const divHalfUp = (n: bigint, d: bigint): bigint => (2n * n + d) / (2n * d);
const fen = (n: bigint): string => `${n / 100n}.${String(n % 100n).padStart(2, '0')}`;

describe('NAV arithmetic: consideration and NAV attributable to a commitment', () => {
  it('computes consideration as price% × NAV attributable to the quantity, rounded once to the fen', () => {
    // 87.50% × 3,448,500,000.00 × 5,000,000 / 3,000,000,000 = 5,029,062.50
    expect(consideration(new Dec('87.50'), new Dec('3448500000.00'), new Dec('3000000000'), new Dec('5000000')).toFixed(2)).to.equal(
      '5029062.50',
    );
    expect(navPerCommitment(new Dec('3168000000.00'), new Dec('3000000000.00')).toFixed(8)).to.equal('1.05600000');
  });

  it('does not go through the rounded NAV per commitment: a third of the NAV per yuan still gives exact amounts', () => {
    const nav = new Dec('1000000000.00');
    const total = new Dec('3000000000');
    expect(navPerCommitment(nav, total).toFixed(8)).to.equal('0.33333333');
    // 100% × 1,000,000,000 × 60,000,000 / 3,000,000,000 = 20,000,000.00 (through 0.33333333 it would be 19,999,999.80)
    expect(consideration(new Dec('100.00'), nav, total, new Dec('60000000')).toFixed(2)).to.equal('20000000.00');
    expect(navAttributable(nav, total, new Dec('60000000')).toFixed(2)).to.equal('20000000.00');
  });

  it('equals the exact rational result rounded half-up to the fen, for any price, NAV, commitment and quantity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30000 }), // price in 0.01 pp (0.01% – 300.00%)
        fc.bigInt({ min: 1n, max: 10n ** 13n }), // fund NAV in fen (up to 100 bn yuan)
        fc.bigInt({ min: 1n, max: 10n ** 11n }), // total commitment in yuan
        fc.bigInt({ min: 1n, max: 10n ** 10n }), // quantity in yuan
        (pctCents, navFen, total, qty) => {
          const pct = `${Math.floor(pctCents / 100)}.${String(pctCents % 100).padStart(2, '0')}`;
          const nav = fen(navFen);
          // consideration in fen = pct/100 × nav × qty / total ×100 fen → (pctCents × navFen × qty) / (100 × 100 × total)
          const expected = divHalfUp(BigInt(pctCents) * navFen * qty, 10000n * total);
          expect(consideration(new Dec(pct), new Dec(nav), new Dec(total.toString()), new Dec(qty.toString())).toFixed(2)).to.equal(
            fen(expected),
          );
          expect(navAttributable(new Dec(nav), new Dec(total.toString()), new Dec(qty.toString())).toFixed(2)).to.equal(
            fen(divHalfUp(navFen * qty, total)),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
