/**
 * The hash-chained audit log: one chain per stream (streams.ts). Every state-changing command appends
 * its entries in its own transaction; each entry's hash covers its content, its stream and position,
 * and the previous entry's hash in the same stream, so altering, inserting or deleting any row breaks
 * that stream's chain from that row on (found by `npm run audit:verify`). Cutting entries from a
 * stream's end, or rewriting it to the end, is found against an anchor recorded before (anchors.ts).
 */
import crypto from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import type { Db, DbEngine, Tx } from '../../db/database';
import type { AuditLogTable } from '../../db/schema';
import { prepared, preparedInsert } from '../../db/prepared';
import { lockInOrder } from '../commands/locks';
import { insertLater, pendingRows } from '../commands/deferred-rows';
import { txMemo } from '../commands/tx-memo';
import { LEGACY_STREAM, streamLock, type AuditStream } from './streams';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  /** The chain it joins: the fund it concerns, else the acting organisation, else the exchange (streams.ts). */
  stream: AuditStream;
  at: string;
  actorUserId: string | null;
  actorOrgId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  payload: unknown;
}

/** An entry as stored, without the global insertion number (which no hash covers). */
export type ChainedEntry = Omit<AuditLogTable, 'id'>;
export type EntryContent = Omit<ChainedEntry, 'hash' | 'prevHash'>;

/**
 * The hash of an entry. The legacy stream keeps the formula its entries were written with (no stream
 * in the content); every other stream's content names its stream, so an entry cannot be moved to another.
 */
