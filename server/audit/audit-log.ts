/**
 * The hash-chained audit log. Every state-changing command appends one entry in its own transaction;
 * each entry's hash covers its content and the previous entry's hash, so altering, inserting or
 * deleting any row breaks the chain from that row on (found by `npm run audit:verify`). The chain
 * carries no secret and no anchor outside the database: removing entries from its end, or rewriting
 * it from some entry to the end, is not detectable from the table alone (compare the reported head
 * with one recorded elsewhere for that).
 */
import crypto from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import type { Db, DbEngine, Tx } from '../../db/database';
import type { Selectable } from 'kysely';
import type { AuditLogTable } from '../../db/schema';
import { prepared, preparedInsert } from '../../db/prepared';
import { AUDIT_LOCK, lockInOrder } from '../commands/locks';
import { txMemo } from '../commands/tx-memo';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  at: string;
  actorUserId: string | null;
  actorOrgId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  payload: unknown;
}

type AuditRow = Selectable<AuditLogTable>;

export function entryHash(prevHash: string, row: Omit<AuditRow, 'hash' | 'prevHash'>): string {
  const content = canonicalJson({
    seq: row.seq, at: row.at, actorUserId: row.actorUserId, actorOrgId: row.actorOrgId,
    action: row.action, entityType: row.entityType, entityId: row.entityId, payload: row.payload,
  });
  return crypto.createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

const chainHead = prepared(0, (db) => db.selectFrom('auditLog').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1));
const insertEntry = preparedInsert('auditLog', ['seq', 'at', 'actorUserId', 'actorOrgId', 'action', 'entityType', 'entityId', 'payload', 'prevHash', 'hash']);

/**
 * The chain head each open transaction has appended last. Once a transaction holds the audit lock it
 * is the only writer of the chain until it ends, so its own last entry is the head: later appends in
 * the same transaction (a group-commit batch appends one per order) skip reading it back.
 */
const headOf = txMemo<{ seq: number; hash: string }>();

/** Appends one entry; the caller owns the transaction, so the entry commits or rolls back with the change it records. */
export async function appendAudit(trx: Tx, engine: Pick<DbEngine, 'lock'>, entry: AuditEntry): Promise<AuditRow> {
  let last = headOf.get(trx);
  if (!last) {
    await lockInOrder(engine, trx, AUDIT_LOCK);
    last = await chainHead.first(trx, []);
  }
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const base = { seq, at: entry.at, actorUserId: entry.actorUserId, actorOrgId: entry.actorOrgId, action: entry.action, entityType: entry.entityType, entityId: entry.entityId, payload: canonicalJson(entry.payload) };
  const row: AuditRow = { ...base, prevHash, hash: entryHash(prevHash, base) };
  await insertEntry.run(trx, row);
  headOf.set(trx, { seq, hash: row.hash });
  return row;
}

export type ChainVerdict = { ok: true; entries: number; head: string } | { ok: false; entries: number; brokenAtSeq: number; reason: string };

/** Walks the chain in pages (bounded memory) and reports the first broken link. */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<ChainVerdict> {
  // The walk below reads seq 1, 2, … upwards, so a row numbered below 1 would never be looked at:
  // such a row is not part of any chain the exchange writes, and its presence is tampering.
  const outside = await db.selectFrom('auditLog').select('seq').where('seq', '<', 1).orderBy('seq').limit(1).executeTakeFirst();
  if (outside) return { ok: false, entries: 0, brokenAtSeq: outside.seq, reason: `entry ${outside.seq} lies outside the chain, which starts at 1` };
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (;;) {
    const rows = await db.selectFrom('auditLog').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(pageSize).execute();
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, entries: expectedSeq - 1, brokenAtSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (row.prevHash !== prevHash) return { ok: false, entries: expectedSeq - 1, brokenAtSeq: row.seq, reason: 'prev_hash does not match the previous entry' };
      const { hash, prevHash: _p, ...content } = row;
      if (entryHash(prevHash, content) !== hash) return { ok: false, entries: expectedSeq - 1, brokenAtSeq: row.seq, reason: 'content does not match its hash' };
      prevHash = hash;
      expectedSeq++;
    }
    if (rows.length < pageSize) return { ok: true, entries: expectedSeq - 1, head: prevHash };
  }
}
