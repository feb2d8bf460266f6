/**
 * Sign-in sessions: each token names its session (the JWT's jti), so signing out, or an
 * administrator cutting off a user, ends the token before it expires. Tokens issued before this
 * migration carry no session and are refused from now on (users sign in again).
 * Frozen in time: Kysely<any>.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('revoke_reason', 'text')
    .execute();
  await db.schema.createIndex('sessions_by_user').on('sessions').columns(['user_id', 'expires_at']).execute();
  // What every process reloads every few seconds: the ended sessions whose tokens are still live.
  await db.schema
    .createIndex('sessions_revoked_by_expiry')
    .on('sessions')
    .column('expires_at')
    .where(sql.ref('revoked_at'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sessions').execute();
}
