import { expect } from 'chai';
import { decide, tick, type Listing } from '../../server/listings/domain';
import {
  act,
  approvedOn,
  bj,
  buyer1,
  buyer2,
  buyer3,
  calendar,
  ctx,
  eventsOf,
  expectCode,
  op1,
  op2,
  rulesBeforeHandshake,
  seller,
  stateOwnedInput,
} from './fixtures';

/**
 * A state-owned listing approved 2026-09-14 whose disclosure (to 2026-10-15) closed with nobody in. Deposits
 * before qualification and a branch decided at disclosure end are the flow of a listing stored before the
 * qualification handshake (rulesBeforeHandshake); the handshake's own no-buyer close is in qualification-handshake.test.ts.
 */
function closedWithoutBuyer(): Listing {
  let l = approvedOn('2026-09-14', stateOwnedInput, 'L-1', rulesBeforeHandshake);
  l = act(l, buyer1, bj('2026-09-15'), { action: 'register' }).listing;
  l = act(l, buyer2, bj('2026-09-15'), { action: 'register' }).listing;
  l = act(l, op1, bj('2026-09-16'), { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }).listing; // never qualified
  l = act(l, op1, bj('2026-09-16'), { action: 'qualify', orgId: buyer2.orgId, eligible: true }).listing; // never paid
  return tick(l, bj('2026-10-16', '08:00'), calendar).listing;
}

