/**
 * An administrator can suspend a user (a leaver, a compromised account): a suspended user cannot sign
 * in, and suspending ends the user's open sessions. Null while the user may sign in.
 * Frozen in time: Kysely<any>.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('suspended_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('suspended_by', 'text').execute();
  await db.schema.alterTable('users').addColumn('suspend_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('suspend_reason').execute();
  await db.schema.alterTable('users').dropColumn('suspended_by').execute();
  await db.schema.alterTable('users').dropColumn('suspended_at').execute();
}
