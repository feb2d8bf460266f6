import { expect } from 'chai';
import { WorkingDayCalendar, type YearSchedule } from '../../shared/calendar';
import { nextActor, nextTickAt, recomputeProvisionalDeadline, sumOf } from '../../server/transfers/domain';
import { USERS, act, attempt, bj, bookTrade, expectRefused, listingAward, ofType, open, openSigned, stepState } from './fixtures';

/** A listing award approved on Thu 5 March 2026: payment due by Thu 12 March. */
function awaitingPayment(terms: Parameters<typeof listingAward>[0] = {}) {
  let t = openSigned(listingAward(terms));
  t = act(t, { action: 'review' }, USERS.operator1, bj('2026-03-04')).transfer;
  return act(t, { action: 'approve' }, USERS.operator2, bj('2026-03-05')).transfer;
}

describe('deadlines in working days', () => {
  it(
    'a payment missed by the end of its deadline day (Beijing) fails the ' +
      'transfer: deposit forfeited, units released, listing reopened',
    () => {
      const t = awaitingPayment();
      expect(t.steps.find((s) => s.name === 'payment')!.deadline).to.deep.equal({ date: '2026-03-12', provisional: false });
      expect(act(t, { action: 'tick' }, null, '2026-03-12T15:59:59.999Z').events).to.deep.equal([]);
      expectRefused(
        attempt(t, { action: 'confirm_payment', bankRef: 'LATE' }, USERS.operator1, '2026-03-12T16:00:00.000Z'),
        'DEADLINE_PASSED',
      );

      const r = act(t, { action: 'tick' }, null, '2026-03-12T16:00:00.000Z');
      expect(r.transfer.state).to.equal('failed');
      expect(stepState(r.transfer)).to.deep.include({ payment: 'failed', registration: 'cancelled' });
      expect(r.transfer.outcome).to.deep.include({ kind: 'failed', step: 'payment', by: null, at: '2026-03-12T16:00:00.000Z' });
      expect(r.events.map((e) => e.type)).to.deep.equal([
        'deadline_missed',
        'state_changed',
        'deposit_forfeited',
        'units_released',
        'listing_reopened',
      ]);
      const [forfeit] = ofType(r.events, 'deposit_forfeited');
      expect(forfeit).to.deep.include({ orgId: 'org-buyer1', amount: '1000000.00' });
      expect(forfeit!.postings).to.deep.equal([
        { account: 'cash:deposits', amount: '-1000000.00' },
        { account: 'cash:org:org-soe', amount: '1000000.00' }, // compensation to the seller by default
      ]);
      expect(ofType(r.events, 'listing_reopened')[0]!.listingId).to.equal('listing-7');
      expect(r.transfer.version).to.equal(t.version + 1);
    },
  );

  it("a forfeited deposit goes to the exchange's fees account when the terms say so", () => {
    const r = act(awaitingPayment({ forfeitTo: 'exchange' }), { action: 'tick' }, null, bj('2026-03-13'));
    expect(ofType(r.events, 'deposit_forfeited')[0]!.postings[1]).to.deep.equal({ account: 'cash:fees', amount: '1000000.00' });
  });

  it("when one leg pays late, the legs already paid are refunded from escrow and only the late buyer's deposit is forfeited", () => {
    let t = openSigned(listingAward({ rofrEnabled: true }));
    t = act(t, { action: 'rofr_exercise' }, USERS.lpA, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_exercise' }, USERS.lpB, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_waive' }, USERS.lpC, bj('2026-03-03')).transfer;
    t = act(t, { action: 'review' }, USERS.operator1, bj('2026-03-04')).transfer;
    t = act(t, { action: 'approve' }, USERS.operator2, bj('2026-03-05')).transfer;
    t = act(t, { action: 'confirm_payment', bankRef: 'A', buyerOrgId: 'org-lp-a' }, USERS.operator1, bj('2026-03-06')).transfer;
    const r = act(t, { action: 'tick' }, null, bj('2026-03-13'));
    expect(ofType(r.events, 'payment_refund_due').map((e) => [e.orgId, e.amount])).to.deep.equal([['org-lp-a', '2880000.00']]);
    expect(ofType(r.events, 'deposit_forfeited').map((e) => [e.orgId, e.amount])).to.deep.equal([['org-buyer1', '960000.00']]);
    expect(sumOf(ofType(r.events, 'payment_refund_due')[0]!.postings).toFixed(2)).to.equal('0.00');
  });

  it('a missed deadline before payment refunds the deposit instead of forfeiting it', () => {
    const t = openSigned(listingAward());
    const r = act(t, { action: 'tick' }, null, bj('2026-03-10')); // review due by Mon 9 March
    expect(r.transfer.outcome).to.deep.include({ step: 'review' });
    expect(ofType(r.events, 'deposit_forfeited')).to.have.length(0);
    expect(ofType(r.events, 'deposit_refund_due')[0]).to.deep.include({ orgId: 'org-buyer1', amount: '1000000.00' });
    expect(ofType(r.events, 'listing_reopened')).to.have.length(1);
  });

  it('a review starting on 30 September 2026 is due on 13 October, across National Day and counting the make-up Saturday', () => {
    const start = bj('2026-09-30');
    let t = openSigned(listingAward({ gpConsentRequired: true }), bj('2026-09-29'));
    t = act(t, { action: 'gp_consent' }, USERS.gp, start).transfer;
    const review = t.steps.find((s) => s.name === 'review')!;
    expect(review).to.deep.include({ state: 'pending', startedAt: start, deadline: { date: '2026-10-13', provisional: false } });
    expect(nextActor(t)).to.deep.include({ operatorQueue: 'review', deadline: { date: '2026-10-13', provisional: false } });
    expect(act(t, { action: 'tick' }, null, '2026-10-13T15:59:59.000Z').events).to.deep.equal([]);
    const reviewed = act(t, { action: 'review' }, USERS.operator1, bj('2026-10-13', '23:59')).transfer; // still 13 October in Beijing
    expect(reviewed.state).to.equal('approval_pending');
    const failed = act(t, { action: 'tick' }, null, '2026-10-13T16:00:00.000Z');
    expect(failed.transfer.state).to.equal('failed');
    expect(failed.transfer.outcome!.reason).to.match(/2026-10-13/);
  });

  it(
    'an approval starting on 30 September 2026 is due on the make-up ' +
      'Saturday 10 October; GP consent from 24 September is due 15 October',
    () => {
      let t = open(bookTrade({ gpConsentRequired: false }), bj('2026-09-29'));
      t = act(t, { action: 'review' }, USERS.operator1, bj('2026-09-30')).transfer;
      expect(t.steps.find((s) => s.name === 'approval')!.deadline).to.deep.equal({ date: '2026-10-10', provisional: false });
      const g = open(bookTrade(), bj('2026-09-24'));
      expect(g.steps.find((s) => s.name === 'gp_consent')!.deadline).to.deep.equal({ date: '2026-10-15', provisional: false });
    },
  );

  it('a deadline reaching past the loaded calendar years is provisional', () => {
    const t = open(bookTrade({ gpConsentRequired: false }), bj('2026-12-28'));
    // 29, 30, 31 December; 1 January (fixed-date holiday); 4 and 5 January 2027.
    expect(t.steps.find((s) => s.name === 'review')!.deadline).to.deep.equal({ date: '2027-01-05', provisional: true });
    expect(nextActor(t).why).to.match(/2027-01-05 \(provisional\)/);
  });

  it('a missed registration deadline refunds the payment in full, deposit included', () => {
    let t = awaitingPayment();
    t = act(t, { action: 'confirm_payment', bankRef: 'P' }, USERS.operator1, bj('2026-03-06')).transfer;
    expect(t.steps.find((s) => s.name === 'registration')!.deadline!.date).to.equal('2026-04-03');
    const r = act(t, { action: 'tick' }, null, bj('2026-04-07'));
    expect(r.transfer.outcome).to.deep.include({ step: 'registration' });
    expect(ofType(r.events, 'payment_refund_due')[0]!.postings).to.deep.equal([
      { account: 'cash:escrow', amount: '-4800000.00' },
      { account: 'cash:org:org-buyer1', amount: '4800000.00' },
    ]);
    expect(ofType(r.events, 'deposit_forfeited')).to.have.length(0);
  });

  it('tells the scheduler when to tick next: the ROFR close, then the instant each pending deadline is missed, then never', () => {
    expect(nextTickAt(open(bookTrade({ rofrEnabled: true })))).to.equal('2026-04-01T16:00:00.000Z');
    const t = awaitingPayment();
    expect(nextTickAt(t)).to.equal('2026-03-12T16:00:00.000Z');
    expect(nextTickAt(act(t, { action: 'tick' }, null, bj('2026-03-13')).transfer)).to.equal(null);
  });
});