export function entryHash(prevHash: string, row: EntryContent): string {
  const content = canonicalJson({
    ...(row.stream === LEGACY_STREAM ? {} : { stream: row.stream }),
    seq: row.seq,
    at: row.at,
    actorUserId: row.actorUserId,
    actorOrgId: row.actorOrgId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    payload: row.payload,
  });
  return crypto.createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

const streamHead = prepared(1, (db, $) =>
  db.selectFrom('auditLog').select(['seq', 'hash']).where('stream', '=', $(0)).orderBy('seq', 'desc').limit(1),
);
const insertEntry = preparedInsert('auditLog', [
  'stream',
  'seq',
  'at',
  'actorUserId',
  'actorOrgId',
  'action',
  'entityType',
  'entityId',
  'payload',
  'prevHash',
  'hash',
]);

interface Head {
  seq: number;
  hash: string;
}

/**
 * The head of each stream an open transaction has appended to. Once a transaction holds a stream's
 * lock it is the only writer of that stream until it ends, so its own last entry is the head: later
 * appends in the same transaction (a group-commit batch appends one per order) skip reading it back.
 * Forgotten when the transaction rolls back to a savepoint (commands/tx-memo.ts).
 */
const headsOf = txMemo<Map<AuditStream, Head>>();

/**
 * Appends one entry to its stream; the caller owns the transaction, so the entry commits or rolls back
 * with the change it records (in a transaction that defers its inserts, it is written just before the
 * commit, commands/deferred-rows.ts). Takes the stream's lock first, in the lock order (a fund stream's lock is
 * the fund's, which a fund's commands hold already: then no round trip).
 */
export async function appendAudit(trx: Tx, engine: Pick<DbEngine, 'lock'>, entry: AuditEntry): Promise<ChainedEntry> {
  let heads = headsOf.get(trx);
  if (!heads) headsOf.set(trx, (heads = new Map()));
  let last = heads.get(entry.stream);
  if (!last) {
    await lockInOrder(engine, trx, streamLock(entry.stream));
    // The stream's head may be an entry still waiting for the commit (commands/deferred-rows.ts).
    const pending = pendingRows(trx, 'auditLog').filter((r) => r.stream === entry.stream);
    const deferred = pending.at(-1);
    last = deferred
      ? { seq: deferred.seq, hash: deferred.hash }
      : ((await streamHead.first(trx, [entry.stream])) ?? { seq: 0, hash: GENESIS_HASH });
  }
  const content: EntryContent = {
    stream: entry.stream,
    seq: last.seq + 1,
    at: entry.at,
    actorUserId: entry.actorUserId,
    actorOrgId: entry.actorOrgId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    payload: canonicalJson(entry.payload),
  };
  const row: ChainedEntry = { ...content, prevHash: last.hash, hash: entryHash(last.hash, content) };
  if (!insertLater(trx, 'auditLog', row)) await insertEntry.run(trx, row);
  heads.set(entry.stream, { seq: row.seq, hash: row.hash });
  return row;
}

/** Each stream's last entry through the (stream, seq) index, all in one statement (a list argument of streams). */
const headsOfStreams = prepared(1, (db, $) => {
  const [first, ...more] = ($.each(0) as string[]).map((stream) =>
    db
      .selectFrom((eb) =>
        eb.selectFrom('auditLog').select(['stream', 'seq', 'hash']).where('stream', '=', stream).orderBy('seq', 'desc').limit(1).as('head'),
      )
      .selectAll(),
  );
  return more.reduce((all, q) => all.unionAll(q), first!);
});

/**
 * Takes the streams' locks (in the lock order) and reads their heads in one statement, for a
 * transaction about to append to each (a group-commit batch of orders in several funds): appendAudit
 * then reads none of them again.
 */
export async function readStreamHeadsAhead(trx: Tx, engine: Pick<DbEngine, 'lock'>, streams: readonly AuditStream[]): Promise<void> {
  let heads = headsOf.get(trx);
  if (!heads) headsOf.set(trx, (heads = new Map()));
  const known = heads;
  const wanted = [...new Set(streams)].filter((s) => !known.has(s) && !pendingRows(trx, 'auditLog').some((r) => r.stream === s));
  if (!wanted.length) return;
  await lockInOrder(engine, trx, ...wanted.map(streamLock));
  const rows = await headsOfStreams.all(trx, [wanted]);
  for (const s of wanted) {
    const row = rows.find((r) => r.stream === s);
    known.set(s, row ? { seq: row.seq, hash: row.hash } : { seq: 0, hash: GENESIS_HASH });
  }
}

export interface StreamHead {
  stream: string;
  count: number;
  hash: string;
}

export type ChainVerdict =
  | { ok: true; streams: StreamHead[]; entries: number }
  | { ok: false; stream: string; entries: number; brokenAtSeq: number; reason: string };

/** Every stream's chain, walked in pages (bounded memory); the first broken link found, or each stream's head. */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<ChainVerdict> {
  const names = (await db.selectFrom('auditLog').select('stream').distinct().orderBy('stream').execute()).map((r) => r.stream);
  const streams: StreamHead[] = [];
  for (const stream of names) {
    const v = await verifyStream(db, stream, pageSize);
    if (!v.ok) return v;
    streams.push(v.head);
  }
  return { ok: true, streams, entries: streams.reduce((n, s) => n + s.count, 0) };
}

async function verifyStream(
  db: Db,
  stream: string,
  pageSize: number,
): Promise<{ ok: true; head: StreamHead } | Extract<ChainVerdict, { ok: false }>> {
  // The walk below reads seq 1, 2, … upwards, so a row numbered below 1 would never be looked at:
  // such a row is not part of any chain the exchange writes, and its presence is tampering.
  const outside = await db
    .selectFrom('auditLog')
    .select('seq')
    .where('stream', '=', stream)
    .where('seq', '<', 1)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  if (outside)
    return {
      ok: false,
      stream,
      entries: 0,
      brokenAtSeq: outside.seq,
      reason: `entry ${outside.seq} lies outside the chain, which starts at 1`,
    };
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  const broken = (seq: number, reason: string) => ({ ok: false as const, stream, entries: expectedSeq - 1, brokenAtSeq: seq, reason });
  for (;;) {
    const rows = await db
      .selectFrom('auditLog')
      .selectAll()
      .where('stream', '=', stream)
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const { id: _id, ...row } of rows) {
      if (row.seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing`);
      if (row.prevHash !== prevHash) return broken(row.seq, 'prev_hash does not match the previous entry');
      const { hash, prevHash: _p, ...content } = row;
      if (entryHash(prevHash, content) !== hash) return broken(row.seq, 'content does not match its hash');
      prevHash = hash;
      expectedSeq++;
    }
    if (rows.length < pageSize) return { ok: true, head: { stream, count: expectedSeq - 1, hash: prevHash } };
  }
}
