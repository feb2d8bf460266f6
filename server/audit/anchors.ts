/**
 * The global anchor chain. From time to time (and at least every working day: AnchorTimer) an anchor
 * records every audit stream's head — its count of entries and its last hash — in one row that links to
 * the previous anchor by hash. An anchor's `count` is the total of its streams' counts and names it;
 * its `hash` (published as `headHash`, printed on confirmations) commits to every stream's history up
 * to that point: whoever holds it can later prove that no entry before it was cut or rewritten
 * (`verifyAgainst`, `npm run audit:verify -- --against count:hash`).
 *
 * Only the anchor job takes the anchor lock, and no command waits for it: the heads are read from
 * committed rows, so the job needs no stream's lock.
 */
import { sql } from 'kysely';
import crypto from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import type { DatabaseHandle, Db, Tx } from '../../db/database';
import { GENESIS_HASH, type StreamHead } from './audit-log';

export interface Anchor {
  seq: number;
  at: string;
  count: number;
  heads: Record<string, { count: number; hash: string }>;
  prevHash: string;
  hash: string;
}
/** What the public sees of an anchor, and what one holds to check the history against. */
export interface PublishedAnchor {
  at: string;
  count: number;
  headHash: string;
}

export function anchorHash(prevHash: string, a: Pick<Anchor, 'seq' | 'at' | 'count' | 'heads'>): string {
  const content = canonicalJson({ seq: a.seq, at: a.at, count: a.count, heads: a.heads });
  return crypto.createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

type AnchorRow = { seq: number; at: string; count: number; heads: string; prevHash: string; hash: string };
const parse = (r: AnchorRow): Anchor => ({ ...r, heads: JSON.parse(r.heads) as Anchor['heads'] });
export const published = (a: Pick<Anchor, 'at' | 'count' | 'hash'>): PublishedAnchor => ({ at: a.at, count: a.count, headHash: a.hash });

/**
 * Every stream's head as committed now, in one statement (one snapshot). A skip scan over the
 * (stream, seq) index: each step finds the next stream name, then that stream's last entry, so the cost
 * grows with the number of streams, not with the log (a GROUP BY read every entry, every anchor period).
 */
export async function currentHeads(db: Db | Tx): Promise<StreamHead[]> {
  const { rows } = await sql<{ stream: string; seq: number | string; hash: string }>`
    with recursive streams(stream) as (
      select min(stream) from audit_log
      union all
      select (select min(l.stream) from audit_log l where l.stream > streams.stream) from streams where streams.stream is not null
    )
    select a.stream, a.seq, a.hash
    from streams join audit_log a
      on a.stream = streams.stream and a.seq = (select max(m.seq) from audit_log m where m.stream = streams.stream)
    order by a.stream`.execute(db);
  return rows.map((r) => ({ stream: r.stream, count: Number(r.seq), hash: r.hash }));
}

export async function latestAnchor(db: Db | Tx): Promise<Anchor | null> {
  const row = await db.selectFrom('auditAnchors').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? parse(row) : null;
}

/** The newest anchors first, as published. */
export async function listAnchors(db: Db, limit: number): Promise<PublishedAnchor[]> {
  const rows = await db.selectFrom('auditAnchors').select(['at', 'count', 'hash']).orderBy('seq', 'desc').limit(limit).execute();
  return rows.map(published);
}

/**
 * Writes an anchor of every stream's current head, unless nothing was appended since the last one
 * (then the last one stands). Safe with several processes: the anchor lock lets one process at a time
 * read the last anchor and write the next; another finding the same heads writes nothing.
 */
export async function writeAnchor(handle: DatabaseHandle, at: string): Promise<Anchor | null> {
  return handle.db.transaction().execute(async (trx) => {
    await handle.engine.lock(trx, { kind: 'anchor' });
    const last = await latestAnchor(trx);
    const heads = await currentHeads(trx);
    const count = heads.reduce((n, h) => n + h.count, 0);
    if (count === 0 || (last && last.count >= count)) return null;
    const content = {
      seq: (last?.seq ?? 0) + 1,
      at: last && last.at > at ? last.at : at,
      count,
      heads: Object.fromEntries(heads.map((h) => [h.stream, { count: h.count, hash: h.hash }])),
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const anchor: Anchor = { ...content, prevHash, hash: anchorHash(prevHash, content) };
    await trx
      .insertInto('auditAnchors')
      .values({ ...anchor, heads: canonicalJson(anchor.heads) })
      .execute();
    return anchor;
  });
}

export type AnchorVerdict =
  | { ok: true; anchors: number; latest: PublishedAnchor | null }
  | { ok: false; anchorSeq: number; reason: string };

/**
 * Walks the anchor chain: each anchor's hash and link, its count the sum of its heads, no stream
 * shrinking or vanishing from one anchor to the next, and every recorded head present in its stream
 * with the recorded hash (the streams themselves are checked by verifyAuditChain). `streams` are the
 * streams' current heads, as verified.
 */
export async function verifyAnchors(db: Db, streams: readonly StreamHead[]): Promise<AnchorVerdict> {
  const current = new Map(streams.map((s) => [s.stream, s.count]));
  let prev: Anchor | null = null;
  let seq = 0;
  for (;;) {
    const rows = await db.selectFrom('auditAnchors').selectAll().where('seq', '>', seq).orderBy('seq').limit(500).execute();
    for (const row of rows) {
      const a = parse(row);
      const broken = (reason: string): AnchorVerdict => ({ ok: false, anchorSeq: a.seq, reason });
      if (a.seq !== seq + 1) return { ok: false, anchorSeq: seq + 1, reason: `anchor ${seq + 1} is missing` };
      if (a.prevHash !== (prev?.hash ?? GENESIS_HASH)) return broken('prev_hash does not match the previous anchor');
      if (anchorHash(a.prevHash, a) !== a.hash) return broken('content does not match its hash');
      const heads = Object.entries(a.heads);
      if (heads.reduce((n, [, h]) => n + h.count, 0) !== a.count) return broken('count is not the total of its streams');
      for (const [stream, h] of Object.entries(prev?.heads ?? {})) {
        if ((a.heads[stream]?.count ?? -1) < h.count) return broken(`stream ${stream} is shorter than in anchor ${a.seq - 1}`);
      }
      for (const [stream, h] of heads) {
        if ((current.get(stream) ?? 0) < h.count)
          return broken(`stream ${stream} has ${current.get(stream) ?? 0} entries, fewer than the ${h.count} anchored: entries were cut`);
      }
      const problem = await headsMismatch(db, a.heads);
      if (problem) return broken(problem);
      prev = a;
      seq = a.seq;
    }
    if (rows.length < 500) return { ok: true, anchors: seq, latest: prev ? published(prev) : null };
  }
}

/** The first recorded head whose entry in the stream has another hash, or null when all match. */
async function headsMismatch(db: Db, heads: Anchor['heads']): Promise<string | null> {
  const wanted = Object.entries(heads);
  for (let i = 0; i < wanted.length; i += 100) {
    const chunk = wanted.slice(i, i + 100);
    const rows = await db
      .selectFrom('auditLog')
      .select(['stream', 'seq', 'hash'])
      .where((eb) => eb.or(chunk.map(([stream, h]) => eb.and([eb('stream', '=', stream), eb('seq', '=', h.count)]))))
      .execute();
    const found = new Map(rows.map((r) => [r.stream, r.hash]));
    for (const [stream, h] of chunk) {
      if (found.get(stream) !== h.hash) return `entry ${h.count} of stream ${stream} is not the one anchored: the stream was rewritten`;
    }
  }
  return null;
}

/** Parses an anchor as held by someone outside: the JSON published (`{count, headHash}`, `at` optional) or `count:headHash`. */
export function parseHeldAnchor(text: string): { count: number; headHash: string } | null {
  const t = text.trim();
  let count: unknown;
  let headHash: unknown;
  if (t.startsWith('{')) {
    try {
      ({ count, headHash } = JSON.parse(t) as { count?: unknown; headHash?: unknown });
    } catch {
      return null;
    }
  } else {
    const m = /^(\d+):([0-9a-fA-F]{64})$/.exec(t);
    if (!m) return null;
    [count, headHash] = [Number(m[1]), m[2]];
  }
  if (!Number.isSafeInteger(count) || (count as number) < 1 || typeof headHash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(headHash))
    return null;
  return { count: count as number, headHash: headHash.toLowerCase() };
}

/**
 * Whether the history before an anchor someone holds is intact: the anchor is still in the chain with
 * the same hash. Together with verifyAnchors (every anchor's heads are in their streams) and
 * verifyAuditChain (every stream links up), it proves no entry before it was cut or rewritten.
 */
export async function verifyAgainst(
  db: Db,
  held: { count: number; headHash: string },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const row = await db.selectFrom('auditAnchors').selectAll().where('count', '=', held.count).executeTakeFirst();
  if (!row) {
    const last = await latestAnchor(db);
    return {
      ok: false,
      reason:
        last && last.count < held.count
          ? `no anchor of ${held.count} entries: the newest covers ${last.count}, so entries (and anchors) were cut`
          : `no anchor of ${held.count} entries: the anchor chain was rewritten`,
    };
  }
  if (row.hash !== held.headHash)
    return {
      ok: false,
      reason: `the anchor of ${held.count} entries has hash ${row.hash}, not the ${held.headHash} held: the history was rewritten`,
    };
  return { ok: true };
}
