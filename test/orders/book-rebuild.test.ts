import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { seededDatabase, type SeededDatabase } from '../support/seeded-database';
import type { DatabaseHandle } from '../../db/database';
import { BookRegistry } from '../../server/orders/book-registry';
import type { Lots, Ticks } from '../../shared/decimal';

describeEachDatabase('rebuilding the books after a failed batch', (kind) => {
  let db: SeededDatabase;
  let h: DatabaseHandle;
  before(async () => {
    db = await seededDatabase(kind, '2026-11-23T02:00:00Z');
    h = db.handle;
  });
  after(async () => {
    await db?.drop();
  });

  it('restores every book to the database, and drops a book it cannot rebuild instead of keeping it as it was', async () => {
    const books = new BookRegistry();
    await books.loadAll(h.db, (trx, fundId) => h.engine.lock(trx, { kind: 'fund', fundId }));
    const [a, b] = [...books.all()].map((x) => x.fundId) as [string, string];
    const hashOf = (fundId: string) => books.get(fundId)!.engine.stateHash();
    const before = hashOf(a);
    // What an aborted batch leaves behind: an order in memory that the database never saw.
    books.get(a)!.engine.submit(
      {
        orderId: 'phantom',
        orgId: 'org-x',
        side: 'buy',
        priceTicks: 100 as Ticks,
        lots: 1 as Lots,
        timeInForce: 'GTC',
        expiresAtMs: null,
        allOrNone: false,
        minLots: null,
      },
      Date.parse('2026-11-23T02:00:00Z'),
    );
    books.get(a)!.seq += 1;
    expect(hashOf(a)).to.not.equal(before);
    // A book whose committed state does not match its rows cannot be rebuilt.
    await h.db.updateTable('bookState').set({ stateHash: 'not-the-hash' }).where('fundId', '=', b).execute();
    const inserted = (await h.db.selectFrom('bookState').select('fundId').where('fundId', '=', b).execute()).length;
    if (inserted === 0)
      await h.db
        .insertInto('bookState')
        .values({ fundId: b, seq: 1, nextPriority: 1, stateHash: 'not-the-hash', lastPriceTicks: null })
        .execute();

    let failure: unknown = null;
    try {
      await books.rebuildAll(h.db, (trx, fundId) => h.engine.lock(trx, { kind: 'fund', fundId }));
    } catch (err) {
      failure = err;
    }
    expect(failure).to.be.instanceOf(AggregateError);
    expect(hashOf(a), 'the phantom order is gone').to.equal(before);
    expect(books.get(b), 'dropped, to be rebuilt on its next use').to.equal(undefined);
  });
});

describeEachDatabase('loading the books at start while another process trades on the same database', (kind) => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(kind);
  });
  after(async () => {
    await t?.stop();
  });

  it('reads each book as of one committed sequence, so a start never fails or rebuilds a book between two commits', async function () {
    this.timeout(60_000);
    const FUND = 'bj-ai-2021';
    const [lp, b1] = [await t.login('lp'), await t.login('buyer1')];
    // The "other process": orders committing to one fund for as long as the loads run.
    let stop = false;
    let n = 0;
    const trader = async () => {
      while (!stop) {
        const i = n++;
        await t.call('POST', '/api/orders', {
          token: i % 2 ? b1 : lp,
          body: { fundId: FUND, side: i % 2 ? 'buy' : 'sell', pricePct: `${80 + (i % 7)}.00`, quantity: '1000000', timeInForce: 'GTC' },
        });
      }
    };
    const load = [trader(), trader(), trader()];
    const h = t.exchange.handle;
    const failures: string[] = [];
    try {
      for (let k = 0; k < 150; k++) {
        await new Promise((r) => setTimeout(r, 2)); // let the trader's requests in between loads
        const books = new BookRegistry();
        try {
          await books.loadAll(h.db, (trx, fundId) => h.engine.lock(trx, { kind: 'fund', fundId }));
        } catch (err) {
          failures.push(String(err));
          continue;
        }
        // What was loaded is one committed state: the book's hash is the one committed at its sequence.
        const b = books.get(FUND)!;
        const journal = await h.db
          .selectFrom('bookJournal')
          .select('seq')
          .where('fundId', '=', FUND)
          .where('seq', '<=', b.seq)
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        expect(journal?.seq ?? 0).to.equal(b.seq);
      }
    } finally {
      stop = true;
      await Promise.all(load);
    }
    expect(n, 'orders committed meanwhile').to.be.greaterThan(20);
    expect(failures, failures[0]).to.deep.equal([]);
  });
});
