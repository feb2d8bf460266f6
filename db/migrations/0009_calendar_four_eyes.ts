/**
 * A calendar year takes effect only when a second operator approves it: `loaded_by`/`loaded_at` now
 * name the proposal, `approved_by`/`approved_at` the approval (null while pending). Years loaded
 * before this migration were in force already and stay so, approved by whoever loaded them.
 * Frozen in time: Kysely<any>.
 */
import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('calendar_years').addColumn('approved_by', 'text').execute();
  await db.schema.alterTable('calendar_years').addColumn('approved_at', 'text').execute();
  await sql`update calendar_years set approved_by = loaded_by, approved_at = loaded_at`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('calendar_years').dropColumn('approved_at').execute();
  await db.schema.alterTable('calendar_years').dropColumn('approved_by').execute();
}
