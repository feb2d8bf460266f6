import { expect } from 'chai';
import fc from 'fast-check';
import { solveIrr } from '../../shared/valuation/irr';
import { lifeCashFlows, navAt, priceAt, project, type ProjectionParams } from '../../shared/valuation/projection';
import { ValuationError } from '../../shared/valuation/numeric';

// valuation.md's check case: CC 100; 25 called in each of years 1–4; L 12, B 2.5, G 13%, Y 0.
const CHECK: ProjectionParams = { commitment: 100, callRates: [0.25, 1 / 3, 0.5, 1], lifeYears: 12, bow: 2.5, growth: 0.13, yieldFloor: 0 };
const PER_100_TOLERANCE = 1e-7;

const paramsArbitrary = fc.record({
  commitment: fc.constant(100),
  callRates: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
  lifeYears: fc.integer({ min: 3, max: 20 }),
  bow: fc.double({ min: 0.5, max: 5, noNaN: true }),
  growth: fc.double({ min: -0.1, max: 0.3, noNaN: true }),
  yieldFloor: fc.double({ min: 0, max: 0.2, noNaN: true }),
});

describe('valuation / L4 the Takahashi–Alexander projection', () => {
  it('reproduces the check case: NAV at end of year 4 = 112.711413, total distributions 190.798186', () => {
    const p = project(CHECK);
    expect(p.years.slice(0, 4).map((y) => y.call)).to.satisfy((calls: number[]) => calls.every((c) => Math.abs(c - 25) < 1e-12));
    // Within 1e-7 of the published figures, which are themselves rounded to 6 decimals.
    expect(navAt(p, 4)).to.be.closeTo(112.711413, PER_100_TOLERANCE + 5e-7);
    expect(p.years.reduce((a, y) => a + y.distribution, 0)).to.be.closeTo(190.798186, PER_100_TOLERANCE + 5e-7);
    expect(navAt(p, 4).toFixed(6)).to.equal('112.711413');
  });

  it('prices a buyer at end of year 4 at 15%: 105.568082 = 93.662283% of NAV', () => {
    const p = project(CHECK);
    const price = priceAt(p, 0.15, 4);
    // The published figures are rounded to 6 decimals: they must match as printed.
    expect(price.toFixed(6)).to.equal('105.568082');
    expect(((price / navAt(p, 4)) * 100).toFixed(6)).to.equal('93.662283');
  });

  it('repeats the last call rate when the list is shorter than the life', () => {
    const p = project({ ...CHECK, callRates: [0.5] });
    expect(p.years.slice(0, 3).map((y) => y.call)).to.deep.equal([50, 25, 12.5]);
  });

  it('distributes everything in the last year of life', () => {
    const p = project(CHECK);
    const last = p.years[p.years.length - 1]!;
    expect(last.nav).to.be.closeTo(0, 1e-9);
  });

  it('starts from an actual state at age t0 when given one', () => {
    const p = project(CHECK, { ageYears: 4, nav: 120, paidIn: 100 });
    expect(p.years[0]!.year).to.equal(5);
    expect(priceAt(p, 0.13)).to.be.closeTo(120, 1e-9);
  });

  it('property: the whole-life IRR of the projected fund equals G', () => {
    fc.assert(
      fc.property(paramsArbitrary, (params) => {
        const r = solveIrr(lifeCashFlows(project(params)), { guess: params.growth });
        expect(r.ok && r.irr).to.be.closeTo(params.growth, 1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it('property: Price(t0, G) = NAV_t0 for every purchase year', () => {
    fc.assert(
      fc.property(paramsArbitrary, fc.integer({ min: 1, max: 19 }), (params, t0) => {
        fc.pre(t0 < params.lifeYears);
        const p = project(params);
        expect(priceAt(p, params.growth, t0)).to.be.closeTo(navAt(p, t0), 1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it('property: the price falls strictly as the target IRR rises, wherever it is not negative (0% to 50%)', () => {
    // d Price/dr = −Σ k·CF_k/(1+r)^(k+1) is negative whenever Price ≥ 0 and the later flows change sign
    // once (calls first, distributions later); see the next case for what happens below zero.
    fc.assert(
      fc.property(
        paramsArbitrary,
        fc.integer({ min: 1, max: 19 }),
        fc.double({ min: 0, max: 0.49, noNaN: true }),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        (params, t0, r, step) => {
          fc.pre(t0 < params.lifeYears);
          const p = project(params);
          const higher = priceAt(p, r + step, t0);
          fc.pre(higher >= 0);
          expect(higher).to.be.below(priceAt(p, r, t0));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('below zero the price may rise with r: then the near-term calls dominate and discounting shrinks them', () => {
    // Slow calls (5% a year of the unfunded), no growth, bought after year 1.
    const p = project({ commitment: 100, callRates: [0.05], lifeYears: 8, bow: 2.154, growth: 0, yieldFloor: 0 });
    expect(priceAt(p, 0.49, 1)).to.be.below(0);
    expect(priceAt(p, 0.54, 1)).to.be.above(priceAt(p, 0.49, 1));
  });

  it('can be negative when a large unfunded commitment meets a demanding target IRR', () => {
    // Bought after year 1 with 2% called and 98% still to call, no growth: at 30% the calls outweigh the rest.
    const p = project({ commitment: 100, callRates: [0.02, 0.5], lifeYears: 10, bow: 3, growth: 0, yieldFloor: 0 });
    expect(priceAt(p, 0.3, 1)).to.be.below(0);
  });

  it('refuses a life over 100 years, call rates outside [0, 1] and a start age at the end of life', () => {
    expect(() => project({ ...CHECK, lifeYears: 101 })).to.throw(/lifeYears/);
    expect(() => project({ ...CHECK, callRates: [1.5] })).to.throw(/call rate/);
    expect(() => project(CHECK, { ageYears: 12, nav: 0, paidIn: 100 })).to.throw(/start age/);
  });

  it('refuses a projection whose NAV overflows a double as an input error', () => {
    expect(() => project({ ...CHECK, lifeYears: 100, growth: 1e10 })).to.throw(ValuationError, /overflows/);
  });

  it('lets the price at an IRR close to −100% overflow to Infinity (callers name the IRR when refusing it)', () => {
    const p = project({ ...CHECK, lifeYears: 100 });
    expect(priceAt(p, -0.999999, 1)).to.equal(Number.POSITIVE_INFINITY);
  });
});
