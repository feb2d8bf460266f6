/**
 * Payment by instalments of a state-owned listing's award (domain.md, state-owned overlay; Order 32 art. 28):
 * the buyer's plan and its rules, the interest, four eyes on every instalment, the deadline of each
 * instalment, and what a missed one costs the buyer.
 */
import { expect } from 'chai';
import { Dec, sum } from '../../shared/decimal';
import { WorkingDayCalendar } from '../../shared/calendar';
import {
  DEFAULT_INSTALMENT_RULES,
  planFromChoice,
  recomputeProvisionalDeadline,
  simpleInterest,
  sumOf,
  type CashPosting,
  type InstalmentTerms,
  type Transfer,
  type TransferEvent,
} from '../../server/transfers/domain';
import { USERS, act, attempt, bj, expectRefused, listingAward, ofType, open, stepState } from './fixtures';

const TERMS: InstalmentTerms = { ...DEFAULT_INSTALMENT_RULES, interestRatePct: '3.45' };
const T_OPEN = bj('2026-03-02', '10:00');
const seller = USERS.soeSeller;
const buyer = USERS.buyer;
const { operator1: op1, operator2: op2 } = USERS;
const op3 = { userId: 'u-op3', orgId: 'org-exchange', roles: ['operator' as const] };

/** 4,800,000.00 for 5 lots, deposit 1,000,000.00: 30% is 1,440,000.00. */
const PLAN = {
  action: 'choose_payment' as const,
  method: 'instalments',
  guaranteeRef: 'BOC-LG-2026-0042',
  instalments: [
    { amount: '1440000.00' },
    { amount: '1680000.00', monthsAfterContract: 6 },
    { amount: '1680000.00', monthsAfterContract: 12 },
  ],
};
const withAmounts = (first: string, second: string, third: string, lastMonths = 12) => ({
  ...PLAN,
  instalments: [{ amount: first }, { amount: second, monthsAfterContract: 6 }, { amount: third, monthsAfterContract: lastMonths }],
});

const award = (allowed = true) => open(listingAward(allowed ? { instalments: TERMS } : {}), T_OPEN);

/** Chosen, signed, reviewed on 3 March and approved on 4 March 2026 (the contract date). */
function approvedWithPlan(): Transfer {
  let t = act(award(), PLAN, buyer, bj('2026-03-02', '11:00')).transfer;
  t = act(t, { action: 'sign' }, seller, bj('2026-03-02', '12:00')).transfer;
  t = act(t, { action: 'sign' }, buyer, bj('2026-03-02', '13:00')).transfer;
  t = act(t, { action: 'review' }, op1, bj('2026-03-03')).transfer;
  return act(t, { action: 'approve' }, op2, bj('2026-03-04')).transfer;
}

/** Records (op1) and confirms (op2) instalment n; returns the transfer and the confirmation's events. */
function payInstalment(t: Transfer, n: number, at: string) {
  const command = { action: 'confirm_payment' as const, instalment: n, bankRef: `ICBC-${n}`, buyerOrgId: buyer.orgId };
  return act(act(t, command, op1, at).transfer, command, op2, at);
}

const postingsOf = (events: readonly TransferEvent[]): CashPosting[] =>
  events.flatMap((e) => ('postings' in e ? e.postings : e.type === 'ownership_changed' ? e.cashPostings : []));
const balanceOf = (postings: readonly CashPosting[], account: string) =>
  sum(postings.filter((p) => p.account === account).map((p) => new Dec(p.amount))).toFixed(2);

