/**
 * Sign-in attempts, kept in the database so that the limits on failed sign-ins hold across processes
 * and restarts. Each attempt is reserved (`pending`) before the password hash is checked, so a burst
 * of concurrent attempts counts before any of them finishes; it becomes `failed`, or is deleted when
 * the sign-in succeeds. Rows older than the throttle's window are deleted (auth/sign-in-attempts.ts).
 * Frozen in time: Kysely<any>.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_attempts_by_address').on('sign_in_attempts').columns(['address', 'at']).execute();
  await db.schema.createIndex('sign_in_attempts_by_address_user').on('sign_in_attempts').columns(['address', 'username', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_attempts').execute();
}
