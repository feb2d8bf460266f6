import { expect } from 'chai';
import { availableActions, nextActor, openTransfer, pricePctOf, sumOf } from '../../server/transfers/domain';
import {
  HOLDERS,
  SELLER_POSITION,
  T0,
  USERS,
  act,
  attempt,
  bj,
  bookTrade,
  calendar,
  deepFreeze,
  expectRefused,
  listingAward,
  ofType,
  open,
  openSigned,
  reviewApprovePay,
  stepState,
} from './fixtures';

describe('transfer workflow: the happy paths', () => {
  it('a book trade without ROFR goes GP consent → review → approval → payment → registration → completed', () => {
    const opened = openTransfer(bookTrade(), { now: T0, calendar });
    let t = opened.transfer;
    expect(t.state).to.equal('gp_consent_pending');
    expect(stepState(t)).to.deep.equal({
      rofr: 'skipped',
      gp_consent: 'pending',
      review: 'waiting',
      approval: 'waiting',
      payment: 'waiting',
      registration: 'waiting',
    });
    expect(t.consideration).to.equal('5250000.00');
    expect(t.steps[1]!.deadline).to.deep.equal({ date: '2026-03-16', provisional: false }); // 10 working days after Mon 2 March
    expect(opened.events.map((e) => e.type)).to.deep.equal(['transfer_opened']);

    t = act(t, { action: 'gp_consent' }, USERS.gp, bj('2026-03-03')).transfer;
    expect(t.state).to.equal('review_pending');
    t = act(t, { action: 'review' }, USERS.operator1, bj('2026-03-04')).transfer;
    expect(t.state).to.equal('approval_pending');
    expect(t.reviewedBy).to.equal('u-op1');
    t = act(t, { action: 'approve' }, USERS.operator2, bj('2026-03-05')).transfer;
    expect(t.state).to.equal('payment_pending');
    expect(t.contractDate).to.equal('2026-03-05');
    expect(t.steps.find((s) => s.name === 'payment')!.deadline).to.deep.equal({ date: '2026-03-12', provisional: false });

    const paid = act(t, { action: 'confirm_payment', bankRef: 'ICBC-778' }, USERS.operator1, bj('2026-03-06'));
    t = paid.transfer;
    expect(t.state).to.equal('registration_pending');
    const [payment] = ofType(paid.events, 'payment_confirmed');
    expect(payment!.postings).to.deep.equal([
      { account: 'cash:org:org-buyer1', amount: '-5250000.00' },
      { account: 'cash:escrow', amount: '5250000.00' },
    ]);

    const done = act(
      t,
      { action: 'record_registration', registrationRef: 'SAMR-2026-001', amacRef: 'AMAC-9' },
      USERS.operator2,
      bj('2026-03-10'),
    );
    t = done.transfer;
    expect(t.state).to.equal('completed');
    expect(t.registration).to.include({ registrationRef: 'SAMR-2026-001', amacRef: 'AMAC-9', stateEquityRef: null });
    expect(Object.values(stepState(t))).to.deep.equal(['skipped', 'done', 'done', 'done', 'done', 'done']);
    expect(t.version).to.equal(6); // opened as 1, then five accepted commands

    const [owned] = ofType(done.events, 'ownership_changed');
    expect(owned!.unitPostings).to.deep.equal([
      { fundId: 'fund-1', orgId: 'org-seller', commitmentDelta: '-5000000', paidInDelta: '-3000000.00', unfundedDelta: '-2000000.00' },
      { fundId: 'fund-1', orgId: 'org-buyer1', commitmentDelta: '5000000', paidInDelta: '3000000.00', unfundedDelta: '2000000.00' },
    ]);
    expect(owned!.sellerFee).to.equal('2625.00'); // 5 bps of 5,250,000.00
    expect(owned!.sellerProceeds).to.equal('5247375.00');
    expect(owned!.cashPostings).to.deep.equal([
      { account: 'cash:escrow', amount: '-5250000.00' },
      { account: 'cash:org:org-seller', amount: '5247375.00' },
      { account: 'cash:fees', amount: '2625.00' },
      { account: 'cash:org:org-buyer1', amount: '-2625.00' },
      { account: 'cash:fees', amount: '2625.00' },
    ]);
    expect(ofType(done.events, 'confirmation_due')).to.have.length(1);
    expect(nextActor(t)).to.include({ state: 'completed', step: null, operatorQueue: null });
  });

  it('a listing award by a state-owned seller applies the deposit first and needs the state-owned equity registration', () => {
    let t = openSigned(listingAward());
    expect(t.state).to.equal('review_pending'); // no ROFR, no GP consent in this fund
    expect(t.consideration).to.equal('4800000.00');
    expect(t.allocations[0]).to.include({ depositApplied: '1000000.00' });
    t = act(t, { action: 'review' }, USERS.operator2, bj('2026-03-03')).transfer;
    t = act(t, { action: 'approve' }, USERS.operator1, bj('2026-03-03', '15:00')).transfer;
    const paid = act(t, { action: 'confirm_payment', bankRef: 'BOC-1' }, USERS.operator1, bj('2026-03-04'));
    expect(ofType(paid.events, 'payment_confirmed')[0]!.postings).to.deep.equal([
      { account: 'cash:org:org-buyer1', amount: '-3800000.00' },
      { account: 'cash:escrow', amount: '3800000.00' },
      { account: 'cash:deposits', amount: '-1000000.00' },
      { account: 'cash:escrow', amount: '1000000.00' },
    ]);
    t = paid.transfer;

    const without = attempt(t, { action: 'record_registration', registrationRef: 'SAMR-7' }, USERS.operator2, bj('2026-03-05'));
    expect(expectRefused(without, 'VALIDATION_FAILED')).to.match(/stateEquityRef/);
    const done = act(
      t,
      { action: 'record_registration', registrationRef: 'SAMR-7', stateEquityRef: 'SASAC-REG-3' },
      USERS.operator2,
      bj('2026-03-05'),
    );
    expect(done.transfer.state).to.equal('completed');
    const [owned] = ofType(done.events, 'ownership_changed');
    expect(owned!.sellerProceeds).to.equal('4797600.00'); // 4,800,000.00 − 2,400.00 (5 bps)
    const escrow = [...ofType(paid.events, 'payment_confirmed')[0]!.postings, ...owned!.cashPostings].filter(
      (p) => p.account === 'cash:escrow',
    );
    expect(sumOf(escrow).toFixed(2)).to.equal('0.00');
  });

  it('the state-owned equity registration is required when a ROFR holder that exercised is state-owned, and not otherwise', () => {
    let t = open(bookTrade({ rofrEnabled: true, gpConsentRequired: false }));
    t = act(t, { action: 'rofr_waive' }, USERS.lpA, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_waive' }, USERS.lpB, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_exercise' }, USERS.lpC, bj('2026-03-03')).transfer; // org-lp-c is state-owned
    t = reviewApprovePay(t, { review: bj('2026-03-04'), approve: bj('2026-03-05'), pay: bj('2026-03-06') });
    expectRefused(
      attempt(t, { action: 'record_registration', registrationRef: 'R' }, USERS.operator2, bj('2026-03-09')),
      'VALIDATION_FAILED',
    );

    let plain = open(bookTrade({ gpConsentRequired: false }));
    plain = reviewApprovePay(plain, { review: bj('2026-03-04'), approve: bj('2026-03-05'), pay: bj('2026-03-06') });
    expect(act(plain, { action: 'record_registration', registrationRef: 'R' }, USERS.operator2, bj('2026-03-09')).transfer.state).to.equal(
      'completed',
    );
  });

  it('shows the price as a percent of NAV: the book price, or the percent implied by an awarded amount', () => {
    const book = open(bookTrade());
    expect(pricePctOf(book.pricing, book.quantity)).to.equal('87.50');
    const award = openSigned(listingAward());
    expect(pricePctOf(award.pricing, award.quantity)).to.equal('80.00'); // 4,800,000.00 / (1.2 × 5,000,000)
  });

  it('never mutates the transfer it is given', () => {
    const t = deepFreeze(open(bookTrade({ rofrEnabled: true })));
    const before = JSON.stringify(t);
    act(t, { action: 'rofr_exercise' }, USERS.lpA, bj('2026-03-03'));
    act(t, { action: 'tick' }, null, bj('2026-05-01'));
    expect(JSON.stringify(t)).to.equal(before);
  });
});

