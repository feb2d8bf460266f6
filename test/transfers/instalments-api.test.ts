/**
 * An instalment deal over HTTP, on each database: a state-owned listing that allows instalments is
 * awarded; the buyer chooses a plan (the rules refused with their figures), both sign, two operators
 * approve; each instalment is recorded by one operator and confirmed by another, escrow fills with
 * principal and interest; registration waits for the last one, by an operator who confirmed none; the seller
 * is paid consideration + interest − fee, the ledgers balance, and the confirmation PDF lists the plan.
 */
import { expect } from 'chai';
import { Dec } from '../../shared/decimal';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { stateOwnedListingBody } from '../support/listing-body';
import { missingPdfTools, pdfText, squash } from '../confirmations/pdf-tools';
import { cashBalanceOf, expectConservation } from './http-helpers';

const GUARANTEE = 'BOC-LG-2026-0918';
const PLAN = {
  action: 'choose_payment',
  method: 'instalments',
  guaranteeRef: GUARANTEE,
  instalments: [
    { amount: '45000000.00' },
    { amount: '52500000.00', monthsAfterContract: 6 },
    { amount: '52500000.00', monthsAfterContract: 12 },
  ],
};

/** The calls both suites make, as the given users of a running test exchange. */
function instalmentCalls(t: () => TestExchange) {
  const listingAct = async (user: string, id: string, body: Record<string, unknown>) =>
    ok(await t().call('POST', `/api/listings/${id}/actions`, { token: await t().login(user), body }));
  const act = async (user: string, id: string, body: Record<string, unknown>) =>
    t().call('POST', `/api/transfers/${id}/actions`, { token: await t().login(user), body });
  const setClock = async (at: string) =>
    ok(await t().call('POST', '/api/admin/clock', { token: await t().login('operator1'), body: { set: at } }));
  const balance = (account: string) => cashBalanceOf(t().exchange.handle.db, account);
  /**
   * lp-soe's listing of `bj-sci-fof-2022` (no ROFR or GP consent, so the award goes straight to signing and review),
   * allowing instalments at 3.45%, awarded to buyer1 by negotiation through the qualification handshake.
   */
  const awardInstalmentListing = async (depositRef: string): Promise<{ listing: any; transferId: string }> => {
    const body = stateOwnedListingBody({ fundId: 'bj-sci-fof-2022', instalments: { allowed: true, interestRatePct: '3.45' } });
    const listing = ok(await t().call('POST', '/api/listings', { token: await t().login('lp-soe'), body }), 201);
    await listingAct('lp-soe', listing.id, { action: 'submit' });
    await listingAct('operator1', listing.id, { action: 'review' });
    await listingAct('operator2', listing.id, { action: 'approve' });
    ok(await t().call('POST', `/api/listings/${listing.id}/registrations`, { token: await t().login('buyer1') }), 201);
    await listingAct('operator1', listing.id, { action: 'qualify', orgId: 'org-buyer1' });
    // The state-owned transferor agrees to the exchange's opinion (the handshake) before the deposit.
    await listingAct('lp-soe', listing.id, { action: 'seller_answer', orgId: 'org-buyer1', answer: 'agree' });
    await listingAct('operator2', listing.id, { action: 'confirm_deposit', orgId: 'org-buyer1', bankRef: depositRef });
    const end = ok(await t().call('GET', `/api/listings/${listing.id}`, { token: await t().login('operator1') }))
      .disclosureEndDate as string;
    await setClock(new Date(Date.parse(`${end}T10:00:00+08:00`) + 24 * 3600_000).toISOString());
    expect((await listingAct('operator1', listing.id, { action: 'award' })).state).to.equal('award_pending');
    expect((await listingAct('operator2', listing.id, { action: 'confirm_award' })).state).to.equal('awarded');
    const trade = await t()
      .exchange.handle.db.selectFrom('trades')
      .select('transferId')
      .where('listingId', '=', listing.id)
      .executeTakeFirstOrThrow();
    return { listing, transferId: trade.transferId! };
  };
  return { act, setClock, balance, awardInstalmentListing };
}

