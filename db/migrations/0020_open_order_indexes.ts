/**
 * Less written per order (issue #20: a commit's pages are most of SQLite's time on the matching thread).
 *
 * The indexes that find open orders (a fund's book at recovery, an organisation's open-order count, the
 * lapse pass's open bids) hold open orders only. Most orders close on arrival (an IOC or FOK order, a
 * marketable order filled at once) or within days: the old indexes over every status grew with the whole
 * history, and every order written, open or not, paid an entry in each (on SQLite 17 of the 98 pages a
 * batch of 25 IOC orders wrote: bench/write-path.ts). A partial index serves only a query whose condition
 * names the same literal (`status = 'open'`, not a bound parameter): the queries that want one write it
 * so (OPEN_STATUS, db/schema.ts). Frozen in time: Kysely<any>.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_open_by_fund').execute();
  await db.schema.dropIndex('orders_open_by_org').execute();
  await sql`create index orders_open_by_fund on orders (fund_id, priority) where status = 'open'`.execute(db);
  await sql`create index orders_open_by_org on orders (org_id) where status = 'open'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_open_by_fund').execute();
  await db.schema.dropIndex('orders_open_by_org').execute();
  await db.schema.createIndex('orders_open_by_fund').on('orders').columns(['fund_id', 'status', 'priority']).execute();
  await db.schema.createIndex('orders_open_by_org').on('orders').columns(['org_id', 'status']).execute();
}
