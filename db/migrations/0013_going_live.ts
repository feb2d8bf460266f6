/**
 * Going live (issue #16): what an exchange needs to admit members and funds without the demo seed.
 * - organisations: the unified social credit code (`uscc`, unique where present) and the `pledgee`
 *   kind (a bank taking share pledges);
 * - users: `must_change_password` (set for users an administrator creates with an initial password);
 * - funds: `state` (`pending` until a second operator approves, then `open`; funds created before
 *   this migration are open), `legal_form`, `pledge_needs_consent`, who proposed and who approved;
 * - fund_partners: a pending fund's partner register, which becomes positions when the fund opens;
 * - qualifications and nav_reports: who recorded them.
 * Frozen in time: Kysely<any>.
 */
import { SqliteAdapter, sql, type Kysely } from 'kysely';

const KINDS = ['lp', 'buyer', 'gp', 'exchange', 'pledgee'];

/**
 * SQLite cannot alter a CHECK constraint: the table is rebuilt (SQLite's documented procedure, with
 * foreign keys off; SQLite migrations run outside a transaction). PostgreSQL swaps the constraint.
 */
async function widenOrganisationKinds(db: Kysely<any>): Promise<void> {
  const kinds = sql.join(KINDS.map((k) => sql.lit(k)));
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`alter table organisations drop constraint organisations_kind_check`.execute(db);
    await sql`alter table organisations add constraint organisations_kind_check check (kind in (${kinds}))`.execute(db);
    return;
  }
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await trx.schema.createTable('organisations_new')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in (${kinds})`))
        .addColumn('state_owned', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into organisations_new (id, name, name_en, kind, state_owned, created_at)
        select id, name, name_en, kind, state_owned, created_at from organisations`.execute(trx);
      await trx.schema.dropTable('organisations').execute();
      await trx.schema.alterTable('organisations_new').renameTo('organisations').execute();
      const broken = await sql<{ table: string }>`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length) throw new Error(`organisations rebuild broke ${broken.rows.length} foreign keys`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await widenOrganisationKinds(db);
  await db.schema.alterTable('organisations').addColumn('uscc', 'text').execute();
  await db.schema.createIndex('organisations_uscc').on('organisations').column('uscc').unique().execute();

  await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema.alterTable('funds').addColumn('state', 'text', (c) => c.notNull().defaultTo('open')).execute();
  await db.schema.alterTable('funds').addColumn('legal_form', 'text', (c) => c.notNull().defaultTo('partnership')).execute();
  await db.schema.alterTable('funds').addColumn('pledge_needs_consent', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('funds').addColumn('proposed_by', 'text').execute();
  await db.schema.alterTable('funds').addColumn('approved_by', 'text').execute();
  await db.schema.alterTable('funds').addColumn('approved_at', 'text').execute();

  await db.schema.createTable('fund_partners')
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('commitment', 'text', (c) => c.notNull())
    .addColumn('paid_in', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fund_partners_pk', ['fund_id', 'org_id'])
    .execute();

  await db.schema.alterTable('qualifications').addColumn('qualified_by', 'text').execute();
  await db.schema.alterTable('nav_reports').addColumn('published_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('nav_reports').dropColumn('published_by').execute();
  await db.schema.alterTable('qualifications').dropColumn('qualified_by').execute();
  await db.schema.dropTable('fund_partners').execute();
  for (const c of ['approved_at', 'approved_by', 'proposed_by', 'pledge_needs_consent', 'legal_form', 'state']) {
    await db.schema.alterTable('funds').dropColumn(c).execute();
  }
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
  await db.schema.dropIndex('organisations_uscc').execute();
  await db.schema.alterTable('organisations').dropColumn('uscc').execute();
}
