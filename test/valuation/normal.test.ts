import { expect } from 'chai';
import fc from 'fast-check';
import { blackScholesPut, chaffeDiscount } from '../../shared/valuation/dlom';
import { normalCdf, normalCentralMass, normalPdf } from '../../shared/valuation/normal';
import { expectRelativelyClose } from './helpers';

// Reference values from mpmath at 40 significant digits.
const REFERENCE: readonly (readonly [number, number])[] = [
  [-37, 5.725571222524576822683193e-300],
  [-20, 2.753624118606233695075623e-89],
  [-10, 7.619853024160526065973343e-24],
  [-8, 6.220960574271784123515995e-16],
  [-5.7, 5.990371401063534429833946e-9],
  [-5, 2.866515718791939116737523e-7],
  [-3, 0.001349898031630094526651815],
  [-1.96, 0.02499789514822043413658427],
  [-1, 0.1586552539314570514147675],
  [-0.66291, 0.2536940983897399395943028],
  [-0.5, 0.3085375387259868963622954],
  [-1e-5, 0.4999960105771960521636007],
  [0, 0.5],
  [1e-8, 0.5000000039894228040143267],
  [0.3, 0.617911422188952637306529],
  [0.6629, 0.746302699131763219987423],
  [0.7, 0.7580363477769269852506496],
  [1, 0.8413447460685429485852325],
  [1.96, 0.9750021048517795658634157],
  [3, 0.9986501019683699054733482],
  [5.65, 0.9999999919776081493364858],
];

describe('valuation / the normal distribution function', () => {
  it('matches 40-digit reference values to 2e-15 relative, tails included', () => {
    for (const [x, expected] of REFERENCE) expectRelativelyClose(normalCdf(x), expected, 2e-15, `Φ(${x})`);
  });

  it('is symmetric: Φ(x) + Φ(−x) = 1', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
        expect(Math.abs(normalCdf(x) + normalCdf(-x) - 1)).to.be.at.most(2.3e-16);
      }),
      { numRuns: 300 },
    );
  });

  it('is non-decreasing and stays within [0, 1]', () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, step) => {
        const a = normalCdf(x);
        const b = normalCdf(x + step);
        expect(a).to.be.within(0, 1);
        expect(b).to.be.at.least(a);
      }),
      { numRuns: 300 },
    );
  });

  it('underflows to exactly 0 and 1 far out, and passes NaN through', () => {
    expect(normalCdf(-40)).to.equal(0);
    expect(normalCdf(40)).to.equal(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).to.equal(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).to.equal(1);
    expect(normalCdf(Number.NaN)).to.be.NaN;
  });

  it('gives the central mass P(|Z| ≤ a) to full relative precision even for tiny a', () => {
    // P(|Z| ≤ a) ≈ 2a·φ(0) for small a; 1 − 2Φ(−a) would lose every digit here.
    expectRelativelyClose(normalCentralMass(1e-10), 2e-10 * 0.3989422804014327, 1e-15, 'tiny a');
    expectRelativelyClose(normalCentralMass(1.96), 0.9500042097035591, 1e-15, 'a = 1.96');
    expectRelativelyClose(normalPdf(1), 0.24197072451914337, 1e-15, 'φ(1)');
  });

  it('prices the textbook Black–Scholes put (S = K = 100, T = 1, σ = 20%, r = 5%) at 5.57353', () => {
    const put = blackScholesPut({ spot: 100, strike: 100, years: 1, volatility: 0.2, riskFreeRate: 0.05 });
    expect(put.toFixed(5)).to.equal('5.57353');
    expectRelativelyClose(put, 5.5735260222569676908, 1e-13, 'put');
  });

  it('is worth its discounted intrinsic value at zero volatility', () => {
    const put = blackScholesPut({ spot: 90, strike: 100, years: 2, volatility: 0, riskFreeRate: 0.03 });
    expectRelativelyClose(put, 100 * Math.exp(-0.06) - 90, 1e-15, 'intrinsic');
  });

  it("gives Chaffe's DLOM as the at-the-money put per unit of share value", () => {
    expectRelativelyClose(chaffeDiscount(0.2, 1, 0.05), 0.055735260222569676908, 1e-13, 'Chaffe');
  });
});
