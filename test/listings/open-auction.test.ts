import { expect } from 'chai';
import { decide, nextTimerAt, publicView, tick, type Listing } from '../../server/listings/domain';
import {
  MINUTE,
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
  fireNextTimer,
  op1,
  openAuction,
  privateInput,
  seller,
  withBuyers,
  awardAndConfirm,
  op2,
} from './fixtures';

const bid = (l: Listing, who: typeof buyer1, hhmm: string, amount: string) =>
  act(l, who, bj('2026-10-16', hhmm), { action: 'bid', amount });

describe('two or more qualified buyers: open ascending auction', () => {
  it('bidding opens at 10:00 Beijing on the first working day after disclosure ends', () => {
    let l = approvedOn('2026-09-14', { ...privateInput, disclosureWorkingDays: 20 });
    l = withBuyers(l, bj('2026-09-15'), [buyer1, buyer2]);
    const closed = fireNextTimer(l).listing;
    expect(closed).to.include({ state: 'closed', branch: 'auction' });
    expect(nextTimerAt(closed)).to.equal(bj('2026-10-16', '10:00'));
    expectCode(decide(closed, { action: 'bid', amount: '8000000.00' }, ctx(buyer1, bj('2026-10-16', '09:59'))), 'AUCTION_NOT_OPEN');
    const { listing, events } = fireNextTimer(closed);
    expect(listing.bidding).to.include({
      phase: 'free',
      opensAt: bj('2026-10-16', '10:00'),
      freeEndsAt: bj('2026-10-16', '11:00'),
      closesAt: bj('2026-10-16', '11:05'),
    });
    expect(events.map((e) => e.type)).to.deep.equal(['bidding_opened']);
  });

  it('the first bid may equal the ask; later bids are whole increments above the current price', () => {
    let l = bid(openAuction(), buyer1, '10:05', '8000000').listing;
    expectCode(decide(l, { action: 'bid', amount: '8000000.00' }, ctx(buyer2, bj('2026-10-16', '10:06'))), 'BID_TOO_LOW');
    expectCode(decide(l, { action: 'bid', amount: '8050000.00' }, ctx(buyer2, bj('2026-10-16', '10:06'))), 'BID_NOT_ON_INCREMENT');
    l = bid(l, buyer2, '10:06', '8300000.00').listing;
    expect(publicView(l, buyer3, bj('2026-10-16', '10:06')).currentPrice).to.equal('8300000.00');
  });

  it("refuses an opening bid below the ask or off the ask's increment grid", () => {
    expectCode(decide(openAuction(), { action: 'bid', amount: '7900000.00' }, ctx(buyer1, bj('2026-10-16', '10:01'))), 'BID_TOO_LOW');
    expectCode(
      decide(openAuction(), { action: 'bid', amount: '8000000.01' }, ctx(buyer1, bj('2026-10-16', '10:01'))),
      'BID_NOT_ON_INCREMENT',
    );
  });

  it('refuses the current leader raising its own bid, a buyer not in, the seller, and a number amount', () => {
    const l = bid(openAuction(), buyer1, '10:05', '8000000.00').listing;
    expectCode(decide(l, { action: 'bid', amount: '8100000.00' }, ctx(buyer1, bj('2026-10-16', '10:06'))), 'ALREADY_HIGHEST_BIDDER');
    expectCode(decide(l, { action: 'bid', amount: '8100000.00' }, ctx(buyer3, bj('2026-10-16', '10:06'))), 'BUYER_NOT_QUALIFIED');
    expectCode(decide(l, { action: 'bid', amount: '8100000.00' }, ctx(seller, bj('2026-10-16', '10:06'))), 'FORBIDDEN');
    expectCode(decide(l, { action: 'bid', amount: 8100000 } as never, ctx(buyer2, bj('2026-10-16', '10:06'))), 'VALIDATION_FAILED');
  });

  it('free bidding does not move the close; in timed bidding each bid restarts the 5-minute countdown', () => {
    let l = bid(openAuction(), buyer1, '10:59', '8000000.00').listing;
    expect(l.bidding?.closesAt).to.equal(bj('2026-10-16', '11:05'));
    l = bid(l, buyer2, '11:03', '8100000.00').listing;
    expect(l.bidding).to.include({ phase: 'timed', closesAt: bj('2026-10-16', '11:08') });
    l = bid(l, buyer1, '11:07', '8200000.00').listing;
    expect(nextTimerAt(l)).to.equal(bj('2026-10-16', '11:12'));
    expectCode(decide(l, { action: 'bid', amount: '8300000.00' }, ctx(buyer2, bj('2026-10-16', '11:12'))), 'AUCTION_CLOSED');
  });

  it("closes when the countdown ends with no bid: the other bidders' deposits fall due for refund within 3 working days", () => {
    let l = bid(openAuction(), buyer1, '10:10', '8000000.00').listing;
    l = bid(l, buyer2, '11:02', '8100000.00').listing;
    const { listing, events } = tick(l, bj('2026-10-16', '11:07'), calendar);
    expect(listing.state).to.equal('bidding_closed');
    expect(eventsOf(events, 'bidding_closed')[0]).to.include({
      at: bj('2026-10-16', '11:07'),
      winnerAlias: '竞买人B / Bidder B',
      price: '8100000.00',
    });
    // Oct 19, 20, 21 are the 3 working days after Friday Oct 16.
    expect(eventsOf(events, 'deposit_refund_due')[0]).to.include({ orgId: buyer1.orgId, reason: 'outbid', dueDate: '2026-10-21' });
    const awarded = awardAndConfirm(listing, bj('2026-10-16', '14:00'));
    expect(awarded.listing.award).to.include({
      buyerOrgId: buyer2.orgId,
      price: '8100000.00',
      pricingMethod: 'auction',
      depositApplied: '800000.00',
    });
  });

  it('survives a restart in the middle of timed bidding: it closes at the last bid plus the countdown, not at the restart', () => {
    let l = bid(openAuction(), buyer1, '10:30', '8000000.00').listing;
    l = bid(l, buyer2, '11:04', '8500000.00').listing;
    l = bid(l, buyer1, '11:08', '8600000.00').listing;
    const stored = JSON.stringify(l);
    // The process stops at 11:10 and comes back at 13:45.
    const restored = JSON.parse(stored) as Listing;
    expect(restored).to.deep.equal(l);
    const { listing, events } = tick(restored, bj('2026-10-16', '13:45'), calendar);
    expect(listing.bidding).to.include({ phase: 'closed', closedAt: bj('2026-10-16', '11:08') + 5 * MINUTE });
    expect(eventsOf(events, 'bidding_closed')[0]).to.include({
      at: bj('2026-10-16', '11:13'),
      price: '8600000.00',
      winnerAlias: '竞买人A / Bidder A',
    });
  });

  it('a buyer in that does not bid forfeits its deposit', () => {
    let l = approvedOn('2026-09-14', { ...privateInput, disclosureWorkingDays: 20 });
    l = withBuyers(l, bj('2026-09-15'), [buyer1, buyer2, buyer3]);
    l = fireNextTimer(fireNextTimer(l).listing).listing;
    l = bid(l, buyer1, '10:10', '8000000.00').listing;
    l = bid(l, buyer3, '10:11', '8100000.00').listing;
    const { events } = tick(l, bj('2026-10-16', '12:00'), calendar);
    expect(eventsOf(events, 'deposit_forfeited').map((e) => [e.orgId, e.reason])).to.deep.equal([[buyer2.orgId, 'did_not_bid']]);
    expect(eventsOf(events, 'deposit_refund_due').map((e) => e.orgId)).to.deep.equal([buyer1.orgId]);
  });

  it('nobody bidding fails the auction: every deposit is forfeited and the listing has no buyer', () => {
    const { listing, events } = tick(openAuction(), bj('2026-10-16', '12:00'), calendar);
    expect(listing).to.include({ state: 'closed', branch: 'no_buyer' });
    expect(eventsOf(events, 'auction_failed')).to.have.length(1);
    expect(eventsOf(events, 'deposit_forfeited').map((e) => e.orgId)).to.deep.equal([buyer1.orgId, buyer2.orgId]);
  });

  it('award is possible only after the close', () => {
    const l = bid(openAuction(), buyer1, '10:10', '8000000.00').listing;
    expectCode(decide(l, { action: 'award' }, ctx(op1, bj('2026-10-16', '10:30'))), 'INVALID_STATE');
  });

  it('refuses an award below the winning bid (or any amount other than it), changing nothing', () => {
    let l = bid(openAuction(), buyer1, '10:10', '8000000.00').listing;
    l = bid(l, buyer2, '10:20', '8200000.00').listing;
    const closed = tick(l, bj('2026-10-16', '12:00'), calendar).listing;
    expectCode(decide(closed, { action: 'award', amount: '8100000.00' }, ctx(op1, bj('2026-10-16', '14:00'))), 'VALIDATION_FAILED');
    expectCode(decide(closed, { action: 'award', amount: '8000000.00' }, ctx(op1, bj('2026-10-16', '14:00'))), 'VALIDATION_FAILED');
    expect(closed.state).to.equal('bidding_closed');
    expect(awardAndConfirm(closed, bj('2026-10-16', '14:00'), { action: 'award', amount: '8200000.00' }).listing.award).to.include({
      buyerOrgId: buyer2.orgId,
      price: '8200000.00',
    });
  });

  it('four eyes on the award: the awarding operator cannot confirm it; nothing trades until another operator does', () => {
    const l = bid(openAuction(), buyer1, '10:10', '8000000.00').listing;
    const closed = tick(l, bj('2026-10-16', '12:00'), calendar).listing;
    const proposed = act(closed, op1, bj('2026-10-16', '14:00'), { action: 'award' });
    expect(proposed.listing).to.include({ state: 'award_pending', award: null });
    expect(eventsOf(proposed.events, 'listing_awarded')).to.have.length(0);
    expect(eventsOf(proposed.events, 'deposit_applied')).to.have.length(0);
    expectCode(decide(proposed.listing, { action: 'confirm_award' }, ctx(op1, bj('2026-10-16', '14:05'))), 'FOUR_EYES');
    expectCode(decide(proposed.listing, { action: 'confirm_award' }, ctx(buyer1, bj('2026-10-16', '14:05'))), 'FORBIDDEN');
    expectCode(decide(proposed.listing, { action: 'award' }, ctx(op2, bj('2026-10-16', '14:05'))), 'INVALID_STATE');
    const confirmed = act(proposed.listing, op2, bj('2026-10-16', '14:05'), { action: 'confirm_award' });
    expect(confirmed.listing.state).to.equal('awarded');
    expect(eventsOf(confirmed.events, 'listing_awarded')[0]!.trade).to.include({
      awardedByUserId: op1.userId,
      confirmedByUserId: op2.userId,
    });
  });
});
