/**
 * Growing past one machine (docs scale.md): two server processes on one PostgreSQL database. Orders
 * placed through both at once never double-fill or sell a unit twice, both processes' books equal the
 * database, a quote client connected to one process sees the other process's orders, and a timer
 * both processes hold (a GTD expiry) acts exactly once.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postgresKind, type FreshDatabase } from '../support/databases';
import { loginAt, startServerProcess, type ServerProcess } from '../support/server-process';
import pg from 'pg';
import { TestClient } from '../quotes/ws-client';

const FUND = 'bj-ai-2021';

describe('two server processes on one PostgreSQL database', function () {
  this.timeout(120_000);
  let fresh: FreshDatabase;
  let dataDir: string;
  const servers: ServerProcess[] = [];
  before(async function () {
    if (await postgresKind.unavailable()) this.skip();
    fresh = await postgresKind.create();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-scale-'));
    const env = { DATABASE_URL: fresh.url, DATA_DIR: dataDir, NODE_ENV: 'test' };
    servers.push(await startServerProcess(env)); // migrates and seeds
    servers.push(await startServerProcess(env)); // finds the seeded database
  });
  after(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
    await fresh?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (base: string, token: string, body: unknown) =>
    fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const get = async (base: string, token: string, p: string) =>
    (await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>;

  it('delivers an order placed on one process to a quote client of the other', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const lp = await loginAt(a.url, 'lp');
    const client = await TestClient.authed(b.url, await loginAt(b.url, 'buyer1'));
    const snap = await client.subscribe(`book:${FUND}`);
    expect(snap.type).to.equal('snapshot');
    const r = await post(a.url, lp, { fundId: FUND, side: 'sell', pricePct: '97.77', quantity: '1000000', timeInForce: 'GTC' });
    expect(r.status).to.equal(201);
    const update = await client.next(
      (m) => m.type === 'update' && m.data.asks.some((l: { pricePct: string }) => l.pricePct === '97.77'),
      10_000,
    );
    expect(update.seq).to.equal(snap.seq! + 1);
    client.close();
  });

  it('expires GTD orders exactly once although both processes hold them and both clocks fire', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const fund = 'zgc-hardtech-2018';
    const lp = await loginAt(a.url, 'lp');
    const before = await get(a.url, lp, '/api/positions');
    const onOfferBefore = before.find((p: { fundId: string }) => p.fundId === fund).onOffer;
    const expiresAt = new Date(Date.now() + 2500).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await post(a.url, lp, {
        fundId: fund,
        side: 'sell',
        pricePct: '99.31',
        quantity: '1000000',
        timeInForce: 'GTD',
        expiresAt,
      });
      expect(r.status).to.equal(201);
      ids.push(((await r.json()) as { order: { id: string } }).order.id);
    }
    // Process B holds them too (it follows A's commits), so both schedulers see them come due.
    const resting = async (base: string) =>
      (await get(base, lp, `/api/funds/${fund}/book?depth=100`)).asks.filter((l: { pricePct: string }) => l.pricePct === '99.31').length;
    const until = async (what: () => Promise<boolean>, ms: number) => {
      const end = Date.now() + ms;
      while (!(await what()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    };
    await until(async () => (await resting(b.url)) === 1, 2000);
    expect(await resting(b.url), 'B holds the orders before they expire').to.equal(1);
    await until(async () => (await resting(a.url)) === 0 && (await resting(b.url)) === 0, 10_000);
    expect([await resting(a.url), await resting(b.url)]).to.deep.equal([0, 0]);

    const db = new pg.Client({ connectionString: fresh.url });
    await db.connect();
    try {
      const orders = await db.query('select status from orders where id = any($1)', [ids]);
      expect(orders.rows.map((r) => r.status)).to.deep.equal(ids.map(() => 'expired'));
      const audits = await db.query(`select payload from audit_log where action = 'order.expire' and entity_id = $1`, [fund]);
      const expired = audits.rows.reduce((n, r) => n + (JSON.parse(r.payload) as { events: number }).events, 0);
      expect(expired, 'one expiry event per order, in all audit entries of both processes').to.equal(ids.length);
    } finally {
      await db.end();
    }
    const after = (await get(b.url, lp, '/api/positions')).find((p: { fundId: string }) => p.fundId === fund);
    expect(after.onOffer, 'units released once').to.equal(onOfferBefore);
  });

  it('never double-fills under concurrent crossing orders through both processes', async () => {
    const tokens = {
      lp: await loginAt(servers[0]!.url, 'lp'),
      buyer1: await loginAt(servers[0]!.url, 'buyer1'),
      buyer2: await loginAt(servers[0]!.url, 'buyer2'),
    };
    let n = 0;
    const statuses: number[] = [];
    const worker = async (w: number) => {
      for (let i = 0; i < 25; i++) {
        const k = n++;
        const user = (['lp', 'buyer1', 'buyer2'] as const)[k % 3]!;
        const body = {
          fundId: FUND,
          side: user === 'lp' ? 'sell' : 'buy',
          pricePct: `${90 + (k % 5)}.00`,
          quantity: '1000000',
          timeInForce: 'GTC',
        };
        statuses.push((await post(servers[w % 2]!.url, tokens[user], body)).status);
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
    expect(statuses.filter((s) => s === 201).length, JSON.stringify(statuses)).to.be.greaterThan(100);
    expect(
      statuses.every((s) => s === 201 || s === 422),
      'only acceptances or rule refusals',
    ).to.equal(true);

    const orders = [
      ...(await get(servers[0]!.url, tokens.lp, '/api/orders')),
      ...(await get(servers[0]!.url, tokens.buyer1, '/api/orders')),
      ...(await get(servers[0]!.url, tokens.buyer2, '/api/orders')),
    ].filter((o: { fundId: string }) => o.fundId === FUND);
    const trades = await get(servers[1]!.url, tokens.buyer1, `/api/funds/${FUND}/trades?limit=500`);
    const traded = trades.reduce((s: number, t: { quantity: string }) => s + Number(t.quantity), 0);
    const filled = (side: string) =>
      orders
        .filter((o: { side: string }) => o.side === side)
        .reduce((s: number, o: { filledQuantity: string }) => s + Number(o.filledQuantity), 0);
    expect(new Set(trades.map((t: { id: string }) => t.id)).size).to.equal(trades.length);
    expect(filled('buy'), 'buy fills = traded').to.equal(traded);
    expect(filled('sell'), 'sell fills = traded').to.equal(traded);

    // The seller's units: what is on offer equals its open sells, what is reserved equals what it sold, and never more than it holds.
    const pos = (await get(servers[1]!.url, tokens.lp, '/api/positions')).find((p: { fundId: string }) => p.fundId === FUND);
    const openSells = orders
      .filter((o: { side: string; status: string }) => o.side === 'sell' && o.status === 'open')
      .reduce((s: number, o: { remainingQuantity: string }) => s + Number(o.remainingQuantity), 0);
    expect(Number(pos.onOffer)).to.equal(openSells);
    expect(Number(pos.reserved)).to.equal(filled('sell'));
    expect(Number(pos.onOffer) + Number(pos.reserved)).to.be.at.most(Number(pos.commitment));

    // Both processes show the same book (the follower catches each up), equal to the open orders.
    const deadline = Date.now() + 5000;
    let booksA: any, booksB: any;
    do {
      booksA = await get(servers[0]!.url, tokens.buyer1, `/api/funds/${FUND}/book?depth=100`);
      booksB = await get(servers[1]!.url, tokens.buyer1, `/api/funds/${FUND}/book?depth=100`);
    } while (
      JSON.stringify(booksA) !== JSON.stringify(booksB) &&
      Date.now() < deadline &&
      (await new Promise((r) => setTimeout(r, 100)), true)
    );
    expect(booksB).to.deep.equal(booksA);
    const restingSells = booksA.asks.reduce((s: number, l: { quantity: string }) => s + Number(l.quantity), 0);
    expect(restingSells).to.equal(openSells);
    if (booksA.bids.length && booksA.asks.length) expect(Number(booksA.bids[0].pricePct)).to.be.lessThan(Number(booksA.asks[0].pricePct));
  });

  it(
    'answers one Idempotency-Key sent to both processes at once for two ' +
      'different orders with one order and a 409, failing no other order',
    async () => {
      // Two funds, so the two batches hold different fund locks and really run at the same time; the
      // second insert of the key then meets the first's (a unique violation that used to abort its whole batch).
      const [a, b] = servers as [ServerProcess, ServerProcess];
      const buyer = await loginAt(a.url, 'buyer2');
      const send = (base: string, key: string, fundId: string) =>
        fetch(`${base}/api/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${buyer}`, 'idempotency-key': key },
          body: JSON.stringify({ fundId, side: 'buy', pricePct: '41.00', quantity: '1000000', timeInForce: 'GTC' }),
        });
      const OTHER = 'bj-ic-2019';
      for (let round = 0; round < 10; round++) {
        const key = `twice-${round}-${Date.now()}`;
        const responses = await Promise.all([
          send(a.url, key, FUND),
          send(b.url, key, OTHER),
          send(a.url, `${key}-other-a`, FUND),
          send(b.url, `${key}-other-b`, OTHER),
        ]);
        const bodies = await Promise.all(responses.map((r) => r.json() as Promise<any>));
        const statuses = responses.map((r) => r.status);
        expect([...statuses.slice(0, 2)].sort(), JSON.stringify(bodies)).to.deep.equal([201, 409]);
        expect(bodies.slice(0, 2).find((x) => x.code)?.code).to.equal('IDEMPOTENCY_KEY_REUSED');
        expect(statuses.slice(2), JSON.stringify(bodies.slice(2))).to.deep.equal([201, 201]);
      }
    },
  );
});
