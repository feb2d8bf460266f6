/**
 * Contract signing after a listing's award (domain.md: "not signing forfeits the deposit of the party
 * that did not sign"): both parties sign within the configured working days (default 5) before the
 * operator's review; an unsigned contract fails the transfer at its deadline.
 */
import { expect } from 'chai';
import { nextActor, nextTickAt, type Actor } from '../../server/transfers/domain';
import { USERS, act, attempt, bj, bookTrade, expectRefused, listingAward, ofType, open } from './fixtures';

const T_OPEN = bj('2026-03-02', '10:00'); // Monday: the contract is due Monday 9 March (5 working days)
const sellerUser: Actor = USERS.soeSeller;
const buyerUser: Actor = USERS.buyer;

describe('contract signing after a listing award', () => {
  it('opens with a contract due 5 working days after the award; the review waits for both signatures', () => {
    let t = open(listingAward(), T_OPEN);
    expect(t.contract).to.deep.include({ dueDate: { date: '2026-03-09', provisional: false }, seller: null, buyer: null });
    expect(nextTickAt(t)).to.equal('2026-03-09T16:00:00.000Z');
    expectRefused(attempt(t, { action: 'review' }, USERS.operator1, bj('2026-03-03')), 'INVALID_STATE');
    t = act(t, { action: 'sign' }, sellerUser, bj('2026-03-03')).transfer;
    expectRefused(attempt(t, { action: 'sign' }, sellerUser, bj('2026-03-03')), 'INVALID_STATE');
    expectRefused(attempt(t, { action: 'review' }, USERS.operator1, bj('2026-03-03')), 'INVALID_STATE');
    const signed = act(t, { action: 'sign' }, buyerUser, bj('2026-03-04'));
    expect(ofType(signed.events, 'contract_signed')[0]).to.include({ party: 'buyer', orgId: buyerUser.orgId });
    expect(signed.transfer.contract).to.deep.include({ buyer: { at: bj('2026-03-04'), by: buyerUser.userId } });
    expect(act(signed.transfer, { action: 'review' }, USERS.operator1, bj('2026-03-04')).transfer.state).to.equal('approval_pending');
  });

  it('names the parties who have not signed as next, with the contract deadline, and no operator queue until both signed', () => {
    let t = open(listingAward(), T_OPEN);
    const unsigned = nextActor(t);
    expect(unsigned).to.deep.include({
      step: 'review',
      actions: ['sign'],
      operatorQueue: null,
      deadline: { date: '2026-03-09', provisional: false },
    });
    expect(unsigned.waitingOn.map((w) => [w.role, w.orgIds])).to.deep.equal([
      ['lp', [t.sellerOrgId]],
      ['buyer', [t.buyerOrgId]],
    ]);
    expect(unsigned.why).to.equal('The contract must be signed by the seller and the buyer by 2026-03-09; the operator review follows.');
    t = act(t, { action: 'sign' }, sellerUser, bj('2026-03-03')).transfer;
    expect(nextActor(t).waitingOn.map((w) => w.role)).to.deep.equal(['buyer']);
    t = act(t, { action: 'sign' }, buyerUser, bj('2026-03-04')).transfer;
    expect(nextActor(t)).to.deep.include({ step: 'review', actions: ['review', 'reject'], operatorQueue: 'review' });
  });

  it('only the two parties sign, only a listing award has a contract, and not after its deadline', () => {
    const t = open(listingAward(), T_OPEN);
    for (const who of [USERS.operator1, USERS.gp, USERS.otherBuyer, USERS.admin])
      expectRefused(attempt(t, { action: 'sign' }, who, bj('2026-03-03')), 'FORBIDDEN');
    expectRefused(
      attempt(open(bookTrade({ gpConsentRequired: false }), T_OPEN), { action: 'sign' }, USERS.seller, bj('2026-03-03')),
      'INVALID_STATE',
    );
    expectRefused(attempt(t, { action: 'sign' }, buyerUser, bj('2026-03-10', '00:00')), 'DEADLINE_PASSED');
    expect(act(t, { action: 'sign' }, buyerUser, bj('2026-03-09', '23:59')).transfer.contract?.buyer).to.not.equal(null);
  });

  it(
    'a winner who does not sign forfeits its deposit: the transfer fails at ' +
      '00:00 after the due date, units released, listing reopened',
    () => {
      const t = act(open(listingAward(), T_OPEN), { action: 'sign' }, sellerUser, bj('2026-03-03')).transfer;
      expect(act(t, { action: 'tick' }, null, '2026-03-09T15:59:59.000Z').events).to.deep.equal([]);
      const r = act(t, { action: 'tick' }, null, bj('2026-03-12'));
      expect(r.transfer).to.include({ state: 'failed' });
      expect(r.transfer.outcome).to.include({ at: '2026-03-09T16:00:00.000Z' });
      expect(r.transfer.outcome!.reason).to.match(/not signed by the buyer/);
      expect(r.events.map((e) => e.type)).to.deep.equal([
        'contract_unsigned',
        'state_changed',
        'deposit_forfeited',
        'units_released',
        'listing_reopened',
      ]);
      const forfeit = ofType(r.events, 'deposit_forfeited')[0]!;
      expect(forfeit).to.include({ orgId: buyerUser.orgId, amount: '1000000.00' });
      // To the seller (terms.forfeitTo), out of the deposits account: the postings balance.
      expect(forfeit.postings.map((p) => [p.account, p.amount])).to.deep.equal([
        ['cash:deposits', '-1000000.00'],
        ['cash:org:org-soe', '1000000.00'],
      ]);
    },
  );

  it("a seller who does not sign ends the deal with the buyer's deposit refunded", () => {
    const t = act(open(listingAward(), T_OPEN), { action: 'sign' }, buyerUser, bj('2026-03-03')).transfer;
    const r = act(t, { action: 'tick' }, null, bj('2026-03-10'));
    expect(ofType(r.events, 'contract_unsigned')[0]!.unsignedBy).to.deep.equal(['seller']);
    expect(ofType(r.events, 'deposit_forfeited')).to.deep.equal([]);
    expect(ofType(r.events, 'deposit_refund_due')[0]).to.include({ orgId: buyerUser.orgId, amount: '1000000.00' });
  });

  it("when an LP's right of first refusal takes the whole trade, the replaced buyer no longer has to sign", () => {
    let t = act(open(listingAward({ rofrEnabled: true }), T_OPEN), { action: 'sign' }, sellerUser, bj('2026-03-02', '11:00')).transfer;
    t = act(t, { action: 'rofr_waive' }, USERS.lpA, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_waive' }, USERS.lpB, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_exercise' }, USERS.lpC, bj('2026-03-03')).transfer;
    expect(t.state).to.equal('review_pending');
    expect(act(t, { action: 'review' }, USERS.operator1, bj('2026-03-03')).transfer.state).to.equal('approval_pending');
    expect(act(t, { action: 'tick' }, null, bj('2026-03-10')).transfer.state).to.equal('review_pending');
  });
});
