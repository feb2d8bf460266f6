/**
 * The continuous order book's durable state. The in-memory books are caches of these rows: on start
 * each fund's book is rebuilt from its open orders in priority order and its state hash compared
 * with `book_state.state_hash`, written in the same transaction as every accepted command.
 * Frozen in time: Kysely<any>, no application imports.
 */
import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('buy', 'sell')`))
    .addColumn('price_ticks', 'integer', (c) => c.notNull())
    .addColumn('lots', 'integer', (c) => c.notNull())
    .addColumn('remaining_lots', 'integer', (c) => c.notNull())
    .addColumn('filled_lots', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'filled', 'cancelled', 'expired', 'rejected')`))
    .addColumn('status_reason', 'text')
    .addColumn('time_in_force', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('all_or_none', 'integer', (c) => c.notNull())
    .addColumn('min_lots', 'integer')
    // Time priority from the engine's counter; restore orders open books in this order.
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_open_by_fund').on('orders').columns(['fund_id', 'status', 'priority']).execute();
  await db.schema.createIndex('orders_by_org').on('orders').columns(['org_id', 'created_at']).execute();
  await db.schema.createIndex('orders_open_by_org').on('orders').columns(['org_id', 'status']).execute();

  await db.schema
    .createTable('trades')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('venue', 'text', (c) => c.notNull().check(sql`venue in ('book', 'listing')`))
    .addColumn('price_pct', 'text', (c) => c.notNull())
    .addColumn('quantity', 'text', (c) => c.notNull())
    .addColumn('consideration', 'text', (c) => c.notNull())
    .addColumn('nav_per_commitment', 'text', (c) => c.notNull())
    .addColumn('nav_reference_date', 'text', (c) => c.notNull())
    .addColumn('buy_order_id', 'text')
    .addColumn('sell_order_id', 'text')
    .addColumn('buyer_org_id', 'text', (c) => c.notNull())
    .addColumn('seller_org_id', 'text', (c) => c.notNull())
    .addColumn('listing_id', 'text')
    .addColumn('transfer_id', 'text')
    .addColumn('fund_seq', 'integer')
    .addColumn('executed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trades_by_fund').on('trades').columns(['fund_id', 'executed_at']).execute();

  // One row per accepted book command, numbered per fund: the journal that orders the book's history.
  await db.schema
    .createTable('book_journal')
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('book_journal_pk', ['fund_id', 'seq'])
    .execute();

  await db.schema
    .createTable('book_state')
    .addColumn('fund_id', 'text', (c) => c.primaryKey().references('funds.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('next_priority', 'integer', (c) => c.notNull())
    .addColumn('state_hash', 'text', (c) => c.notNull())
    .addColumn('last_price_ticks', 'integer')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['book_state', 'book_journal', 'trades', 'orders']) await db.schema.dropTable(t).execute();
}