describe('instalments: the plan the buyer chooses', () => {
  const leg = { consideration: '4800000.00', depositApplied: '1000000.00' };
  const choose = (input: Record<string, unknown>, terms: InstalmentTerms | null = TERMS) =>
    planFromChoice(input, leg, terms, 'u-buyer1', T_OPEN);

  it('accepts a first instalment of exactly 30% and refuses one fen less, naming the minimum', () => {
    expect(choose(PLAN).ok).to.equal(true);
    const r = choose(withAmounts('1439999.99', '1680000.01', '1680000.00'));
    expect(r).to.deep.include({ ok: false, code: 'INSTALMENT_PLAN_INVALID' });
    expect(!r.ok && r.params).to.deep.equal({ reason: 'first_below_minimum', minimum: '1440000.00', minFirstPct: '30' });
  });

  it('refuses a balance due beyond 12 months of the contract date', () => {
    const r = choose(withAmounts('1440000.00', '1680000.00', '1680000.00', 13));
    expect(!r.ok && [r.code, r.params?.reason, r.params?.maxMonths]).to.deep.equal(['INSTALMENT_PLAN_INVALID', 'balance_too_late', '12']);
  });

  it('refuses instalments without a guarantee', () => {
    const { guaranteeRef: _g, ...unguaranteed } = PLAN;
    for (const input of [unguaranteed, { ...PLAN, guaranteeRef: '  ' }]) {
      const r = choose(input);
      expect(!r.ok && r.code).to.equal('VALIDATION_FAILED');
      expect(!r.ok && r.detail).to.match(/guaranteeRef is required/);
    }
  });

  it('refuses instalments that do not add up to the consideration, or fall due out of order', () => {
    const short = choose(withAmounts('1440000.00', '1680000.00', '1679999.99'));
    expect(!short.ok && short.params).to.deep.equal({ reason: 'sum_mismatch', consideration: '4800000.00', total: '4799999.99' });
    const backwards = choose({ ...PLAN, instalments: [PLAN.instalments[0], PLAN.instalments[2], PLAN.instalments[1]] });
    expect(!backwards.ok && backwards.params?.reason).to.equal('months_not_increasing');
  });

  it('refuses a malformed plan before its rules: amounts as strings with 2 decimals, months only after the first', () => {
    for (const instalments of [
      [{ amount: 1440000 }, { amount: '3360000.00', monthsAfterContract: 6 }],
      [{ amount: '1440000' }, { amount: '3360000.00', monthsAfterContract: 6 }],
      [
        { amount: '1440000.00', monthsAfterContract: 0 },
        { amount: '3360000.00', monthsAfterContract: 6 },
      ],
      [{ amount: '1440000.00' }, { amount: '3360000.00', monthsAfterContract: 6.5 }],
      [{ amount: '4800000.00' }],
    ])
      expect(choose({ ...PLAN, instalments }), JSON.stringify(instalments)).to.deep.include({ ok: false, code: 'VALIDATION_FAILED' });
  });

  it('refuses instalments when the listing did not allow them; a lump sum is always possible', () => {
    expect(choose(PLAN, null)).to.deep.include({ ok: false, code: 'INSTALMENTS_NOT_ALLOWED' });
    expect(choose({ method: 'lump_sum' }, null)).to.deep.include({ ok: true });
  });
});

describe('instalments: interest on the outstanding balance (simple, ACT/365, half-up to the fen)', () => {
  it('computes the check values of the plan: 58,436.38 and 28,741.81 at 3.45%', () => {
    // 3,360,000.00 × 3.45% × 184 / 365 = 58,436.3835… ; 1,680,000.00 × 3.45% × 181 / 365 = 28,741.8082…
    expect(simpleInterest(new Dec('3360000.00'), '3.45', '2026-03-04', '2026-09-04').toFixed(2)).to.equal('58436.38');
    expect(simpleInterest(new Dec('1680000.00'), '3.45', '2026-09-04', '2027-03-04').toFixed(2)).to.equal('28741.81');
    // Half-up at exactly half a fen: 365 × 0.005 / (1% × 1 day) → 182.50 yuan at 1% for 1 day is 0.005.
    expect(simpleInterest(new Dec('182.50'), '1', '2026-01-01', '2026-01-02').toFixed(2)).to.equal('0.01');
  });

  it('fixes the due dates and the interest at the contract date, and holds the payment step to the first due date', () => {
    const t = approvedWithPlan();
    expect(t.contractDate).to.equal('2026-03-04');
    expect(t.paymentPlan!.instalments.map((i) => [i.number, i.amount, i.dueDate, i.interest])).to.deep.equal([
      [1, '1440000.00', '2026-03-11', '0.00'],
      [2, '1680000.00', '2026-09-04', '58436.38'],
      [3, '1680000.00', '2027-03-04', '28741.81'],
    ]);
    expect(t.allocations[0]!.interest).to.equal('87178.19');
    expect(t.steps.find((s) => s.name === 'payment')!.deadline).to.deep.equal({ date: '2026-03-11', provisional: false });
  });
});

