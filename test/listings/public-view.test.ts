import { expect } from 'chai';
import { publicView } from '../../server/listings/domain';
import { act, approvedOn, bj, buyer1, buyer2, buyer3, calendar, openAuction, op1, stateOwnedInput, withBuyers } from './fixtures';

describe('the public view of a listing (GET /api/listings/:listingId)', () => {
  it('shows the contract fields with Beijing dates, ISO times and the implied percent of NAV', () => {
    const l = withBuyers(approvedOn('2026-09-14', stateOwnedInput), bj('2026-09-15'), [buyer1, buyer2], [buyer1]);
    const view = publicView(l, buyer3, bj('2026-09-16'), { navOfQuantity: '12500000.00' });
    expect(view).to.include({
      id: 'L-1',
      fundId: 'fund-1',
      state: 'disclosure',
      quantity: '10000000',
      askPrice: '10000000.00',
      method: 'auction',
      disclosureStartDate: '2026-09-14',
      disclosureEndDate: '2026-10-15',
      registeredBidders: 2,
      currentPrice: null,
      closesAt: null,
      impliedPctOfNav: '80.00',
      stateOwned: true,
      appraisalValue: '10000000.00',
      increment: '100000.00',
      you: null,
    });
    expect(view.registrationClosesAt).to.equal('2026-10-15T16:00:00.000Z');
  });

  it('shows bidders only by alias: no organisation id of anyone, to buyers and operators alike', () => {
    let l = act(openAuction(), buyer1, bj('2026-10-16', '10:05'), { action: 'bid', amount: '8000000.00' }).listing;
    l = act(l, buyer2, bj('2026-10-16', '10:06'), { action: 'bid', amount: '8100000.00' }).listing;
    for (const viewer of [buyer2, buyer3, op1]) {
      const view = publicView(l, viewer, bj('2026-10-16', '10:07'), { navOfQuantity: '9000000.00' });
      const text = JSON.stringify(view);
      for (const org of [buyer1.orgId, buyer2.orgId]) expect(text).not.to.contain(org);
      expect(view.bids).to.deep.equal([
        { alias: '竞买人A / Bidder A', amount: '8000000.00', at: '2026-10-16T02:05:00.000Z' },
        { alias: '竞买人B / Bidder B', amount: '8100000.00', at: '2026-10-16T02:06:00.000Z' },
      ]);
      expect(view).to.include({
        currentPrice: '8100000.00',
        bidderCount: 2,
        impliedPctOfNav: '90.00',
        closesAt: '2026-10-16T03:05:00.000Z',
        phase: 'free',
      });
      expect(view.bidderAliases).to.deep.equal(['竞买人A / Bidder A', '竞买人B / Bidder B']);
    }
    expect(publicView(l, buyer2, bj('2026-10-16', '10:07')).you).to.include({
      alias: '竞买人B / Bidder B',
      isLeading: true,
      deposit: 'held',
    });
  });

  it('with the calendar, shows the listing as of now even before the scheduler ticked', () => {
    const l = act(openAuction(), buyer1, bj('2026-10-16', '10:05'), { action: 'bid', amount: '8000000.00' }).listing;
    const view = publicView(l, buyer3, bj('2026-10-16', '12:00'), { calendar });
    expect(view).to.include({ state: 'bidding_closed', phase: 'closed', closesAt: null, currentPrice: '8000000.00' });
  });
});
