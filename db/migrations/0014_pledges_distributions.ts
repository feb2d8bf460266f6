/**
 * Share pledges (份额质押) and in-kind distributions of listed shares (实物分配):
 *  - funds.pledge_needs_consent: the partnership agreement's "a pledge needs the GP's consent" term
 *    (added only where missing: another change may bring the same fund term);
 *  - pledges: the pledge value as JSON in `data` with an optimistic `version`; columns for queries;
 *  - distributions: the proposal with its allocations as JSON in `data`;
 *  - in_kind_receipts: what each LP received from an approved distribution (shown on its position).
 * The units a pledge holds live in positions.pledged (0001), beside the other encumbrances.
 * Frozen in time: Kysely<any>, no application imports.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const funds = (await db.introspection.getTables()).find((t) => t.name === 'funds');
  if (!funds?.columns.some((c) => c.name === 'pledge_needs_consent')) {
    await db.schema.alterTable('funds').addColumn('pledge_needs_consent', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  }
  await db.schema
    .createTable('pledges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('pledgor_org_id', 'text', (c) => c.notNull())
    .addColumn('pledgee_org_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pledges_by_pledgor').on('pledges').column('pledgor_org_id').execute();
  await db.schema.createIndex('pledges_by_pledgee').on('pledges').column('pledgee_org_id').execute();
  await db.schema.createIndex('pledges_by_fund').on('pledges').column('fund_id').execute();
  await db.schema
    .createTable('distributions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('record_date', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('distributions_by_fund').on('distributions').column('fund_id').execute();
  await db.schema
    .createTable('in_kind_receipts')
    .addColumn('distribution_id', 'text', (c) => c.notNull().references('distributions.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('fund_id', 'text', (c) => c.notNull())
    .addColumn('security_code', 'text', (c) => c.notNull())
    .addColumn('security_name', 'text', (c) => c.notNull())
    .addColumn('security_market', 'text', (c) => c.notNull())
    .addColumn('shares', 'text', (c) => c.notNull())
    .addColumn('shares_in_lieu', 'text', (c) => c.notNull())
    .addColumn('cash_in_lieu', 'text', (c) => c.notNull())
    .addColumn('reference_price', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('in_kind_receipts_pk', ['distribution_id', 'org_id'])
    .execute();
  await db.schema.createIndex('in_kind_receipts_by_holder').on('in_kind_receipts').columns(['org_id', 'fund_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('in_kind_receipts').execute();
  await db.schema.dropTable('distributions').execute();
  await db.schema.dropTable('pledges').execute();
}
