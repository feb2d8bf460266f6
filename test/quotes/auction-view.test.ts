import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { sealedBidPreimage } from '../../server/listings/domain';
import { neutralListingView } from '../../server/quotes/channel-data';
import {
  act,
  approvedOn,
  bj,
  buyer1,
  buyer2,
  buyer3,
  calendar,
  fireNextTimer,
  openAuction,
  privateInput,
  withBuyers,
} from '../listings/fixtures';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const commit = (orgId: string, amount: string, salt: string) => sha256(sealedBidPreimage('L-1', orgId, amount, salt));

describe('the auction:<listingId> channel view', () => {
  it('carries no sealed amount and no bidder organisation before the close', () => {
    let l = approvedOn('2026-09-14', { ...privateInput, method: 'sealed', disclosureWorkingDays: 20 });
    l = withBuyers(l, bj('2026-09-15'), [buyer1, buyer2, buyer3]);
    l = fireNextTimer(fireNextTimer(l).listing).listing;
    l = act(l, buyer1, bj('2026-10-16', '10:10'), {
      action: 'bid',
      commitment: commit(buyer1.orgId, '8300000.00', 's1'),
      amount: '8300000.00',
    }).listing;
    l = act(l, buyer2, bj('2026-10-16', '10:20'), { action: 'bid', commitment: commit(buyer2.orgId, '8500000.00', 's2') }).listing;
    const view = neutralListingView(l, bj('2026-10-16', '10:30'), { calendar });
    const text = JSON.stringify(view);
    for (const secret of ['8300000', '8500000', buyer1.orgId, buyer2.orgId, buyer3.orgId, 'org-lp']) expect(text).not.to.contain(secret);
    expect(view.sealedBidsReceived).to.equal(2);
    expect(view.bids).to.deep.equal([]);
    expect(view).not.to.have.any.keys('you', 'closesInMs');
  });

  it('shows open-auction bids by alias only', () => {
    let l = openAuction();
    l = act(l, buyer1, bj('2026-10-16', '10:05'), { action: 'bid', amount: '8100000.00' }).listing;
    const view = neutralListingView(l, bj('2026-10-16', '10:06'), { calendar });
    expect(view.bids).to.have.length(1);
    expect(view.bids[0]).to.have.all.keys('alias', 'amount', 'at');
    expect(JSON.stringify(view)).not.to.contain(buyer1.orgId);
  });
});
