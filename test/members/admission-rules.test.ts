import { expect } from 'chai';
import { validateRegister, type RegisterOrg } from '../../server/funds/admission/partner-register';
import { defaultInvestorCap } from '../../server/funds/admission/fund-terms';
import fc from 'fast-check';
import { isQualifiedAt, missedThresholds, qualificationStatus } from '../../server/qualifications/qualification-rules';
import { qualifiedUntil } from '../../shared/rules';
import { lastLapse } from '../../server/qualifications/lapse';

const ORGS: RegisterOrg[] = [
  { id: 'org-a', uscc: '91110105MA01J00036', kind: 'lp' },
  { id: 'org-b', uscc: '91110000MA01K0004K', kind: 'buyer' },
  { id: 'org-x', uscc: '12110000MB0160001W', kind: 'exchange' },
];
const FUND = { lotSize: '1000000', totalCommitment: '10000000.00', investorCap: 2 };

describe('a partner register', () => {
  it('is accepted when its commitments are whole lots adding up to the total and paid-in is within each commitment', () => {
    const r = validateRegister(
      [
        { row: 1, orgId: 'org-a', commitment: '6000000', paidIn: '6000000.00' },
        { row: 2, uscc: '91110000MA01K0004K', commitment: '4000000', paidIn: '0' },
      ],
      FUND,
      ORGS,
    );
    expect(r).to.deep.equal({
      ok: true,
      entries: [
        { orgId: 'org-a', row: 1, commitment: '6000000', paidIn: '6000000.00' },
        { orgId: 'org-b', row: 2, commitment: '4000000', paidIn: '0.00' },
      ],
    });
  });

  it('lists every problem with its row, in row order, the whole-register ones (row 0) last', () => {
    const r = validateRegister(
      [
        { row: 1, orgId: 'org-a', commitment: '6500000', paidIn: '7000000.00' },
        { row: 2, orgId: 'org-a', commitment: '1000000', paidIn: '1.234' },
        { row: 3, orgId: 'org-x', commitment: '-1', paidIn: '0' },
        { row: 4, uscc: '91350100M000100Y43', commitment: '1000000', paidIn: '0' },
      ],
      FUND,
      ORGS,
    );
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.row, p.reason])).to.deep.equal([
      [1, 'COMMITMENT_NOT_WHOLE_LOTS'],
      [1, 'PAID_IN_ABOVE_COMMITMENT'],
      [2, 'DUPLICATE_PARTNER'],
      [2, 'PAID_IN_NOT_AN_AMOUNT'],
      [3, 'NOT_AN_INVESTOR'],
      [3, 'COMMITMENT_NOT_A_QUANTITY'],
      [4, 'UNKNOWN_ORGANISATION'],
      [0, 'TOTAL_MISMATCH'],
    ]);
  });

  it('is refused empty, and with more partners than the investor cap', () => {
    const empty = validateRegister([], FUND, ORGS);
    expect(!empty.ok && empty.problems.map((p) => p.reason)).to.deep.equal(['EMPTY']);
    const crowded = validateRegister(
      [
        { row: 1, orgId: 'org-a', commitment: '5000000', paidIn: '0' },
        { row: 2, orgId: 'org-b', commitment: '5000000', paidIn: '0' },
      ],
      { ...FUND, investorCap: 1 },
      ORGS,
    );
    expect(!crowded.ok && crowded.problems.map((p) => p.reason)).to.deep.equal(['TOO_MANY_PARTNERS']);
  });
});

describe('the investor cap by legal form', () => {
  it('is 50 for a partnership or a company and 200 for a contractual fund', () => {
    expect([defaultInvestorCap('partnership'), defaultInvestorCap('company'), defaultInvestorCap('contractual')]).to.deep.equal([
      50, 50, 200,
    ]);
  });
});

