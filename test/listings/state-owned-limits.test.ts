/**
 * The state-owned rules at every step (api.md, "Scope of the state-owned time limits"): the walk-arounds
 * the issue found — a 14-month suspension, an extension at month 11, a reprice to 10% of the appraisal
 * under an old consent — each refused or ended, with the reason shown.
 */
import { expect } from 'chai';
import { beijingDate } from '../../shared/calendar';
import {
  createListing,
  decide,
  listingRules,
  nextTimerAt,
  tick,
  type CreateListingInput,
  type Listing,
} from '../../server/listings/domain';
import {
  act,
  approvedOn,
  awardAndConfirm,
  bj,
  buyer1,
  buyer2,
  calendar,
  ctx,
  eventsOf,
  expectCode,
  ok,
  op1,
  op2,
  seller,
  settleHandshake,
  stateOwnedInput,
  withBuyers,
} from './fixtures';

/** Appraisal based 2026-09-01 (valid to 2027-08-31), approved 2026-09-14: disclosure 2026-09-14 … 2026-10-15. */
const lateAppraisal: CreateListingInput = {
  ...stateOwnedInput,
  stateOwned: { ...stateOwnedInput.stateOwned!, appraisalBaseDate: '2026-09-01' },
};

const closedWithoutBuyer = (input: CreateListingInput = lateAppraisal): Listing =>
  tick(approvedOn('2026-09-14', input), bj('2026-10-16'), calendar).listing;