describe('instalments: a provisional first due date', () => {
  it('is worked out again with the first instalment when the official calendar year is approved', () => {
    let t = act(open(listingAward({ instalments: TERMS }), bj('2026-12-21')), PLAN, buyer, bj('2026-12-21', '11:00')).transfer;
    t = act(t, { action: 'sign' }, seller, bj('2026-12-21', '12:00')).transfer;
    t = act(t, { action: 'sign' }, buyer, bj('2026-12-21', '13:00')).transfer;
    t = act(t, { action: 'review' }, op1, bj('2026-12-24')).transfer;
    t = act(t, { action: 'approve' }, op2, bj('2026-12-28')).transfer;
    expect(t.paymentPlan!.instalments[0]!.dueDate).to.equal('2027-01-05');
    expect(t.steps.find((s) => s.name === 'payment')!.deadline).to.deep.equal({ date: '2027-01-05', provisional: true });
    const official = new WorkingDayCalendar();
    official.load({ year: 2027, holidays: ['2027-01-01', '2027-01-04', '2027-01-05'], makeUpWorkdays: [] });
    const r = recomputeProvisionalDeadline(t, bj('2026-12-30'), official)!;
    expect(r.change.to).to.deep.equal({ date: '2027-01-07', provisional: false });
    expect(r.transfer.paymentPlan!.instalments.map((i) => i.dueDate)).to.deep.equal(['2027-01-07', '2027-06-28', '2027-12-28']);
    expect(r.transfer.paymentPlan!.instalments.map((i) => i.interest)).to.deep.equal(t.paymentPlan!.instalments.map((i) => i.interest));
  });
});

describe('instalments: choosing is part of the contract', () => {
  it("only the trade's buyer chooses, on a listing award, before the contract's deadline", () => {
    const t = award();
    for (const who of [seller, op1, USERS.otherBuyer, USERS.gp]) expectRefused(attempt(t, PLAN, who, bj('2026-03-03')), 'FORBIDDEN');
    expectRefused(attempt(t, PLAN, buyer, bj('2026-03-10', '00:00')), 'DEADLINE_PASSED');
    expectRefused(attempt(award(false), PLAN, buyer, bj('2026-03-03')), 'INSTALMENTS_NOT_ALLOWED');
  });

  it('a change of terms after a signature withdraws both signatures; the same terms again keep them', () => {
    let t = act(award(), PLAN, buyer, bj('2026-03-02', '11:00')).transfer;
    t = act(t, { action: 'sign' }, seller, bj('2026-03-02', '12:00')).transfer;
    const same = act(t, PLAN, buyer, bj('2026-03-02', '13:00'));
    expect(ofType(same.events, 'payment_method_chosen')[0]).to.include({ signaturesCleared: false });
    expect(same.transfer.contract!.seller).to.not.equal(null);
    const changed = act(t, { action: 'choose_payment', method: 'lump_sum' }, buyer, bj('2026-03-02', '14:00'));
    expect(ofType(changed.events, 'payment_method_chosen')[0]).to.include({ method: 'lump_sum', signaturesCleared: true });
    expect(changed.transfer.contract).to.include({ seller: null, buyer: null });
  });
});

