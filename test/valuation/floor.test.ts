import { expect } from 'chai';
import { stateOwnedFloor } from '../../shared/valuation/floor';
import { addYears, daysBetween, parseIsoDate } from '../../shared/valuation/dates';
import { d } from './helpers';

const base = { appraisalValue: d('10000000.00'), appraisalBaseDate: '2025-03-31', ratio: d('0.90'), onDate: '2025-09-30' };

describe('valuation / the state-owned floor price', () => {
  it('is the appraisal × ratio, at 90% without any approval', () => {
    const r = stateOwnedFloor(base);
    expect(r.ok && r.floor.toFixed(2)).to.equal('9000000.00');
  });

  it('refuses a ratio below 90% without an approval reference, and accepts it with one', () => {
    expect(stateOwnedFloor({ ...base, ratio: d('0.85') })).to.deep.include({ ok: false, code: 'APPROVAL_REQUIRED' });
    expect(stateOwnedFloor({ ...base, ratio: d('0.85'), approvalRef: '  ' })).to.deep.include({ ok: false, code: 'APPROVAL_REQUIRED' });
    const approved = stateOwnedFloor({ ...base, ratio: d('0.85'), approvalRef: 'SASAC-2025-017' });
    expect(approved.ok && approved.floor.toFixed(2)).to.equal('8500000.00');
  });

  it('rounds the floor up to the fen, so that no price under ratio × appraisal passes', () => {
    const r = stateOwnedFloor({ ...base, appraisalValue: d('10000000.01') });
    expect(r.ok && r.floor.toFixed(2)).to.equal('9000000.01'); // 9,000,000.009 → up
  });

  it('is usable through the anniversary of the base date and expired the day after', () => {
    expect(stateOwnedFloor({ ...base, onDate: '2026-03-31' }).ok).to.equal(true);
    expect(stateOwnedFloor({ ...base, onDate: '2026-04-01' })).to.deep.include({ ok: false, code: 'APPRAISAL_EXPIRED' });
  });

  it('ends a 29 February appraisal on 28 February of the next year', () => {
    const r = stateOwnedFloor({ ...base, appraisalBaseDate: '2024-02-29', onDate: '2024-06-30' });
    expect(r.ok && r.validThrough).to.equal('2025-02-28');
  });

  it('checks inputs before expiry and expiry before the 90% rule', () => {
    expect(stateOwnedFloor({ ...base, onDate: '2025-02-30' })).to.deep.include({ code: 'INVALID_INPUT' });
    expect(stateOwnedFloor({ ...base, onDate: '2025-01-01' })).to.deep.include({ code: 'INVALID_INPUT' });
    expect(stateOwnedFloor({ ...base, ratio: d('0.5'), onDate: '2027-01-01' })).to.deep.include({ code: 'APPRAISAL_EXPIRED' });
  });
});

describe('valuation / calendar dates', () => {
  it('parses only real YYYY-MM-DD dates', () => {
    expect(parseIsoDate('2024-02-29')).to.deep.equal({ year: 2024, month: 2, day: 29 });
    for (const bad of ['2023-02-29', '2025-13-01', '2025-1-01', '20250101', '2025-04-31']) expect(() => parseIsoDate(bad)).to.throw(/calendar date/);
  });

  it('counts whole days and adds years', () => {
    expect(daysBetween('2024-12-31', '2025-12-31')).to.equal(365);
    expect(daysBetween('2025-03-01', '2025-02-28')).to.equal(-1);
    expect(addYears('2025-06-30', 1)).to.equal('2026-06-30');
  });
});