describe('transfer workflow: GP refusal, rejection and four eyes', () => {
  it("a GP refusal with a reason ends the transfer as refused and releases the seller's units", () => {
    const t = open(bookTrade());
    const r = act(t, { action: 'gp_refuse', reason: 'Buyer is a competitor of a portfolio company' }, USERS.gp, bj('2026-03-04'));
    expect(r.transfer.state).to.equal('refused');
    expect(r.transfer.outcome).to.deep.include({
      kind: 'refused',
      step: 'gp_consent',
      reason: 'Buyer is a competitor of a portfolio company',
      by: 'u-gp',
    });
    expect(stepState(r.transfer)).to.deep.include({ gp_consent: 'refused', review: 'cancelled', registration: 'cancelled' });
    expect(ofType(r.events, 'units_released')).to.deep.equal([
      { type: 'units_released', transferId: 'tr-1', fundId: 'fund-1', orgId: 'org-seller', quantity: '5000000' },
    ]);
    expect(ofType(r.events, 'listing_reopened')).to.have.length(0);
  });

  it('a GP refusal without a reason (missing or blank) is refused with VALIDATION_FAILED and changes nothing', () => {
    const t = open(bookTrade());
    expectRefused(attempt(t, { action: 'gp_refuse' }, USERS.gp, bj('2026-03-04')), 'VALIDATION_FAILED');
    expectRefused(attempt(t, { action: 'gp_refuse', reason: '   ' }, USERS.gp, bj('2026-03-04')), 'VALIDATION_FAILED');
    expect(t.state).to.equal('gp_consent_pending');
  });

  it(
    'a reference the confirmation prints (bank, registration, AMAC, ' +
      'state-owned equity) with a control character is refused with ' +
      'VALIDATION_FAILED when entered',
    () => {
      const approved = act(
        act(openSigned(listingAward()), { action: 'review' }, USERS.operator1, bj('2026-03-04')).transfer,
        { action: 'approve' },
        USERS.operator2,
        bj('2026-03-05'),
      ).transfer;
      for (const bankRef of ['BR-\u0007-1', 'BR\t2', 'BR\n3', 'BR-\u0085-4']) {
        expect(
          expectRefused(attempt(approved, { action: 'confirm_payment', bankRef }, USERS.operator1, bj('2026-03-06')), 'VALIDATION_FAILED'),
        ).to.match(/bankRef.*control/);
      }
      // surrounding blanks are trimmed
      const paid = act(approved, { action: 'confirm_payment', bankRef: '  BR-5 \n' }, USERS.operator1, bj('2026-03-06')).transfer;
      expect(paid.allocations[0]!.payment!.bankRef).to.equal('BR-5');
      const ok = { registrationRef: 'SAMR-1', stateEquityRef: 'SASAC-1' };
      for (const field of ['registrationRef', 'amacRef', 'stateEquityRef'] as const) {
        const r = attempt(paid, { action: 'record_registration', ...ok, [field]: 'REF-\u001b-1' }, USERS.operator2, bj('2026-03-09'));
        expect(expectRefused(r, 'VALIDATION_FAILED')).to.match(new RegExp(`${field}.*control`));
      }
      // VALIDATION_FAILED comes before the rule codes (results.ts): even the payment's confirmer hears of the reference first.
      expectRefused(
        attempt(paid, { action: 'record_registration', ...ok, registrationRef: 'R-\u0007' }, USERS.operator1, bj('2026-03-09')),
        'VALIDATION_FAILED',
      );
      expect(
        act(paid, { action: 'record_registration', ...ok, amacRef: 'AMAC 2026/7' }, USERS.operator2, bj('2026-03-09')).transfer.state,
      ).to.equal('completed');
    },
  );

  it('the operator who reviewed may not approve (FOUR_EYES); a second operator may', () => {
    const t = act(open(bookTrade({ gpConsentRequired: false })), { action: 'review' }, USERS.operator1, bj('2026-03-03')).transfer;
    expectRefused(attempt(t, { action: 'approve' }, USERS.operator1, bj('2026-03-03')), 'FOUR_EYES');
    expect(nextActor(t).waitingOn[0]).to.deep.equal({ role: 'operator', orgIds: [], excludedUserIds: ['u-op1'] });
    expect(act(t, { action: 'approve' }, USERS.operator2, bj('2026-03-03')).transfer.state).to.equal('payment_pending');
  });

  it('the operator who confirmed a payment may not record the registration (FOUR_EYES); another operator may', () => {
    const t = reviewApprovePay(open(bookTrade({ gpConsentRequired: false })), {
      review: bj('2026-03-03'),
      approve: bj('2026-03-04'),
      pay: bj('2026-03-05'),
    });
    expect(t.allocations[0]!.payment).to.include({ by: 'u-op1' }); // who confirmed is recorded on the leg
    expect(
      expectRefused(attempt(t, { action: 'record_registration', registrationRef: 'R' }, USERS.operator1, bj('2026-03-06')), 'FOUR_EYES'),
    ).to.match(/confirmed a payment/);
    expect(expectRefused(attempt(t, { action: 'record_registration' }, USERS.operator1, bj('2026-03-06')), 'VALIDATION_FAILED')).to.match(
      /registrationRef/,
    );
    expect(nextActor(t).waitingOn[0]).to.deep.equal({ role: 'operator', orgIds: [], excludedUserIds: ['u-op1'] });
    expect(availableActions(t, USERS.operator1)).to.deep.equal([]);
    expect(availableActions(t, USERS.operator2)).to.deep.equal(['record_registration']);
    expect(act(t, { action: 'record_registration', registrationRef: 'R' }, USERS.operator2, bj('2026-03-06')).transfer.state).to.equal(
      'completed',
    );
  });

  it('with several legs, no operator who confirmed any of their payments may record the registration', () => {
    const operator3 = { userId: 'u-op3', orgId: 'org-exchange', roles: ['operator'] as const };
    let t = open(bookTrade({ rofrEnabled: true, gpConsentRequired: false }));
    t = act(t, { action: 'rofr_exercise' }, USERS.lpA, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_exercise' }, USERS.lpB, bj('2026-03-03')).transfer;
    t = act(t, { action: 'rofr_waive' }, USERS.lpC, bj('2026-03-03')).transfer;
    t = act(t, { action: 'review' }, USERS.operator1, bj('2026-03-04')).transfer;
    t = act(t, { action: 'approve' }, USERS.operator2, bj('2026-03-05')).transfer;
    expect(t.allocations.map((a) => a.buyerOrgId)).to.deep.equal(['org-lp-a', 'org-lp-b', 'org-buyer1']);
    t = act(t, { action: 'confirm_payment', bankRef: 'B1', buyerOrgId: 'org-lp-a' }, USERS.operator1, bj('2026-03-06')).transfer;
    t = act(t, { action: 'confirm_payment', bankRef: 'B2', buyerOrgId: 'org-lp-b' }, USERS.operator2, bj('2026-03-06')).transfer;
    t = act(t, { action: 'confirm_payment', bankRef: 'B3', buyerOrgId: 'org-buyer1' }, USERS.operator2, bj('2026-03-06')).transfer;
    for (const op of [USERS.operator1, USERS.operator2])
      expectRefused(attempt(t, { action: 'record_registration', registrationRef: 'R' }, op, bj('2026-03-09')), 'FOUR_EYES');
    expect(nextActor(t).waitingOn[0]!.excludedUserIds).to.deep.equal(['u-op1', 'u-op2']);
    expect(act(t, { action: 'record_registration', registrationRef: 'R' }, operator3, bj('2026-03-09')).transfer.state).to.equal(
      'completed',
    );
  });

  it('a rejection needs a reason, ends the transfer as rejected and refunds the listing deposit', () => {
    const t = act(openSigned(listingAward()), { action: 'review' }, USERS.operator1, bj('2026-03-03')).transfer;
    expectRefused(attempt(t, { action: 'reject' }, USERS.operator2, bj('2026-03-03')), 'VALIDATION_FAILED');
    const r = act(t, { action: 'reject', reason: 'Buyer qualification expired' }, USERS.operator2, bj('2026-03-03'));
    expect(r.transfer.state).to.equal('rejected');
    expect(stepState(r.transfer)).to.deep.include({ review: 'done', approval: 'refused', payment: 'cancelled' });
    expect(ofType(r.events, 'deposit_refund_due')[0]).to.deep.include({ orgId: 'org-buyer1', amount: '1000000.00' });
    expect(ofType(r.events, 'units_released')).to.have.length(1);
  });

  it("the review refuses a transfer that fails an eligibility check, with that check's code", () => {
    const t = open(bookTrade({ gpConsentRequired: false }));
    const facts = {
      buyers: [{ orgId: 'org-buyer1', qualified: true, lastDisposedOn: null, heldBefore: '0' }],
      minHolding: '1000000',
      investorCountAfter: 50,
      investorCap: 50,
      sellerLastAcquiredOn: null,
    };
    expect(act(t, { action: 'review' }, USERS.operator1, bj('2026-03-03'), { eligibility: facts }).transfer.state).to.equal(
      'approval_pending',
    );
    const unqualified = { ...facts, buyers: [{ orgId: 'org-buyer1', qualified: false, lastDisposedOn: null, heldBefore: '0' }] };
    expectRefused(attempt(t, { action: 'review' }, USERS.operator1, bj('2026-03-03'), { eligibility: unqualified }), 'BUYER_NOT_QUALIFIED');
    expectRefused(
      attempt(t, { action: 'review' }, USERS.operator1, bj('2026-03-03'), { eligibility: { ...facts, investorCountAfter: 51 } }),
      'INVESTOR_CAP_REACHED',
    );
    // The minimum holding is checked again at review: a newcomer below it is refused; one who already holds is not.
    const aboveLeg = { ...facts, minHolding: '99000000' };
    expectRefused(attempt(t, { action: 'review' }, USERS.operator1, bj('2026-03-03'), { eligibility: aboveLeg }), 'BELOW_MIN_HOLDING');
    const holder = { ...aboveLeg, buyers: [{ orgId: 'org-buyer1', qualified: true, lastDisposedOn: null, heldBefore: '5000000' }] };
    expect(attempt(t, { action: 'review' }, USERS.operator1, bj('2026-03-03'), { eligibility: holder }).ok).to.equal(true);
    // Acquired Wed 25 Feb 2026; the trade on Mon 2 March is only 3 working days later (26, 27 Feb, 2 Mar).
    const roundTrip = { ...facts, sellerLastAcquiredOn: '2026-02-25' };
    expectRefused(attempt(t, { action: 'review' }, USERS.operator1, bj('2026-03-03'), { eligibility: roundTrip }), 'ROUND_TRIP_TOO_SOON');
    const longAgo = { ...facts, sellerLastAcquiredOn: '2026-02-20' };
    expect(attempt(t, { action: 'review' }, USERS.operator1, bj('2026-03-03'), { eligibility: longAgo }).ok).to.equal(true);
  });

  it('registration refuses a seller position smaller than the quantity (INSUFFICIENT_POSITION)', () => {
    let t = open(bookTrade({ gpConsentRequired: false }));
    t = reviewApprovePay(t, { review: bj('2026-03-03'), approve: bj('2026-03-04'), pay: bj('2026-03-05') });
    const r = attempt(t, { action: 'record_registration', registrationRef: 'R' }, USERS.operator2, bj('2026-03-06'), {
      sellerPosition: { commitment: '4000000', paidIn: '1000000.00' },
    });
    expectRefused(r, 'INSUFFICIENT_POSITION');
    expect(
      act(t, { action: 'record_registration', registrationRef: 'R' }, USERS.operator2, bj('2026-03-06'), {
        sellerPosition: SELLER_POSITION,
      }).transfer.state,
    ).to.equal('completed');
  });

  it('uses every holder given, minus the seller, the buyer and duplicates', () => {
    const t = open(
      bookTrade(
        { rofrEnabled: true },
        { rofrHolders: [...HOLDERS, HOLDERS[0]!, { orgId: 'org-buyer1', commitment: '1', stateOwned: false }] },
      ),
    );
    expect(t.rofr!.holders.map((h) => h.orgId)).to.deep.equal(['org-lp-a', 'org-lp-b', 'org-lp-c']);
  });
});
