/**
 * The state-owned qualification handshake (domain.md, practice at CBEX; api.md "Scope of the state-owned
 * time limits"), on the pure core. Every listing here is approved 2026-09-14: disclosure ends 2026-10-15,
 * the opinion deadline is 5 working days later (2026-10-22), opinions given during disclosure are answered
 * by 2026-10-22 too, and deposits close 5 + 3 working days after the opinion deadline (2026-11-03).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { OFFICIAL_SCHEDULES, WorkingDayCalendar } from '../../shared/calendar';
import {
  decide,
  depositNotBy,
  nextTimerAt,
  publicView,
  recomputeProvisionalDates,
  tick,
  type Actor,
  type Listing,
  type ListingCommand,
} from '../../server/listings/domain';
import { hasHandshake } from '../../server/listings/domain/handshake';
import { rulesOf } from '../../server/listings/domain/rules';
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
  op2,
  op3,
  privateInput,
  rulesBeforeHandshake,
  seller,
  stateOwnedInput,
  withBuyers,
} from './fixtures';

const deposit = (l: Listing, b: Actor, at: number) =>
  act(l, op2, at, { action: 'confirm_deposit', orgId: b.orgId, bankRef: `B-${b.orgId}` });
const buyerOf = (l: Listing, b: Actor) => l.buyers.find((x) => x.orgId === b.orgId)!;

/** Registered and given the exchange's positive opinion (op1) during disclosure; the transferor has not answered. */
function withOpinions(buyers: Actor[], id = 'L-1'): Listing {
  let l = approvedOn('2026-09-14', stateOwnedInput, id);
  for (const b of buyers) {
    l = act(l, b, bj('2026-09-15'), { action: 'register' }).listing;
    l = act(l, op1, bj('2026-09-16'), { action: 'qualify', orgId: b.orgId, eligible: true }).listing;
  }
  return l;
}

/** Past the disclosure end: the qualification phase. */
const inPhase = (buyers: Actor[]): Listing => tick(withOpinions(buyers), bj('2026-10-16', '08:00'), calendar).listing;

