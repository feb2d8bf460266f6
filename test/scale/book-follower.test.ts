/**
 * Following another process's book commits on the same PostgreSQL database (docs scale.md): commits
 * made between loading the books and listening for notifications are not lost; following takes no
 * lock, so it never makes another process's batch wait; and a book followed while this process also
 * trades the fund ends equal to the database.
 */
import { expect } from 'chai';
import pino from 'pino';
import { postgresKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../db/database';
import { loadCalendar } from '../../server/calendar/calendar.service';
import { OrdersService } from '../../server/orders/orders.service';
import type { Principal } from '../../server/auth/tokens';
import { BookFollower } from '../../server/orders/book-follower';
import { transferOpener } from '../../server/transfers/open-from-trade';

const FUND = 'bj-ai-2021';

describe("following another process's book commits on PostgreSQL", function () {
  this.timeout(60_000);
  let t: TestExchange;
  let h: DatabaseHandle | null = null;
  let follower: BookFollower | null = null;
  before(async function () {
    if (await postgresKind.unavailable()) this.skip();
    t = await startTestExchange(postgresKind);
  });
  after(async () => {
    await follower?.stop();
    await h?.close();
    await t?.stop();
  });

  it('catches up, once it listens, with what the other process committed after its books were loaded', async () => {
    // The starting process: books loaded from the database ...
    h = openDatabase(t.exchange.config.databaseUrl);
    const calendar = await loadCalendar(h.db);
    const orders = new OrdersService(h, t.exchange.clock, calendar, transferOpener(calendar, t.exchange.config.fees));
    await orders.recover();
    const loadedSeq = orders.books.get(FUND)!.seq;
    // ... then, before it listens, the running process commits an order to the fund (its NOTIFY reaches nobody new) ...
    const r = await t.call('POST', '/api/orders', {
      token: await t.login('lp'),
      body: { fundId: FUND, side: 'sell', pricePct: '97.77', quantity: '1000000', timeInForce: 'GTC' },
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    const committed = (await h.db.selectFrom('bookState').select('seq').where('fundId', '=', FUND).executeTakeFirstOrThrow()).seq;
    expect(committed).to.equal(loadedSeq + 1);
    // ... and now it starts following.
    follower = new BookFollower(t.exchange.config.databaseUrl, orders, pino({ level: 'silent' }));
    await follower.start();
    for (let waited = 0; orders.books.get(FUND)!.seq < committed && waited < 5000; waited += 50)
      await new Promise((res) => setTimeout(res, 50));
    expect(orders.books.get(FUND)!.seq, 'the book caught up without a further commit').to.equal(committed);
    expect(orders.bookViewNow(FUND, '1000000', 10)!.asks.map((l) => l.pricePct)).to.include('97.77');
  });

  /** A second process's order service (its own connections), books loaded. */
  async function secondProcess(): Promise<{ h: DatabaseHandle; orders: OrdersService }> {
    const handle = openDatabase(t.exchange.config.databaseUrl);
    const calendar = await loadCalendar(handle.db);
    const orders = new OrdersService(handle, t.exchange.clock, calendar, transferOpener(calendar, t.exchange.config.fees));
    await orders.recover();
    return { h: handle, orders };
  }

  const committedState = async (db: DatabaseHandle, fundId: string) =>
    db.db.selectFrom('bookState').select(['seq', 'stateHash']).where('fundId', '=', fundId).executeTakeFirstOrThrow();

  it("follows while a batch of the other process holds the fund's lock, without waiting for it", async () => {
    const second = await secondProcess();
    const holder = openDatabase(t.exchange.config.databaseUrl);
    try {
      const r = await t.call('POST', '/api/orders', {
        token: await t.login('lp'),
        body: { fundId: FUND, side: 'sell', pricePct: '98.88', quantity: '1000000', timeInForce: 'GTC' },
      });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      const committed = await committedState(second.h, FUND);
      expect(second.orders.books.get(FUND)!.seq).to.be.below(committed.seq);
      // A transaction holding the fund's lock, as a batch does while it matches.
      let release!: () => void;
      const released = new Promise<void>((res) => (release = res));
      let locked!: () => void;
      const isLocked = new Promise<void>((res) => (locked = res));
      const holding = holder.db.transaction().execute(async (trx) => {
        await holder.engine.lock(trx, { kind: 'fund', fundId: FUND });
        locked();
        await released;
      });
      await isLocked;
      const outcome = await Promise.race([
        second.orders.follow(FUND).then(() => 'followed'),
        new Promise((res) => setTimeout(() => res('waited for the lock'), 5000)),
      ]);
      release();
      await holding;
      expect(outcome).to.equal('followed');
      expect(second.orders.books.get(FUND)!.seq).to.equal(committed.seq);
      expect(second.orders.books.get(FUND)!.engine.stateHash()).to.equal(committed.stateHash);
    } finally {
      await holder.close();
      await second.h.close();
    }
  });

  it('follows once more when the other process commits again while a catch-up runs, instead of waiting for the next commit', async () => {
    const second = await secondProcess();
    const follow = new BookFollower(t.exchange.config.databaseUrl, second.orders, pino({ level: 'silent' }));
    const sell = async (pricePct: string) => {
      const r = await t.call('POST', '/api/orders', {
        token: await t.login('lp'),
        body: { fundId: FUND, side: 'sell', pricePct, quantity: '1000000', timeInForce: 'GTC' },
      });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      return (await committedState(second.h, FUND)).seq;
    };
    // The first catch-up reads its snapshot, then is held until the second commit has been notified.
    const realFollow = second.orders.follow.bind(second.orders);
    let release!: () => void;
    const released = new Promise<void>((res) => (release = res));
    let firstRead!: () => void;
    const hasRead = new Promise<void>((res) => (firstRead = res));
    let calls = 0;
    try {
      await follow.start();
      await new Promise((res) => setTimeout(res, 300)); // the start's own catch-ups end
      second.orders.follow = async (funds: string[]) => {
        calls += 1;
        await realFollow(funds);
        if (calls === 1) {
          firstRead();
          await released;
        }
      };
      const first = await sell('97.51');
      await hasRead;
      expect(second.orders.books.get(FUND)!.seq).to.equal(first);
      const latest = await sell('97.52');
      await new Promise((res) => setTimeout(res, 300)); // its notification arrives while the first catch-up is held
      release();
      for (let waited = 0; second.orders.books.get(FUND)!.seq < latest && waited < 5000; waited += 50)
        await new Promise((res) => setTimeout(res, 50));
      expect(second.orders.books.get(FUND)!.seq, 'caught up with the commit notified during the catch-up').to.equal(latest);
      expect(calls).to.be.at.least(2);
    } finally {
      release();
      await follow.stop();
      await second.h.close();
    }
  });

  it("catches up with several funds in one snapshot and tells the listeners each fund's change once", async () => {
    const second = await secondProcess();
    const changes: { fundId: string; seq: number; orderIds: string[] }[] = [];
    second.orders.onCommitted((c) => changes.push({ fundId: c.fundId, seq: c.seq, orderIds: c.orderIds }));
    try {
      const token = await t.login('buyer1');
      const funds = [FUND, 'bj-ic-2019', 'bj-bio-2020'];
      const placed = new Map<string, string[]>();
      for (const fundId of funds)
        for (const pricePct of ['31.00', '32.00']) {
          const r = await t.call('POST', '/api/orders', {
            token,
            body: { fundId, side: 'buy', pricePct, quantity: '1000000', timeInForce: 'GTC' },
          });
          expect(r.status, JSON.stringify(r.body)).to.equal(201);
          placed.set(fundId, [...(placed.get(fundId) ?? []), (r.body as { order: { id: string } }).order.id]);
        }
      await second.orders.follow(funds);
      for (const fundId of funds) {
        const committed = await committedState(second.h, fundId);
        expect(second.orders.books.get(fundId)!.seq, fundId).to.equal(committed.seq);
        expect(second.orders.books.get(fundId)!.engine.stateHash(), fundId).to.equal(committed.stateHash);
        const told = changes.filter((c) => c.fundId === fundId);
        expect(
          told.map((c) => c.seq),
          fundId,
        ).to.deep.equal([committed.seq]);
        expect(told[0]!.orderIds, fundId).to.include.members(placed.get(fundId)!);
      }
      changes.length = 0;
      await second.orders.follow(funds);
      expect(changes, 'nothing new to tell').to.deep.equal([]);
    } finally {
      await second.h.close();
    }
  });

  it('makes no batch wait for a lock while it follows a burst of the other process', async () => {
    const second = await secondProcess();
    const follow = new BookFollower(t.exchange.config.databaseUrl, second.orders, pino({ level: 'silent' }));
    await follow.start();
    const sampler = openDatabase(t.exchange.config.databaseUrl);
    try {
      const token = await t.login('buyer1');
      let sampling = true;
      let waiting = 0;
      let samples = 0;
      const sample = (async () => {
        while (sampling) {
          const { rows } = await sql<{ n: number }>`
            select count(*)::int as n from pg_locks
            where not granted and locktype = 'advisory'
              and database = (select oid from pg_database where datname = current_database())`.execute(sampler.db);
          samples++;
          if (rows[0]!.n > 0) waiting++;
          await new Promise((res) => setTimeout(res, 5));
        }
      })();
      for (let n = 0; n < 60; n += 10) {
        const burst = await Promise.all(
          Array.from({ length: 10 }, (_, k) =>
            t.call('POST', '/api/orders', {
              token,
              body: { fundId: FUND, side: 'buy', pricePct: `${60 + ((n + k) % 20)}.00`, quantity: '1000000', timeInForce: 'GTC' },
            }),
          ),
        );
        for (const r of burst) expect(r.status, JSON.stringify(r.body)).to.equal(201);
      }
      const committed = await committedState(second.h, FUND);
      for (let waited = 0; second.orders.books.get(FUND)!.seq < committed.seq && waited < 5000; waited += 50)
        await new Promise((res) => setTimeout(res, 50));
      sampling = false;
      await sample;
      expect(samples).to.be.above(5);
      expect(waiting, `samples with an advisory lock request waiting, of ${samples}`).to.equal(0);
      expect(second.orders.books.get(FUND)!.seq).to.equal(committed.seq);
      expect(second.orders.books.get(FUND)!.engine.stateHash()).to.equal(committed.stateHash);
    } finally {
      await follow.stop();
      await sampler.close();
      await second.h.close();
    }
  });

  it('ends equal to the database when it trades a fund itself while following the other process on it', async () => {
    const second = await secondProcess();
    const follow = new BookFollower(t.exchange.config.databaseUrl, second.orders, pino({ level: 'silent' }));
    await follow.start();
    try {
      const user = await second.h.db.selectFrom('users').select(['id', 'orgId']).where('username', '=', 'buyer2').executeTakeFirstOrThrow();
      const who: Principal = { userId: user.id, username: 'buyer2', orgId: user.orgId, orgName: 'buyer2', roles: ['buyer'] };
      const token = await t.login('buyer1');
      for (let n = 0; n < 40; n += 8) {
        const mine = Array.from({ length: 4 }, (_, k) =>
          second.orders.submit(
            who,
            { fundId: FUND, side: 'buy', pricePct: `${40 + ((n + k) % 15)}.00`, quantity: '1000000', timeInForce: 'GTC' },
            `follow-mix-${n}-${k}`,
          ),
        );
        const theirs = Array.from({ length: 4 }, (_, k) =>
          t.call('POST', '/api/orders', {
            token,
            body: { fundId: FUND, side: 'buy', pricePct: `${41 + ((n + k) % 15)}.00`, quantity: '1000000', timeInForce: 'GTC' },
          }),
        );
        for (const o of await Promise.all(mine)) expect(o.status).to.equal(201);
        for (const r of await Promise.all(theirs)) expect(r.status, JSON.stringify(r.body)).to.equal(201);
      }
      const committed = await committedState(second.h, FUND);
      for (let waited = 0; second.orders.books.get(FUND)!.seq < committed.seq && waited < 5000; waited += 50)
        await new Promise((res) => setTimeout(res, 50));
      expect(second.orders.books.get(FUND)!.seq).to.equal(committed.seq);
      expect(second.orders.books.get(FUND)!.engine.stateHash()).to.equal(committed.stateHash);
    } finally {
      await follow.stop();
      await second.h.close();
    }
  });
});
