import crypto from 'node:crypto';
import { expect } from 'chai';
import { describeEachDatabase, sqliteKind } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';
import { missingPdfTools, pdfText, qpdfCheck, squash } from '../confirmations/pdf-tools';
import { CLOCK_START, act, actOk, bookTrade, cashBalanceOf, expectConservation, position, view } from './http-helpers';

const FUND = 'bj-ai-2021'; // GP consent required, no ROFR
const LP_NAME = '京华长青投资有限公司';
const BUYER1_NAME = '中关村科创S基金一期（北京）合伙企业（有限合伙）';
const LP_NAME_EN = 'Jinghua Evergreen Investment Co., Ltd.';
const BUYER1_NAME_EN = 'Zhongguancun Sci-Tech Secondary Fund I (Beijing) LP';

describeEachDatabase('the transfer workflow over HTTP', (kind) => {
  let t: TestExchange;
  before(async function () {
    this.timeout(60_000);
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START });
  });
  after(async () => {
    await t?.stop();
  });

  describe('from a book trade to the confirmation', () => {
    let id: string;
    let pdf: Buffer;
    let number: string;
    let auditHead: { count: number; headHash: string };

    it('opens the transfer at GP consent and shows it to its parties, the GP and operators only', async () => {
      id = await bookTrade(t, FUND, '2000000', '88.50');
      const r = await view(t, 'buyer1', id);
      expect(r.status).to.equal(200);
      expect(r.body).to.include({
        id,
        fundId: FUND,
        state: 'gp_consent_pending',
        quantity: '2000000',
        pricePct: '88.50',
        consideration: '1869120.00',
        confirmationNumber: null,
      });
      expect(r.body.seller).to.deep.equal({ orgId: 'org-lp', name: LP_NAME, nameEn: LP_NAME_EN });
      expect(r.body.buyer).to.deep.equal({ orgId: 'org-buyer1', name: BUYER1_NAME, nameEn: BUYER1_NAME_EN });
      expect(r.body.steps.map((s: { name: string; state: string }) => `${s.name}:${s.state}`)).to.deep.equal([
        'rofr:skipped',
        'gp_consent:pending',
        'review:waiting',
        'approval:waiting',
        'payment:waiting',
        'registration:waiting',
      ]);
      expect(r.body.steps[1].deadline).to.match(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.body.availableActions).to.deep.equal([]);
      expect(r.body.nextActor).to.include({ step: 'gp_consent' });
      expect((await view(t, 'gp', id)).body.availableActions).to.deep.equal(['gp_consent', 'gp_refuse']);
      expect((await view(t, 'operator1', id)).status).to.equal(200);
      expectProblem(await view(t, 'buyer2', id), 404, 'NOT_FOUND');
      expectProblem(await view(t, 'lp-soe', id), 404, 'NOT_FOUND');
      expect(await position(t, 'lp', FUND)).to.include({ commitment: '60000000', reserved: '2000000', onOffer: '0' });
    });

    it('refuses the wrong actor (403), the wrong state (409) and a missing field (400), changing nothing', async () => {
      expectProblem(await act(t, 'lp', id, { action: 'gp_consent' }), 403, 'FORBIDDEN');
      expectProblem(await act(t, 'buyer1', id, { action: 'review' }), 403, 'FORBIDDEN');
      expectProblem(await act(t, 'operator1', id, { action: 'approve' }), 409, 'INVALID_STATE');
      expectProblem(await act(t, 'gp', id, { action: 'gp_refuse' }), 400, 'VALIDATION_FAILED');
      expectProblem(await act(t, 'gp', id, { action: 'gp_consent', extra: 1 }), 400, 'VALIDATION_FAILED');
      expectProblem(await act(t, 'buyer2', id, { action: 'gp_consent' }), 404, 'NOT_FOUND');
      expect((await view(t, 'gp', id)).body).to.include({ state: 'gp_consent_pending', version: 1 });
    });

    it('moves through consent, review and approval by two different operators (four eyes)', async () => {
      expect(await actOk(t, 'gp', id, { action: 'gp_consent' })).to.include({ state: 'review_pending' });
      const reviewed = await actOk(t, 'operator1', id, { action: 'review' });
      expect(reviewed).to.include({ state: 'approval_pending' });
      expect(reviewed.availableActions).to.deep.equal(['reject']);
      expectProblem(await act(t, 'operator1', id, { action: 'approve' }), 409, 'FOUR_EYES');
      const approved = await actOk(t, 'operator2', id, { action: 'approve' });
      expect(approved).to.include({ state: 'payment_pending', contractDate: '2026-03-02' });
    });

    it('takes the payment into escrow with its bank reference', async () => {
      expectProblem(await act(t, 'buyer1', id, { action: 'confirm_payment', bankRef: 'BR-1' }), 403, 'FORBIDDEN');
      expectProblem(await act(t, 'operator1', id, { action: 'confirm_payment' }), 400, 'VALIDATION_FAILED');
      const paid = await actOk(t, 'operator1', id, { action: 'confirm_payment', bankRef: 'BR-20260302-0001' });
      expect(paid).to.include({ state: 'registration_pending' });
      expect(paid.allocations[0].payment.bankRef).to.equal('BR-20260302-0001');
      expect(await cashBalanceOf(t.exchange.handle.db, 'escrow')).to.equal('1869120.00');
    });

    it('records registration once (idempotently): ownership moves, the seller is paid less fees, the confirmation is issued', async () => {
      const body = { action: 'record_registration', registrationRef: 'SAMR-2026-0302-17', amacRef: 'AMAC-INV-88812' };
      // Four eyes: operator1 confirmed the payment, so it may not also record the registration.
      expect((await view(t, 'operator1', id)).body.availableActions).to.deep.equal([]);
      expect((await view(t, 'operator2', id)).body.availableActions).to.deep.equal(['record_registration']);
      expectProblem(await act(t, 'operator1', id, body, 'register-by-payment-confirmer'), 409, 'FOUR_EYES');
      expect((await view(t, 'operator1', id)).body.state).to.equal('registration_pending');
      const done = await actOk(t, 'operator2', id, body, 'register-transfer-1');
      expect(done.state).to.equal('completed');
      expect(done.confirmationNumber).to.equal('SFX-2026-000001');
      number = done.confirmationNumber;
      const again = await act(t, 'operator2', id, body, 'register-transfer-1');
      expect(again.status).to.equal(200);
      expect(again.body).to.deep.equal(done);
      expectProblem(await act(t, 'operator2', id, body, 'register-transfer-2'), 409, 'INVALID_STATE');
      expect(await t.exchange.handle.db.selectFrom('confirmations').selectAll().execute()).to.have.length(1);

      expect(await position(t, 'lp', FUND)).to.include({
        commitment: '58000000',
        paidIn: '46400000.00',
        reserved: '0',
        available: '58000000',
      });
      expect(await position(t, 'buyer1', FUND)).to.include({ commitment: '2000000', paidIn: '1600000.00', unfunded: '400000.00' });
      const db = t.exchange.handle.db;
      // 1,869,120.00 less the seller's fee (5 bps = 934.56, minimum 1,000.00); the buyer pays its own minimum fee on top.
      expect(await cashBalanceOf(db, 'bank:org-lp')).to.equal('1868120.00');
      expect(await cashBalanceOf(db, 'bank:org-buyer1')).to.equal('-1870120.00');
      expect(await cashBalanceOf(db, 'fees')).to.equal('2000.00');
      expect(await cashBalanceOf(db, 'escrow')).to.equal('0.00');
      await expectConservation(db);
    });

    it('serves the same stored PDF every time, and anyone can verify its hash', async () => {
      const a = await t.call('GET', `/api/transfers/${id}/confirmation.pdf`, { token: await t.login('buyer1') });
      expect(a.status).to.equal(200);
      expect(a.headers.get('content-type')).to.match(/^application\/pdf/);
      pdf = Buffer.from(
        await (
          await fetch(`${t.baseUrl}/api/transfers/${id}/confirmation.pdf`, { headers: { authorization: `Bearer ${await t.login('lp')}` } })
        ).arrayBuffer(),
      );
      const again = Buffer.from(
        await (
          await fetch(`${t.baseUrl}/api/transfers/${id}/confirmation.pdf`, {
            headers: { authorization: `Bearer ${await t.login('operator1')}` },
          })
        ).arrayBuffer(),
      );
      expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
      expect(again.equals(pdf)).to.equal(true);
      expectProblem(await t.call('GET', `/api/transfers/${id}/confirmation.pdf`, { token: await t.login('buyer2') }), 404, 'NOT_FOUND');
      const v = await t.call('GET', `/api/confirmations/${number}/verify`);
      expect(v.status).to.equal(200);
      expect(v.body).to.include({ valid: true, number, revoked: false, sha256: crypto.createHash('sha256').update(pdf).digest('hex') });
      expect(v.body.issuedAt).to.equal(CLOCK_START);
      // The audit anchor current at issue, one of those published to anyone.
      auditHead = v.body.auditHead;
      expect(auditHead).to.have.keys(['count', 'headHash']);
      const anchors = await t.call('GET', '/api/public/audit/anchors');
      expect(anchors.status).to.equal(200);
      expect(anchors.body.map((a: { count: number; headHash: string }) => ({ count: a.count, headHash: a.headHash }))).to.deep.include(
        auditHead,
      );
      expect((await t.call('GET', `/api/confirmations/${number}/verify?sha256=${'0'.repeat(64)}`)).body).to.include({
        valid: false,
        matches: false,
      });
      expect((await t.call('GET', '/api/confirmations/SFX-2026-999999/verify')).body).to.include({ valid: false, sha256: null });
      expectProblem(await t.call('GET', '/api/confirmations/nonsense/verify'), 400, 'VALIDATION_FAILED');
    });

    it('prints both parties, the consideration and the number, and passes qpdf --check', function () {
      const missing = missingPdfTools().filter((x) => x === 'pdftotext' || x === 'qpdf');
      if (missing.length) {
        console.log(`      SKIPPED: PDF tool checks need ${missing.join(', ')} (poppler-utils, qpdf)`);
        this.skip();
      }
      const text = squash(pdfText(pdf));
      const anchor = `${auditHead.count}:${auditHead.headHash}`;
      for (const s of [LP_NAME, BUYER1_NAME, '1,869,120.00', number, 'BR-20260302-0001', 'SAMR-2026-0302-17', '88.50%', anchor])
        expect(text, s).to.include(squash(s));
      const check = qpdfCheck(pdf);
      expect(check.status, check.output).to.equal(0);
    });

    it('is revoked only by two different operators, with a reason', async () => {
      const [op1, op2] = [await t.login('operator1'), await t.login('operator2')];
      expectProblem(await t.call('POST', `/api/confirmations/${number}/revoke`, { token: op2 }), 409, 'INVALID_STATE');
      expectProblem(
        await t.call('POST', `/api/confirmations/${number}/revoke-requests`, { token: await t.login('buyer1'), body: { reason: 'x' } }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await t.call('POST', `/api/confirmations/${number}/revoke-requests`, { token: op1, body: { reason: ' ' } }),
        400,
        'VALIDATION_FAILED',
      );
      const req = await t.call('POST', `/api/confirmations/${number}/revoke-requests`, {
        token: op1,
        body: { reason: '登记机关撤销变更登记 / registration annulled' },
      });
      expect(req.status, JSON.stringify(req.body)).to.equal(201);
      expectProblem(
        await t.call('POST', `/api/confirmations/${number}/revoke-requests`, { token: op2, body: { reason: 'again' } }),
        409,
        'REVOCATION_PENDING',
      );
      expectProblem(await t.call('POST', `/api/confirmations/${number}/revoke`, { token: op1 }), 409, 'FOUR_EYES');
      expect((await t.call('GET', `/api/confirmations/${number}/verify`)).body).to.include({ valid: true, revoked: false });
      const revoked = await t.call('POST', `/api/confirmations/${number}/revoke`, { token: op2 });
      expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
      const v = (await t.call('GET', `/api/confirmations/${number}/verify`)).body;
      expect(v).to.include({ valid: false, revoked: true });
      expect(v.revokedAt).to.be.a('string');
      expect(v).not.to.have.property('revocationReason'); // the free-text reason is not public
      expect(JSON.stringify(v)).not.to.include('registration annulled');
      // Operators and the transfer's parties read the reason through the authenticated endpoint.
      const detail = await t.call('GET', `/api/confirmations/${number}`, { token: op1 });
      expect(detail.status, JSON.stringify(detail.body)).to.equal(200);
      expect(detail.body).to.include({ number, transferId: id });
      expect(detail.body.revocation).to.include({
        state: 'revoked',
        reason: '登记机关撤销变更登记 / registration annulled',
        revokedAt: v.revokedAt,
      });
      expect(detail.body.revocation.requestedBy).to.be.a('string').and.not.equal(detail.body.revocation.revokedBy);
      const party = await t.call('GET', `/api/confirmations/${number}`, { token: await t.login('buyer1') });
      expect(party.status).to.equal(200);
      expect(party.body.revocation).to.include({ state: 'revoked', reason: '登记机关撤销变更登记 / registration annulled' });
      expect(party.body.revocation).not.to.have.property('requestedBy');
      expectProblem(await t.call('GET', `/api/confirmations/${number}`, { token: await t.login('buyer2') }), 404, 'NOT_FOUND');
      expect((await t.call('GET', `/api/confirmations/${number}`)).status).to.equal(401);
      const still = Buffer.from(
        await (
          await fetch(`${t.baseUrl}/api/transfers/${id}/confirmation.pdf`, { headers: { authorization: `Bearer ${op1}` } })
        ).arrayBuffer(),
      );
      expect(still.equals(pdf)).to.equal(true);
    });
  });

  describe('ending without a transfer of ownership', () => {
    it("a GP refusal ends the transfer and frees the seller's units", async () => {
      const before = await position(t, 'lp', FUND);
      const id = await bookTrade(t, FUND, '3000000', '87.00', 'lp', 'buyer2');
      expect(await position(t, 'lp', FUND)).to.include({ reserved: '3000000' });
      const refused = await actOk(t, 'gp', id, {
        action: 'gp_refuse',
        reason: '受让方不符合合伙协议要求 / the buyer does not meet the agreement',
      });
      expect(refused).to.include({ state: 'refused' });
      expect(refused.outcome).to.include({ kind: 'refused', step: 'gp_consent' });
      expect(refused.steps.map((s: { state: string }) => s.state)).to.deep.equal([
        'skipped',
        'refused',
        'cancelled',
        'cancelled',
        'cancelled',
        'cancelled',
      ]);
      expect(await position(t, 'lp', FUND)).to.deep.equal(before);
      expectProblem(await act(t, 'gp', id, { action: 'gp_consent' }), 409, 'INVALID_STATE');
      expectProblem(await t.call('GET', `/api/transfers/${id}/confirmation.pdf`, { token: await t.login('lp') }), 404, 'NOT_FOUND');
      await expectConservation(t.exchange.handle.db);
    });

    it('an operator rejection at review frees the units as well', async () => {
      const id = await bookTrade(t, 'bj-bio-2020', '1000000', '70.00', 'lp', 'buyer2'); // no ROFR, no GP consent
      expect((await view(t, 'operator1', id)).body.state).to.equal('review_pending');
      expectProblem(await act(t, 'operator1', id, { action: 'reject' }), 400, 'VALIDATION_FAILED');
      expect(await actOk(t, 'operator1', id, { action: 'reject', reason: 'incomplete documents' })).to.include({ state: 'rejected' });
      expect(await position(t, 'lp', 'bj-bio-2020')).to.include({ reserved: '0', available: '30000000' });
    });
  });

  describe('lists', () => {
    it('gives operators their queue, oldest deadline first, and others only what they may see', async () => {
      const open = await bookTrade(t, 'bj-space-2023', '1000000', '95.00', 'lp', 'buyer2');
      const queue = (await t.call('GET', '/api/transfers', { token: await t.login('operator1') })).body;
      expect(queue.map((x: { id: string }) => x.id)).to.include(open);
      expect(queue.every((x: { state: string }) => !['completed', 'refused', 'rejected', 'failed'].includes(x.state))).to.equal(true);
      const deadlines = queue.map((x: { nextActor: { deadline: string } }) => x.nextActor.deadline);
      expect(deadlines).to.deep.equal([...deadlines].sort());
      const gp = (await t.call('GET', '/api/transfers', { token: await t.login('gp') })).body;
      expect(gp.length).to.equal(4);
      const b1 = (await t.call('GET', '/api/transfers', { token: await t.login('buyer1') })).body;
      expect(b1.map((x: { state: string }) => x.state)).to.deep.equal(['completed']);
      const completed = (await t.call('GET', '/api/transfers?state=completed', { token: await t.login('operator2') })).body;
      expect(completed).to.have.length(1);
      expect((await t.call('GET', '/api/transfers?queue=review', { token: await t.login('operator2') })).body).to.deep.equal([]);
      expect((await t.call('GET', '/api/transfers', { token: await t.login('lp-soe') })).body).to.deep.equal([]);
    });
  });
});

