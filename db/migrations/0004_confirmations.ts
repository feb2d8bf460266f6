/**
 * Transfer confirmations (交易凭证): issued once per completed transfer, never twice, with the exact
 * PDF bytes (base64 text: portable between SQLite and PostgreSQL, unlike blob/bytea) and their SHA-256,
 * which anyone may verify by number. Revocation takes two operators (a request, then an approval by
 * another one) and keeps the document, marked revoked.
 * Frozen in time: Kysely<any>, no application imports.
 */
import { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('confirmations')
    .addColumn('number', 'text', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('transfer_id', 'text', (c) => c.notNull().unique().references('transfers.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('pdf_base64', 'text', (c) => c.notNull())
    .addColumn('byte_length', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('revoke_requested_by', 'text')
    .addColumn('revoke_requested_at', 'text')
    .addColumn('revoke_reason', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_at', 'text')
    .addUniqueConstraint('confirmations_year_seq', ['year', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('confirmations').execute();
}
