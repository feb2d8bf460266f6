/**
 * The audit log becomes one hash chain per stream (a fund's commands, an organisation's, the
 * exchange's own), so commands on different funds share no lock; a global anchor chain records every
 * stream's head from time to time (see server/audit/README.md).
 *
 * Existing rows keep their hashes: the one chain written before this migration becomes the stream
 * `legacy` (same seq, same hash formula, verified as before) and receives nothing more. `id` is a
 * global insertion number (order of writing, not part of any hash). Confirmations remember the
 * anchor current when they were issued.
 * Frozen in time: Kysely<any>, no application imports.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('audit_log_streams')
    .addColumn('id', postgres ? 'serial' : 'integer', (c) => c.primaryKey())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_org_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('audit_log_stream_seq', ['stream', 'seq'])
    .execute();
  // Row for row, in chain order; a row numbered outside the chain (tampering) is carried over as it is,
  // so that audit:verify still reports it.
  await sql`insert into audit_log_streams
    (id, stream, seq, at, actor_user_id, actor_org_id, action, entity_type, entity_id, payload, prev_hash, hash)
    select seq, 'legacy', seq, at, actor_user_id, actor_org_id, action, entity_type, entity_id, payload, prev_hash, hash
    from audit_log order by seq`.execute(db);
  await db.schema.dropTable('audit_log').execute();
  await db.schema.alterTable('audit_log_streams').renameTo('audit_log').execute();
  if (postgres)
    await sql`select setval(pg_get_serial_sequence('audit_log', 'id'), coalesce((select max(id) from audit_log), 0) + 1, false)`.execute(
      db,
    );
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity_id', 'action']).execute();

  // The global anchor chain: each anchor records every stream's head (count and hash) and links to the previous anchor.
  await db.schema
    .createTable('audit_anchors')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().unique())
    .addColumn('heads', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('confirmations').addColumn('audit_anchor_count', 'integer').execute();
  await db.schema.alterTable('confirmations').addColumn('audit_anchor_hash', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('0018 cannot be undone: entries of several streams do not fit back into one chain');
}
