import { expect } from 'chai';
import { decide, nextTimerAt, tick, type Listing } from '../../server/listings/domain';
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
  openAuction,
  privateInput,
  seller,
  withBuyers,
  awardAndConfirm,
} from './fixtures';

const inDisclosure = (): Listing =>
  withBuyers(approvedOn('2026-09-14', { ...privateInput, disclosureWorkingDays: 20 }), bj('2026-09-15'), [buyer1, buyer2]);

describe('buyers during disclosure', () => {
  it('aliases follow registration order, never randomness', () => {
    let l = approvedOn('2026-09-14');
    for (const b of [buyer3, buyer1, buyer2]) l = act(l, b, bj('2026-09-15'), { action: 'register' }).listing;
    expect(l.buyers.map((b) => [b.orgId, b.alias])).to.deep.equal([
      [buyer3.orgId, '竞买人A / Bidder A'],
      [buyer1.orgId, '竞买人B / Bidder B'],
      [buyer2.orgId, '竞买人C / Bidder C'],
    ]);
  });

  it('refuses a second registration, the seller registering, and qualification by a non-operator', () => {
    const l = inDisclosure();
    expectCode(decide(l, { action: 'register' }, ctx(buyer1, bj('2026-09-16'))), 'ALREADY_REGISTERED');
    expectCode(decide(l, { action: 'register' }, ctx(seller, bj('2026-09-16'))), 'FORBIDDEN');
    expectCode(decide(l, { action: 'qualify', orgId: buyer1.orgId, eligible: true }, ctx(buyer2, bj('2026-09-16'))), 'FORBIDDEN');
  });

  it("takes the server's eligibility decision: a refusal needs a reason code and returns a deposit already paid", () => {
    let l = approvedOn('2026-09-14');
    l = act(l, buyer1, bj('2026-09-15'), { action: 'register' }).listing;
    l = act(l, op1, bj('2026-09-15'), { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }).listing;
    expectCode(decide(l, { action: 'qualify', orgId: buyer1.orgId, eligible: false }, ctx(op1, bj('2026-09-16'))), 'VALIDATION_FAILED');
    const { listing, events } = act(l, op1, bj('2026-09-16'), {
      action: 'qualify',
      orgId: buyer1.orgId,
      eligible: false,
      reasonCode: 'INVESTOR_CAP',
    });
    expect(listing.buyers[0]).to.include({ qualification: 'refused', qualificationCode: 'INVESTOR_CAP' });
    // Sep 17, 18 and the make-up Sunday Sep 20.
    expect(eventsOf(events, 'deposit_refund_due')[0]).to.include({ reason: 'not_qualified', dueDate: '2026-09-20' });
    expectCode(
      decide(listing, { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-2' }, ctx(op1, bj('2026-09-17'))),
      'BUYER_NOT_QUALIFIED',
    );
  });

  it("confirms one deposit per buyer, of the listing's amount, with a bank reference", () => {
    const l = inDisclosure();
    expect(l.buyers[0]?.deposit).to.include({ amount: '800000.00', bankRef: 'BANK-org-b1', confirmedByUserId: op2.userId });
    expectCode(
      decide(l, { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'X' }, ctx(op1, bj('2026-09-16'))),
      'DEPOSIT_ALREADY_CONFIRMED',
    );
    let fresh = act(approvedOn('2026-09-14'), buyer3, bj('2026-09-15'), { action: 'register' }).listing;
    expectCode(
      decide(fresh, { action: 'confirm_deposit', orgId: buyer3.orgId, bankRef: 'X', amount: '1.00' }, ctx(op1, bj('2026-09-16'))),
      'DEPOSIT_AMOUNT_MISMATCH',
    );
    expectCode(
      decide(fresh, { action: 'confirm_deposit', orgId: buyer2.orgId, bankRef: 'X' }, ctx(op1, bj('2026-09-16'))),
      'NOT_REGISTERED',
    );
    fresh = act(fresh, op2, bj('2026-09-16'), { action: 'confirm_deposit', orgId: buyer3.orgId, bankRef: 'X' }).listing;
    expect(fresh.buyers[0]?.deposit?.outcome).to.equal(null);
  });

  it('four eyes on the deposit: the operator who qualified the buyer does not confirm its deposit, nor the reverse', () => {
    let l = act(approvedOn('2026-09-14'), buyer1, bj('2026-09-15'), { action: 'register' }).listing;
    l = act(l, op1, bj('2026-09-15'), { action: 'qualify', orgId: buyer1.orgId, eligible: true }).listing;
    expectCode(decide(l, { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }, ctx(op1, bj('2026-09-16'))), 'FOUR_EYES');
    expect(l.buyers[0]?.deposit).to.equal(null);
    expect(
      act(l, op2, bj('2026-09-16'), { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }).listing.buyers[0]?.deposit,
    ).to.include({ confirmedByUserId: op2.userId });
    let paidFirst = act(approvedOn('2026-09-14'), buyer2, bj('2026-09-15'), { action: 'register' }).listing;
    paidFirst = act(paidFirst, op2, bj('2026-09-15'), { action: 'confirm_deposit', orgId: buyer2.orgId, bankRef: 'B-2' }).listing;
    expectCode(decide(paidFirst, { action: 'qualify', orgId: buyer2.orgId, eligible: true }, ctx(op2, bj('2026-09-16'))), 'FOUR_EYES');
    expect(act(paidFirst, op1, bj('2026-09-16'), { action: 'qualify', orgId: buyer2.orgId, eligible: true }).listing.buyers[0]).to.include({
      qualification: 'qualified',
      qualifiedByUserId: op1.userId,
    });
  });
});

describe('withdrawal and forfeiture', () => {
  it('the seller withdrawing during disclosure refunds every deposit within 3 working days', () => {
    const { listing, events } = act(inDisclosure(), seller, bj('2026-09-18'), { action: 'withdraw' });
    expect(listing.state).to.equal('withdrawn');
    // Sep 20 (make-up Sunday), 21, 22.
    expect(eventsOf(events, 'deposit_refund_due').map((e) => [e.orgId, e.reason, e.dueDate])).to.deep.equal([
      [buyer1.orgId, 'listing_withdrawn', '2026-09-22'],
      [buyer2.orgId, 'listing_withdrawn', '2026-09-22'],
    ]);
    expect(nextTimerAt(listing)).to.equal(null);
  });

  it('a buyer withdrawing with a confirmed deposit forfeits it', () => {
    const { listing, events } = act(inDisclosure(), buyer2, bj('2026-09-18'), { action: 'withdraw' });
    expect(listing.buyers[1]?.withdrawnAt).to.equal(bj('2026-09-18'));
    expect(eventsOf(events, 'deposit_forfeited')[0]).to.include({ orgId: buyer2.orgId, amount: '800000.00', reason: 'withdrew' });
  });

  it('a buyer withdrawing after the close turns a two-buyer auction into a negotiation', () => {
    const closed = tick(inDisclosure(), bj('2026-10-16', '08:00'), calendar).listing;
    expect(closed.branch).to.equal('auction');
    const { listing } = act(closed, buyer2, bj('2026-10-16', '09:00'), { action: 'withdraw' });
    expect(listing).to.include({ state: 'closed', branch: 'negotiation', bidding: null });
  });

  it('nobody withdraws once bidding has opened', () => {
    const l = openAuction();
    expectCode(decide(l, { action: 'withdraw' }, ctx(seller, bj('2026-10-16', '10:30'))), 'INVALID_STATE');
    expectCode(decide(l, { action: 'withdraw' }, ctx(buyer1, bj('2026-10-16', '10:30'))), 'INVALID_STATE');
  });

  it('a defaulting winner reopens the listing without a buyer; its applied deposit is left to the transfer', () => {
    let l = act(openAuction(), buyer1, bj('2026-10-16', '10:30'), { action: 'bid', amount: '8000000.00' }).listing;
    l = tick(l, bj('2026-10-16', '12:00'), calendar).listing;
    l = awardAndConfirm(l, bj('2026-10-16', '14:00')).listing;
    const { listing, events } = act(l, op1, bj('2026-10-23'), { action: 'record_default', reason: 'not_signed' });
    expect(listing).to.include({ state: 'closed', branch: 'no_buyer' });
    expect(listing.award).to.include({ defaultReason: 'not_signed' });
    expect(eventsOf(events, 'winner_defaulted')[0]).to.include({ orgId: buyer1.orgId, reason: 'not_signed' });
    // The deposit was applied to the price: the transfer holds it and decides forfeit or refund.
    expect(eventsOf(events, 'deposit_forfeited')).to.deep.equal([]);
    expect(eventsOf(events, 'deposit_refund_due')).to.deep.equal([]);
    expect(listing.buyers.find((b) => b.orgId === buyer1.orgId)?.deposit).to.include({ outcome: 'applied' });
    expect(act(listing, seller, bj('2026-10-23'), { action: 'extend' }).listing.state).to.equal('disclosure');
  });
});

describe('suspension', () => {
  it('gives disclosure back the working days it was suspended', () => {
    let l = act(inDisclosure(), op1, bj('2026-09-21'), { action: 'suspend', reason: 'complaint under review' }).listing;
    // Every step's timer stops; only the suspension's own limit (one calendar month) runs.
    expect(nextTimerAt(l)).to.equal(bj('2026-10-21'));
    expectCode(decide(l, { action: 'register' }, ctx(buyer3, bj('2026-09-22'))), 'INVALID_STATE');
    l = act(l, op2, bj('2026-09-23'), { action: 'resume' }).listing;
    // Sep 22 and 23 were lost: 2026-10-15 + 2 working days = 2026-10-19.
    expect(l).to.include({ state: 'disclosure' });
    expect(l.disclosure).to.include({ endDate: '2026-10-19' });
  });

  it('gives a bidding round back the time it was suspended', () => {
    let l = act(openAuction(), buyer1, bj('2026-10-16', '11:03'), { action: 'bid', amount: '8000000.00' }).listing;
    expect(l.bidding?.closesAt).to.equal(bj('2026-10-16', '11:08'));
    l = act(l, op1, bj('2026-10-16', '11:05'), { action: 'suspend', reason: 'system check' }).listing;
    l = tick(l, bj('2026-10-16', '11:30'), calendar).listing;
    expect(l.state).to.equal('suspended');
    l = act(l, op1, bj('2026-10-16', '11:35'), { action: 'resume' }).listing;
    expect(l.bidding?.closesAt).to.equal(bj('2026-10-16', '11:38'));
  });
});
