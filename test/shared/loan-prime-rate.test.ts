import { expect } from 'chai';
import { PUBLISHED_LPR, belowLpr, lprHistory, lprOn } from '../../shared/loan-prime-rate';

describe('the one-year Loan Prime Rate in force (shared/loan-prime-rate.ts)', () => {
  it('is the latest publication effective by the date, from its effective day on', () => {
    expect(lprOn('2019-08-19')).to.equal(null);
    expect(lprOn('2019-08-20')?.oneYearPct).to.equal('4.25');
    expect(lprOn('2024-10-20')?.oneYearPct).to.equal('3.35');
    expect(lprOn('2024-10-21')?.oneYearPct).to.equal('3.10');
    expect(lprOn('2026-12-07')).to.include({ effectiveDate: '2025-05-20', oneYearPct: '3.00' });
  });

  it('counts recorded publications after the published history, and lists them in date order', () => {
    const recorded = [{ effectiveDate: '2026-11-20', oneYearPct: '3.20', source: 'NIFC' }];
    expect(lprOn('2026-11-19', recorded)?.oneYearPct).to.equal('3.00');
    expect(lprOn('2026-11-20', recorded)?.oneYearPct).to.equal('3.20');
    const history = lprHistory(recorded).map((r) => r.effectiveDate);
    expect(history).to.deep.equal([...history].sort());
    expect(history).to.have.length(PUBLISHED_LPR.length + 1);
  });

  it('compares rates exactly as decimals (3.0 is not below 3.00; 2.9999 is)', () => {
    const lpr = { effectiveDate: '2025-05-20', oneYearPct: '3.00', source: '' };
    expect(belowLpr('3.0', lpr)).to.equal(false);
    expect(belowLpr('2.9999', lpr)).to.equal(true);
    expect(belowLpr('3.45', lpr)).to.equal(false);
  });
});