describe('provisional deadlines once the official calendar year is approved', () => {
  /** The calendar after an operator approved `schedule` (a hypothetical official 2027). */
  const officialWith = (schedule: Omit<YearSchedule, 'year'>) => {
    const c = new WorkingDayCalendar();
    c.load({ year: 2027, ...schedule });
    return c;
  };
  /** A review opened on Mon 28 December 2026: provisionally due Tue 5 January 2027 (29, 30, 31 Dec; 4, 5 Jan). */
  const reviewPending = () => open(bookTrade({ gpConsentRequired: false }), bj('2026-12-28'));
  const review = (t: ReturnType<typeof open>) => t.steps.find((s) => s.name === 'review')!;

  it("works the pending step's deadline out again from its start, so the transfer is not failed on the provisional date", () => {
    const t = reviewPending();
    expect(review(t).deadline).to.deep.equal({ date: '2027-01-05', provisional: true });
    const r = recomputeProvisionalDeadline(
      t,
      bj('2026-12-30'),
      officialWith({ holidays: ['2027-01-01', '2027-01-04', '2027-01-05'], makeUpWorkdays: [] }),
    );
    expect(r!.change).to.deep.equal({
      step: 'review',
      from: { date: '2027-01-05', provisional: true },
      to: { date: '2027-01-07', provisional: false },
    });
    expect(review(r!.transfer)).to.deep.include({
      state: 'pending',
      startedAt: bj('2026-12-28'),
      deadline: { date: '2027-01-07', provisional: false },
    });
    expect(r!.transfer).to.deep.include({ version: t.version + 1, updatedAt: bj('2026-12-30') });
    expect(nextTickAt(r!.transfer)).to.equal('2027-01-07T16:00:00.000Z');
    expect(nextActor(r!.transfer).why).to.match(/by 2027-01-07\.$/);
    expect(act(r!.transfer, { action: 'tick' }, null, bj('2027-01-06')).events).to.deep.equal([]);
    expect(act(t, { action: 'tick' }, null, bj('2027-01-06')).transfer.state).to.equal('failed'); // what the stored provisional date did
    expect(act(r!.transfer, { action: 'review' }, USERS.operator1, bj('2027-01-07', '23:00')).transfer.state).to.equal('approval_pending');
  });

  it('marks a deadline the official calendar confirms as no longer provisional', () => {
    const r = recomputeProvisionalDeadline(
      reviewPending(),
      bj('2026-12-30'),
      officialWith({ holidays: ['2027-01-01'], makeUpWorkdays: [] }),
    );
    expect(r!.change.to).to.deep.equal({ date: '2027-01-05', provisional: false });
  });

  it('never moves a deadline to a day already gone: an earlier official date that has passed becomes today', () => {
    // Make-up working days on 2 and 3 January would make it due Sun 3 January; the approval comes on the 4th.
    const official = officialWith({ holidays: ['2027-01-01'], makeUpWorkdays: ['2027-01-02', '2027-01-03'] });
    expect(recomputeProvisionalDeadline(reviewPending(), bj('2026-12-30'), official)!.change.to).to.deep.equal({
      date: '2027-01-03',
      provisional: false,
    });
    const late = recomputeProvisionalDeadline(reviewPending(), bj('2027-01-04'), official)!;
    expect(late.change.to).to.deep.equal({ date: '2027-01-04', provisional: false });
    expect(act(late.transfer, { action: 'tick' }, null, bj('2027-01-04', '23:59')).events).to.deep.equal([]);
  });

  it('leaves alone a deadline that is not provisional, one already missed, and an ended transfer', () => {
    const official = officialWith({ holidays: ['2027-01-01', '2027-01-04', '2027-01-05'], makeUpWorkdays: [] });
    expect(recomputeProvisionalDeadline(open(bookTrade({ gpConsentRequired: false })), bj('2026-03-03'), official)).to.equal(null);
    // missed at 00:00 on the 6th: the tick fails it
    expect(recomputeProvisionalDeadline(reviewPending(), bj('2027-01-06'), official)).to.equal(null);
    const failed = act(reviewPending(), { action: 'tick' }, null, bj('2027-01-06')).transfer;
    expect(recomputeProvisionalDeadline(failed, bj('2027-01-06'), official)).to.equal(null);
  });

  it('moves a ROFR window counted in working days with its step, and the instant it closes', () => {
    const t = open(bookTrade({ rofrEnabled: true, rofrWindow: { length: 10, unit: 'working_days' } }), bj('2026-12-24'));
    // 25, 28–31 Dec; 4–8 Jan (1 Jan off) → provisionally 8 January.
    expect(t.rofr!.windowEnd).to.deep.equal({ date: '2027-01-08', provisional: true });
    const r = recomputeProvisionalDeadline(
      t,
      bj('2026-12-28'),
      officialWith({ holidays: ['2027-01-01', '2027-01-04'], makeUpWorkdays: [] }),
    )!;
    expect(r.transfer.rofr).to.deep.include({
      windowEnd: { date: '2027-01-11', provisional: false },
      closesAt: '2027-01-11T16:00:00.000Z',
    });
    expect(r.transfer.steps[0]!.deadline).to.deep.equal({ date: '2027-01-11', provisional: false });
    expect(nextTickAt(r.transfer)).to.equal('2027-01-11T16:00:00.000Z');
  });
});