describeEachDatabase('payment by instalments of a state-owned award, over HTTP', (kind) => {
  let t: TestExchange;
  before(async function () {
    this.timeout(60_000);
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z', QUOTES_POLL_MS: '600000' });
  });
  after(async () => {
    await t?.stop();
  });

  const { act, setClock, balance, awardInstalmentListing } = instalmentCalls(() => t);
  const view = async (user: string, id: string) => ok(await t.call('GET', `/api/transfers/${id}`, { token: await t.login(user) }));

  let transferId = '';
  let sellerBefore = '';

  it('refuses instalments on a listing that is not state-owned; a state-owned one allows them at its rate', async () => {
    const privateBody = { ...stateOwnedListingBody(), stateOwned: undefined, fundId: 'bj-sci-fof-2022', quantity: '50000000' };
    const refused = await t.call('POST', '/api/listings', {
      token: await t.login('lp'),
      body: { ...privateBody, instalments: { allowed: true, interestRatePct: '3.45' } },
    });
    expectProblem(refused, 400, 'VALIDATION_FAILED');
    expect(refused.body.detail).to.match(/state-owned/);
    const awarded = await awardInstalmentListing('ICBC-DEP-1');
    expect(awarded.listing.instalments).to.deep.equal({ interestRatePct: '3.45' });
    transferId = awarded.transferId;
    const v = await view('buyer1', transferId);
    expect(v.instalmentTerms).to.deep.equal({ interestRatePct: '3.45', minFirstPct: '30', firstWorkingDays: 5, balanceMaxMonths: 12 });
    expect(v.availableActions).to.include('choose_payment');
  });

  it('refuses a plan that breaks the rules, each with its code and figures', async () => {
    const first = {
      ...PLAN,
      instalments: [{ amount: '44999999.99' }, { ...PLAN.instalments[1] }, { amount: '52500000.01', monthsAfterContract: 12 }],
    };
    const low = await act('buyer1', transferId, first);
    expectProblem(low, 422, 'INSTALMENT_PLAN_INVALID');
    expect(low.body.params).to.include({ reason: 'first_below_minimum', minimum: '45000000.00' });
    const late = { ...PLAN, instalments: [PLAN.instalments[0], PLAN.instalments[1], { ...PLAN.instalments[2], monthsAfterContract: 13 }] };
    const tooLate = await act('buyer1', transferId, late);
    expectProblem(tooLate, 422, 'INSTALMENT_PLAN_INVALID');
    expect(tooLate.body.params).to.include({ reason: 'balance_too_late' });
    const { guaranteeRef: _g, ...unguaranteed } = PLAN;
    expectProblem(await act('buyer1', transferId, unguaranteed), 400, 'VALIDATION_FAILED');
    expectProblem(await act('lp-soe', transferId, PLAN), 403, 'FORBIDDEN');
    const zh = await t.call('POST', `/api/transfers/${transferId}/actions`, {
      token: await t.login('buyer1'),
      body: first,
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(zh.body.detail).to.include('4,500万元');
  });

  it('the buyer chooses instalments, both sign, two operators approve: the contract date fixes dates and interest', async () => {
    ok(await act('buyer1', transferId, PLAN));
    ok(await act('lp-soe', transferId, { action: 'sign' }));
    ok(await act('buyer1', transferId, { action: 'sign' }));
    expect((await view('operator1', transferId)).state).to.equal('review_pending');
    ok(await act('operator1', transferId, { action: 'review' }));
    const v = ok(await act('operator2', transferId, { action: 'approve' }));
    expect(v.state).to.equal('payment_pending');
    expect(v.paymentPlan).to.include({ method: 'instalments', guaranteeRef: GUARANTEE, interestRatePct: '3.45', dayCount: 'ACT/365' });
    const legs = v.allocations[0].instalments;
    expect(legs.map((l: any) => l.instalment.amount)).to.deep.equal(['45000000.00', '52500000.00', '52500000.00']);
    expect(legs[0].amountDue).to.equal('15000000.00'); // the 30,000,000.00 deposit counts toward the first
    expect(legs.every((l: any) => l.instalment.dueDate !== null && l.state === 'due')).to.equal(true);
    expect(v.allocations[0].interest).to.equal(v.paymentPlan.totalInterest);
    sellerBefore = await balance('bank:org-lp-soe');
  });

  it('each instalment is recorded by one operator and confirmed by another; registration waits for the last', async () => {
    const pay = async (n: number) => {
      ok(await act('operator1', transferId, { action: 'confirm_payment', instalment: n, bankRef: `ICBC-INST-${n}` }));
      expectProblem(
        await act('operator1', transferId, { action: 'confirm_payment', instalment: n, bankRef: `ICBC-INST-${n}` }),
        409,
        'FOUR_EYES',
      );
      return ok(await act('operator2', transferId, { action: 'confirm_payment', instalment: n, bankRef: `ICBC-INST-${n}` }));
    };
    let v = await pay(1);
    expect(await balance('escrow')).to.equal('45000000.00');
    const second = v.allocations[0].instalments[1];
    expect(v.steps.find((s: any) => s.name === 'payment').deadline).to.equal(second.instalment.dueDate);
    expect(v.allocations[0].instalments[0]).to.deep.include({ state: 'confirmed' });
    expect(v.allocations[0].instalments[0].recorded).to.include({ userId: 'user-operator1', bankRef: 'ICBC-INST-1' });
    await setClock(`${second.instalment.dueDate}T02:00:00Z`);
    v = await pay(2);
    expect(await balance('escrow')).to.equal(new Dec('97500000.00').plus(second.interest).toFixed(2));
    const registration = { action: 'record_registration', registrationRef: 'SAMR-1', stateEquityRef: 'SASAC-EQ-1' };
    expectProblem(await act('operator1', transferId, registration), 409, 'INVALID_STATE');
    await setClock(`${v.allocations[0].instalments[2].instalment.dueDate}T02:00:00Z`);
    v = await pay(3);
    expect(v.state).to.equal('registration_pending');
    expectProblem(await act('operator2', transferId, registration), 409, 'FOUR_EYES');
    const done = ok(await act('operator1', transferId, registration));
    expect(done.state).to.equal('completed');
    expect(done.confirmationNumber).to.be.a('string');
  });

  it('conserves cash across the deal: the seller gets consideration + interest − fee, escrow and deposits end empty', async () => {
    const v = await view('lp-soe', transferId);
    const interest = v.paymentPlan.totalInterest as string;
    expect(new Dec(interest).gt(new Dec('0'))).to.equal(true);
    // 150,000,000.00 + interest − the seller's fee (5 bps: 75,000.00).
    const proceeds = new Dec('150000000.00').plus(interest).minus(new Dec('75000.00')).toFixed(2);
    expect(v.sellerProceeds).to.equal(proceeds);
    expect(new Dec(await balance('bank:org-lp-soe')).minus(sellerBefore).toFixed(2)).to.equal(proceeds);
    expect(await balance('escrow')).to.equal('0.00');
    expect(await balance('deposits')).to.equal('0.00');
    await expectConservation(t.exchange.handle.db);
  });

  it('prints the plan on the confirmation PDF: each instalment with its date and amount, the guarantee and the rate', async function () {
    if (missingPdfTools().includes('pdftotext')) {
      console.log('      SKIPPED: needs pdftotext (poppler-utils)');
      this.skip();
    }
    const v = await view('lp-soe', transferId);
    const pdf = Buffer.from(
      await (
        await fetch(`${t.baseUrl}/api/transfers/${transferId}/confirmation.pdf`, {
          headers: { authorization: `Bearer ${await t.login('lp-soe')}` },
        })
      ).arrayBuffer(),
    );
    const text = squash(pdfText(pdf));
    const legs = v.allocations[0].instalments;
    for (const s of ['分期付款', 'Instalments', GUARANTEE, '3.45%', 'ACT/365', '45,000,000.00', '52,500,000.00', 'ICBC-INST-3'])
      expect(text, s).to.include(squash(s));
    for (const l of legs) expect(text, l.instalment.dueDate).to.include(l.instalment.dueDate);
    expect(text).to.include(squash(legs[1].interest.replace(/\B(?=(\d{3})+(?!\d))/g, ',')));
  });
});

describeEachDatabase(
  'a missed instalment over HTTP: the transfer fails, the deposit goes to the seller, the rest back to the buyer',
  (kind) => {
    let t: TestExchange;
    before(async function () {
      this.timeout(60_000);
      t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z', QUOTES_POLL_MS: '600000' });
    });
    after(async () => {
      await t?.stop();
    });

    const calls = instalmentCalls(() => t);
    const { setClock, balance, awardInstalmentListing } = calls;
    const act = async (user: string, id: string, body: Record<string, unknown>) => ok(await calls.act(user, id, body));

    it('fails at 00:00 after the missed due date with the documented consequences, and cash is conserved', async () => {
      const { listing: l, transferId: id } = await awardInstalmentListing('ICBC-DEP-2');
      const db = t.exchange.handle.db;
      await act('buyer1', id, PLAN);
      await act('lp-soe', id, { action: 'sign' });
      await act('buyer1', id, { action: 'sign' });
      await act('operator1', id, { action: 'review' });
      await act('operator2', id, { action: 'approve' });
      await act('operator1', id, { action: 'confirm_payment', instalment: 1, bankRef: 'ICBC-1' });
      const paid = await act('operator2', id, { action: 'confirm_payment', instalment: 1, bankRef: 'ICBC-1' });
      const [seller, buyer] = [await balance('bank:org-lp-soe'), await balance('bank:org-buyer1')];
      const due = paid.allocations[0].instalments[1].instalment.dueDate as string;
      await setClock(new Date(Date.parse(`${due}T10:00:00+08:00`) + 24 * 3600_000).toISOString());
      let state = '';
      for (let i = 0; i < 50 && state !== 'failed'; i++) {
        state = (await db.selectFrom('transfers').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
        if (state !== 'failed') await new Promise((r) => setTimeout(r, 100));
      }
      const failed = ok(await t.call('GET', `/api/transfers/${id}`, { token: await t.login('buyer1') }));
      expect(failed).to.deep.include({ state: 'failed' });
      expect(failed.outcome).to.include({ step: 'payment' });
      // The 30,000,000.00 deposit to the seller; the 15,000,000.00 the buyer wired for the first instalment back to it.
      expect(new Dec(await balance('bank:org-lp-soe')).minus(seller).toFixed(2)).to.equal('30000000.00');
      expect(new Dec(await balance('bank:org-buyer1')).minus(buyer).toFixed(2)).to.equal('15000000.00');
      expect(await balance('escrow')).to.equal('0.00');
      expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: await t.login('lp-soe') }))).to.include({
        state: 'closed',
        branch: 'no_buyer',
      });
      await expectConservation(db);
    });
  },
);