describe('the state-owned qualification handshake', () => {
  it('is a rule copied into each new listing; a listing stored before it lacks it and keeps the old flow', () => {
    const l = approvedOn('2026-09-14', stateOwnedInput);
    expect(l.rules.stateOwnedQualificationHandshake).to.equal(true);
    expect(hasHandshake(l)).to.equal(true);
    expect(hasHandshake(approvedOn('2026-09-14', privateInput))).to.equal(false);
    const { stateOwnedQualificationHandshake: _absent, ...stored } = l.rules;
    expect(rulesOf(stored as typeof l.rules).stateOwnedQualificationHandshake).to.equal(false);
    // The old flow: a deposit before anybody answered, and the branch at disclosure end.
    let old = approvedOn('2026-09-14', stateOwnedInput, 'L-OLD', rulesBeforeHandshake);
    old = act(old, buyer1, bj('2026-09-15'), { action: 'register' }).listing;
    old = act(old, op1, bj('2026-09-15'), { action: 'qualify', orgId: buyer1.orgId, eligible: true }).listing;
    old = deposit(old, buyer1, bj('2026-09-15')).listing;
    expect(tick(old, bj('2026-10-16', '08:00'), calendar).listing).to.include({ state: 'closed', branch: 'negotiation' });
  });

  it('after disclosure the listing enters the qualification phase with its opinion and deposit deadlines', () => {
    const { listing, events } = tick(withOpinions([buyer1]), bj('2026-10-16', '08:00'), calendar);
    expect(listing.state).to.equal('qualification');
    expect(listing.qualificationPhase).to.include({ opinionDeadline: '2026-10-22', depositDeadline: '2026-11-03' });
    expect(buyerOf(listing, buyer1)).to.deep.include({ qualification: 'pending' });
    expect(buyerOf(listing, buyer1).handshake).to.include({ answer: null, answerDueDate: '2026-10-22' });
    expect(eventsOf(events, 'qualification_started')[0]).to.include({ endDate: '2026-10-15', depositDeadline: '2026-11-03' });
    expect(eventsOf(events, 'disclosure_closed')).to.have.length(0);
    // Registration is closed; the answer deadline is the next timer.
    expectCode(decide(listing, { action: 'register' }, ctx(buyer2, bj('2026-10-16'))), 'INVALID_STATE');
    expect(nextTimerAt(listing)).to.equal(bj('2026-10-23', '00:00'));
  });

  it("lists the transferor's pending answers with their due dates for the seller and operators, soonest first", () => {
    // Bidder A (buyer1) registers first but has its opinion only in the phase (answer due 2026-10-27); B and C have
    // theirs during disclosure (due 2026-10-22), and the transferor answers C.
    let l = act(approvedOn('2026-09-14', stateOwnedInput), buyer1, bj('2026-09-15'), { action: 'register' }).listing;
    for (const b of [buyer2, buyer3]) {
      l = act(l, b, bj('2026-09-15'), { action: 'register' }).listing;
      l = act(l, op1, bj('2026-09-16'), { action: 'qualify', orgId: b.orgId, eligible: true }).listing;
    }
    l = tick(l, bj('2026-10-16', '08:00'), calendar).listing;
    l = act(l, op1, bj('2026-10-20'), { action: 'qualify', orgId: buyer1.orgId, eligible: true }).listing;
    l = act(l, seller, bj('2026-10-20'), { action: 'seller_answer', orgId: buyer3.orgId, answer: 'agree' }).listing;
    expect(publicView(l, seller, bj('2026-10-20')).sellerAnswersDue).to.deep.equal([
      { alias: '竞买人B / Bidder B', answerDueDate: '2026-10-22', provisional: false },
      { alias: '竞买人A / Bidder A', answerDueDate: '2026-10-27', provisional: false },
    ]);
    expect(publicView(l, op2, bj('2026-10-20')).sellerAnswersDue).to.have.length(2);
    expect(publicView(l, buyer2, bj('2026-10-20')).sellerAnswersDue).to.equal(null);
    // buyer2's silence is agreement at 00:00 after its due date: only buyer1's answer is left.
    expect(publicView(l, seller, bj('2026-10-23', '08:00'), { calendar }).sellerAnswersDue).to.deep.equal([
      { alias: '竞买人A / Bidder A', answerDueDate: '2026-10-27', provisional: false },
    ]);
  });

  it('refuses a deposit before the transferor answers, with SELLER_ANSWER_PENDING, and changes nothing', () => {
    const l = withOpinions([buyer1]);
    const r = decide(l, { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }, ctx(op2, bj('2026-09-17')));
    expectCode(r, 'SELLER_ANSWER_PENDING');
    expect(!r.ok && r.params).to.deep.equal({ reason: 'answer_pending', answerDueDate: '2026-10-22' });
    expect(buyerOf(l, buyer1).deposit).to.equal(null);
    // Without an opinion the buyer is simply not qualified yet.
    let fresh = act(approvedOn('2026-09-14', stateOwnedInput), buyer2, bj('2026-09-15'), { action: 'register' }).listing;
    expectCode(
      decide(fresh, { action: 'confirm_deposit', orgId: buyer2.orgId, bankRef: 'B' }, ctx(op2, bj('2026-09-16'))),
      'BUYER_NOT_QUALIFIED',
    );
    fresh = act(fresh, op1, bj('2026-09-16'), { action: 'qualify', orgId: buyer2.orgId, eligible: true }).listing;
    fresh = act(fresh, seller, bj('2026-09-17'), { action: 'seller_answer', orgId: buyer2.orgId, answer: 'agree' }).listing;
    // Agreed: settled, and the four-eyes rule on the deposit still holds.
    expectCode(decide(fresh, { action: 'confirm_deposit', orgId: buyer2.orgId, bankRef: 'B' }, ctx(op1, bj('2026-09-17'))), 'FOUR_EYES');
    expect(deposit(fresh, buyer2, bj('2026-09-17')).listing.buyers[0]?.deposit).to.include({ amount: '3000000.00' });
  });

  it('silence counts as agreement at the answer deadline; the deposit then accepted, the branch decided at the deposit deadline', () => {
    let l = inPhase([buyer1, buyer2]);
    expectCode(
      decide(l, { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }, ctx(op2, bj('2026-10-22', '17:00'))),
      'SELLER_ANSWER_PENDING',
    );
    const deemed = fireNextTimer(l);
    expect(eventsOf(deemed.events, 'seller_answer_deemed').map((e) => [e.alias, e.at, e.dueDate])).to.deep.equal([
      ['竞买人A / Bidder A', bj('2026-10-23', '00:00'), '2026-10-22'],
      ['竞买人B / Bidder B', bj('2026-10-23', '00:00'), '2026-10-22'],
    ]);
    l = deemed.listing;
    expect(l.buyers.map((b) => [b.qualification, b.handshake?.answer])).to.deep.equal([
      ['qualified', 'deemed'],
      ['qualified', 'deemed'],
    ]);
    expect(
      decide(l, { action: 'seller_answer', orgId: buyer1.orgId, answer: 'object', reason: 'late' }, ctx(seller, bj('2026-10-23'))),
    ).to.include({
      ok: false,
      code: 'INVALID_STATE',
    });
    l = deposit(l, buyer1, bj('2026-10-26')).listing;
    expect(l.state).to.equal('qualification'); // buyer2 may still pay until the deposit deadline
    expect(nextTimerAt(l)).to.equal(bj('2026-11-04', '00:00'));
    const closed = fireNextTimer(l);
    expect(closed.listing).to.include({ state: 'closed', branch: 'negotiation' });
    expect(eventsOf(closed.events, 'qualification_closed')[0]).to.include({ qualifiedBuyers: 1, branch: 'negotiation', early: false });
    expectCode(
      decide(closed.listing, { action: 'confirm_deposit', orgId: buyer2.orgId, bankRef: 'B-2' }, ctx(op2, bj('2026-11-04'))),
      'INVALID_STATE',
    );
  });

  it('decides auction at the deposit deadline from the settled buyers with deposits; bidding opens 10:00 the next working day', () => {
    let l = inPhase([buyer1, buyer2, buyer3]);
    l = act(l, seller, bj('2026-10-16'), { action: 'seller_answer', orgId: buyer1.orgId, answer: 'agree' }).listing;
    l = fireNextTimer(l).listing; // buyer2 and buyer3 deemed at 00:00 2026-10-23
    l = deposit(l, buyer1, bj('2026-10-26')).listing;
    l = deposit(l, buyer2, bj('2026-11-03', '16:00')).listing;
    const { listing } = fireNextTimer(l);
    expect(listing).to.include({ state: 'closed', branch: 'auction' });
    expect(listing.bidding).to.include({ opensAt: bj('2026-11-04', '10:00'), phase: 'scheduled' });
    expect(fireNextTimer(listing).listing.state).to.equal('bidding');
  });

  it('a registrant without an opinion by the opinion deadline is not qualified (NO_QUALIFICATION_OPINION); none left: no buyer', () => {
    let l = approvedOn('2026-09-14', stateOwnedInput);
    l = act(l, buyer1, bj('2026-09-15'), { action: 'register' }).listing;
    l = fireNextTimer(l).listing;
    expect(l.state).to.equal('qualification');
    // An opinion in the phase: the answer window counts from it.
    const late = act(l, op1, bj('2026-10-20'), { action: 'qualify', orgId: buyer1.orgId, eligible: true }).listing;
    expect(buyerOf(late, buyer1).handshake?.answerDueDate).to.equal('2026-10-27');
    const { listing, events } = fireNextTimer(l);
    expect(buyerOf(listing, buyer1)).to.include({ qualification: 'refused', qualificationCode: 'NO_QUALIFICATION_OPINION' });
    // Nothing left to settle: the phase closes at once, without a buyer.
    expect(listing).to.include({ state: 'closed', branch: 'no_buyer' });
    expect(eventsOf(events, 'qualification_closed')[0]).to.include({ at: bj('2026-10-23', '00:00'), early: true });
    expectCode(decide(l, { action: 'qualify', orgId: buyer1.orgId, eligible: true }, ctx(op1, bj('2026-10-23'))), 'INVALID_STATE');
  });

  describe('an objection goes to the state-asset regulator and two operators settle it', () => {
    const objected = (): Listing =>
      act(inPhase([buyer1, buyer2]), seller, bj('2026-10-19'), {
        action: 'seller_answer',
        orgId: buyer1.orgId,
        answer: 'object',
        reason: 'The buyer is a related party of the transferor',
      }).listing;

    it('records the objection with its reason (a reason is required) and holds the deposit deadline while it is open', () => {
      expectCode(
        decide(inPhase([buyer1]), { action: 'seller_answer', orgId: buyer1.orgId, answer: 'object' }, ctx(seller, bj('2026-10-19'))),
        'VALIDATION_FAILED',
      );
      expectCode(
        decide(
          inPhase([buyer1]),
          { action: 'seller_answer', orgId: buyer1.orgId, answer: 'object', reason: 'a\u202eb' },
          ctx(seller, bj('2026-10-19')),
        ),
        'VALIDATION_FAILED',
      );
      const l = objected();
      expect(buyerOf(l, buyer1).handshake).to.include({
        answer: 'object',
        objectionReason: 'The buyer is a related party of the transferor',
      });
      const r = decide(l, { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }, ctx(op2, bj('2026-10-20')));
      expectCode(r, 'SELLER_ANSWER_PENDING');
      expect(!r.ok && r.params?.reason).to.equal('objection_open');
      // buyer2's silence is still deemed, but the deposit deadline no longer runs.
      const later = tick(l, bj('2026-12-01'), calendar).listing;
      expect(later.state).to.equal('qualification');
      expect(buyerOf(later, buyer2).handshake?.answer).to.equal('deemed');
    });

    it('the operator who recorded the decision may not confirm it (FOUR_EYES); upheld, the buyer is refused and holds no deposit', () => {
      let l = objected();
      expectCode(decide(l, { action: 'confirm_resolution', orgId: buyer1.orgId }, ctx(op2, bj('2026-10-20'))), 'INVALID_STATE');
      const resolve = { action: 'resolve_objection', orgId: buyer1.orgId, outcome: 'uphold', regulatorRef: 'SASAC-BJ-2026-301' } as const;
      // op1 gave the opinion: it may confirm the decision at most, not record it (else two operators could not take the deposit).
      const byQualifier = decide(l, resolve, ctx(op1, bj('2026-10-20')));
      expectCode(byQualifier, 'FOUR_EYES');
      expect(!byQualifier.ok && byQualifier.params?.reason).to.equal('record_by_qualifier');
      l = act(l, op2, bj('2026-10-20'), resolve).listing;
      const same = decide(l, { action: 'confirm_resolution', orgId: buyer1.orgId }, ctx(op2, bj('2026-10-20')));
      expectCode(same, 'FOUR_EYES');
      expect(!same.ok && same.params?.reason).to.equal('resolution_after_record');
      const { listing, events } = act(l, op1, bj('2026-10-21'), { action: 'confirm_resolution', orgId: buyer1.orgId });
      expect(buyerOf(listing, buyer1)).to.include({ qualification: 'refused', qualificationCode: 'TRANSFEROR_OBJECTION', deposit: null });
      expect(buyerOf(listing, buyer1).handshake?.resolution).to.include({ outcome: 'uphold', confirmedByUserId: op1.userId });
      expect(eventsOf(events, 'objection_resolved')[0]).to.include({ outcome: 'uphold', regulatorRef: 'SASAC-BJ-2026-301' });
      expectCode(
        decide(listing, { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }, ctx(op2, bj('2026-10-22'))),
        'BUYER_NOT_QUALIFIED',
      );
    });

    it("the operator who confirmed a dismissal may not confirm the buyer's deposit (FOUR_EYES); the recorder may", () => {
      // op1 gave the opinion, op3 records the decision, op2 confirms it: neither op1 nor op2 may take the deposit; op3 may.
      let l = act(objected(), op3, bj('2026-10-20'), {
        action: 'resolve_objection',
        orgId: buyer1.orgId,
        outcome: 'dismiss',
        regulatorRef: 'SASAC-R-7',
      }).listing;
      l = act(l, op2, bj('2026-10-20'), { action: 'confirm_resolution', orgId: buyer1.orgId }).listing;
      const byConfirmer = decide(l, { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }, ctx(op2, bj('2026-10-21')));
      expectCode(byConfirmer, 'FOUR_EYES');
      expect(!byConfirmer.ok && byConfirmer.params).to.deep.equal({ reason: 'deposit_after_resolution' });
      expectCode(decide(l, { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }, ctx(op1, bj('2026-10-21'))), 'FOUR_EYES');
      expect(buyerOf(l, buyer1).deposit).to.equal(null);
      expect(depositNotBy(buyerOf(l, buyer1))).to.deep.equal([op1.userId, op2.userId]);
      expect(
        act(l, op3, bj('2026-10-21'), { action: 'confirm_deposit', orgId: buyer1.orgId, bankRef: 'B-1' }).listing.buyers[0]?.deposit,
      ).to.include({ confirmedByUserId: op3.userId });

      // With two operators: op2 records, op1 (who gave the opinion) confirms, and op2 takes the deposit.
      let two = act(objected(), op2, bj('2026-10-20'), {
        action: 'resolve_objection',
        orgId: buyer1.orgId,
        outcome: 'dismiss',
        regulatorRef: 'SASAC-R-8',
      }).listing;
      two = act(two, op1, bj('2026-10-20'), { action: 'confirm_resolution', orgId: buyer1.orgId }).listing;
      expect(deposit(two, buyer1, bj('2026-10-21')).listing.buyers[0]?.deposit).to.include({ confirmedByUserId: op2.userId });
    });

    it('dismissed, the buyer is qualified; a late resolution leaves at least 3 working days for the deposit', () => {
      let l = objected();
      // Past the nominal deposit deadline (2026-11-03): held by the open objection.
      l = act(l, op2, bj('2026-11-05'), {
        action: 'resolve_objection',
        orgId: buyer1.orgId,
        outcome: 'dismiss',
        regulatorRef: 'SASAC-R-9',
      }).listing;
      l = act(l, op1, bj('2026-11-05'), { action: 'confirm_resolution', orgId: buyer1.orgId }).listing;
      expect(buyerOf(l, buyer1).qualification).to.equal('qualified');
      expect(l.qualificationPhase?.depositDeadline).to.equal('2026-11-10');
      l = deposit(l, buyer1, bj('2026-11-10', '15:00')).listing;
      const closed = fireNextTimer(l).listing;
      expect(closed).to.include({ state: 'closed', branch: 'negotiation' });
    });
  });

  describe('closes early once nothing can change any more', () => {
    it('at disclosure end when every registrant was settled with its deposit during disclosure (the old timing)', () => {
      const l = withBuyers(approvedOn('2026-09-14', stateOwnedInput), bj('2026-09-15'), [buyer1, buyer2]);
      const { listing, events } = fireNextTimer(l);
      expect(listing).to.include({ state: 'closed', branch: 'auction' });
      expect(listing.bidding?.opensAt).to.equal(bj('2026-10-16', '10:00'));
      expect(eventsOf(events, 'qualification_started')).to.have.length(0);
    });

    it('in the phase, the last deposit closes it at once; bidding opens 10:00 the next working day', () => {
      let l = inPhase([buyer1, buyer2]);
      for (const b of [buyer1, buyer2])
        l = act(l, seller, bj('2026-10-19'), { action: 'seller_answer', orgId: b.orgId, answer: 'agree' }).listing;
      l = deposit(l, buyer1, bj('2026-10-20', '10:00')).listing;
      expect(l.state).to.equal('qualification');
      const { listing, events } = deposit(l, buyer2, bj('2026-10-20', '11:00'));
      expect(listing).to.include({ state: 'closed', branch: 'auction' });
      expect(listing.bidding?.opensAt).to.equal(bj('2026-10-21', '10:00'));
      expect(eventsOf(events, 'qualification_closed')[0]).to.include({ early: true, qualifiedBuyers: 2 });
    });
  });

  it('suspension during the handshake stops its timers; resumption gives back the working days lost', () => {
    let l = inPhase([buyer1]);
    l = act(l, op1, bj('2026-10-19'), { action: 'suspend', reason: 'complaint' }).listing;
    expectCode(
      decide(l, { action: 'seller_answer', orgId: buyer1.orgId, answer: 'agree' }, ctx(seller, bj('2026-10-20'))),
      'INVALID_STATE',
    );
    // The answer would have been deemed at 00:00 2026-10-23: suspended, nothing happens (the month's limit aside).
    expect(tick(l, bj('2026-10-26', '08:00'), calendar).listing.state).to.equal('suspended');
    l = act(l, op2, bj('2026-10-26'), { action: 'resume' }).listing;
    expect(l.state).to.equal('qualification');
    // 5 working days lost (Oct 20–23, 26): every deadline moves by them.
    expect(l.qualificationPhase).to.include({ opinionDeadline: '2026-10-29', depositDeadline: '2026-11-10' });
    expect(buyerOf(l, buyer1).handshake?.answerDueDate).to.equal('2026-10-29');
    expect(fireNextTimer(l).events[0]).to.include({ type: 'seller_answer_deemed', at: bj('2026-10-30', '00:00') });
  });

  it("counts the phase's provisional dates again when the next year's official calendar is approved", () => {
    // Disclosure ends Fri 2026-12-25; 2027 is not loaded: the deadlines fall on provisional dates.
    let l = approvedOn('2026-11-30', stateOwnedInput);
    l = act(l, buyer1, bj('2026-12-01'), { action: 'register' }).listing;
    l = act(l, op1, bj('2026-12-01'), { action: 'qualify', orgId: buyer1.orgId, eligible: true }).listing;
    l = tick(l, bj('2026-12-28'), calendar).listing;
    expect(l.qualificationPhase).to.include({
      opinionDeadline: '2027-01-04',
      depositDeadline: '2027-01-14',
      depositDeadlineProvisional: true,
    });
    // A hypothetical official 2027 with 4 and 5 January off.
    const official = new WorkingDayCalendar([
      ...OFFICIAL_SCHEDULES,
      { year: 2027, holidays: ['2027-01-01', '2027-01-04', '2027-01-05'], makeUpWorkdays: [] },
    ]);
    const r = recomputeProvisionalDates(l, bj('2026-12-28'), calendar, official)!;
    expect(r.changes.map((c) => [c.field, c.from.date, c.to.date])).to.deep.equal([
      ['opinionDeadline', '2027-01-04', '2027-01-06'],
      ['depositDeadline', '2027-01-14', '2027-01-18'],
      ['answerDueDate:竞买人A / Bidder A', '2027-01-04', '2027-01-06'],
    ]);
    expect(r.listing.qualificationPhase).to.include({ opinionDeadlineProvisional: false, depositDeadlineProvisional: false });
    expect(nextTimerAt(r.listing)).to.equal(bj('2027-01-07', '00:00'));
  });

  it('only the seller answers, only operators resolve; an answered opinion is final', () => {
    const l = withOpinions([buyer1]);
    const answer: ListingCommand = { action: 'seller_answer', orgId: buyer1.orgId, answer: 'agree' };
    expectCode(decide(l, answer, ctx(buyer1, bj('2026-09-17'))), 'FORBIDDEN');
    expectCode(decide(l, answer, ctx(op1, bj('2026-09-17'))), 'FORBIDDEN');
    expectCode(decide(l, { ...answer, reason: 'fine' } as ListingCommand, ctx(seller, bj('2026-09-17'))), 'VALIDATION_FAILED');
    expectCode(decide(l, { ...answer, orgId: buyer2.orgId }, ctx(seller, bj('2026-09-17'))), 'NOT_REGISTERED');
    const agreed = act(l, seller, bj('2026-09-17'), answer).listing;
    expectCode(decide(agreed, answer, ctx(seller, bj('2026-09-18'))), 'INVALID_STATE');
    expectCode(
      decide(agreed, { action: 'qualify', orgId: buyer1.orgId, eligible: false, reasonCode: 'X' }, ctx(op1, bj('2026-09-18'))),
      'INVALID_STATE',
    );
    expectCode(
      decide(
        agreed,
        { action: 'resolve_objection', orgId: buyer1.orgId, outcome: 'uphold', regulatorRef: 'R' },
        ctx(seller, bj('2026-09-18')),
      ),
      'FORBIDDEN',
    );
    // A listing without the handshake has nothing to answer.
    const priv = act(approvedOn('2026-09-14', privateInput, 'L-P'), buyer1, bj('2026-09-15'), { action: 'register' }).listing;
    expectCode(decide(priv, answer, ctx(seller, bj('2026-09-17'))), 'INVALID_STATE');
  });

  describe('properties', () => {
    type Step = {
      kind: 'qualify' | 'refuse' | 'agree' | 'object' | 'resolve' | 'confirm' | 'deposit' | 'withdraw' | 'wait';
      who: number;
      hours: number;
    };
    const buyers = [buyer1, buyer2, buyer3];
    const command = (s: Step, orgId: string): [Actor, ListingCommand] | null => {
      switch (s.kind) {
        case 'qualify':
          return [op1, { action: 'qualify', orgId, eligible: true }];
        case 'refuse':
          return [op1, { action: 'qualify', orgId, eligible: false, reasonCode: 'CONDITIONS_NOT_MET' }];
        case 'agree':
          return [seller, { action: 'seller_answer', orgId, answer: 'agree' }];
        case 'object':
          return [seller, { action: 'seller_answer', orgId, answer: 'object', reason: 'related party' }];
        case 'resolve':
          return [op2, { action: 'resolve_objection', orgId, outcome: s.hours % 2 ? 'uphold' : 'dismiss', regulatorRef: 'R-1' }];
        case 'confirm':
          // op1, who gave the opinion, confirms what op2 recorded: op2 may then take the deposit (four eyes).
          return [op1, { action: 'confirm_resolution', orgId }];
        case 'deposit':
          return [op2, { action: 'confirm_deposit', orgId, bankRef: `B-${orgId}` }];
        case 'withdraw':
          return [buyers.find((b) => b.orgId === orgId)!, { action: 'withdraw' }];
        case 'wait':
          return null;
      }
    };
    const steps = fc.array(
      fc.record({
        kind: fc.constantFrom('qualify', 'refuse', 'agree', 'object', 'resolve', 'confirm', 'deposit', 'withdraw', 'wait' as const),
        who: fc.integer({ min: 0, max: 2 }),
        hours: fc.integer({ min: 0, max: 72 }),
      }),
      { maxLength: 40 },
    );

    it('a deposit is only ever held by a settled-qualified buyer; the branch counts exactly the settled buyers with deposits', () => {
      let start = approvedOn('2026-09-14', stateOwnedInput);
      for (const b of buyers) start = act(start, b, bj('2026-09-15'), { action: 'register' }).listing;
      fc.assert(
        fc.property(steps, (plan) => {
          let l = start;
          let t = bj('2026-10-12');
          for (const s of plan) {
            t += s.hours * 3_600_000;
            const c = command(s as Step, buyers[s.who]!.orgId);
            const r = c ? decide(l, c[1], ctx(c[0], t)) : decide(l, { action: 'tick' }, ctx(op1, t));
            if (!r.ok) continue;
            l = r.listing;
            for (const b of l.buyers) {
              if (b.deposit && b.deposit.outcome === null) expect(b.qualification, `${b.alias} holds a deposit`).to.equal('qualified');
            }
            if (l.state === 'closed' && l.branch !== 'no_buyer' && l.branch !== null) {
              const n = l.buyers.filter(
                (b) => b.withdrawnAt === null && b.qualification === 'qualified' && b.deposit?.outcome === null,
              ).length;
              expect(l.branch).to.equal(n === 1 ? 'negotiation' : 'auction');
            }
          }
          // Left alone, the phase always ends (unless an objection waits for the regulator).
          const end = tick(l, bj('2026-12-31'), calendar).listing; // before the appraisal expires (2027-01-31)
          const open = end.buyers.some(
            (b) => b.withdrawnAt === null && b.handshake?.answer === 'object' && !b.handshake.resolution?.confirmedAt,
          );
          if (!open) expect(end.state).to.not.equal('qualification');
        }),
        { numRuns: 150, seed: 20261206 },
      );
    });
  });
});
