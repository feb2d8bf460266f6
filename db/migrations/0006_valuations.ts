/**
 * Stored valuation reports (POST /api/valuations): a user-supplied fund model with the report built
 * from it. Inputs and report are canonical JSON text, so the stored report's content hash can be
 * checked against its text at any time. Demo funds' reports are not stored: they are rebuilt from
 * code and the fund's NAV report on request (server/valuation/demo-model.ts).
 * Frozen in time: Kysely<any>, no application imports.
 */
import { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('valuations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fund_id', 'text', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_by_org', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('valuations_by_org').on('valuations').columns(['created_by_org', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('valuations').execute();
}
