/**
 * Going live (issue #16): what an exchange needs to admit members and funds without the demo seed.
 * - organisations: the unified social credit code (`uscc`, unique where present); the `pledgee` kind
 *   arrives with 0014, as does funds.pledge_needs_consent, a term a proposal sets;
 * - users: `must_change_password` (set for users an administrator creates with an initial password);
 * - funds: `state` (`pending` until a second operator approves, then `open`; funds created before
 *   this migration are open), `legal_form`, who proposed and who approved;
 * - fund_partners: a pending fund's partner register, which becomes positions when the fund opens;
 * - qualifications and nav_reports: who recorded them.
 * Frozen in time: Kysely<any>.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisations').addColumn('uscc', 'text').execute();
  await db.schema.createIndex('organisations_uscc').on('organisations').column('uscc').unique().execute();

  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .alterTable('funds')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('open'))
    .execute();
  await db.schema
    .alterTable('funds')
    .addColumn('legal_form', 'text', (c) => c.notNull().defaultTo('partnership'))
    .execute();
  await db.schema.alterTable('funds').addColumn('proposed_by', 'text').execute();
  await db.schema.alterTable('funds').addColumn('approved_by', 'text').execute();
  await db.schema.alterTable('funds').addColumn('approved_at', 'text').execute();

  await db.schema
    .createTable('fund_partners')
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
  for (const c of ['approved_at', 'approved_by', 'proposed_by', 'legal_form', 'state']) {
    await db.schema.alterTable('funds').dropColumn(c).execute();
  }
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
  await db.schema.dropIndex('organisations_uscc').execute();
  await db.schema.alterTable('organisations').dropColumn('uscc').execute();
}
