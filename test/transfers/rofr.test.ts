import { expect } from 'chai';
import fc from 'fast-check';
import { Dec, type Lots } from '../../shared/decimal';
import { allocateLots, canView, nextActor } from '../../server/transfers/domain';
import {
  SELLER_POSITION,
  T0,
  USERS,
  act,
  attempt,
  bj,
  bookTrade,
  expectRefused,
  listingAward,
  ofType,
  open,
  openSigned,
  reviewApprovePay,
  stepState,
} from './fixtures';

const legs = (t: {
  allocations: readonly { buyerOrgId: string; lots: number; quantity: string; consideration: string; source: string }[];
}) =>
  t.allocations.map((a) => ({ buyer: a.buyerOrgId, source: a.source, lots: a.lots, quantity: a.quantity, consideration: a.consideration }));

describe('right of first refusal', () => {
  const withRofr = () => open(bookTrade({ rofrEnabled: true }));

  it('notifies the other LPs and opens a 30-calendar-day window by default', () => {
    const t = withRofr();
    expect(t.state).to.equal('rofr_pending');
    expect(t.rofr!.windowEnd).to.deep.equal({ date: '2026-04-01', provisional: false }); // 2 March + 30 days
    expect(t.rofr!.closesAt).to.equal('2026-04-01T16:00:00.000Z'); // 00:00 Beijing on 2 April
    expect(nextActor(t).waitingOn[0]!.orgIds).to.deep.equal(['org-lp-a', 'org-lp-b', 'org-lp-c']);
  });

  it('counts the window in working days when the agreement says so', () => {
    const t = open(bookTrade({ rofrEnabled: true, rofrWindow: { length: 10, unit: 'working_days' } }));
    expect(t.rofr!.windowEnd).to.deep.equal({ date: '2026-03-16', provisional: false });
  });

  it('when one LP exercises, it replaces the buyer for the whole quantity at the same price', () => {
    let t = withRofr();
    t = act(t, { action: 'rofr_exercise' }, USERS.lpA, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_waive' }, USERS.lpB, bj('2026-03-04')).transfer;
    expect(t.state).to.equal('rofr_pending');
    const closed = act(t, { action: 'rofr_waive' }, USERS.lpC, bj('2026-03-05'));
    t = closed.transfer;
    expect(t.state).to.equal('gp_consent_pending'); // closes as soon as everyone answered
    expect(legs(t)).to.deep.equal([{ buyer: 'org-lp-a', source: 'rofr', lots: 5, quantity: '5000000', consideration: '5250000.00' }]);
    expect(ofType(closed.events, 'rofr_closed')[0]!.buyerReplaced).to.equal(true);
    expect(t.steps.find((s) => s.name === 'gp_consent')!.startedAt).to.equal(bj('2026-03-05'));
  });

  it(
    'when two LPs exercise, they share pro rata to commitments in whole ' + 'lots rounded down, and the remainder lot stays with the buyer',
    () => {
      let t = withRofr();
      t = act(t, { action: 'rofr_exercise' }, USERS.lpA, bj('2026-03-03')).transfer; // 30M
      t = act(t, { action: 'rofr_exercise' }, USERS.lpB, bj('2026-03-03')).transfer; // 10M
      t = act(t, { action: 'rofr_waive' }, USERS.lpC, bj('2026-03-03')).transfer;
      // 5 lots × 30/40 = 3.75 → 3; 5 × 10/40 = 1.25 → 1; 1 lot left for the buyer.
      expect(legs(t)).to.deep.equal([
        { buyer: 'org-lp-a', source: 'rofr', lots: 3, quantity: '3000000', consideration: '3150000.00' },
        { buyer: 'org-lp-b', source: 'rofr', lots: 1, quantity: '1000000', consideration: '1050000.00' },
        { buyer: 'org-buyer1', source: 'buyer', lots: 1, quantity: '1000000', consideration: '1050000.00' },
      ]);
      expect(t.consideration).to.equal('5250000.00');

      t = act(t, { action: 'gp_consent' }, USERS.gp, bj('2026-03-04')).transfer;
      t = act(t, { action: 'review' }, USERS.operator1, bj('2026-03-04')).transfer;
      t = act(t, { action: 'approve' }, USERS.operator2, bj('2026-03-05')).transfer;
      expect(
        expectRefused(attempt(t, { action: 'confirm_payment', bankRef: 'B' }, USERS.operator1, bj('2026-03-06')), 'VALIDATION_FAILED'),
      ).to.match(/buyerOrgId/);
      t = act(t, { action: 'confirm_payment', bankRef: 'B1', buyerOrgId: 'org-lp-a' }, USERS.operator1, bj('2026-03-06')).transfer;
      expectRefused(
        attempt(t, { action: 'confirm_payment', bankRef: 'B1', buyerOrgId: 'org-lp-a' }, USERS.operator1, bj('2026-03-06')),
        'PAYMENT_ALREADY_CONFIRMED',
      );
      t = act(t, { action: 'confirm_payment', bankRef: 'B2', buyerOrgId: 'org-lp-b' }, USERS.operator1, bj('2026-03-06')).transfer;
      expect(t.state).to.equal('payment_pending');
      expect(nextActor(t).waitingOn[0]!.orgIds).to.deep.equal(['org-buyer1']);
      // the last unpaid leg needs no name
      t = act(t, { action: 'confirm_payment', bankRef: 'B3' }, USERS.operator1, bj('2026-03-06')).transfer;
      const done = act(t, { action: 'record_registration', registrationRef: 'R', stateEquityRef: 'S' }, USERS.operator2, bj('2026-03-09'), {
        sellerPosition: SELLER_POSITION,
      });
      const [owned] = ofType(done.events, 'ownership_changed');
      expect(owned!.legs.map((l) => [l.buyerOrgId, l.paidInMoved, l.unfundedMoved])).to.deep.equal([
        ['org-lp-a', '1800000.00', '1200000.00'],
        ['org-lp-b', '600000.00', '400000.00'],
        ['org-buyer1', '600000.00', '400000.00'],
      ]);
    },
  );

  it("on a listing, the buyer's deposit counts toward its remaining leg and the excess is refunded when the window closes", () => {
    let t = openSigned(listingAward({ rofrEnabled: true }));
    t = act(t, { action: 'rofr_exercise' }, USERS.lpA, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_exercise' }, USERS.lpB, bj('2026-03-03')).transfer;
    const closed = act(t, { action: 'rofr_waive' }, USERS.lpC, bj('2026-03-03'));
    expect(closed.transfer.allocations.map((a) => [a.buyerOrgId, a.consideration, a.depositApplied])).to.deep.equal([
      ['org-lp-a', '2880000.00', '0.00'],
      ['org-lp-b', '960000.00', '0.00'],
      ['org-buyer1', '960000.00', '960000.00'],
    ]);
    expect(ofType(closed.events, 'deposit_refund_due')[0]).to.deep.include({ orgId: 'org-buyer1', amount: '40000.00' });
  });

  it("on a listing, a single exerciser replacing the buyer refunds the buyer's whole deposit", () => {
    let t = openSigned(listingAward({ rofrEnabled: true }));
    t = act(t, { action: 'rofr_waive' }, USERS.lpA, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_waive' }, USERS.lpB, bj('2026-03-03')).transfer;
    const closed = act(t, { action: 'rofr_exercise' }, USERS.lpC, bj('2026-03-03'));
    expect(ofType(closed.events, 'deposit_refund_due')[0]).to.deep.include({ orgId: 'org-buyer1', amount: '1000000.00' });
    expect(closed.transfer.allocations).to.have.length(1);
    expect(closed.transfer.allocations[0]).to.include({ buyerOrgId: 'org-lp-c', depositApplied: '0.00', consideration: '4800000.00' });
  });

  it('when the window runs out, those who did not answer have waived', () => {
    let t = withRofr();
    t = act(t, { action: 'rofr_waive' }, USERS.lpB, bj('2026-03-10')).transfer;
    const quiet = act(t, { action: 'tick' }, null, '2026-04-01T15:59:59.000Z');
    expect(quiet.events).to.deep.equal([]);
    expect(quiet.transfer).to.equal(t);
    const closed = act(t, { action: 'tick' }, null, '2026-04-01T16:00:00.000Z');
    expect(ofType(closed.events, 'rofr_answered').map((e) => [e.holderOrgId, e.answer])).to.deep.equal([
      ['org-lp-a', 'lapsed'],
      ['org-lp-c', 'lapsed'],
    ]);
    expect(closed.transfer.state).to.equal('gp_consent_pending');
    expect(legs(closed.transfer)).to.deep.equal([
      { buyer: 'org-buyer1', source: 'buyer', lots: 5, quantity: '5000000', consideration: '5250000.00' },
    ]);
    expect(closed.transfer.steps[0]).to.include({ state: 'done', at: '2026-04-01T16:00:00.000Z' });
    // GP consent starts on 2 April: 10 working days, skipping Qingming (4–6 April) → 17 April.
    expect(closed.transfer.steps[1]!.deadline).to.deep.equal({ date: '2026-04-17', provisional: false });
    expectRefused(attempt(t, { action: 'rofr_exercise' }, USERS.lpA, '2026-04-01T16:00:00.000Z'), 'DEADLINE_PASSED');
  });

  it('a clock jumping far ahead closes the window and then fails the missed GP consent deadline in one tick', () => {
    const r = act(withRofr(), { action: 'tick' }, null, bj('2026-05-01'));
    expect(r.transfer.state).to.equal('failed');
    expect(r.transfer.outcome).to.deep.include({ step: 'gp_consent', at: '2026-04-17T16:00:00.000Z' });
    expect(stepState(r.transfer)).to.deep.include({ rofr: 'done', gp_consent: 'failed', review: 'cancelled' });
  });

  it(
    'each holder organisation answers once, through any of its users ' +
      '(ROFR_ALREADY_ANSWERED); other organisations may not answer (FORBIDDEN)',
    () => {
      const t = act(withRofr(), { action: 'rofr_waive' }, USERS.lpA, bj('2026-03-03')).transfer;
      expectRefused(attempt(t, { action: 'rofr_exercise' }, USERS.lpA, bj('2026-03-04')), 'ROFR_ALREADY_ANSWERED');
      expectRefused(attempt(t, { action: 'rofr_exercise' }, USERS.lpABuyer, bj('2026-03-04')), 'ROFR_ALREADY_ANSWERED');
      expectRefused(attempt(t, { action: 'rofr_exercise' }, USERS.outsiderLp, bj('2026-03-04')), 'FORBIDDEN');
      expectRefused(attempt(t, { action: 'rofr_exercise' }, USERS.buyer, bj('2026-03-04')), 'FORBIDDEN');
      expectRefused(attempt(t, { action: 'rofr_exercise' }, USERS.gp, bj('2026-03-04')), 'FORBIDDEN');
    },
  );

  it(
    "the right is the holder organisation's: a user with only the buyer or " +
      "the manager's role answers for it; an administrator alone does not",
    () => {
      const t = withRofr();
      expectRefused(attempt(t, { action: 'rofr_exercise' }, USERS.lpAAdmin, bj('2026-03-03')), 'FORBIDDEN');
      const exercised = act(t, { action: 'rofr_exercise' }, USERS.lpABuyer, bj('2026-03-03')).transfer;
      expect(exercised.rofr!.holders.find((h) => h.orgId === 'org-lp-a')).to.deep.include({ answer: 'exercised', answeredBy: 'u-lp-a-2' });
      const waived = act(t, { action: 'rofr_waive' }, USERS.lpAGp, bj('2026-03-03')).transfer;
      expect(waived.rofr!.holders.find((h) => h.orgId === 'org-lp-a')).to.deep.include({ answer: 'waived', answeredBy: 'u-lp-a-3' });
    },
  );

  it('holders may see the transfer only while their ROFR is open', () => {
    const t = withRofr();
    expect(canView(t, USERS.lpB)).to.equal(true);
    expect(canView(t, USERS.outsiderLp)).to.equal(false);
    const closed = act(t, { action: 'tick' }, null, bj('2026-04-02')).transfer;
    expect(canView(closed, USERS.lpB)).to.equal(false);
    expect(canView(closed, USERS.buyer)).to.equal(true);
  });

  it(
    'allocation conserves the lots: one exerciser takes all; several get at ' +
      'most their share, within a lot, the buyer fewer lots than exercisers',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 400 }),
          fc.array(fc.integer({ min: 1, max: 500_000 }), { maxLength: 7 }),
          (total, commitmentsInLots) => {
            const exercisers = commitmentsInLots.map((c, i) => ({ orgId: `lp-${i}`, commitment: `${c}000000`, stateOwned: false }));
            const out = allocateLots(total as Lots, { orgId: 'buyer', stateOwned: false }, exercisers);
            expect(out.reduce((s, l) => s + l.lots, 0)).to.equal(total);
            expect(out.every((l) => l.lots > 0)).to.equal(true);
            if (exercisers.length <= 1) {
              expect(out).to.have.length(1);
              expect(out[0]!.buyerOrgId).to.equal(exercisers[0]?.orgId ?? 'buyer');
              return;
            }
            const whole = commitmentsInLots.reduce((a, b) => a + b, 0);
            for (const [i, c] of commitmentsInLots.entries()) {
              const got = out.find((l) => l.buyerOrgId === `lp-${i}`)?.lots ?? 0;
              const exact = new Dec(String(total)).times(String(c)).div(String(whole));
              expect(new Dec(String(got)).lte(exact) && exact.minus(String(got)).lt('1')).to.equal(true);
            }
            const buyerLots = out.find((l) => l.buyerOrgId === 'buyer')?.lots ?? 0;
            expect(buyerLots).to.be.lessThan(exercisers.length);
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it('opens without a ROFR step when the fund has ROFR but no other LP', () => {
    const t = open(bookTrade({ rofrEnabled: true }, { rofrHolders: [] }), T0);
    expect(t.rofr).to.equal(null);
    expect(stepState(t).rofr).to.equal('skipped');
    expect(reviewApprovePay).to.be.a('function');
  });
});
