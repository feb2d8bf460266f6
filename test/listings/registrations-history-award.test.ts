/**
 * api.md "Who registered for a listing, and what happened to it" and "What each side pays and
 * receives": the registrations endpoint (who sees which rows), the listing's history with reasons,
 * the award once complete, and the transfer's amounts due, escrow account, due date, seller's fee
 * and proceeds.
 */
import { expect } from 'chai';
import { Dec } from '../../shared/decimal';
import { describeEachDatabase } from '../support/databases';
import { startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { stateOwnedListingBody } from '../support/listing-body';

const listingBody = stateOwnedListingBody();

describeEachDatabase('who registered for a listing, what happened to it, and what each side pays', (kind) => {
  let t: TestExchange;
  let soe: string, op1: string, op2: string, b1: string, b2: string, gp: string;
  before(async () => {
    t = await startTestExchange(kind, {
      CLOCK: 'simulated',
      CLOCK_START: '2026-09-14T01:00:00Z',
      QUOTES_POLL_MS: '600000',
      ESCROW_BANK: 'Test Bank Beijing',
      ESCROW_ACCOUNT_NAME: 'Exchange escrow',
      ESCROW_ACCOUNT_NUMBER: '6222 0000 1111',
    });
    [soe, op1, op2, b1, b2, gp] = (await Promise.all(
      ['lp-soe', 'operator1', 'operator2', 'buyer1', 'buyer2', 'gp'].map((u) => t.login(u)),
    )) as [string, string, string, string, string, string];
  });
  after(async () => {
    await t?.stop();
  });

  const act = async (token: string, id: string, body: Record<string, unknown>) =>
    ok(await t.call('POST', `/api/listings/${id}/actions`, { token, body }));
  const get = async (token: string, path: string) => ok(await t.call('GET', path, { token }));
  const setClock = async (at: string) => ok(await t.call('POST', '/api/admin/clock', { token: op1, body: { set: at } }));

  it("keeps a rejected listing's reason in its history for the seller and operators, and the history from anyone else", async () => {
    const l = ok(await t.call('POST', '/api/listings', { token: soe, body: listingBody }), 201);
    await act(soe, l.id, { action: 'submit' });
    await act(op1, l.id, { action: 'reject', reason: '评估报告缺少备案编号' });
    const seen = await get(soe, `/api/listings/${l.id}`);
    expect(seen.state).to.equal('rejected');
    expect(seen.history.map((h: { action: string }) => h.action)).to.deep.equal(['create', 'submit', 'reject']);
    expect(seen.history[2]).to.deep.include({ action: 'reject', reason: '评估报告缺少备案编号' });
    expect(seen.history[2].by).to.include({ userId: 'user-operator1' }).and.to.have.property('name').that.is.a('string').and.not.equal('');
    expect(seen.stateOwnedDocuments).to.include({ resolutionRef: 'SOE-RES-2026-07', appraisalValue: '150000000.00' });
    expect((await get(op2, `/api/listings/${l.id}`)).history).to.have.length(3);
  });

  it(
    'lists registrations with qualification and deposit status, every row ' + 'for operators and the seller, a buyer only its own',
    async () => {
      const l = ok(await t.call('POST', '/api/listings', { token: soe, body: listingBody }), 201);
      await act(soe, l.id, { action: 'submit' });
      await act(op1, l.id, { action: 'review' });
      await act(op2, l.id, { action: 'approve' });
      for (const b of [b1, b2]) ok(await t.call('POST', `/api/listings/${l.id}/registrations`, { token: b }), 201);

      const before = await get(op1, `/api/listings/${l.id}/registrations`);
      expect(before.map((r: { orgId: string }) => r.orgId)).to.deep.equal(['org-buyer1', 'org-buyer2']);
      expect(before[0]).to.include({
        qualified: null,
        qualifiedAt: null,
        depositStatus: null,
        depositDueDate: null,
        depositBankRef: null,
        depositAmount: '30000000.00',
      });
      expect(before[0].orgName).to.match(/中关村/);

      await act(op1, l.id, { action: 'qualify', orgId: 'org-buyer1' });
      // The qualification handshake: the exchange's opinion waits for the transferor's answer; no deposit falls due yet.
      const opinion = (await get(op2, `/api/listings/${l.id}/registrations`))[0];
      expect(opinion).to.include({ qualified: null, depositStatus: null });
      expect(opinion.handshake).to.include({ status: 'answer_pending', answerDueDate: '2026-10-22' });
      expect((await get(b1, `/api/listings/${l.id}/registrations`))[0].handshake).to.deep.equal({
        status: 'answer_pending',
        answerDueDate: '2026-10-22',
      });
      await act(soe, l.id, { action: 'seller_answer', orgId: 'org-buyer1', answer: 'agree' });
      const due = (await get(op2, `/api/listings/${l.id}/registrations`))[0];
      // Due by the deposit deadline the disclosure end (2026-10-15) gives: 5 + 5 + 3 working days after it.
      expect(due).to.include({ qualified: true, depositStatus: 'due', depositDueDate: '2026-11-03' });
      expect(due.handshake).to.include({ status: 'agreed' });
      expect(due.qualifiedAt).to.be.a('string');
      await act(op2, l.id, { action: 'confirm_deposit', orgId: 'org-buyer1', bankRef: 'ICBC-20260914-001' });

      const rows = await get(soe, `/api/listings/${l.id}/registrations`);
      expect(rows[0]).to.include({ orgId: 'org-buyer1', qualified: true, depositStatus: 'confirmed', depositBankRef: 'ICBC-20260914-001' });
      expect(rows[1]).to.include({ orgId: 'org-buyer2', qualified: null, depositStatus: null });
      const own = await get(b2, `/api/listings/${l.id}/registrations`);
      expect(own.map((r: { orgId: string }) => r.orgId)).to.deep.equal(['org-buyer2']);
      expect(await get(gp, `/api/listings/${l.id}/registrations`)).to.deep.equal([]);
      expect((await t.call('GET', '/api/listings/nope/registrations', { token: op1 })).status).to.equal(404);

      const history = (await get(op1, `/api/listings/${l.id}`)).history as { action: string; orgId?: string }[];
      expect(history.map((h) => h.action)).to.deep.equal([
        'create',
        'submit',
        'review',
        'approve',
        'register',
        'register',
        'qualify',
        'seller_answer',
        'confirm_deposit',
      ]);
      expect(history.find((h) => h.action === 'qualify')).to.include({ orgId: 'org-buyer1' });
      expect((await get(b1, `/api/listings/${l.id}`)).history).to.equal(undefined);
    },
  );

  it(
    'shows the award once complete (winner only to the seller, winner and ' + 'operators) and what each side of its transfer pays',
    async () => {
      const l = ok(await t.call('POST', '/api/listings', { token: soe, body: listingBody }), 201);
      await act(soe, l.id, { action: 'submit' });
      await act(op1, l.id, { action: 'review' });
      await act(op2, l.id, { action: 'approve' });
      for (const [b, orgId] of [
        [b1, 'org-buyer1'],
        [b2, 'org-buyer2'],
      ] as const) {
        ok(await t.call('POST', `/api/listings/${l.id}/registrations`, { token: b }), 201);
        await act(op1, l.id, { action: 'qualify', orgId });
        await act(soe, l.id, { action: 'seller_answer', orgId, answer: 'agree' });
        await act(op2, l.id, { action: 'confirm_deposit', orgId, bankRef: `BANK-${orgId}` });
      }
      // Each test moves the clock further: this listing was approved later than the first test's ones.
      const now = Date.parse(ok(await t.call('GET', '/api/clock', { token: op1 })).now);
      const opens = Date.parse(`${(await get(op1, `/api/listings/${l.id}`)).disclosureEndDate}T00:00:00+08:00`) + 34 * 3600_000;
      await setClock(new Date(Math.max(now, opens) + 10 * 60_000).toISOString());
      expect((await get(b1, `/api/listings/${l.id}`)).state).to.equal('bidding');
      ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b1, body: { amount: '150000000.00' } }), 201);
      ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b2, body: { amount: '152000000.00' } }), 201);
      expect((await get(b1, `/api/listings/${l.id}`)).award).to.equal(undefined);
      await setClock(new Date(Math.max(now, opens) + 3 * 3600_000).toISOString());
      const awarded = await act(op1, l.id, { action: 'award' });
      if (awarded.state === 'award_pending') await act(op2, l.id, { action: 'confirm_award' });

      const forOperator = (await get(op1, `/api/listings/${l.id}`)).award;
      expect(forOperator).to.include({ amount: '152000000.00', orgId: 'org-buyer2' });
      expect(forOperator.pctOfNav).to.match(/^\d+\.\d{2}$/);
      expect((await get(b2, `/api/listings/${l.id}`)).award).to.include({ orgId: 'org-buyer2' });
      const forLoser = (await get(b1, `/api/listings/${l.id}`)).award;
      expect(forLoser).to.have.all.keys('amount', 'pctOfNav', 'at');
      const history = (await get(soe, `/api/listings/${l.id}`)).history as { action: string }[];
      expect(history.map((h) => h.action)).not.to.include('bid');
      expect(history.map((h) => h.action)).to.include('award');

      const trade = await t.exchange.handle.db
        .selectFrom('trades')
        .select('transferId')
        .where('listingId', '=', l.id)
        .executeTakeFirstOrThrow();
      const transfer = await get(b2, `/api/transfers/${trade.transferId}`);
      const leg = transfer.allocations[0];
      // Fees: 5 bps of the consideration rounded up to the fen, at least RMB 1,000.00 (the default schedule).
      const fee = new Dec('152000000.00').times('0.0005').toFixed(2);
      expect(leg).to.include({ consideration: '152000000.00', depositApplied: '30000000.00', buyerFee: fee });
      expect(leg.amountDue).to.equal(new Dec('152000000.00').minus('30000000.00').plus(fee).toFixed(2));
      expect(leg.escrowAccount).to.deep.equal({
        bank: 'Test Bank Beijing',
        accountName: 'Exchange escrow',
        accountNumber: '6222 0000 1111',
      });
      expect(transfer.sellerFee).to.equal(fee);
      expect(transfer.sellerProceeds).to.equal(new Dec('152000000.00').minus(fee).toFixed(2));
      // The due date is the payment step's deadline, once the workflow reaches payment.
      const payment = transfer.steps.find((s: { name: string }) => s.name === 'payment');
      expect(leg.dueDate).to.equal(payment.deadline);
    },
  );
});
