/**
 * Foundation tables. Frozen in time: migrations use Kysely<any> and never import application types.
 *
 * Portable column types, so one schema serves SQLite and PostgreSQL:
 * - money, prices and quantities are TEXT holding canonical decimal strings ("12500000.00"): exact in
 *   both engines (SQLite's NUMERIC affinity would turn them into floats);
 * - instants are TEXT ISO-8601 UTC strings (sortable), calendar dates TEXT 'YYYY-MM-DD';
 * - flags are INTEGER 0/1.
 */
import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('lp', 'buyer', 'gp', 'exchange')`))
    .addColumn('state_owned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Qualified-investor evidence (合格投资者认定). Thresholds are stored with each row because the
  // pilot's defaults (RMB 20 m net assets, RMB 10 m financial assets) may change.
  await db.schema
    .createTable('qualifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('net_assets', 'text', (c) => c.notNull())
    .addColumn('financial_assets', 'text', (c) => c.notNull())
    .addColumn('min_net_assets', 'text', (c) => c.notNull())
    .addColumn('min_financial_assets', 'text', (c) => c.notNull())
    .addColumn('evidence_ref', 'text', (c) => c.notNull())
    .addColumn('qualified_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('qualifications_org').on('qualifications').columns(['org_id', 'expires_at']).execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull()) // comma-separated, from a closed set
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('funds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('manager_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('strategy', 'text', (c) => c.notNull().check(sql`strategy in ('buyout', 'growth', 'venture', 'fof', 'infrastructure')`))
    .addColumn('vintage', 'integer', (c) => c.notNull())
    .addColumn('term_years', 'integer', (c) => c.notNull())
    .addColumn('total_commitment', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY'))
    .addColumn('amac_filing', 'text', (c) => c.notNull())
    .addColumn('lot_size', 'text', (c) => c.notNull())
    .addColumn('rofr_enabled', 'integer', (c) => c.notNull())
    .addColumn('rofr_window_days', 'integer', (c) => c.notNull())
    .addColumn('gp_consent_required', 'integer', (c) => c.notNull())
    .addColumn('pledge_allowed', 'integer', (c) => c.notNull())
    .addColumn('investor_cap', 'integer', (c) => c.notNull())
    .addColumn('min_holding', 'text', (c) => c.notNull())
    .addColumn('round_trip_working_days', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('nav_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('reference_date', 'text', (c) => c.notNull())
    .addColumn('nav', 'text', (c) => c.notNull())
    .addColumn('paid_in', 'text', (c) => c.notNull())
    .addColumn('cumulative_distributions', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('nav_reports_fund_date', ['fund_id', 'reference_date'])
    .execute();

  // Current holdings: a projection of the unit ledger, updated in the same transaction as each
  // ledger posting (tests check that the two agree).
  await db.schema
    .createTable('positions')
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('commitment', 'text', (c) => c.notNull())
    .addColumn('paid_in', 'text', (c) => c.notNull())
    .addColumn('pledged', 'text', (c) => c.notNull().defaultTo('0'))
    // Encumbrances kept beside the holding so the unencumbered amount is one read:
    // on_offer = remaining quantity of open sell orders; reserved = units held for pending transfers.
    .addColumn('on_offer', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('reserved', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('last_bought_at', 'text')
    .addColumn('last_sold_at', 'text')
    .addPrimaryKeyConstraint('positions_pk', ['fund_id', 'org_id'])
    .execute();

  // Double-entry ledgers, append-only. Every posting is a set of rows sharing `journal_id` whose
  // amounts sum to zero (per fund for units), so conservation can be checked with a sum.
  await db.schema
    .createTable('unit_ledger')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('journal_id', 'text', (c) => c.notNull())
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('commitment', 'text', (c) => c.notNull())
    .addColumn('paid_in', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('unit_ledger_fund_account').on('unit_ledger').columns(['fund_id', 'account']).execute();

  await db.schema
    .createTable('cash_ledger')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('journal_id', 'text', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('amount', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cash_ledger_account').on('cash_ledger').column('account').execute();

  // Hash-chained audit log: each row's hash covers its content and the previous row's hash.
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_org_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();

  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('loaded_by', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'text', (c) => c.notNull())
    .execute();

  // Small durable settings, e.g. the simulated clock's position (so it never moves back on restart).
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'settings',
    'calendar_years',
    'idempotency_keys',
    'audit_log',
    'cash_ledger',
    'unit_ledger',
    'positions',
    'nav_reports',
    'funds',
    'users',
    'qualifications',
    'organisations',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