describe('state-owned limits at every step', () => {
  describe('suspension: at most one calendar month', () => {
    it('a timer ends a listing suspended for a month; resuming it 14 months later is refused and every deposit goes back', () => {
      let l = withBuyers(approvedOn('2026-09-14', lateAppraisal), bj('2026-09-15'), [buyer1]);
      l = act(l, op1, bj('2026-09-21'), { action: 'suspend', reason: 'complaint under review' }).listing;
      expect(nextTimerAt(l)).to.equal(bj('2026-10-21'));
      expect(tick(l, bj('2026-10-21') - 1, calendar).listing.state).to.equal('suspended');
      const { listing, events } = tick(l, bj('2026-10-21'), calendar);
      expect(listing).to.include({ state: 'ended', endReason: 'SUSPENSION_EXPIRED', suspension: null });
      expect(eventsOf(events, 'deposit_refund_due').map((e) => [e.orgId, e.reason])).to.deep.equal([[buyer1.orgId, 'listing_ended']]);
      expectCode(decide(l, { action: 'resume' }, ctx(op2, bj('2027-11-21'))), 'INVALID_STATE');
    });

    it('a limit that passes during a suspension ends the listing then, not at the resumption', () => {
      let l = closedWithoutBuyer();
      l = act(l, seller, bj('2027-08-16'), { action: 'extend', workingDays: 10 }).listing;
      l = act(l, op1, bj('2027-08-20'), { action: 'suspend', reason: 'court order' }).listing;
      const { listing, events } = tick(l, bj('2027-09-10'), calendar);
      expect(listing).to.include({ state: 'ended', endReason: 'APPRAISAL_EXPIRED' });
      expect(eventsOf(events, 'listing_ended')[0]).to.include({ at: bj('2027-09-01', '00:00') });
      expectCode(decide(l, { action: 'resume' }, ctx(op2, bj('2027-09-10'))), 'APPRAISAL_EXPIRED');
    });

    it('on resumption a state-owned disclosure runs at least 20 working days in total and at least 10 more', () => {
      const approved = approvedOn('2026-09-14', lateAppraisal);
      // Late: suspended on its 18th working day (2026-10-13), resumed 2026-10-19: 10 more, not the 3 it had left.
      let late = act(approved, op1, bj('2026-10-13'), { action: 'suspend', reason: 'complaint' }).listing;
      late = act(late, op2, bj('2026-10-19'), { action: 'resume' }).listing;
      expect(calendar.workingDaysBetween('2026-10-19', late.disclosure!.endDate).days).to.equal(10);
      expect(late.disclosure!.workingDays).to.be.at.least(20);
      // Early: suspended on its 3rd working day, resumed two weeks later: 20 in total (2 served + 18).
      let early = act(approved, op1, bj('2026-09-16'), { action: 'suspend', reason: 'complaint' }).listing;
      early = act(early, op2, bj('2026-09-30'), { action: 'resume' }).listing;
      expect(early.disclosure!.workingDays).to.equal(20);
      expect(calendar.workingDaysBetween('2026-09-30', early.disclosure!.endDate).days).to.equal(18);
    });

    it('an obstacle that cannot be removed: an operator terminates the suspended listing with a reason', () => {
      let l = withBuyers(approvedOn('2026-09-14', lateAppraisal), bj('2026-09-15'), [buyer1]);
      expectCode(decide(l, { action: 'terminate', reason: 'x' }, ctx(op1, bj('2026-09-16'))), 'INVALID_STATE');
      l = act(l, op1, bj('2026-09-16'), { action: 'suspend', reason: 'title dispute' }).listing;
      expectCode(decide(l, { action: 'terminate', reason: 'x' }, ctx(seller, bj('2026-09-17'))), 'FORBIDDEN');
      expectCode(decide(l, { action: 'terminate' } as never, ctx(op2, bj('2026-09-17'))), 'VALIDATION_FAILED');
      const { listing, events } = act(l, op2, bj('2026-09-17'), { action: 'terminate', reason: 'the title dispute cannot be resolved' });
      expect(listing).to.include({ state: 'ended', endReason: 'the title dispute cannot be resolved' });
      expect(eventsOf(events, 'deposit_refund_due')).to.have.length(1);
    });
  });

  describe('an extension at month 11 does not carry the listing past its appraisal', () => {
    it('the listing ends when the appraisal expires; registration, qualification and the award after it are refused', () => {
      let l = act(closedWithoutBuyer(), seller, bj('2027-08-16'), { action: 'extend', workingDays: 60 }).listing;
      expect(l.state).to.equal('disclosure');
      l = act(l, buyer1, bj('2027-08-20'), { action: 'register' }).listing;
      l = act(l, op1, bj('2027-08-20'), { action: 'qualify', orgId: buyer1.orgId, eligible: true }).listing;
      l = settleHandshake(l, bj('2027-08-20'), buyer1);
      l = act(l, op2, bj('2027-08-20'), { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }).listing;
      expectCode(decide(l, { action: 'register' }, ctx(buyer2, bj('2027-09-02'))), 'APPRAISAL_EXPIRED');
      expectCode(decide(l, { action: 'qualify', orgId: buyer1.orgId, eligible: true }, ctx(op1, bj('2027-09-02'))), 'APPRAISAL_EXPIRED');
      const ended = tick(l, bj('2027-12-31'), calendar);
      expect(ended.listing).to.include({ state: 'ended', endReason: 'APPRAISAL_EXPIRED' });
      expect(eventsOf(ended.events, 'deposit_refund_due').map((e) => e.orgId)).to.deep.equal([buyer1.orgId]);
      expectCode(decide(l, { action: 'award' }, ctx(op1, bj('2027-12-31'))), 'APPRAISAL_EXPIRED');
    });

    it('an award waiting for its second operator when the appraisal expires is not confirmed', () => {
      let l = approvedOn('2026-09-14', lateAppraisal);
      l = withBuyers(l, bj('2026-09-15'), [buyer1]);
      l = tick(l, bj('2026-10-16'), calendar).listing;
      l = act(l, op1, bj('2026-10-16'), { action: 'award' }).listing;
      expect(l.state).to.equal('award_pending');
      expectCode(decide(l, { action: 'confirm_award' }, ctx(op2, bj('2027-09-01'))), 'APPRAISAL_EXPIRED');
      expect(act(l, op2, bj('2027-08-31', '23:59'), { action: 'confirm_award' }).listing.state).to.equal('awarded');
    });

    it('with a longer appraisal validity the 12-month rule ends a listing nobody qualified for (REAPPRAISAL_REQUIRED)', () => {
      const now = bj('2026-09-14');
      const rules = listingRules({ appraisalValidityMonths: 24 });
      let l = ok(createListing(lateAppraisal, { now, actor: seller, listingId: 'L-24' }, rules)).listing;
      for (const [who, action] of [
        [seller, 'submit'],
        [op1, 'review'],
        [op2, 'approve'],
      ] as const)
        l = act(l, who, now, { action }).listing;
      l = tick(l, bj('2026-10-16'), calendar).listing;
      l = act(l, seller, bj('2027-08-16'), { action: 'extend', workingDays: 60 }).listing;
      l = act(l, buyer1, bj('2027-08-20'), { action: 'register' }).listing;
      // Registered but not qualified: the rule still runs (first disclosed 2026-09-14: allowed to 2027-09-14 inclusive).
      const ended = tick(l, bj('2027-09-15', '00:00'), calendar);
      expect(ended.listing).to.include({ state: 'ended', endReason: 'REAPPRAISAL_REQUIRED' });
      expectCode(decide(l, { action: 'qualify', orgId: buyer1.orgId, eligible: true }, ctx(op1, bj('2027-09-15'))), 'REAPPRAISAL_REQUIRED');
      // A buyer qualified before then takes the listing out of the rule's scope; with the handshake that is a settled
      // qualification: the exchange's opinion alone does not, the transferor's agreement does.
      const opinion = act(l, op1, bj('2027-09-14'), { action: 'qualify', orgId: buyer1.orgId, eligible: true }).listing;
      expect(tick(opinion, bj('2027-09-20'), calendar).listing).to.include({ state: 'ended', endReason: 'REAPPRAISAL_REQUIRED' });
      const qualified = settleHandshake(opinion, bj('2027-09-14'), buyer1);
      expect(tick(qualified, bj('2027-09-20'), calendar).listing.state).to.equal('disclosure');
    });
  });

  describe('a below-90% consent covers only the price it came with', () => {
    it('a reprice to 10% of the appraisal under the consent given for 85% is refused (APPROVAL_REQUIRED)', () => {
      let l = act(closedWithoutBuyer(), seller, bj('2026-10-16'), {
        action: 'reprice',
        askPrice: '8500000.00',
        belowNinetyApprovalRef: 'SASAC-85',
        depositAmount: '2000000.00',
      }).listing;
      expect(l.stateOwned).to.include({ belowNinetyApprovalRef: 'SASAC-85', belowNinetyApprovedPrice: '8500000.00' });
      l = act(l, op1, bj('2026-10-16'), { action: 'review' }).listing;
      l = act(l, op2, bj('2026-10-16'), { action: 'approve' }).listing;
      l = tick(l, bj(beijingDate(l.disclosure!.closesAt)), calendar).listing;
      expect(l).to.include({ state: 'closed', branch: 'no_buyer' });
      const at = bj(beijingDate(l.disclosure!.closesAt));
      expectCode(
        decide(l, { action: 'reprice', askPrice: '1000000.00', depositAmount: '300000.00' }, ctx(seller, at)),
        'APPROVAL_REQUIRED',
      );
      // At or above the consented price the old consent still covers it; a new consent covers the lower price.
      expect(act(l, seller, at, { action: 'reprice', askPrice: '8600000.00', depositAmount: '2000000.00' }).listing.state).to.equal(
        'submitted',
      );
      const lower = act(l, seller, at, {
        action: 'reprice',
        askPrice: '1000000.00',
        depositAmount: '300000.00',
        belowNinetyApprovalRef: 'SASAC-10',
      }).listing;
      expect(lower.stateOwned).to.include({ belowNinetyApprovalRef: 'SASAC-10', belowNinetyApprovedPrice: '1000000.00' });
    });

    it('a consent recorded at creation does not cover a later price below 90%', () => {
      const withConsent: CreateListingInput = {
        ...lateAppraisal,
        stateOwned: { ...lateAppraisal.stateOwned!, belowNinetyApprovalRef: 'SASAC-AT-CREATE' },
      };
      const l = closedWithoutBuyer(withConsent);
      expectCode(
        decide(l, { action: 'reprice', askPrice: '1000000.00', depositAmount: '300000.00' }, ctx(seller, bj('2026-10-16'))),
        'APPROVAL_REQUIRED',
      );
    });

    it('the award itself completes only when its price passes the gate', () => {
      const l = withBuyers(approvedOn('2026-09-14', lateAppraisal), bj('2026-09-15'), [buyer1]);
      const closed = tick(l, bj('2026-10-16'), calendar).listing;
      expect(awardAndConfirm(closed, bj('2026-10-16')).listing.award).to.include({ price: '10000000.00' });
    });
  });
});
