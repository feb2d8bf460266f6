import { expect } from 'chai';
import { decide, tick, type Listing } from '../../server/listings/domain';
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
  op1,
  op2,
  privateInput,
  withBuyers,
} from './fixtures';

/** Approved 2026-09-14 for 20 working days; buyer1 in, buyer2 only registered; closed 2026-10-16. */
function oneBuyer(): Listing {
  let l = approvedOn('2026-09-14', { ...privateInput, disclosureWorkingDays: 20 });
  l = withBuyers(l, bj('2026-09-15'), [buyer1, buyer2], [buyer1]);
  return tick(l, bj('2026-10-16', '09:00'), calendar).listing;
}

describe('one qualified buyer: negotiated transfer (协议转让)', () => {
  it('goes to the negotiation branch with no bidding', () => {
    const l = oneBuyer();
    expect(l).to.include({ state: 'closed', branch: 'negotiation', bidding: null });
    expectCode(decide(l, { action: 'bid', amount: '8000000.00' }, ctx(buyer1, bj('2026-10-16', '10:00'))), 'INVALID_STATE');
  });

  it('refuses a price below the ask', () => {
    expectCode(decide(oneBuyer(), { action: 'award', amount: '7999999.99' }, ctx(op1, bj('2026-10-16'))), 'PRICE_BELOW_ASK');
  });

  it('awards at the ask by default: the trade values the transfer workflow takes over', () => {
    const { listing, events } = awardAndConfirm(oneBuyer(), bj('2026-10-16', '15:00'));
    expect(listing.state).to.equal('awarded');
    expect(eventsOf(events, 'listing_awarded')[0]).to.deep.include({
      trade: {
        listingId: 'L-1',
        fundId: 'fund-1',
        sellerOrgId: 'org-lp',
        buyerOrgId: buyer1.orgId,
        quantity: '10000000',
        price: '8000000.00',
        pricingMethod: 'negotiated',
        depositApplied: '800000.00',
        bidId: null,
        awardedAt: bj('2026-10-16', '15:00'),
        awardedByUserId: op1.userId,
        confirmedByUserId: 'u-op2',
        publicationStartDate: '2026-10-16',
        publicationEndDate: '2026-10-23',
        publicationProvisional: false,
      },
    });
    expect(eventsOf(events, 'deposit_applied')[0]).to.include({ orgId: buyer1.orgId, amount: '800000.00' });
  });

  it('awards above the ask when the parties agree a higher price', () => {
    expect(awardAndConfirm(oneBuyer(), bj('2026-10-16'), { action: 'award', amount: '8200000' }).listing.award?.price).to.equal(
      '8200000.00',
    );
  });

  it('rechecks the winner at the award and at its confirmation: WINNER_NOT_ELIGIBLE with the rule, nothing changes', () => {
    const l = oneBuyer();
    const lapsed = (orgId: string) => (orgId === buyer1.orgId ? 'BUYER_NOT_QUALIFIED' : null);
    const refused = decide(l, { action: 'award' }, ctx(op1, bj('2026-10-16', '15:00'), { eligibilityOf: lapsed }));
    expectCode(refused, 'WINNER_NOT_ELIGIBLE');
    expect(!refused.ok && refused.params).to.deep.equal({ reason: 'BUYER_NOT_QUALIFIED', alias: '竞买人A / Bidder A' });
    // Eligible at the award, the investor cap filled before the confirmation: the award still waits, its deposit held.
    const proposed = act(l, op1, bj('2026-10-16', '15:00'), { action: 'award' }, { eligibilityOf: () => null }).listing;
    const capped = decide(
      proposed,
      { action: 'confirm_award' },
      ctx(op2, bj('2026-10-19'), { eligibilityOf: () => 'INVESTOR_CAP_REACHED' }),
    );
    expectCode(capped, 'WINNER_NOT_ELIGIBLE');
    expect(!capped.ok && capped.params?.reason).to.equal('INVESTOR_CAP_REACHED');
    expect(proposed).to.include({ state: 'award_pending' });
    expect(proposed.buyers[0]?.deposit?.outcome).to.equal(null);
    // Once the buyer is eligible again, the second operator confirms.
    const done = act(proposed, op2, bj('2026-10-20'), { action: 'confirm_award' }, { eligibilityOf: () => null }).listing;
    expect(done.state).to.equal('awarded');
  });

  it('only an operator awards', () => {
    expectCode(decide(oneBuyer(), { action: 'award' }, ctx(buyer1, bj('2026-10-16'))), 'FORBIDDEN');
  });

  it('the single buyer withdrawing forfeits its deposit and leaves the listing without a buyer', () => {
    const { listing, events } = act(oneBuyer(), buyer1, bj('2026-10-16'), { action: 'withdraw' });
    expect(listing).to.include({ state: 'closed', branch: 'no_buyer' });
    expect(eventsOf(events, 'deposit_forfeited')[0]).to.include({ orgId: buyer1.orgId, reason: 'withdrew', amount: '800000.00' });
  });
});
