/**
 * Less written per order (issue #20: a batch's commit, which writes every page the batch dirtied, is
 * most of SQLite's time on the matching thread).
 *
 * The indexes that find open orders (a fund's book at recovery, an organisation's open-order count, the
 * lapse pass's open bids, a member's open orders) hold open orders only. Most orders close on arrival
 * (an IOC or FOK order, a marketable order filled at once) or within days: the old indexes over every
 * status grew with the whole history, and every order written, open or not, paid an entry in each (on
 * SQLite 17 of the 99 pages a batch of 25 IOC orders wrote: bench/write-path.ts). An organisation's is
 * by creation time, so its open orders also list newest first from it. The queries that want one name
 * the literal (OPEN_STATUS, db/schema.ts).
 *
 * The new indexes are built before the old ones are dropped: on PostgreSQL, where the migration is one
 * transaction, dropping an index locks the table for every reader until the commit, so that lock comes
 * last and is held for a moment, not for the builds. SQLite runs a migration's statements without a
 * transaction: each one is written so that running the migration again after a crash halfway succeeds.
 * Frozen in time: Kysely<any>.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists orders_open_in_fund on orders (fund_id, priority) where status = 'open'`.execute(db);
  await sql`create index if not exists orders_open_of_org on orders (org_id, created_at) where status = 'open'`.execute(db);
  await db.schema.dropIndex('orders_open_by_fund').ifExists().execute();
  await db.schema.dropIndex('orders_open_by_org').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('orders_open_by_fund').ifNotExists().on('orders').columns(['fund_id', 'status', 'priority']).execute();
  await db.schema.createIndex('orders_open_by_org').ifNotExists().on('orders').columns(['org_id', 'status']).execute();
  await db.schema.dropIndex('orders_open_in_fund').ifExists().execute();
  await db.schema.dropIndex('orders_open_of_org').ifExists().execute();
}
