import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { decide, publicView, sealedBidPreimage, tick, type Listing } from '../../server/listings/domain';
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
  fireNextTimer,
  op1,
  privateInput,
  seller,
  withBuyers,
  awardAndConfirm,
} from './fixtures';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
/** What the server does when a sealed bid arrives: hash it, keep amount and salt apart (encrypted) until the close. */
const commit = (orgId: string, amount: string, salt: string) => sha256(sealedBidPreimage('L-1', orgId, amount, salt));

function sealedRound(): Listing {
  let l = approvedOn('2026-09-14', { ...privateInput, method: 'sealed', disclosureWorkingDays: 20 });
  l = withBuyers(l, bj('2026-09-15'), [buyer1, buyer2, buyer3]);
  return fireNextTimer(fireNextTimer(l).listing).listing;
}

function threeSealedBids(): Listing {
  let l = sealedRound();
  l = act(l, buyer1, bj('2026-10-16', '10:10'), {
    action: 'bid',
    commitment: commit(buyer1.orgId, '8300000.00', 's1'),
    amount: '8300000.00',
  }).listing;
  l = act(l, buyer2, bj('2026-10-16', '10:20'), { action: 'bid', commitment: commit(buyer2.orgId, '8500000.00', 's2') }).listing;
  l = act(l, buyer3, bj('2026-10-16', '10:30'), { action: 'bid', commitment: commit(buyer3.orgId, '8900000.00', 's3') }).listing;
  return l;
}

describe('sealed-bid round', () => {
  it('opens at 10:00 on the first working day after disclosure and closes after the sealed round (60 min)', () => {
    expect(sealedRound().bidding).to.include({ phase: 'sealed', opensAt: bj('2026-10-16', '10:00'), closesAt: bj('2026-10-16', '11:00') });
  });

  it('stores only the commitment: the amount checked alongside is never kept in the listing', () => {
    const { listing, events } = act(sealedRound(), buyer1, bj('2026-10-16', '10:10'), {
      action: 'bid',
      commitment: commit(buyer1.orgId, '8300000.00', 's1'),
      amount: '8300000.00',
    });
    expect(JSON.stringify(listing)).not.to.contain('8300000');
    expect(JSON.stringify(events)).not.to.contain('8300000');
    expect(listing.bidding?.bids[0]).to.include({ amount: null, alias: '竞买人A / Bidder A' });
  });

  it("accepts one sealed bid per bidder, with a well-formed commitment, on the ask's increment grid", () => {
    const l = threeSealedBids();
    expectCode(
      decide(l, { action: 'bid', commitment: commit(buyer1.orgId, '9000000.00', 'x') }, ctx(buyer1, bj('2026-10-16', '10:40'))),
      'SEALED_BID_ALREADY_PLACED',
    );
    const fresh = sealedRound();
    expectCode(decide(fresh, { action: 'bid', commitment: 'not-a-hash' }, ctx(buyer1, bj('2026-10-16', '10:40'))), 'VALIDATION_FAILED');
    expectCode(
      decide(
        fresh,
        { action: 'bid', commitment: commit(buyer1.orgId, '8050000.00', 'x'), amount: '8050000.00' },
        ctx(buyer1, bj('2026-10-16', '10:40')),
      ),
      'BID_NOT_ON_INCREMENT',
    );
    expectCode(
      decide(fresh, { action: 'bid', commitment: commit(buyer1.orgId, '8000000.00', 'x') }, ctx(buyer1, bj('2026-10-16', '11:00'))),
      'AUCTION_CLOSED',
    );
  });

  it('before the close nobody — other bidders, the seller, operators — sees who bid or any amount', () => {
    const l = threeSealedBids();
    for (const viewer of [buyer2, seller, op1]) {
      const view = publicView(l, viewer, bj('2026-10-16', '10:45'));
      const text = JSON.stringify(view);
      expect(text).not.to.contain(buyer1.orgId);
      expect(text).not.to.contain(buyer3.orgId);
      expect(text).not.to.match(/8[359]00000/);
      expect(view.sealedBidsReceived).to.equal(3);
      expect(view.bids.map((b) => b.alias)).to.deep.equal(viewer === buyer2 ? ['竞买人B / Bidder B'] : []);
      expect(view.currentPrice).to.equal(null);
    }
  });

  it('the award opens the bids: the highest revealed amount matching its commitment wins; a bad reveal is void and forfeits', () => {
    const closed = tick(threeSealedBids(), bj('2026-10-16', '11:00'), calendar).listing;
    expect(closed.state).to.equal('bidding_closed');
    const reveals = [
      { bidId: closed.bidding!.bids[0]!.id, amount: '8300000.00', salt: 's1' },
      { bidId: closed.bidding!.bids[1]!.id, amount: '8500000', salt: 's2' },
      { bidId: closed.bidding!.bids[2]!.id, amount: '8900000.00', salt: 'wrong salt' },
    ];
    const { listing, events } = awardAndConfirm(
      closed,
      bj('2026-10-16', '14:00'),
      { action: 'award', reveals },
      { commitmentHash: sha256 },
    );
    expect(listing.award).to.include({ buyerOrgId: buyer2.orgId, price: '8500000.00', pricingMethod: 'sealed' });
    expect(eventsOf(events, 'deposit_forfeited').map((e) => [e.orgId, e.reason])).to.deep.equal([[buyer3.orgId, 'invalid_sealed_bid']]);
    expect(eventsOf(events, 'deposit_refund_due').map((e) => e.orgId)).to.deep.equal([buyer1.orgId]);
    const view = publicView(listing, buyer1, bj('2026-10-16', '14:00'));
    expect(view.bids.map((b) => [b.alias, b.amount])).to.deep.equal([
      ['竞买人A / Bidder A', '8300000.00'],
      ['竞买人B / Bidder B', '8500000.00'],
      ['竞买人C / Bidder C', null],
    ]);
    expect(view.result).to.include({ winnerAlias: '竞买人B / Bidder B', price: '8500000.00' });
  });

  it('a tie goes to the earlier sealed bid', () => {
    let l = sealedRound();
    l = act(l, buyer2, bj('2026-10-16', '10:05'), { action: 'bid', commitment: commit(buyer2.orgId, '8500000.00', 'b') }).listing;
    l = act(l, buyer1, bj('2026-10-16', '10:06'), { action: 'bid', commitment: commit(buyer1.orgId, '8500000.00', 'a') }).listing;
    const closed = tick(l, bj('2026-10-16', '12:00'), calendar).listing;
    const [first, second] = closed.bidding!.bids;
    const reveals = [
      { bidId: second!.id, amount: '8500000.00', salt: 'a' },
      { bidId: first!.id, amount: '8500000.00', salt: 'b' },
    ];
    const { listing } = awardAndConfirm(closed, bj('2026-10-16', '14:00'), { action: 'award', reveals }, { commitmentHash: sha256 });
    expect(listing.award?.buyerOrgId).to.equal(buyer2.orgId);
  });

  it('with no valid reveal the round fails and the listing has no buyer', () => {
    const closed = tick(threeSealedBids(), bj('2026-10-16', '11:00'), calendar).listing;
    const { listing, events } = act(closed, op1, bj('2026-10-16', '14:00'), { action: 'award', reveals: [] }, { commitmentHash: sha256 });
    expect(listing).to.include({ state: 'closed', branch: 'no_buyer' });
    expect(eventsOf(events, 'auction_failed')[0]).to.include({ reason: 'no_valid_sealed_bid' });
    expect(eventsOf(events, 'deposit_forfeited')).to.have.length(3);
  });
});
