import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';
import { CLOCK_START, act, actOk, bookTrade, expectConservation, position, view } from './http-helpers';

const ROFR_FUND = 'bj-ic-2019'; // ROFR and GP consent; lp-soe, lp-guidance and lp-others hold the rest

describeEachDatabase('transfers driven by the exchange clock', (kind) => {
  let t: TestExchange;
  before(async function () {
    this.timeout(60_000);
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START });
  });
  after(async () => {
    await t?.stop();
  });

  const advance = async (duration: string) => {
    const r = await t.call('POST', '/api/admin/clock', { token: await t.login('operator1'), body: { advance: duration } });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return r.body.now as string;
  };

  it('ROFR: another LP exercises and takes the whole trade when the window closes; the rest of the workflow follows', async () => {
    const id = await bookTrade(t, ROFR_FUND, '2000000', '80.00', 'lp', 'buyer1');
    const soe = await view(t, 'lp-soe', id);
    expect(soe.status).to.equal(200);
    expect(soe.body.state).to.equal('rofr_pending');
    expect(soe.body.availableActions).to.deep.equal(['rofr_waive', 'rofr_exercise']);
    expect(soe.body.rofr.holders.map((h: { orgId: string }) => h.orgId)).to.deep.equal(['org-lp-soe']);
    const holders = (await view(t, 'operator1', id)).body.rofr.holders.map((h: { orgId: string }) => h.orgId);
    expect(holders.sort()).to.deep.equal(['org-lp-guidance', 'org-lp-others', 'org-lp-soe']);
    const soeList = (await t.call('GET', '/api/transfers', { token: await t.login('lp-soe') })).body;
    expect(soeList.map((x: { id: string }) => x.id)).to.deep.equal([id]);
    expectProblem(await view(t, 'buyer2', id), 404, 'NOT_FOUND');
    expectProblem(await act(t, 'gp', id, { action: 'gp_consent' }), 409, 'INVALID_STATE');
    expectProblem(await act(t, 'buyer1', id, { action: 'rofr_exercise' }), 403, 'FORBIDDEN');

    // A ROFR holder sees itself, the seller and the GP: no other holder (id or name) and not the trade's buyer, in any field.
    const full = (await view(t, 'operator1', id)).body;
    const hidden = [
      ...full.rofr.holders
        .filter((h: { orgId: string }) => h.orgId !== 'org-lp-soe')
        .flatMap((h: { orgId: string; name: string }) => [h.orgId, h.name]),
      full.buyer.orgId,
      full.buyer.name,
    ];
    expect(hidden).to.have.length(6);
    const expectHolderView = (body: Record<string, unknown>, answer: string) => {
      const json = JSON.stringify(body);
      for (const s of hidden) expect(json, `lp-soe's view shows ${s}`).not.to.include(s);
      expect(json).to.include('org-lp-soe');
      expect(body.buyer).to.equal(null);
      expect(body.allocations).to.deep.equal([]);
      expect(body.nextActor)
        .to.include({ step: 'rofr' })
        .and.to.have.property('why')
        .that.does.not.match(/\d+ LP/);
      expect((body.rofr as { holders: { answer: string }[] }).holders.map((h) => h.answer)).to.deep.equal([answer]);
    };
    expectHolderView(soe.body, 'pending');
    expectHolderView(soeList[0], 'pending');
    expect(full.nextActor.why).to.match(/^3 LP/); // operators, the GP and the parties see every holder
    expect((await view(t, 'buyer1', id)).body.rofr.holders).to.have.length(3);
    expect((await view(t, 'gp', id)).body.rofr.holders).to.have.length(3);

    const exercised = await actOk(t, 'lp-soe', id, { action: 'rofr_exercise' });
    expect(exercised.state).to.equal('rofr_pending'); // two holders have not answered
    expectHolderView(exercised, 'exercised');
    expectHolderView((await view(t, 'lp-soe', id)).body, 'exercised');
    expectProblem(await act(t, 'lp-soe', id, { action: 'rofr_waive' }), 409, 'ROFR_ALREADY_ANSWERED');

    const now = await advance('P31D'); // the 30-day window closes; silence is a waiver
    const closed = (await view(t, 'buyer1', id)).body;
    expect(closed.state).to.equal('gp_consent_pending');
    expect(closed.steps[0]).to.include({ name: 'rofr', state: 'done', by: null });
    expect(closed.allocations).to.have.length(1);
    expect(closed.allocations[0]).to.include({
      buyerOrgId: 'org-lp-soe',
      source: 'rofr',
      quantity: '2000000',
      consideration: closed.consideration,
    });

    await actOk(t, 'gp', id, { action: 'gp_consent' });
    // lp-soe has no qualified-investor record: the review refuses until one is registered.
    expectProblem(await act(t, 'operator1', id, { action: 'review' }), 422, 'BUYER_NOT_QUALIFIED');
    const day = 86_400_000;
    await t.exchange.handle.db
      .insertInto('qualifications')
      .values({
        id: 'qual-org-lp-soe',
        orgId: 'org-lp-soe',
        netAssets: '9000000000.00',
        financialAssets: '5000000000.00',
        minNetAssets: '20000000.00',
        minFinancialAssets: '10000000.00',
        evidenceRef: 'QI-ORG-LP-SOE-2026',
        qualifiedAt: new Date(Date.parse(now) - day).toISOString(),
        expiresAt: new Date(Date.parse(now) + 300 * day).toISOString(),
      })
      .execute();
    await actOk(t, 'operator1', id, { action: 'review' });
    await actOk(t, 'operator2', id, { action: 'approve' });
    await actOk(t, 'operator1', id, { action: 'confirm_payment', bankRef: 'BR-SOE-0001' });
    // A state-owned final buyer: the state-owned equity registration is required.
    expectProblem(await act(t, 'operator2', id, { action: 'record_registration', registrationRef: 'SAMR-1' }), 400, 'VALIDATION_FAILED');
    const done = await actOk(t, 'operator2', id, {
      action: 'record_registration',
      registrationRef: 'SAMR-1',
      stateEquityRef: 'SASAC-REG-7',
    });
    expect(done.state).to.equal('completed');
    expect(done.confirmationNumber).to.match(/^SFX-2026-\d{6}$/);
    expect(await position(t, 'lp-soe', ROFR_FUND)).to.include({ commitment: '402000000' });
    expect(await position(t, 'lp', ROFR_FUND)).to.include({ commitment: '38000000', reserved: '0' });
    expect(await position(t, 'buyer1', ROFR_FUND)).to.equal(undefined);
    await expectConservation(t.exchange.handle.db);
  });

  it('a missed payment deadline fails the transfer when the clock passes it, releasing the units', async () => {
    const fund = 'bj-bio-2020'; // no ROFR, no GP consent
    const id = await bookTrade(t, fund, '1000000', '70.00', 'lp', 'buyer2');
    await actOk(t, 'operator1', id, { action: 'review' });
    const approved = await actOk(t, 'operator2', id, { action: 'approve' });
    expect(approved.state).to.equal('payment_pending');
    const deadline = approved.steps.find((s: { name: string }) => s.name === 'payment').deadline;
    expect(await position(t, 'lp', fund)).to.include({ reserved: '1000000', available: '29000000' });

    await advance('P20D');
    const failed = (await view(t, 'buyer2', id)).body;
    expect(failed.state).to.equal('failed');
    expect(failed.outcome).to.include({ kind: 'failed', step: 'payment' });
    expect(failed.outcome.reason).to.include(deadline);
    expect(failed.steps.map((s: { state: string }) => s.state)).to.deep.equal([
      'skipped',
      'skipped',
      'done',
      'done',
      'failed',
      'cancelled',
    ]);
    expect(await position(t, 'lp', fund)).to.include({ commitment: '30000000', reserved: '0', available: '30000000' });
    expectProblem(await act(t, 'operator1', id, { action: 'confirm_payment', bankRef: 'late' }), 409, 'INVALID_STATE');
    const audit = await t.exchange.handle.db
      .selectFrom('auditLog')
      .selectAll()
      .where('entityId', '=', id)
      .where('action', '=', 'transfer.tick')
      .execute();
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ actorUserId: null });
    await expectConservation(t.exchange.handle.db);
  });
});