describe('disclosure closes without a qualified buyer with a confirmed deposit', () => {
  it('goes to the no-buyer branch: a qualified buyer without a deposit or a deposit without qualification does not count', () => {
    expect(closedWithoutBuyer()).to.include({ state: 'closed', branch: 'no_buyer' });
  });

  it('refunds a deposit whose buyer was not qualified by the close, due within 3 working days of the end date', () => {
    let l = approvedOn('2026-09-14', stateOwnedInput, 'L-1', rulesBeforeHandshake);
    l = act(l, buyer1, bj('2026-09-15'), { action: 'register' }).listing;
    l = act(l, op1, bj('2026-09-16'), { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }).listing;
    const { events } = tick(l, bj('2026-10-16', '08:00'), calendar);
    // Oct 16, 19, 20 are the 3 working days after Oct 15.
    expect(eventsOf(events, 'deposit_refund_due')[0]).to.include({
      orgId: buyer1.orgId,
      amount: '3000000.00',
      reason: 'registration_closed',
      dueDate: '2026-10-20',
    });
  });

  describe('extend', () => {
    it('reopens disclosure for at least 5 working days counted after the later of the end date and today', () => {
      const { listing, events } = act(closedWithoutBuyer(), seller, bj('2026-10-16'), { action: 'extend' });
      expect(listing.state).to.equal('disclosure');
      // Oct 19–23 are the 5 working days after Oct 16.
      expect(listing.disclosure).to.include({ endDate: '2026-10-23', workingDays: 25 });
      expect(events[0]).to.include({ type: 'listing_extended', fromEndDate: '2026-10-15', toEndDate: '2026-10-23', workingDays: 5 });
      expect(act(listing, buyer3, bj('2026-10-22'), { action: 'register' }).listing.buyers[2]?.alias).to.equal('竞买人C / Bidder C');
    });

    it('refuses to extend a state-owned listing once its appraisal expired (APPRAISAL_EXPIRED from the anniversary)', () => {
      // The appraisal based on 2026-01-31 is valid until 2027-01-30 inclusive.
      expectCode(decide(closedWithoutBuyer(), { action: 'extend' }, ctx(seller, bj('2027-01-31'))), 'APPRAISAL_EXPIRED');
      expectCode(decide(closedWithoutBuyer(), { action: 'extend' }, ctx(op1, bj('2027-02-01'))), 'APPRAISAL_EXPIRED');
      expect(act(closedWithoutBuyer(), seller, bj('2027-01-30'), { action: 'extend' }).listing.state).to.equal('disclosure');
    });

    it('refuses an extension shorter than 5 working days', () => {
      expectCode(decide(closedWithoutBuyer(), { action: 'extend', workingDays: 4 }, ctx(seller, bj('2026-10-16'))), 'EXTENSION_TOO_SHORT');
    });

    it('an operator may extend; another buyer may not', () => {
      expect(act(closedWithoutBuyer(), op1, bj('2026-10-16'), { action: 'extend', workingDays: 10 }).listing.disclosure?.endDate).to.equal(
        '2026-10-30',
      );
      expectCode(decide(closedWithoutBuyer(), { action: 'extend' }, ctx(buyer1, bj('2026-10-16'))), 'FORBIDDEN');
    });

    it('the qualified buyer can pay its deposit during the extension and the next close follows it', () => {
      let l = act(closedWithoutBuyer(), seller, bj('2026-10-16'), { action: 'extend' }).listing;
      l = act(l, op2, bj('2026-10-19'), { action: 'confirm_deposit', orgId: buyer2.orgId, bankRef: 'B-2' }).listing;
      const closed = tick(l, bj('2026-10-24'), calendar).listing;
      expect(closed).to.include({ state: 'closed', branch: 'negotiation' });
    });
  });

  describe('reprice and relist', () => {
    it("below 90% of the appraisal needs the approving unit's consent recorded", () => {
      expectCode(
        decide(
          closedWithoutBuyer(),
          { action: 'reprice', askPrice: '8999999.99', depositAmount: '2000000.00' },
          ctx(seller, bj('2026-10-16')),
        ),
        'APPROVAL_REQUIRED',
      );
      const { listing, events } = act(closedWithoutBuyer(), seller, bj('2026-10-16'), {
        action: 'reprice',
        askPrice: '8500000.00',
        depositAmount: '2000000.00',
        belowNinetyApprovalRef: 'SASAC-2026-11',
      });
      expect(listing.stateOwned?.belowNinetyApprovalRef).to.equal('SASAC-2026-11');
      expect(events[0]).to.include({ type: 'listing_repriced', fromAskPrice: '10000000.00', toAskPrice: '8500000.00', round: 2 });
    });

    it('between 90% and the appraisal needs no consent once a disclosure found no buyer', () => {
      const l = act(closedWithoutBuyer(), seller, bj('2026-10-16'), {
        action: 'reprice',
        askPrice: '9000000.00',
        depositAmount: '2700000.00',
      }).listing;
      expect(l).to.include({ askPrice: '9000000.00', state: 'submitted', round: 2 });
    });

    it('keeps the deposit cap: the old deposit above 30% of the new ask is refused', () => {
      expectCode(
        decide(closedWithoutBuyer(), { action: 'reprice', askPrice: '9500000.00' }, ctx(seller, bj('2026-10-16'))),
        'DEPOSIT_TOO_HIGH',
      );
    });

    it('starts a new round through a fresh four-eyes review, with an empty buyer list and new terms', () => {
      let l = act(closedWithoutBuyer(), seller, bj('2026-10-16'), {
        action: 'reprice',
        askPrice: '9500000.00',
        depositAmount: '2850000.00',
        buyerConditions: ['Any qualified investor'],
      }).listing;
      expect(l.buyers).to.deep.equal([]);
      expect(l.buyerConditions).to.deep.equal(['Any qualified investor']);
      l = act(l, op2, bj('2026-10-19'), { action: 'review' }).listing;
      expectCode(decide(l, { action: 'approve' }, ctx(op2, bj('2026-10-19'))), 'FOUR_EYES');
      l = act(l, op1, bj('2026-10-19'), { action: 'approve' }).listing;
      expect(l.disclosure).to.include({ startDate: '2026-10-19', endDate: '2026-11-13' });
      expect(l.firstDisclosureStartDate).to.equal('2026-09-14');
      expect(act(l, buyer1, bj('2026-10-20'), { action: 'register' }).listing.buyers[0]?.alias).to.equal('竞买人A / Bidder A');
    });

    it('only the seller reprices', () => {
      expectCode(decide(closedWithoutBuyer(), { action: 'reprice', askPrice: '9500000.00' }, ctx(op1, bj('2026-10-16'))), 'FORBIDDEN');
    });
  });

  describe('end', () => {
    it('the seller ends the listing', () => {
      const { listing, events } = act(closedWithoutBuyer(), seller, bj('2026-10-16'), { action: 'end' });
      expect(listing.state).to.equal('ended');
      expect(events.map((e) => e.type)).to.deep.equal(['listing_ended']);
    });
  });

  describe('once a state-owned limit passed (the appraisal of 2026-01-31 expires on 2027-01-31, before the 12-month rule)', () => {
    it('the timer ended the listing with the reason; extend, reprice and end are refused with it', () => {
      const l = closedWithoutBuyer();
      const late = bj('2027-09-15');
      const ended = tick(l, late, calendar);
      expect(ended.listing).to.include({ state: 'ended', endReason: 'APPRAISAL_EXPIRED' });
      expect(eventsOf(ended.events, 'listing_ended')[0]).to.include({ at: bj('2027-01-31', '00:00'), reason: 'APPRAISAL_EXPIRED' });
      for (const cmd of [{ action: 'extend' }, { action: 'reprice', askPrice: '10000000.00' }, { action: 'end' }] as const) {
        expectCode(decide(l, cmd, ctx(seller, late)), 'APPRAISAL_EXPIRED');
      }
      expect(act(l, seller, bj('2026-10-16'), { action: 'extend' }).listing.state).to.equal('disclosure');
    });
  });
});
