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
import { SqliteAdapter, sql, type Kysely } from 'kysely';

const KINDS = "('lp', 'buyer', 'gp', 'exchange', 'pledgee')";

/**
 * organisations.kind gains 'pledgee' (a bank taking pledges). PostgreSQL replaces the column's check
 * constraint; SQLite cannot alter a check, so the table is rebuilt (SQLite's documented procedure:
 * foreign keys off outside a transaction — Kysely runs SQLite migrations without one — copy, drop,
 * rename, foreign keys checked again). Skipped where the check already admits 'pledgee'.
 */
async function widenOrganisationKinds(db: Kysely<any>): Promise<void> {
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (!isSqlite) {
    const checks = await sql<{ name: string; def: string }>`select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
      where conrelid = 'organisations'::regclass and contype = 'c'`.execute(db);
    const kindCheck = checks.rows.find((c) => c.def.includes('kind'));
    if (kindCheck?.def.includes('pledgee')) return;
    if (kindCheck) await sql`alter table organisations drop constraint ${sql.id(kindCheck.name)}`.execute(db);
    await sql`alter table organisations add constraint organisations_kind_check check (kind in ${sql.raw(KINDS)})`.execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'organisations'`.execute(db);
  const ddl = table.rows[0]?.sql ?? '';
  if (ddl.includes('pledgee')) return;
  const widened = ddl
    .replace(/kind in \([^)]*\)/, `kind in ${KINDS}`)
    .replace(/^CREATE TABLE\s+"?organisations"?/i, 'create table "organisations_0014"');
  if (widened === ddl || !widened.includes('organisations_0014')) throw new Error('0014: unexpected organisations table definition');
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql.raw(widened).execute(db);
    await sql`insert into organisations_0014 select * from organisations`.execute(db);
    await sql`drop table organisations`.execute(db);
    await sql`alter table organisations_0014 rename to organisations`.execute(db);
    const broken = await sql`pragma foreign_key_check`.execute(db);
    if (broken.rows.length)
      throw new Error(`0014: foreign keys broken after rebuilding organisations: ${JSON.stringify(broken.rows.slice(0, 3))}`);
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await widenOrganisationKinds(db);
  const funds = (await db.introspection.getTables()).find((t) => t.name === 'funds');
  if (!funds?.columns.some((c) => c.name === 'pledge_needs_consent')) {
    await db.schema
      .alterTable('funds')
      .addColumn('pledge_needs_consent', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
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