describe('instalments: each a payment confirmed with four eyes, registration after the last', () => {
  it('the operator who recorded an instalment may not confirm it (FOUR_EYES); a second one books it into escrow', () => {
    const t = approvedWithPlan();
    const recorded = act(t, { action: 'confirm_payment', instalment: 1, bankRef: 'ICBC-1' }, op1, bj('2026-03-05'));
    expect(recorded.events.map((e) => e.type)).to.deep.equal(['instalment_recorded']);
    expect(recorded.transfer.paymentPlan!.instalments[0]!.recorded).to.include({ by: op1.userId, bankRef: 'ICBC-1' });
    const same = attempt(recorded.transfer, { action: 'confirm_payment', instalment: 1, bankRef: 'ICBC-1' }, op1, bj('2026-03-05'));
    expect(expectRefused(same, 'FOUR_EYES')).to.match(/recorded instalment 1/);
    expectRefused(
      attempt(recorded.transfer, { action: 'confirm_payment', instalment: 1, bankRef: 'ICBC-9' }, op2, bj('2026-03-05')),
      'VALIDATION_FAILED',
    );
    const confirmed = act(recorded.transfer, { action: 'confirm_payment', instalment: 1, bankRef: 'ICBC-1' }, op2, bj('2026-03-05'));
    // The first instalment: 440,000.00 from the buyer and the 1,000,000.00 deposit into escrow.
    expect(ofType(confirmed.events, 'payment_confirmed')[0]!.postings).to.deep.equal([
      { account: 'cash:org:org-buyer1', amount: '-440000.00' },
      { account: 'cash:escrow', amount: '440000.00' },
      { account: 'cash:deposits', amount: '-1000000.00' },
      { account: 'cash:escrow', amount: '1000000.00' },
    ]);
    expect(confirmed.transfer.state).to.equal('payment_pending');
    expect(confirmed.transfer.steps.find((s) => s.name === 'payment')!.deadline).to.deep.equal({ date: '2026-09-04', provisional: false });
    expectRefused(
      attempt(confirmed.transfer, { action: 'confirm_payment', instalment: 1, bankRef: 'ICBC-1' }, op1, bj('2026-03-06')),
      'PAYMENT_ALREADY_CONFIRMED',
    );
    expectRefused(
      attempt(confirmed.transfer, { action: 'confirm_payment', instalment: 3, bankRef: 'ICBC-3' }, op1, bj('2026-03-06')),
      'VALIDATION_FAILED',
    );
  });

  it('registration is refused before the last instalment; after it, by an operator who confirmed none, cash balances exactly', () => {
    let t = approvedWithPlan();
    const postings: CashPosting[] = [];
    let r = payInstalment(t, 1, bj('2026-03-06'));
    postings.push(...postingsOf(r.events));
    r = payInstalment(r.transfer, 2, bj('2026-09-01'));
    postings.push(...postingsOf(r.events));
    expect(ofType(r.events, 'payment_confirmed')[0]!.postings).to.deep.equal([
      { account: 'cash:org:org-buyer1', amount: '-1738436.38' },
      { account: 'cash:escrow', amount: '1738436.38' },
    ]);
    t = r.transfer;
    expectRefused(
      attempt(t, { action: 'record_registration', registrationRef: 'SAMR-1', stateEquityRef: 'SE-1' }, op3, bj('2026-09-02')),
      'INVALID_STATE',
    );
    r = payInstalment(t, 3, bj('2027-03-01'));
    postings.push(...postingsOf(r.events));
    t = r.transfer;
    expect(t.state).to.equal('registration_pending');
    expect(t.allocations[0]!.payment).to.include({ bankRef: 'ICBC-3', by: op2.userId });
    const registration = { action: 'record_registration' as const, registrationRef: 'SAMR-1', stateEquityRef: 'SE-1' };
    expectRefused(attempt(t, registration, op2, bj('2027-03-02')), 'FOUR_EYES');
    // op1 recorded every instalment but confirmed none: it may record the registration.
    const done = act(t, registration, op1, bj('2027-03-02'));
    postings.push(...postingsOf(done.events));
    expect(done.transfer.state).to.equal('completed');
    const changed = ofType(done.events, 'ownership_changed')[0]!;
    // Seller: 4,800,000.00 + interest 87,178.19 − fee max(5 bps of 4.8 m = 2,400.00, 1,000.00).
    expect(changed.sellerProceeds).to.equal('4884778.19');
    expect(sumOf(postings).toFixed(2)).to.equal('0.00');
    expect(balanceOf(postings, 'cash:escrow')).to.equal('0.00');
    expect(balanceOf(postings, 'cash:deposits')).to.equal('-1000000.00'); // the deposit held since the award, now spent
    expect(balanceOf(postings, 'cash:org:org-soe')).to.equal('4884778.19');
    expect(balanceOf(postings, 'cash:org:org-buyer1')).to.equal('-3889578.19'); // 4,887,178.19 − deposit + buyer fee 2,400.00
  });

  it('a missed instalment fails the transfer: the deposit is forfeited to the seller, the rest the buyer paid is refunded', () => {
    let t = payInstalment(approvedWithPlan(), 1, bj('2026-03-06')).transfer;
    t = payInstalment(t, 2, bj('2026-09-04', '23:59')).transfer;
    expectRefused(attempt(t, { action: 'confirm_payment', instalment: 3, bankRef: 'X' }, op1, bj('2027-03-05')), 'DEADLINE_PASSED');
    const r = act(t, { action: 'tick' }, null, bj('2027-03-08'));
    expect(r.transfer.state).to.equal('failed');
    expect(r.transfer.outcome).to.include({ step: 'payment', at: '2027-03-04T16:00:00.000Z' });
    expect(stepState(r.transfer)).to.include({ payment: 'failed', registration: 'cancelled' });
    expect(r.events.map((e) => e.type)).to.deep.equal([
      'deadline_missed',
      'state_changed',
      'deposit_forfeited',
      'payment_refund_due',
      'units_released',
      'listing_reopened',
    ]);
    expect(ofType(r.events, 'deposit_forfeited')[0]!.postings).to.deep.equal([
      { account: 'cash:escrow', amount: '-1000000.00' },
      { account: 'cash:org:org-soe', amount: '1000000.00' },
    ]);
    // Paid into escrow: 1,440,000.00 + 1,738,436.38; back to the buyer all of it but the deposit.
    expect(ofType(r.events, 'payment_refund_due')[0]).to.include({ orgId: 'org-buyer1', amount: '2178436.38' });
  });

  it('a missed first instalment forfeits the deposit still held, as a late lump sum does', () => {
    const r = act(approvedWithPlan(), { action: 'tick' }, null, bj('2026-03-12'));
    expect(r.transfer.state).to.equal('failed');
    expect(ofType(r.events, 'deposit_forfeited')[0]!.postings).to.deep.equal([
      { account: 'cash:deposits', amount: '-1000000.00' },
      { account: 'cash:org:org-soe', amount: '1000000.00' },
    ]);
    expect(ofType(r.events, 'payment_refund_due')).to.deep.equal([]);
  });
});

