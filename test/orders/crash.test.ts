/**
 * Durability: the real server process is killed with SIGKILL in the middle of a concurrent order load.
 * After a restart every order that received a 2xx is present in the same (or a later) state, no trade
 * is missing or doubled, fills conserve units, and the rebuilt books equal the open orders in the database.
 */
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/database';
import { toOrderView, toTradeView, type OrderView, type TradeView } from '../../server/orders/order-views';
import { describeEachDatabase, type FreshDatabase } from '../support/databases';
import { loginAt, startServerProcess } from '../support/server-process';

/** Reads every row, a page at a time in key order, so no result is cut off by a limit. */
async function readAll<T>(page: (after: string) => Promise<T[]>, keyOf: (row: T) => string, size = 500): Promise<T[]> {
  const out: T[] = [];
  for (let after = ''; ; ) {
    const rows = await page(after);
    out.push(...rows);
    if (rows.length < size) return out;
    after = keyOf(rows.at(-1)!);
  }
}

/** Waits until `condition` holds, looking every 20 ms, for at most `ms`. */
async function until(condition: () => boolean, ms: number): Promise<void> {
  for (const deadline = Date.now() + ms; !condition() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
}

const FUNDS = ['bj-ai-2021', 'bj-bio-2020'];
const FINAL = new Set(['filled', 'cancelled', 'rejected', 'expired']);

describeEachDatabase('an exchange killed with SIGKILL under load', (kind) => {
  let fresh: FreshDatabase;
  let dataDir: string;
  const children: ChildProcess[] = [];
  before(async () => {
    fresh = await kind.create();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-crash-'));
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await fresh?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged order and trade, exactly once, and rebuilds books equal to the database', async function () {
    this.timeout(90_000);
    const env = { DATABASE_URL: fresh.url, DATA_DIR: dataDir, NODE_ENV: 'test', DEMO_MARKET: 'empty' };
    const first = await startServerProcess(env);
    children.push(first.child);
    const tokens = {
      lp: await loginAt(first.url, 'lp'),
      buyer1: await loginAt(first.url, 'buyer1'),
      buyer2: await loginAt(first.url, 'buyer2'),
    };

    const acked = new Map<string, { status: string; filledQuantity: string; user: keyof typeof tokens }>();
    const ackedTrades = new Map<string, string>();
    let stop = false;
    let n = 0;
    let inFlight = 0;
    const worker = async (w: number) => {
      while (!stop) {
        const i = n++;
        const user = (['lp', 'buyer1', 'buyer2'] as const)[i % 3]!;
        const body = {
          fundId: FUNDS[(i >> 1) % 2],
          side: user === 'lp' ? 'sell' : 'buy',
          pricePct: `${85 + ((i * 7 + w) % 6)}.${String((i * 13) % 100).padStart(2, '0')}`,
          quantity: '1000000',
          timeInForce: i % 5 === 0 ? 'IOC' : 'GTC',
        };
        inFlight++;
        try {
          const r = await fetch(`${first.url}/api/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[user]}`, 'idempotency-key': `crash-${i}` },
            body: JSON.stringify(body),
          });
          if (r.status === 201) {
            const b = (await r.json()) as {
              order: { id: string; status: string; filledQuantity: string };
              trades: { id: string; fundId: string }[];
            };
            acked.set(b.order.id, { status: b.order.status, filledQuantity: b.order.filledQuantity, user });
            for (const tr of b.trades) ackedTrades.set(tr.id, tr.fundId);
          }
        } catch {
          /* the kill cuts requests in flight: those were never acknowledged */
        } finally {
          inFlight--;
        }
      }
    };
    const load = Array.from({ length: 8 }, (_, w) => worker(w));
    // Kill mid-load: once enough orders were acknowledged (at most 20 s on a loaded machine) and while
    // commands are in flight.
    await until(() => acked.size >= 40, 20_000);
    await until(() => inFlight >= 4, 5_000);
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(load);
    await exited;
    expect(acked.size, 'orders acknowledged before the kill').to.be.greaterThan(20);

    const second = await startServerProcess(env);
    children.push(second.child);
    const get = async (p: string, user: keyof typeof tokens) =>
      (await fetch(`${second.url}${p}`, { headers: { authorization: `Bearer ${tokens[user]}` } })).json() as Promise<any>;

    // Every order and trade, read from the database page by page (the API's lists stop at a limit).
    const handle = openDatabase(fresh.url);
    const orders = new Map<string, OrderView>();
    const tradesOf = new Map<string, TradeView[]>(FUNDS.map((f) => [f, []]));
    try {
      const orderRows = await readAll(
        (after) =>
          handle.db
            .selectFrom('orders')
            .innerJoin('funds', 'funds.id', 'orders.fundId')
            .selectAll('orders')
            .select('funds.lotSize')
            .where('orders.id', '>', after)
            .orderBy('orders.id')
            .limit(500)
            .execute(),
        (r) => r.id,
      );
      for (const r of orderRows) orders.set(r.id, toOrderView(r, r.lotSize));
      const tradeRows = await readAll(
        (after) => handle.db.selectFrom('trades').selectAll().where('id', '>', after).orderBy('id').limit(500).execute(),
        (r) => r.id,
      );
      for (const t of tradeRows) tradesOf.get(t.fundId)?.push(toTradeView(t));
    } finally {
      await handle.close();
    }
    for (const [id, a] of acked) {
      const o = orders.get(id);
      expect(o, `acknowledged order ${id}`).to.not.equal(undefined);
      if (FINAL.has(a.status)) expect(o!.status, id).to.equal(a.status);
      expect(Number(o!.filledQuantity), id).to.be.at.least(Number(a.filledQuantity));
    }

    for (const fundId of FUNDS) {
      const trades = tradesOf.get(fundId)!;
      const ids = trades.map((x) => x.id);
      expect(new Set(ids).size, 'no doubled trade').to.equal(ids.length);
      for (const [id, f] of ackedTrades) if (f === fundId) expect(ids, `acknowledged trade ${id}`).to.include(id);
      const traded = trades.reduce((s, x) => s + Number(x.quantity), 0);
      const fundOrders = [...orders.values()].filter((o) => o.fundId === fundId);
      const filled = (side: string) => fundOrders.filter((o) => o.side === side).reduce((s, o) => s + Number(o.filledQuantity), 0);
      expect(filled('buy'), 'buy fills equal traded quantity').to.equal(traded);
      expect(filled('sell'), 'sell fills equal traded quantity').to.equal(traded);

      const book = await get(`/api/funds/${fundId}/book?depth=100`, 'buyer1');
      const fromDb = (side: string) => {
        const levels = new Map<string, { quantity: number; orderCount: number }>();
        for (const o of fundOrders.filter((x) => x.side === side && x.status === 'open')) {
          const l = levels.get(o.pricePct) ?? { quantity: 0, orderCount: 0 };
          levels.set(o.pricePct, { quantity: l.quantity + Number(o.remainingQuantity), orderCount: l.orderCount + 1 });
        }
        return [...levels]
          .sort(([a], [b]) => (side === 'buy' ? Number(b) - Number(a) : Number(a) - Number(b)))
          .map(([pricePct, l]) => ({ pricePct, quantity: String(l.quantity), orderCount: l.orderCount }))
          .slice(0, 100); // the API's deepest depth
      };
      expect(JSON.stringify(book.bids), `${fundId} bids`).to.equal(JSON.stringify(fromDb('buy')));
      expect(JSON.stringify(book.asks), `${fundId} asks`).to.equal(JSON.stringify(fromDb('sell')));
      if (book.bids.length && book.asks.length) expect(Number(book.bids[0].pricePct)).to.be.lessThan(Number(book.asks[0].pricePct));
    }
    second.child.kill('SIGTERM');
  });
});
