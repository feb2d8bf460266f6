/**
 * Transfers opened by trades. The workflow's value (steps, ROFR answers, allocations) is stored as
 * canonical JSON in `data`, written whole with an optimistic `version`; the columns beside it exist
 * for queries (queues by state and deadline, per organisation).
 * Frozen in time: Kysely<any>, no application imports.
 */
import { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trade_id', 'text', (c) => c.notNull().unique())
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('venue', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('seller_org_id', 'text', (c) => c.notNull())
    .addColumn('buyer_org_id', 'text', (c) => c.notNull())
    .addColumn('next_deadline_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('transfers_by_state').on('transfers').columns(['state', 'next_deadline_at']).execute();
  await db.schema.createIndex('transfers_by_seller').on('transfers').column('seller_org_id').execute();
  await db.schema.createIndex('transfers_by_buyer').on('transfers').column('buyer_org_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('transfers').execute();
}
