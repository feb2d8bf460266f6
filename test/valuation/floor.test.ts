import { expect } from 'chai';
import { appraisalExpiresOn, stateOwnedFloor } from '../../shared/valuation/floor';
import { addDays, addMonths, addYears, daysBetween, parseIsoDate } from '../../shared/valuation/dates';
// Read-only: the listings' rule is the one the exchange enforces; the floor must agree with it.
import { DEFAULT_LISTING_RULES, type StateOwnedDetails } from '../../server/listings/domain';
import { checkAppraisalValid } from '../../server/listings/domain/state-owned';
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

  it('is usable through the day before the anniversary of the base date and expired on the anniversary', () => {
    const r = stateOwnedFloor({ ...base, onDate: '2026-03-30' });
    expect(r.ok && r.validThrough).to.equal('2026-03-30');
    const expired = stateOwnedFloor({ ...base, onDate: '2026-03-31' });
    expect(expired).to.deep.include({ ok: false, code: 'APPRAISAL_EXPIRED' });
    expect(!expired.ok && expired.detail).to.contain('expired on 2026-03-31');
  });

  it(
    'expires a 29 February appraisal on 28 February of the next year (base ' + '+ 12 months, clamped), so it is valid through 27 February',
    () => {
      expect(appraisalExpiresOn('2024-02-29')).to.equal('2025-02-28');
      const r = stateOwnedFloor({ ...base, appraisalBaseDate: '2024-02-29', onDate: '2024-06-30' });
      expect(r.ok && r.validThrough).to.equal('2025-02-27');
      expect(stateOwnedFloor({ ...base, appraisalBaseDate: '2024-02-29', onDate: '2025-02-27' }).ok).to.equal(true);
      expect(stateOwnedFloor({ ...base, appraisalBaseDate: '2024-02-29', onDate: '2025-02-28' })).to.deep.include({
        code: 'APPRAISAL_EXPIRED',
      });
    },
  );

  it('carries the appraisal value itself beside the floor (a first listing may not go below the appraisal)', () => {
    const r = stateOwnedFloor(base);
    expect(r.ok && r.appraisalValue.toFixed(2)).to.equal('10000000.00');
  });

  it("agrees with the listings' appraisal check (checkAppraisalValid, default rules) on every day around the expiry", () => {
    for (const baseDate of ['2024-02-29', '2025-01-31', '2025-03-31', '2023-02-28', '2024-12-31', '2025-08-30']) {
      const so: StateOwnedDetails = {
        resolutionRef: 'R-1',
        approvalRef: 'A-1',
        appraisalRef: 'P-1',
        appraisalValue: '10000000.00',
        appraisalBaseDate: baseDate,
        belowNinetyApprovalRef: null,
      };
      let lastValid: string | null = null;
      let firstExpired: string | null = null;
      for (let day = 355; day <= 372; day++) {
        const onDate = addDays(baseDate, day);
        const listingOk = checkAppraisalValid(so, onDate, DEFAULT_LISTING_RULES) === null;
        const floor = stateOwnedFloor({ ...base, appraisalBaseDate: baseDate, onDate });
        expect(floor.ok, `${baseDate} on ${onDate}`).to.equal(listingOk);
        if (!listingOk) expect(floor).to.deep.include({ code: 'APPRAISAL_EXPIRED' });
        if (listingOk) lastValid = onDate;
        else firstExpired ??= onDate;
      }
      expect(firstExpired, baseDate).to.equal(addDays(lastValid!, 1));
      const floor = stateOwnedFloor({ ...base, appraisalBaseDate: baseDate, onDate: baseDate });
      expect(floor.ok && floor.validThrough, baseDate).to.equal(lastValid);
      expect(appraisalExpiresOn(baseDate), baseDate).to.equal(firstExpired);
    }
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
    for (const bad of ['2023-02-29', '2025-13-01', '2025-1-01', '20250101', '2025-04-31'])
      expect(() => parseIsoDate(bad)).to.throw(/calendar date/);
  });

  it('counts whole days and adds years', () => {
    expect(daysBetween('2024-12-31', '2025-12-31')).to.equal(365);
    expect(daysBetween('2025-03-01', '2025-02-28')).to.equal(-1);
    expect(addYears('2025-06-30', 1)).to.equal('2026-06-30');
  });

  it('adds months clamped to the end of a shorter month, and adds days across month and year ends', () => {
    expect(addMonths('2024-02-29', 12)).to.equal('2025-02-28');
    expect(addMonths('2025-01-31', 1)).to.equal('2025-02-28');
    expect(addMonths('2024-01-31', 1)).to.equal('2024-02-29');
    expect(addMonths('2025-11-30', 3)).to.equal('2026-02-28');
    expect(addMonths('2025-03-31', -1)).to.equal('2025-02-28');
    expect(addDays('2025-03-01', -1)).to.equal('2025-02-28');
    expect(addDays('2024-12-31', 1)).to.equal('2025-01-01');
    expect(addDays('2024-02-28', 1)).to.equal('2024-02-29');
  });
});
