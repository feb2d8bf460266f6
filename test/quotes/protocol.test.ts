import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../server/auth/tokens';
import { sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { TestClient, type Msg } from './ws-client';
import { actOk } from '../transfers/http-helpers';

const FUND = 'bj-ai-2021';
const order = (o: Record<string, unknown>) => ({
  fundId: FUND,
  side: 'sell',
  pricePct: '88.50',
  quantity: '1000000',
  timeInForce: 'GTC',
  ...o,
});

describe('the quote server on /ws: protocol', () => {
  let t: TestExchange;
  let lp: string, b1: string;
  const clients: TestClient[] = [];
  const open = async (token?: string) => {
    const c = token ? await TestClient.authed(t.baseUrl, token) : await TestClient.open(t.baseUrl);
    clients.push(c);
    return c;
  };
  const place = async (token: string, body: unknown) => {
    const r = await t.call('POST', '/api/orders', { token, body });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    return r.body;
  };
  const restBook = async () => (await t.call('GET', `/api/funds/${FUND}/book?depth=10`, { token: b1 })).body;

  beforeEach(async () => {
    t = await startTestExchange(sqliteKind, { CLOCK: 'simulated', CLOCK_START: '2026-11-23T02:00:00Z' });
    [lp, b1] = [await t.login('lp'), await t.login('buyer1')];
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await t?.stop();
  });

  it('answers a valid token with authed, and closes the socket with 4401 on a bad one', async () => {
    const good = await open();
    good.send({ type: 'auth', token: lp });
    expect(await good.next((m) => m.type === 'authed')).to.deep.equal({ type: 'authed' });
    const bad = await open();
    bad.send({ type: 'auth', token: lp.slice(0, -3) + 'xyz' });
    expect((await bad.closed).code).to.equal(4401);
  });

  it('closes an authenticated socket with 4401 when its token expires', async () => {
    const key = fs.readFileSync(path.join(t.exchange.config.dataDir, 'jwt-signing.key'), 'utf8').trim();
    const now = Math.floor(Date.now() / 1000);
    const shortLived = jwt.sign(
      { username: 'lp', orgId: 'org-lp', orgName: 'x', roles: ['seller', 'buyer'], iat: now, exp: now + 2 },
      key,
      { algorithm: 'HS256', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, subject: 'user-lp', jwtid: 'short-lived-session' },
    );
    const c = await open();
    c.send({ type: 'auth', token: shortLived });
    await c.next((m) => m.type === 'authed');
    const closed = await c.closed;
    expect(closed).to.deep.equal({ code: 4401, reason: 'token expired; sign in again' });
  });

  it('answers a subscribe before auth with an error and keeps the socket open', async () => {
    const c = await open();
    expect(await c.subscribe(`book:${FUND}`)).to.include({ type: 'error', code: 'UNAUTHENTICATED' });
    c.send({ type: 'auth', token: b1 });
    await c.next((m) => m.type === 'authed');
    expect(await c.subscribe(`book:${FUND}`)).to.include({ type: 'snapshot', channel: `book:${FUND}`, seq: 0 });
  });

  it('answers unknown channels and unknown funds with an error, the socket staying open', async () => {
    const c = await open(b1);
    expect(await c.subscribe('prices:everything')).to.include({ type: 'error', code: 'UNKNOWN_CHANNEL' });
    expect(await c.subscribe('book:no-such-fund')).to.include({ type: 'error', code: 'NOT_FOUND' });
    expect(await c.subscribe('auction:no-such-listing')).to.include({ type: 'error', code: 'NOT_FOUND' });
    expect(await c.subscribe(`trades:${FUND}`)).to.include({ type: 'snapshot', seq: 0 });
  });

  it('answers garbage, oversized and binary messages with an error and keeps serving the socket', async () => {
    const c = await open(b1);
    let from = c.messages.length;
    c.send('{not json');
    expect(await c.next((m) => m.type === 'error', 5000, from)).to.include({ code: 'VALIDATION_FAILED' });
    from = c.messages.length;
    c.send({ type: 'subscribe', channel: 'x'.repeat(5000) });
    expect(await c.next((m) => m.type === 'error', 5000, from)).to.include({ code: 'MESSAGE_TOO_LARGE' });
    from = c.messages.length;
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await c.next((m) => m.type === 'error', 5000, from)).to.include({ code: 'VALIDATION_FAILED' });
    for (const junk of ['[]', 'null', '42', '{"type":"subscribe"}', '{"type":"dance"}']) {
      from = c.messages.length;
      c.send(junk);
      expect(await c.next((m) => m.type === 'error', 5000, from)).to.include({ code: 'VALIDATION_FAILED' });
    }
    expect(await c.subscribe(`book:${FUND}`)).to.include({ type: 'snapshot' });
  });

  it('sends a snapshot, then one update per published change with seq rising by exactly 1; each equals GET /book at its seq', async () => {
    const c = await open(b1);
    const snap = await c.subscribe(`book:${FUND}`);
    expect(snap.data).to.deep.equal(await restBook());
    const prices = ['88.50', '89.00', '87.50', '90.00', '88.00'];
    for (const p of prices) {
      await place(lp, order({ pricePct: p }));
      const rest = await restBook();
      const u = await c.next((m) => m.type === 'update' && m.data.seq === rest.seq);
      expect(u.data, `update at book seq ${rest.seq}`).to.deep.equal(rest);
    }
    await place(b1, order({ side: 'buy', pricePct: '88.00', quantity: '2000000', timeInForce: 'IOC' }));
    const rest = await restBook();
    await c.next((m) => m.type === 'update' && m.data.seq === rest.seq);
    const updates = c.messages.filter((m) => m.type === 'update' && m.channel === `book:${FUND}`);
    expect(updates.map((m) => m.seq)).to.deep.equal(updates.map((_, i) => snap.seq! + 1 + i));
    expect(updates.at(-1)!.data).to.deep.equal(rest);
  });

  it('gives a client that saw a gap a fresh snapshot at the current seq when it subscribes again', async () => {
    const c = await open(b1);
    await c.subscribe(`book:${FUND}`);
    const other = await open(lp);
    await other.subscribe(`book:${FUND}`); // keeps the channel alive across c's resubscribe
    await place(lp, order({}));
    await place(lp, order({ pricePct: '89.50' }));
    const rest = await restBook();
    const last = await other.next((m) => m.type === 'update' && m.data.seq === rest.seq);
    // c pretends it lost an update (a forced gap) and resubscribes
    const fresh = await c.subscribe(`book:${FUND}`);
    expect(fresh).to.include({ type: 'snapshot', seq: last.seq });
    expect(fresh.data).to.deep.equal(rest);
    await place(lp, order({ pricePct: '90.50' }));
    const after = await c.next((m) => m.type === 'update' && m.seq === last.seq! + 1);
    expect(after.data).to.deep.equal(await restBook());
  });

  it('refuses a subscription beyond the per-socket limit with an error, keeping the others', async () => {
    t.exchange.quotes.limits.maxSubscriptions = 2;
    const c = await open(b1);
    expect(await c.subscribe(`book:${FUND}`)).to.include({ type: 'snapshot' });
    expect(await c.subscribe(`trades:${FUND}`)).to.include({ type: 'snapshot' });
    expect(await c.subscribe('book:bj-ic-2019')).to.include({ type: 'error', code: 'LIMIT_EXCEEDED' });
    expect(await c.subscribe(`book:${FUND}`)).to.include({ type: 'snapshot' }); // resubscribing is not a new one
    c.send({ type: 'unsubscribe', channel: `trades:${FUND}` });
    await c.next((m) => m.type === 'unsubscribed');
    expect(await c.subscribe('book:bj-ic-2019')).to.include({ type: 'snapshot' });
  });

  it('closes a client that stops reading with 4008 and a reason, while another keeps receiving every update', async function () {
    this.timeout(30000);
    const slow = await open(b1);
    const fast = await open(lp);
    await slow.subscribe(`book:${FUND}`);
    const snap = await fast.subscribe(`book:${FUND}`);
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = { filler: 'x'.repeat(200_000) };
    const { publisher } = t.exchange.quotes;
    for (let i = 0; i < 100; i++) {
      publisher.setState(`book:${FUND}`, { ...big, i });
      publisher.tick();
      await new Promise((r) => setTimeout(r, 5));
      if (t.exchange.quotes.connections.size === 1) break;
    }
    expect(t.exchange.quotes.connections.size, 'the slow socket is dropped').to.equal(1);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.closed;
    expect(closed.code).to.equal(4008);
    expect(closed.reason).to.match(/slow consumer/);
    const published = publisher.stats.published;
    await fast.next((m) => m.seq === snap.seq! + published, 10000);
    const seqs = fast.messages.filter((m) => m.type === 'update').map((m) => m.seq);
    expect(seqs).to.deep.equal(seqs.map((_, i) => snap.seq! + 1 + i));
  });

  it('never carries a counterparty on trades or user channels', async () => {
    const lpUser = (await t.call('POST', '/api/auth/login', { body: { username: 'lp', password: 'demo-pass' } })).body.user;
    const b1User = (await t.call('POST', '/api/auth/login', { body: { username: 'buyer1', password: 'demo-pass' } })).body.user;
    const buyer = await open(b1);
    const seller = await open(lp);
    await buyer.subscribe(`trades:${FUND}`);
    await buyer.subscribe('user');
    await seller.subscribe('user');
    await place(lp, order({}));
    const { order: bought } = await place(b1, order({ side: 'buy', pricePct: '90.00', quantity: '1000000', timeInForce: 'IOC' }));
    const trade = await buyer.next((m) => m.channel === `trades:${FUND}` && m.type === 'update');
    expect(trade.data[0]).to.have.all.keys('id', 'venue', 'pricePct', 'quantity', 'consideration', 'executedAt');
    const own = await buyer.next(
      (m) => m.channel === 'user' && m.type === 'update' && m.data.some((e: { kind: string }) => e.kind === 'trade'),
    );
    const ownTrade = own.data.find((e: { kind: string }) => e.kind === 'trade').trade;
    expect(ownTrade).to.include({ side: 'buy', orderId: bought.id });
    expect(ownTrade).not.to.have.any.keys('sellOrderId', 'buyOrderId', 'sellerOrgId', 'buyerOrgId');
    await seller.next((m) => m.channel === 'user' && m.type === 'update' && m.data.some((e: { kind: string }) => e.kind === 'trade'));
    const text = (msgs: Msg[]) => JSON.stringify(msgs);
    for (const s of [lpUser.orgId, lpUser.orgName, 'lp"']) expect(text(buyer.messages)).not.to.contain(s);
    for (const s of [b1User.orgId, b1User.orgName, bought.id]) expect(text(seller.messages)).not.to.contain(s);
  });

  it('tells the LPs holding a right of first refusal of a transfer while their window is open, as rofr_holder', async () => {
    const rofrFund = 'bj-ic-2019'; // ROFR: its other LPs (org-lp-soe among them) are notified
    const holder = await open(await t.login('lp-soe'));
    expect((await holder.subscribe('user')).type).to.equal('snapshot');
    await place(lp, order({ fundId: rofrFund }));
    await place(b1, order({ fundId: rofrFund, side: 'buy', pricePct: '90.00', quantity: '1000000', timeInForce: 'IOC' }));
    const m = await holder.next(
      (x) => x.channel === 'user' && x.type === 'update' && x.data.some((e: { kind: string }) => e.kind === 'transfer'),
    );
    expect(m.data.find((e: { kind: string }) => e.kind === 'transfer').transfer).to.include({
      role: 'rofr_holder',
      state: 'rofr_pending',
      fundId: rofrFund,
    });
  });

  it("tells the fund's GP and the operators of each change to a transfer on `user`, with their standing, and nobody else", async () => {
    const gp = await open(await t.login('gp'));
    const op = await open(await t.login('operator1'));
    const other = await open(await t.login('buyer2'));
    for (const c of [gp, op, other]) expect((await c.subscribe('user')).type).to.equal('snapshot');
    await place(lp, order({}));
    await place(b1, order({ side: 'buy', pricePct: '90.00', quantity: '1000000', timeInForce: 'IOC' }));
    const transferIn = (state: string) => (m: Msg) =>
      m.channel === 'user' &&
      m.type === 'update' &&
      m.data.some((e: { kind: string; transfer?: { state: string } }) => e.kind === 'transfer' && e.transfer!.state === state);
    const eventOf = (m: Msg) => m.data.find((e: { kind: string }) => e.kind === 'transfer').transfer;
    const forGp = eventOf(await gp.next(transferIn('gp_consent_pending')));
    expect(forGp).to.include({ role: 'gp', fundId: FUND });
    expect(eventOf(await op.next(transferIn('gp_consent_pending')))).to.include({ role: 'operator', id: forGp.id });
    await actOk(t, 'gp', forGp.id, { action: 'gp_consent' });
    expect(eventOf(await op.next(transferIn('review_pending')))).to.include({ role: 'operator', id: forGp.id });
    expect(eventOf(await gp.next(transferIn('review_pending')))).to.include({ role: 'gp', id: forGp.id });
    // A sentinel: buyer2's own order event comes after anything published to it before.
    const { order: own } = await place(
      await t.login('buyer2'),
      order({ side: 'buy', pricePct: '10.00', quantity: '1000000', timeInForce: 'GTC' }),
    );
    await other.next(
      (m) =>
        m.channel === 'user' &&
        m.type === 'update' &&
        m.data.some((e: { kind: string; order?: { id: string } }) => e.kind === 'order' && e.order!.id === own.id),
    );
    const heard = other.messages.filter((m) => m.channel === 'user' && m.type === 'update').flatMap((m) => m.data as { kind: string }[]);
    expect(
      heard.filter((e) => e.kind === 'transfer'),
      'an organisation outside the transfer',
    ).to.deep.equal([]);
  });
});
