import { expect } from 'chai';
import { WorkingDayCalendar } from '../../shared/calendar';
import {
  type Acquisition,
  type BuyerFacts,
  buyerVerdict,
  type FundRules,
  sellableUnits,
  sellableVerdict,
  sellerRoundTripVerdict,
} from '../../shared/rules';

const calendar = new WorkingDayCalendar();
const FUND: FundRules = { minHolding: '5000000', investorCap: 50, roundTripWorkingDays: 5 };
const NEWCOMER: BuyerFacts = { roles: ['buyer'], qualified: true, holding: '0', lastSoldOn: null };
// Monday 2 March 2026 is the 5th working day after Tuesday 24 February (the Spring Festival holidays end on the 23rd; Saturday 28
// February is worked).
const BUY: Acquisition = { quantity: '10000000', smallestFill: '10000000', tradeDate: '2026-03-02', investorsBefore: 12, placesFreed: 0 };

describe('the rulebook: buyer eligibility', () => {
  const table: { name: string; buyer?: Partial<BuyerFacts>; fund?: Partial<FundRules>; acq?: Partial<Acquisition>; code: string | null }[] =
    [
      { name: 'a qualified newcomer buying above the minimum into a fund with room', code: null },
      { name: 'a user without the buyer role', buyer: { roles: ['seller'] }, code: 'FORBIDDEN' },
      { name: 'an organisation decided about (no user roles) is not asked for a role', buyer: { roles: null }, code: null },
      { name: 'no valid qualified-investor record', buyer: { qualified: false }, code: 'BUYER_NOT_QUALIFIED' },
      {
        name: 'qualification comes before the other rules',
        buyer: { qualified: false, lastSoldOn: '2026-03-02' },
        fund: { investorCap: 0 },
        code: 'BUYER_NOT_QUALIFIED',
      },
      { name: 'a newcomer below the minimum holding', acq: { quantity: '4000000', smallestFill: '4000000' }, code: 'BELOW_MIN_HOLDING' },
      {
        name: "a newcomer whose smallest fill (a book's lot) is below the minimum",
        acq: { smallestFill: '1000000' },
        code: 'BELOW_MIN_HOLDING',
      },
      { name: 'exactly the minimum holding', acq: { quantity: '5000000', smallestFill: '5000000' }, code: null },
      {
        name: 'an existing holder below the minimum (the minimum is for newcomers)',
        buyer: { holding: '1000000' },
        acq: { quantity: '1000000', smallestFill: '1000000' },
        code: null,
      },
      { name: 'a newcomer into a fund at its cap', acq: { investorsBefore: 50 }, code: 'INVESTOR_CAP_REACHED' },
      { name: 'a newcomer into a fund at its cap whose seller sells out', acq: { investorsBefore: 50, placesFreed: 1 }, code: null },
      { name: 'an existing holder of a fund at its cap', buyer: { holding: '1000000' }, acq: { investorsBefore: 50 }, code: null },
      { name: 'sold 4 working days before the trade', buyer: { lastSoldOn: '2026-02-25' }, code: 'ROUND_TRIP_TOO_SOON' },
      { name: 'sold on the same day', buyer: { lastSoldOn: '2026-03-02' }, code: 'ROUND_TRIP_TOO_SOON' },
      { name: 'sold exactly 5 working days before (allowed from the 5th working day)', buyer: { lastSoldOn: '2026-02-24' }, code: null },
      { name: 'a sale dated after the trade is not an earlier trade', buyer: { lastSoldOn: '2026-03-03' }, code: null },
      { name: 'a fund without the round-trip rule', buyer: { lastSoldOn: '2026-03-02' }, fund: { roundTripWorkingDays: 0 }, code: null },
      {
        name: 'the cap comes before the round trip',
        buyer: { lastSoldOn: '2026-03-02' },
        acq: { investorsBefore: 50 },
        code: 'INVESTOR_CAP_REACHED',
      },
    ];
  for (const row of table) {
    it(`${row.name}: ${row.code ?? 'allowed'}`, () => {
      const v = buyerVerdict({ ...NEWCOMER, ...row.buyer }, { ...FUND, ...row.fund }, { ...BUY, ...row.acq }, calendar);
      expect(v.ok ? null : v.code).to.equal(row.code);
    });
  }

  it('carries the figures of a refusal as decimal strings', () => {
    const v = buyerVerdict({ ...NEWCOMER, lastSoldOn: '2026-02-26' }, FUND, BUY, calendar);
    expect(v).to.deep.include({ ok: false, code: 'ROUND_TRIP_TOO_SOON', params: { allowedFrom: '2026-03-04', workingDays: '5' } });
  });
});

describe('the rulebook: what a holder may sell', () => {
  const position = { commitment: '10000000', onOffer: '2000000', reserved: '1000000', pledged: '3000000' };
  it('sellable units are position − on offer − reserved − pledged, never below zero, and nothing without a position', () => {
    expect(sellableUnits(position).toFixed(0)).to.equal('4000000');
    expect(sellableUnits({ ...position, pledged: '9000000' }).toFixed(0)).to.equal('0');
    expect(sellableUnits(undefined).toFixed(0)).to.equal('0');
  });
  const table: { quantity: string; code: string | null; params?: Record<string, string> }[] = [
    { quantity: '4000000', code: null },
    { quantity: '5000000', code: 'INSUFFICIENT_POSITION', params: { available: '4000000', requested: '5000000' } },
  ];
  for (const row of table) {
    it(`selling ${row.quantity} of it: ${row.code ?? 'allowed'}`, () => {
      const v = sellableVerdict(position, row.quantity);
      expect(v.ok ? null : v.code).to.equal(row.code);
      if (!v.ok) expect(v.params).to.deep.equal(row.params);
    });
  }
  it('the round-trip rule for a seller: bought fewer than N working days before the trade', () => {
    expect(sellerRoundTripVerdict('2026-02-25', '2026-03-02', FUND, calendar)).to.include({ ok: false, code: 'ROUND_TRIP_TOO_SOON' });
    expect(sellerRoundTripVerdict('2026-02-20', '2026-03-02', FUND, calendar)).to.deep.equal({ ok: true });
  });
});
