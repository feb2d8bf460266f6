import { expect } from 'chai';
import { sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { TestClient } from './ws-client';

const FUND = 'bj-ai-2021';
const order = (o: Record<string, unknown>) => ({
  fundId: FUND,
  side: 'sell',
  pricePct: '88.50',
  quantity: '1000000',
  timeInForce: 'GTC',
  ...o,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the quote server on /ws: transfer changes on `user`', () => {
  let t: TestExchange;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await t?.stop();
  });

  it(
    'tells of every transfer change even when more than a page of them ' + 'share one instant (a simulated clock standing still)',
    async function () {
      this.timeout(60000);
      t = await startTestExchange(sqliteKind, { CLOCK: 'simulated', CLOCK_START: '2026-11-23T02:00:00Z' });
      const [lp, b1, op] = [await t.login('lp'), await t.login('buyer1'), await t.login('operator1')];
      const c = await TestClient.authed(t.baseUrl, op);
      clients.push(c);
      await c.subscribe('user');
      expect((await t.call('POST', '/api/orders', { token: lp, body: order({}) })).status).to.equal(201);
      expect((await t.call('POST', '/api/orders', { token: b1, body: order({ side: 'buy', timeInForce: 'IOC' }) })).status).to.equal(201);
      // 1,200 more transfers changed at one later instant (more than the watcher's page of 1,000).
      const db = t.exchange.handle.db;
      const first = await db.selectFrom('transfers').selectAll().executeTakeFirstOrThrow();
      for (let i = 0; i < 1200; i++) {
        await db
          .insertInto('transfers')
          .values({
            ...first,
            id: `same-instant-${String(i).padStart(5, '0')}`,
            tradeId: `same-instant-trade-${i}`,
            updatedAt: '2026-11-23T03:00:00.000Z',
          })
          .execute();
      }
      const seen = () => {
        const ids = new Set<string>();
        for (const m of c.messages)
          if (m.type === 'update')
            for (const e of m.data as { kind: string; transfer?: { id: string } }[]) if (e.kind === 'transfer') ids.add(e.transfer!.id);
        return ids;
      };
      for (let i = 0; i < 20 && seen().size < 1201; i++) {
        t.exchange.quotes.nudge();
        await sleep(300);
      }
      await sleep(300);
      expect(seen().size).to.equal(1201);
      const events = c.messages
        .filter((m) => m.type === 'update')
        .flatMap((m) => m.data as { kind: string }[])
        .filter((e) => e.kind === 'transfer');
      expect(events, 'each change told once').to.have.length(1201);
    },
  );
});