describe('instalments and the right of first refusal', () => {
  const withRofr = () =>
    act(
      open(listingAward({ instalments: TERMS, rofrEnabled: true }, { depositHeld: '200000.00' }), T_OPEN),
      PLAN,
      buyer,
      bj('2026-03-02', '11:00'),
    ).transfer;

  it("LPs taking part of the trade pay lump sums; the buyer's plan is scaled to its leg, exact to the fen", () => {
    let t = withRofr();
    t = act(t, { action: 'rofr_exercise' }, USERS.lpA, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_exercise' }, USERS.lpB, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_waive' }, USERS.lpC, bj('2026-03-03')).transfer;
    // A 3 lots, B 1 lot (pro rata 30:10, rounded down), the remaining lot stays with the buyer: 960,000.00.
    const buyerLeg = t.allocations.find((a) => a.source === 'buyer')!;
    expect(buyerLeg.consideration).to.equal('960000.00');
    expect(t.paymentPlan!.instalments.map((i) => i.amount)).to.deep.equal(['288000.00', '336000.00', '336000.00']);
    t = act(t, { action: 'sign' }, seller, bj('2026-03-04')).transfer;
    t = act(t, { action: 'sign' }, buyer, bj('2026-03-04')).transfer;
    t = act(t, { action: 'review' }, op1, bj('2026-03-04')).transfer;
    t = act(t, { action: 'approve' }, op2, bj('2026-03-05')).transfer;
    // The LPs' lump sums are due with the first instalment; only then does the deadline move to the next one.
    t = payInstalment(t, 1, bj('2026-03-06')).transfer;
    expect(t.steps.find((s) => s.name === 'payment')!.deadline!.date).to.equal('2026-03-12');
    for (const lp of ['org-lp-a', 'org-lp-b'])
      t = act(t, { action: 'confirm_payment', buyerOrgId: lp, bankRef: `B-${lp}` }, op3, bj('2026-03-06')).transfer;
    expect(t.steps.find((s) => s.name === 'payment')!.deadline!.date).to.equal('2026-09-05');
  });

  it('an LP taking the whole trade leaves no plan: its leg is a lump sum', () => {
    let t = withRofr();
    t = act(t, { action: 'rofr_exercise' }, USERS.lpA, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_waive' }, USERS.lpB, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_waive' }, USERS.lpC, bj('2026-03-03')).transfer;
    expect(t.paymentPlan).to.equal(null);
  });
});
