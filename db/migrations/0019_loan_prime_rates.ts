/**
 * The one-year Loan Prime Rates the exchange's operators record after the published history in
 * shared/loan-prime-rate.ts: one row per publication, counted once a second operator approved it (four
 * eyes, as for calendar years). Frozen in time: Kysely<any>.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('loan_prime_rates')
    .addColumn('effective_date', 'text', (c) => c.primaryKey())
    .addColumn('one_year_pct', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('loan_prime_rates').execute();
}
