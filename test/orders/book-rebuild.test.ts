import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
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
  after(async () => { await db?.drop(); });

  it('restores every book to the database, and drops a book it cannot rebuild instead of keeping it as it was', async () => {
    const books = new BookRegistry();
    await books.loadAll(h.db);
    const [a, b] = [...books.all()].map((x) => x.fundId) as [string, string];
    const hashOf = (fundId: string) => books.get(fundId)!.engine.stateHash();
    const before = hashOf(a);
    // What an aborted batch leaves behind: an order in memory that the database never saw.
    books.get(a)!.engine.submit({ orderId: 'phantom', orgId: 'org-x', side: 'buy', priceTicks: 100 as Ticks, lots: 1 as Lots, timeInForce: 'GTC', expiresAtMs: null, allOrNone: false, minLots: null }, Date.parse('2026-11-23T02:00:00Z'));
    books.get(a)!.seq += 1;
    expect(hashOf(a)).to.not.equal(before);
    // A book whose committed state does not match its rows cannot be rebuilt.
    await h.db.updateTable('bookState').set({ stateHash: 'not-the-hash' }).where('fundId', '=', b).execute();
    const inserted = (await h.db.selectFrom('bookState').select('fundId').where('fundId', '=', b).execute()).length;
    if (inserted === 0) await h.db.insertInto('bookState').values({ fundId: b, seq: 1, nextPriority: 1, stateHash: 'not-the-hash', lastPriceTicks: null }).execute();

    let failure: unknown = null;
    try { await books.rebuildAll(h.db, (trx, fundId) => h.engine.lock(trx, { kind: 'fund', fundId })); } catch (err) { failure = err; }
    expect(failure).to.be.instanceOf(AggregateError);
    expect(hashOf(a), 'the phantom order is gone').to.equal(before);
    expect(books.get(b), 'dropped, to be rebuilt on its next use').to.equal(undefined);
  });
});