describe('a qualified-investor record', () => {
  const record = {
    netAssets: '20000000.00',
    financialAssets: '10000000.00',
    minNetAssets: '20000000.00',
    minFinancialAssets: '10000000.00',
    qualifiedAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-12-31T16:00:00.000Z',
  };
  // Records of any kind on a calendar of whole days from 2026-01-01, for the properties below: each starts and ends on a
  // day, so qualification can change only there.
  const day = 86_400_000;
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const at = (d: number) => new Date(base + d * day).toISOString();
  const recordArb = fc
    .record({ from: fc.integer({ min: 0, max: 60 }), days: fc.integer({ min: 1, max: 60 }), poor: fc.boolean() })
    .map(({ from, days, poor }) => ({
      ...record,
      financialAssets: poor ? '9999999.99' : record.financialAssets,
      qualifiedAt: at(from),
      expiresAt: at(from + days),
    }));

  it('is valid at its thresholds exactly, from its assessment until its expiry', () => {
    expect(qualificationStatus(record, '2025-12-31T23:59:59.999Z')).to.equal('not_yet_valid');
    expect(qualificationStatus(record, '2026-01-01T00:00:00.000Z')).to.equal('valid');
    expect(qualificationStatus(record, '2026-12-31T15:59:59.999Z')).to.equal('valid');
    expect(qualificationStatus(record, '2026-12-31T16:00:00.000Z')).to.equal('expired');
  });
  it('does not qualify below the thresholds stored with it, however unexpired', () => {
    const poorer = { ...record, financialAssets: '9999999.99' };
    expect(qualificationStatus(poorer, '2026-06-01T00:00:00.000Z')).to.equal('below_thresholds');
    expect(isQualifiedAt([poorer], '2026-06-01T00:00:00.000Z')).to.equal(false);
    expect(isQualifiedAt([poorer, record], '2026-06-01T00:00:00.000Z')).to.equal(true);
  });
  it('stays qualified until the latest expiry of the records valid now, and that never overstates (any records, any instants)', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 5 }),
        fc.array(recordArb, { maxLength: 3 }),
        fc.integer({ min: 0, max: 120 }),
        (records, later, now) => {
          const until = qualifiedUntil(records, at(now));
          expect(until !== null, 'qualified now exactly when a record is valid now').to.equal(isQualifiedAt(records, at(now)));
          if (until === null) return;
          // Every instant before it (whole days and the last millisecond), with or without records added since.
          for (let d = now; base + d * day < Date.parse(until); d++) expect(isQualifiedAt([...records, ...later], at(d))).to.equal(true);
          expect(isQualifiedAt(records, new Date(Date.parse(until) - 1).toISOString())).to.equal(true);
          // Tight: the records valid now do not reach it (a later assessment may).
          const validNow = records.filter((q) => isQualifiedAt([q], at(now)));
          expect(isQualifiedAt(validNow, until), 'the records valid now end at it').to.equal(false);
        },
      ),
    );
    expect(qualifiedUntil([record, { ...record, expiresAt: '2027-06-30T16:00:00.000Z' }], '2026-06-01T00:00:00.000Z')).to.equal(
      '2027-06-30T16:00:00.000Z',
    );
    expect(qualifiedUntil([{ ...record, netAssets: '1.00' }], '2026-06-01T00:00:00.000Z')).to.equal(null);
  });
  it('finds the last lapse as the last instant qualified turned to not qualified, renewed since or not (any records)', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 5 }), fc.integer({ min: 0, max: 130 }), (records, now) => {
        let expected: string | null = null;
        for (let d = 1; d <= now; d++) if (isQualifiedAt(records, at(d - 1)) && !isQualifiedAt(records, at(d))) expected = at(d);
        expect(lastLapse(records, at(now))).to.equal(expected);
      }),
    );
  });
  it('names the thresholds an assessment misses', () => {
    const t = { minNetAssets: '20000000.00', minFinancialAssets: '10000000.00' };
    expect(missedThresholds({ netAssets: '19999999.99', financialAssets: '9999999.99' }, t)).to.deep.equal([
      'netAssets',
      'financialAssets',
    ]);
    expect(missedThresholds({ netAssets: '20000000', financialAssets: '10000000' }, t)).to.deep.equal([]);
  });
});
