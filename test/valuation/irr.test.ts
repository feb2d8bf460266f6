import { expect } from 'chai';
import fc from 'fast-check';
import { npv, solveIrr } from '../../shared/valuation/irr';

describe('valuation / the IRR solver', () => {
  it('finds the rate of a simple investment: −100 now, 125 in two years → 11.8034%', () => {
    const r = solveIrr([-100, 0, 125]);
    expect(r.ok && r.irr).to.be.closeTo(Math.sqrt(1.25) - 1, 1e-12);
  });

  it('answers no IRR below −99% rather than a wrong one', () => {
    expect(solveIrr([-1000, 1])).to.deep.include({ ok: false, code: 'NO_SIGN_CHANGE' });
  });

  it('finds negative rates: −100 now, 50 in a year → −50%', () => {
    const r = solveIrr([-100, 50]);
    expect(r.ok && r.irr).to.be.closeTo(-0.5, 1e-12);
  });

  it('answers NO_SIGN_CHANGE instead of a number when every flow has the same sign', () => {
    expect(solveIrr([100, 50])).to.deep.include({ ok: false, code: 'NO_SIGN_CHANGE' });
    expect(solveIrr([-100, 0, 0])).to.deep.include({ ok: false, code: 'NO_SIGN_CHANGE' });
  });

  it('answers INVALID_FLOWS for NaN, infinities or a single flow', () => {
    expect(solveIrr([Number.NaN, 1])).to.deep.include({ ok: false, code: 'INVALID_FLOWS' });
    expect(solveIrr([-1])).to.deep.include({ ok: false, code: 'INVALID_FLOWS' });
  });

  it('among several roots returns the one nearest the guess', () => {
    // −100, +234, −136.53 = −100·(x − 1.11)(x − 1.23)/x² in x = 1 + r: roots 11% and 23%.
    const near11 = solveIrr([-100, 234, -136.53], { guess: 0.1 });
    const near23 = solveIrr([-100, 234, -136.53], { guess: 0.25 });
    expect(near11.ok && near11.irr).to.be.closeTo(0.11, 1e-10);
    expect(near23.ok && near23.irr).to.be.closeTo(0.23, 1e-10);
  });

  it('stops within its iteration bound and says so', () => {
    const r = solveIrr([-100, 0, 125], { maxIterations: 1, toleranceRate: 1e-15 });
    expect(r).to.deep.include({ ok: false, code: 'NOT_CONVERGED' });
  });

  it('property: for a conventional investment (out first, back later) the NPV at the IRR is zero', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (outlay, returns) => {
          // Returns of 2% to 50× the outlay keep the IRR between −98% and +4900%, inside the solver's range.
          const total = returns.reduce((a, b) => a + b, 0);
          fc.pre(total >= 0.02 * outlay && total <= 50 * outlay);
          const flows = [-outlay, ...returns];
          const r = solveIrr(flows);
          expect(r.ok).to.equal(true);
          if (r.ok) {
            expect(r.iterations).to.be.at.most(200);
            expect(Math.abs(npv(r.irr, flows))).to.be.below(1e-6 * (outlay + returns.reduce((a, b) => a + b, 0)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
