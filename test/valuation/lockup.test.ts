import { expect } from 'chai';
import fc from 'fast-check';
import { ValuationError } from '../../shared/valuation/numeric';
import {
  ASIAN_DISCOUNT_LIMIT,
  annualisedVolatility,
  asianLockupDiscount,
  lockupYearsBetween,
  volatilityWindowTradingDays,
} from '../../shared/valuation/lockup';
import { expectRelativelyClose } from './helpers';

describe('valuation / the AMAC 2017 Asian-option lock-up discount', () => {
  it('reproduces the published check values to 1e-8 relative', () => {
    const cases = [
      { volatility: 0.45, lockupYears: 5, dividendYield: 0, expected: 0.20955289 },
      { volatility: 0.2, lockupYears: 2, dividendYield: 0, expected: 0.06464116 },
      { volatility: 0.9, lockupYears: 10, dividendYield: 0, expected: 0.32231816 },
      { volatility: 0.45, lockupYears: 5, dividendYield: 0.01, expected: 0.19933287 },
      { volatility: 0.3, lockupYears: 8, dividendYield: 0.05, expected: 0.12199965 },
    ];
    for (const c of cases) {
      // The published figures carry 8 decimals, so the comparison allows half a unit of the last one.
      expect(Math.abs(asianLockupDiscount(c) - c.expected)).to.be.at.most(5e-9 + 1e-8 * c.expected);
    }
  });

  it('agrees with a 40-digit evaluation, including at small σ²T where the formula as written cancels', () => {
    const cases = [
      { volatility: 0.45, lockupYears: 5, expected: 0.2095528898432593787 },
      { volatility: 0.01, lockupYears: 0.01, expected: 0.0002303294105877514684 },
      { volatility: 0.001, lockupYears: 0.5, expected: 0.0001628674960504697246 },
      { volatility: 1e-4, lockupYears: 0.25, expected: 0.0000115164716462453825 },
      { volatility: 0.3, lockupYears: 0.001, expected: 0.002185077741622472814 },
      { volatility: 2, lockupYears: 100, expected: 0.3227929028266731254 },
    ];
    for (const c of cases) expectRelativelyClose(asianLockupDiscount(c), c.expected, 1e-14, `σ=${c.volatility} T=${c.lockupYears}`);
  });

  it('is 0 when the lock-up has ended (T = 0) or the share never moves (σ = 0)', () => {
    expect(asianLockupDiscount({ volatility: 0.5, lockupYears: 0 })).to.equal(0);
    expect(asianLockupDiscount({ volatility: 0, lockupYears: 3 })).to.equal(0);
  });

  it('with q = 0 depends on σ and T only through σ²T', () => {
    // Doubling σ and quartering T keeps σ²T bit-for-bit identical, so the discounts must be equal.
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 3, noNaN: true }),
        fc.double({ min: 0.001, max: 20, noNaN: true }),
        (volatility, lockupYears) => {
          const a = asianLockupDiscount({ volatility, lockupYears });
          const b = asianLockupDiscount({ volatility: volatility * 2, lockupYears: lockupYears / 4 });
          expect(b).to.equal(a);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never reaches 32.28%, however long or volatile the lock-up', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        (volatility, lockupYears, dividendYield) => {
          const discount = asianLockupDiscount({ volatility, lockupYears, dividendYield });
          expect(discount).to.be.at.least(0);
          expect(discount).to.be.below(0.3228);
          expect(discount).to.be.at.most(ASIAN_DISCOUNT_LIMIT);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('grows with σ²T when there is no dividend', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 50, noNaN: true }), fc.double({ min: 1.001, max: 2, noNaN: true }), (s, factor) => {
        const lower = asianLockupDiscount({ volatility: Math.sqrt(s), lockupYears: 1 });
        const higher = asianLockupDiscount({ volatility: Math.sqrt(s * factor), lockupYears: 1 });
        expect(higher).to.be.at.least(lower);
      }),
      { numRuns: 200 },
    );
  });

  it('scales by e^(−qT) with a dividend yield', () => {
    const plain = asianLockupDiscount({ volatility: 0.45, lockupYears: 5 });
    expectRelativelyClose(asianLockupDiscount({ volatility: 0.45, lockupYears: 5, dividendYield: 0.01 }), plain * Math.exp(-0.05), 1e-15);
  });

  it('refuses negative or non-finite inputs with INVALID_INPUT', () => {
    for (const bad of [
      { volatility: -0.1, lockupYears: 1 },
      { volatility: 0.3, lockupYears: -1 },
      { volatility: Number.NaN, lockupYears: 1 },
    ]) {
      expect(() => asianLockupDiscount(bad))
        .to.throw(ValuationError)
        .with.property('code', 'INVALID_INPUT');
    }
  });

  it('measures T in calendar days / 365 from the valuation date, and 0 once the lock-up has ended', () => {
    expect(lockupYearsBetween('2025-01-01', '2026-01-01')).to.equal(1);
    expect(lockupYearsBetween('2024-01-01', '2025-01-01')).to.equal(366 / 365);
    expect(lockupYearsBetween('2025-06-30', '2025-06-01')).to.equal(0);
    expect(lockupYearsBetween('2025-01-01', '2025-12-31', 360)).to.equal(364 / 360);
  });
});

describe('valuation / historical volatility for the lock-up model', () => {
  const pricesFromReturns = (returns: readonly number[]): number[] => {
    const closes = [10];
    for (const r of returns) closes.push(closes[closes.length - 1]! * Math.exp(r));
    return closes;
  };

  it('is the sample standard deviation of daily log returns × √250', () => {
    // 20 returns alternating +1% / −1%: mean 0, sample variance 20·0.0001/19.
    const returns = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0.01 : -0.01));
    expectRelativelyClose(annualisedVolatility(pricesFromReturns(returns), 20), Math.sqrt((20 * 0.0001) / 19) * Math.sqrt(250), 1e-12);
  });

  it('uses only the most recent window of returns', () => {
    const calm = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0.01 : -0.01));
    const wild = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 0.2 : -0.2));
    expect(annualisedVolatility(pricesFromReturns([...wild, ...calm]), 20)).to.be.closeTo(
      annualisedVolatility(pricesFromReturns(calm), 20),
      1e-12,
    );
  });

  it('is 0 for a share that rises by the same rate every day', () => {
    expect(annualisedVolatility(pricesFromReturns(Array(25).fill(0.003)), 20)).to.be.below(1e-12);
  });

  it('takes a window as long as the remaining lock-up in trading days, but at least 20', () => {
    expect(volatilityWindowTradingDays(5)).to.equal(20);
    expect(volatilityWindowTradingDays(120.2)).to.equal(121);
  });

  it('refuses a window under 20 days and too few prices', () => {
    expect(() => annualisedVolatility(pricesFromReturns(Array(30).fill(0.01)), 19)).to.throw(ValuationError);
    expect(() => annualisedVolatility(pricesFromReturns(Array(19).fill(0.01)), 20)).to.throw(/need 21 closing prices/);
  });
});
