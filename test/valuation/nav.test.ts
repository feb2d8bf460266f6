import { expect } from 'chai';
import { ZERO } from '../../shared/decimal';
import { NO_SHOCK, valueHoldings } from '../../shared/valuation/holdings';
import { fundNav, pctOf, settlementPayment } from '../../shared/valuation/nav';
import { d } from './helpers';

describe('valuation / L2 fund NAV and roll-forward', () => {
  const holdings = valueHoldings(
    [
      { id: 'a', name: 'A', method: 'listed', closePrice: '11', shares: '100', reportedValue: '1000' },
      { id: 'b', name: 'B', method: 'net-assets', netAssets: '500', ownership: '1', dlom: { model: 'none' } },
    ],
    { valuationDate: '2025-06-30', lockupDaysPerYear: 365, shock: NO_SHOCK },
  );

  it('rolls the reported NAV forward by calls, distributions and the mark changes of re-marked holdings', () => {
    const nav = fundNav({
      reportedNav: d('2000'),
      callsSinceReport: d('300'),
      distributionsSinceReport: d('50'),
      holdings,
      cash: d('400'),
      liabilities: d('10'),
    });
    expect(nav.markChanges.toString()).to.equal('100'); // only 'a' has a reported value: 1100 − 1000
    expect(nav.rolledForward.toString()).to.equal('2350'); // 2000 + 300 − 50 + 100
  });

  it('sums holdings, cash and liabilities bottom-up and shows the difference to the rolled-forward NAV', () => {
    const nav = fundNav({
      reportedNav: d('2000'),
      callsSinceReport: ZERO,
      distributionsSinceReport: ZERO,
      holdings,
      cash: d('400'),
      liabilities: d('10'),
    });
    expect(nav.bottomUp.toString()).to.equal('1990'); // 1100 + 500 + 400 − 10
    expect(nav.reconciliationDifference.toString()).to.equal('-110'); // 1990 − 2100
  });

  it('gives a % of NAV only of a positive NAV: null for a zero or negative one (a sign-flipped % is nonsense)', () => {
    expect(pctOf(d('90'), d('120'), 2)!.toFixed(2)).to.equal('75.00');
    expect(pctOf(d('-30'), d('120'), 2)!.toFixed(2)).to.equal('-25.00');
    expect(pctOf(d('90'), ZERO, 2)).to.equal(null);
    expect(pctOf(d('90'), d('-120'), 2)).to.equal(null);
    expect(pctOf(ZERO, d('-0.01'), 2)).to.equal(null);
  });

  it('settles dollar for dollar: pct × NAV_ref + calls since − distributions since, to the fen', () => {
    const payment = settlementPayment({
      pricePct: d('87.50'),
      referenceNav: d('10000000.00'),
      callsSinceReference: d('250000.00'),
      distributionsSinceReference: d('100000.005'),
    });
    expect(payment.toFixed(2)).to.equal('8900000.00'); // 8,750,000 + 250,000 − 100,000.005 → half-up
  });
});
