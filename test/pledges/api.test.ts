import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { bookTrade, expectConservation, position } from '../transfers/http-helpers';

/** Funds of the demo market by their pledge terms (server/seed/demo-market.ts). */
const PLAIN = 'bj-bio-2020'; // pledges allowed, no GP consent; lp holds 30 lots
const CONSENT = 'bj-ai-2021'; // pledges need the GP's consent; lp holds 60 lots
const FORBIDS = 'bj-ic-2019'; // the agreement forbids pledges
const ROFR = 'zgc-hardtech-2018'; // ROFR on, pledges allowed; lp holds 100 lots
const M = (lots: number) => String(lots * 1_000_000);

describeEachDatabase('share pledges over HTTP', (kind) => {
  let t: TestExchange;
  let lp: string, gp: string, op: string, bank: string, buyer: string;
  beforeEach(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-03-02T02:00:00.000Z' });
    [lp, gp, op, bank, buyer] = [
      await t.login('lp'),
      await t.login('gp'),
      await t.login('operator1'),
      await t.login('bank'),
      await t.login('buyer1'),
    ];
  });
  afterEach(async () => {
    await t?.stop();
  });

  const pledgeBody = (o: Record<string, unknown> = {}) => ({
    fundId: PLAIN,
    quantity: M(20),
    pledgeeOrgId: 'org-bank',
    securedAmount: '15000000.00',
    contractRef: 'ZY-2026-001',
    ...o,
  });
  const request = (body: unknown, token = lp, key?: string) =>
    t.call('POST', '/api/pledges', { token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
  const act = (id: string, body: Record<string, unknown>, token: string) => t.call('POST', `/api/pledges/${id}/actions`, { token, body });
  const sell = (fundId: string, lots: number) =>
    t.call('POST', '/api/orders', { token: lp, body: { fundId, side: 'sell', pricePct: '95.00', quantity: M(lots), timeInForce: 'GTC' } });
  const list = (fundId: string, lots: number) =>
    t.call('POST', '/api/listings', {
      token: lp,
      body: {
        fundId,
        quantity: M(lots),
        method: 'auction',
        askPrice: '10000000.00',
        increment: '100000.00',
        depositAmount: '1000000.00',
        buyerConditions: ['qualified investor'],
      },
    });
  const auditCount = async () => (await t.exchange.handle.db.selectFrom('auditLog').select('seq').execute()).length;

  it('holds pledged units from the request: the book, a listing and a second pledge refuse them; release frees them', async () => {
    const p = ok(await request(pledgeBody()), 201);
    expect(p).to.include({
      fundId: PLAIN,
      pledgorOrgId: 'org-lp',
      pledgeeOrgId: 'org-bank',
      quantity: M(20),
      securedAmount: '15000000.00',
      state: 'registration_pending',
    });
    expect(p.history).to.have.length(1);
    expect(p.history[0]).to.include({ action: 'request' });
    expect(p.history[0].by).to.deep.equal({ userId: 'user-lp', name: '王敏 Wang Min' });
    expect(await position(t, 'lp', PLAIN)).to.include({ commitment: M(30), pledged: M(20), available: M(10) });

    const registered = ok(await act(p.id, { action: 'register', registrationRef: 'AMAC-ZY-88' }, op));
    expect(registered).to.include({ state: 'registered', registrationRef: 'AMAC-ZY-88' });
    expect(registered.history.map((h: any) => h.action)).to.deep.equal(['request', 'register']);

    const refused = await sell(PLAIN, 11);
    expectProblem(refused, 422, 'INSUFFICIENT_POSITION');
    expectProblem(await list(PLAIN, 11), 422, 'INSUFFICIENT_POSITION');
    const second = await request(pledgeBody({ quantity: M(11) }));
    expectProblem(second, 422, 'INSUFFICIENT_POSITION');
    expect(second.body.params).to.deep.equal({ available: M(10), requested: M(11) });
    expect(ok(await sell(PLAIN, 10), 201).order.status).to.equal('open'); // the unpledged rest stays saleable

    const released = ok(await act(p.id, { action: 'release', releaseRef: 'BANK-REL-7' }, op));
    expect(released).to.include({ state: 'released', releaseRef: 'BANK-REL-7' });
    expect(released.history.map((h: any) => h.action)).to.deep.equal(['request', 'register', 'release']);
    expect(await position(t, 'lp', PLAIN)).to.include({ pledged: '0', available: M(20) });
    expect(ok(await sell(PLAIN, 20), 201).order.status).to.equal('open');
    await expectConservation(t.exchange.handle.db);
  });

  it('refuses a pledge on a fund whose agreement forbids it, with 422 PLEDGE_NOT_ALLOWED and nothing changed', async () => {
    const before = await auditCount();
    expectProblem(await request(pledgeBody({ fundId: FORBIDS })), 422, 'PLEDGE_NOT_ALLOWED');
    expect(await auditCount()).to.equal(before);
    expect(await position(t, 'lp', FORBIDS)).to.include({ pledged: '0' });
  });

  it('refuses every bad request with a 4xx code and changes nothing', async () => {
    const before = { audit: await auditCount(), pos: await position(t, 'lp', PLAIN) };
    expectProblem(await request(pledgeBody({ quantity: M(31) })), 422, 'INSUFFICIENT_POSITION');
    expectProblem(await request(pledgeBody({ quantity: '1500000' })), 400, 'QUANTITY_NOT_ON_LOT');
    expectProblem(await request(pledgeBody({ quantity: 20000000 })), 400, 'VALIDATION_FAILED');
    expectProblem(await request(pledgeBody({ securedAmount: '1.234' })), 400, 'VALIDATION_FAILED');
    expectProblem(await request(pledgeBody({ extra: 'x' })), 400, 'VALIDATION_FAILED');
    expectProblem(await request(pledgeBody({ contractRef: '' })), 400, 'VALIDATION_FAILED');
    expectProblem(await request(pledgeBody({ pledgeeOrgId: 'org-nobody' })), 404, 'NOT_FOUND');
    expectProblem(await request(pledgeBody({ pledgeeOrgId: 'org-lp' })), 400, 'VALIDATION_FAILED');
    expectProblem(await request(pledgeBody({ fundId: 'no-such-fund' })), 404, 'NOT_FOUND');
    expectProblem(await request(pledgeBody(), buyer), 403, 'FORBIDDEN');
    expect(await auditCount()).to.equal(before.audit);
    expect(await position(t, 'lp', PLAIN)).to.deep.equal(before.pos);
    expect(ok(await t.call('GET', '/api/pledges', { token: op }))).to.deep.equal([]);
  });

  it('asks the GP first where the fund needs consent; a refusal or a withdrawal frees the units; each party sees its pledges', async () => {
    const a = ok(await request(pledgeBody({ fundId: CONSENT, quantity: M(40) })), 201);
    expect(a.state).to.equal('consent_pending');
    expectProblem(await act(a.id, { action: 'register', registrationRef: 'R-1' }, op), 409, 'INVALID_STATE');
    expectProblem(await act(a.id, { action: 'gp_consent' }, lp), 403, 'FORBIDDEN');
    expectProblem(await act(a.id, { action: 'gp_refuse' }, gp), 400, 'VALIDATION_FAILED');
    const refused = ok(await act(a.id, { action: 'gp_refuse', reason: '质权人资质待核实 pledgee not yet vetted' }, gp));
    expect(refused.state).to.equal('refused');
    expect(refused.history[1]).to.include({ action: 'gp_refuse', reason: '质权人资质待核实 pledgee not yet vetted' });
    expect(await position(t, 'lp', CONSENT)).to.include({ pledged: '0', available: M(60) });

    const b = ok(await request(pledgeBody({ fundId: CONSENT, quantity: M(40) })), 201);
    expect(ok(await act(b.id, { action: 'gp_consent' }, gp)).state).to.equal('registration_pending');
    expect(ok(await act(b.id, { action: 'withdraw' }, lp)).state).to.equal('withdrawn');
    expectProblem(await act(b.id, { action: 'withdraw' }, lp), 409, 'INVALID_STATE');
    expect(await position(t, 'lp', CONSENT)).to.include({ pledged: '0' });

    const c = ok(await request(pledgeBody({ fundId: CONSENT, quantity: M(10) })), 201);
    ok(await act(c.id, { action: 'gp_consent' }, gp));
    ok(await act(c.id, { action: 'register', registrationRef: 'R-2' }, op));
    expectProblem(await act(c.id, { action: 'withdraw' }, lp), 409, 'INVALID_STATE'); // a registered pledge ends only by release
    expectProblem(await act(c.id, { action: 'release', releaseRef: 'X' }, bank), 403, 'FORBIDDEN');

    const ids = async (token: string) => (ok(await t.call('GET', '/api/pledges', { token })) as { id: string }[]).map((x) => x.id).sort();
    const all = [a.id, b.id, c.id].sort();
    for (const token of [lp, gp, bank, op]) expect(await ids(token)).to.deep.equal(all);
    expect(await ids(buyer)).to.deep.equal([]);
    expectProblem(await t.call('GET', `/api/pledges/${c.id}`, { token: buyer }), 404, 'NOT_FOUND');
    expect(ok(await t.call('GET', `/api/pledges/${c.id}`, { token: bank })).state).to.equal('registered');
  });

  it('replays a request sent again with its Idempotency-Key instead of pledging twice', async () => {
    const first = ok(await request(pledgeBody(), lp, 'pledge-key-0001'), 201);
    const again = ok(await request(pledgeBody(), lp, 'pledge-key-0001'), 201);
    expect(again).to.deep.equal(first);
    expectProblem(await request(pledgeBody({ quantity: M(1) }), lp, 'pledge-key-0001'), 409, 'IDEMPOTENCY_KEY_REUSED');
    expect(await position(t, 'lp', PLAIN)).to.include({ pledged: M(20) });
  });

  it('pledges no units reserved for a transfer in its ROFR window, sells no pledged units into a transfer; units conserved', async () => {
    const transferId = await bookTrade(t, ROFR, M(40), '95.00');
    expect(ok(await t.call('GET', `/api/transfers/${transferId}`, { token: op })).state).to.equal('rofr_pending');
    expectProblem(await request(pledgeBody({ fundId: ROFR, quantity: M(61) })), 422, 'INSUFFICIENT_POSITION');
    const p = ok(await request(pledgeBody({ fundId: ROFR, quantity: M(60) })), 201);
    ok(await act(p.id, { action: 'register', registrationRef: 'AMAC-ZY-90' }, op));
    expect(await position(t, 'lp', ROFR)).to.include({ commitment: M(100), reserved: M(40), pledged: M(60), available: '0' });
    expectProblem(await sell(ROFR, 1), 422, 'INSUFFICIENT_POSITION');
    expectProblem(await list(ROFR, 1), 422, 'INSUFFICIENT_POSITION');
    await expectConservation(t.exchange.handle.db);
  });
});
