/**
 * Less written per order (issue #20: a commit's pages are most of SQLite's time on the matching thread).
 *
 * The indexes that find open orders (a fund's book at recovery, an organisation's open-order count, the
 * lapse pass's open bids) hold open orders only. Most orders close on arrival (an IOC or FOK order, a
 * marketable order filled at once) or within days: the old indexes over every status grew with the whole
 * history, and every order written, open or not, paid an entry in each. A partial index serves only a
 * query whose condition names the same literal (`status = 'open'`, not a bound parameter): the queries
 * that want one write it so (OPEN_STATUS, db/schema.ts).
 *
 * On SQLite the book journal becomes a WITHOUT ROWID table: its rows are stored in its primary key's
 * order (fund, seq), one B-tree instead of a table and an index beside it, so a journal row costs one
 * insert and the pages of one tree. PostgreSQL has no rowid: its journal is unchanged.
 * Frozen in time: Kysely<any>.
 */
import { SqliteAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_open_by_fund').execute();
  await db.schema.dropIndex('orders_open_by_org').execute();
  await sql`create index orders_open_by_fund on orders (fund_id, priority) where status = 'open'`.execute(db);
  await sql`create index orders_open_by_org on orders (org_id) where status = 'open'`.execute(db);
  if (db.getExecutor().adapter instanceof SqliteAdapter) await rebuildJournal(db, sql`without rowid`);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_open_by_fund').execute();
  await db.schema.dropIndex('orders_open_by_org').execute();
  await db.schema.createIndex('orders_open_by_fund').on('orders').columns(['fund_id', 'status', 'priority']).execute();
  await db.schema.createIndex('orders_open_by_org').on('orders').columns(['org_id', 'status']).execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) await rebuildJournal(db, sql``);
}

/** SQLite cannot change a table's storage in place: a copy with the same columns and key, then the swap. */
async function rebuildJournal(db: Kysely<any>, storage: ReturnType<typeof sql>): Promise<void> {
  await db.schema
    .createTable('book_journal_rebuilt')
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('book_journal_pk', ['fund_id', 'seq'])
    .modifyEnd(storage)
    .execute();
  await sql`insert into book_journal_rebuilt (fund_id, seq, kind, order_id, payload, at)
    select fund_id, seq, kind, order_id, payload, at from book_journal`.execute(db);
  await db.schema.dropTable('book_journal').execute();
  await db.schema.alterTable('book_journal_rebuilt').renameTo('book_journal').execute();
}
