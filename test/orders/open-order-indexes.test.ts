/**
 * Migration 0020, less written per order: the indexes of open orders hold open orders only, and every
 * query that looks for open orders is served by one (its condition names the literal the partial index
 * names: with a bound parameter the database would not use the index and would read every order ever
 * written, or another index over all of them). The migration goes down and up again without changing what
 * the queries find.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { CompiledQuery, Migrator, sql } from 'kysely';
import { MIGRATIONS } from '../../db/migrate';
import { openOrderCounts } from '../../server/orders/batch-facts';
import { loadBook, loadBooks } from '../../server/orders/book-registry';
import { openOrdersOfOrg } from '../../server/orders/orders.service';
import { openBuyOrders } from '../../server/qualifications/lapse';
import { listOrders } from '../../server/orders/order-reads';
import { describeEachDatabase } from '../support/databases';
import { seededDatabase, type SeededDatabase } from '../support/seeded-database';

const FUNDS = ['bj-ai-2021', 'bj-ic-2019'];

function serverSources(dir = path.join(__dirname, '..', '..', 'server')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? serverSources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}
const AT = '2026-09-14T01:00:00.000Z';

describeEachDatabase('open orders through partial indexes (migration 0020)', (kind) => {
  let seeded: SeededDatabase;
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  before(async () => {
    seeded = await seededDatabase(kind, AT, { onQuery: (q) => statements.push({ sql: q.sql, parameters: [...q.parameters] }) });
    // Open and closed orders of two organisations on two funds.
    let n = 0;
    for (const fundId of FUNDS)
      for (const [orgId, userId] of [
        ['org-lp', 'user-lp'],
        ['org-buyer1', 'user-buyer1'],
      ] as const)
        for (const status of ['open', 'cancelled', 'filled', 'open'] as const) {
          n += 1;
          await seeded.handle.db
            .insertInto('orders')
            .values({
              id: `order-${n}`,
              fundId,
              orgId,
              userId,
              side: orgId === 'org-lp' ? 'sell' : 'buy',
              priceTicks: (orgId === 'org-lp' ? 9000 : 8000) + n,
              lots: 10,
              remainingLots: status === 'open' ? 10 : 0,
              filledLots: status === 'filled' ? 10 : 0,
              status,
              statusReason: null,
              timeInForce: 'GTC',
              expiresAt: null,
              allOrNone: 0,
              minLots: null,
              priority: n,
              createdAt: AT,
              updatedAt: AT,
            })
            .execute();
        }
  });
  after(async () => seeded?.drop());

  /** The plan's text: the index it reads, if any. PostgreSQL plans a scan of these few rows unless told not to. */
  async function planOf(q: { sql: string; parameters: readonly unknown[] }): Promise<string> {
    return seeded.handle.db.transaction().execute(async (trx) => {
      if (kind.name === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
      const explain = kind.name === 'sqlite' ? 'explain query plan ' : 'explain ';
      const r = await trx.executeQuery<Record<string, unknown>>(CompiledQuery.raw(explain + q.sql, [...q.parameters]));
      return r.rows.map((row) => String(row.detail ?? row['QUERY PLAN'])).join('\n');
    });
  }

  /**
   * Every way the server looks for open orders, each once: a book, the books, an organisation's count, the counts,
   * the open bids, a member's list.
   */
  async function readOpenOrders() {
    const db = seeded.handle.db;
    const { books } = await db.transaction().execute((trx) => loadBooks(trx, FUNDS));
    const one = await db.transaction().execute((trx) => loadBook(trx, FUNDS[0]!));
    return {
      books: books.map((b) => b.engine.depth(10)),
      one: one.engine.depth(10),
      ofOrg: Number((await openOrdersOfOrg.first(db, ['org-lp']))?.n),
      counts: (await openOrderCounts.all(db, [['org-lp', 'org-buyer1']])).map((c) => [c.orgId, Number(c.n)]).sort(),
      bids: (await openBuyOrders(db)).map((b) => b.orgId),
      listed: (await listOrders(db, 'org-lp', 'open')).map((o) => o.status),
    };
  }

  it('reads open orders only, each query through a partial index of open orders', async () => {
    statements.length = 0;
    const found = await readOpenOrders();

    expect(found.books.map((d) => d.asks.length + d.bids.length)).to.deep.equal([4, 4]);
    expect(found.one.bids.length + found.one.asks.length).to.equal(4);
    expect(found.ofOrg).to.equal(4);
    expect(found.counts).to.deep.equal([
      ['org-buyer1', 4],
      ['org-lp', 4],
    ]);
    expect(found.bids).to.deep.equal(['org-buyer1', 'org-buyer1', 'org-buyer1', 'org-buyer1']);
    expect(found.listed).to.deep.equal(['open', 'open', 'open', 'open']);

    const ofOpenOrders = statements.filter((s) => /from "orders"/.test(s.sql) && /"status"/.test(s.sql));
    expect(ofOpenOrders.length, "a book, the books, an organisation's count, the counts, the open bids, the list").to.equal(6);
    for (const s of ofOpenOrders) {
      expect(s.sql, 'the literal the partial index names, not a parameter').to.include(`"status" = 'open'`);
      expect(await planOf(s), s.sql).to.match(/orders_open_(in_fund|of_org)/);
    }
  });

  it('finds the same open orders after migrating down to the indexes over every status and up again', async () => {
    const before = await readOpenOrders();
    const migrator = new Migrator({
      db: seeded.handle.db,
      provider: { getMigrations: async () => MIGRATIONS },
      allowUnorderedMigrations: true,
    });
    const down = await migrator.migrateTo('0019_loan_prime_rates');
    expect(down.error).to.equal(undefined);
    expect(await readOpenOrders()).to.deep.equal(before);
    const up = await migrator.migrateToLatest();
    expect(up.error).to.equal(undefined);
    expect(up.results?.map((r) => [r.migrationName, r.status])).to.deep.equal([['0020_open_order_indexes', 'Success']]);
    expect(await readOpenOrders()).to.deep.equal(before);
  });

  it("leaves no query in the server comparing an order's status with a bound 'open'", () => {
    const bound = /\.where\(\s*'(?:orders\.)?status'\s*,\s*'='\s*,\s*'open'\s*\)/;
    const offending = serverSources().filter((f) => bound.test(fs.readFileSync(f, 'utf8')));
    expect(offending, 'write OPEN_STATUS (db/schema.ts)').to.deep.equal([]);
  });
});