describe('the transfer workflow with a configured fee schedule', () => {
  let t: TestExchange;
  before(async function () {
    this.timeout(60_000);
    t = await startTestExchange(sqliteKind, {
      CLOCK: 'simulated',
      CLOCK_START,
      FEE_SELLER_BPS: '10',
      FEE_SELLER_MIN: '0.00',
      FEE_BUYER_BPS: '20',
      FEE_BUYER_MIN: '500.00',
    });
  });
  after(async () => {
    await t?.stop();
  });

  it('charges the schedule the exchange was configured with (FEE_SELLER_BPS and the like)', async () => {
    const id = await bookTrade(t, FUND, '2000000', '88.50'); // consideration 1,869,120.00
    await actOk(t, 'gp', id, { action: 'gp_consent' });
    await actOk(t, 'operator1', id, { action: 'review' });
    await actOk(t, 'operator2', id, { action: 'approve' });
    await actOk(t, 'operator1', id, { action: 'confirm_payment', bankRef: 'BR-FEES-1' });
    expect(await actOk(t, 'operator2', id, { action: 'record_registration', registrationRef: 'SAMR-FEES-1' })).to.include({
      state: 'completed',
    });
    const db = t.exchange.handle.db;
    // Seller: 10 bps of 1,869,120.00 = 1,869.12; buyer: 20 bps = 3,738.24 (above its 500.00 minimum).
    expect(await cashBalanceOf(db, 'bank:org-lp')).to.equal('1867250.88');
    expect(await cashBalanceOf(db, 'bank:org-buyer1')).to.equal('-1872858.24');
    expect(await cashBalanceOf(db, 'fees')).to.equal('5607.36');
    await expectConservation(db);
  });
});
