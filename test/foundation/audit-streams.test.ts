import { expect } from 'chai';
import { Migrator, sql } from 'kysely';
import { describeEachDatabase } from '../support/databases';
import { seededDatabase, type SeededDatabase } from '../support/seeded-database';
import { openDatabase, type DatabaseHandle, type Tx } from '../../db/database';
import { MIGRATIONS, migrateToLatest } from '../../db/migrate';
import { appendAudit, entryHash, GENESIS_HASH, verifyAuditChain } from '../../server/audit/audit-log';
import {
  anchorHash,
  currentHeads,
  listAnchors,
  parseHeldAnchor,
  verifyAgainst,
  verifyAnchors,
  writeAnchor,
} from '../../server/audit/anchors';
import { fundStream, orgStream, type AuditStream } from '../../server/audit/streams';

const AT = '2026-11-28T02:00:00.000Z';

async function append(h: DatabaseHandle, stream: AuditStream, n: number, tag = 'x'): Promise<void> {
  await h.db.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i++) {
      await appendAudit(trx, h.engine, {
        stream,
        at: AT,
        actorUserId: null,
        actorOrgId: null,
        action: 'test.entry',
        entityType: 'test',
        entityId: `${tag}${i}`,
        payload: { i },
      });
    }
  });
}

/** Everything audit:verify checks: every stream, then the anchor chain against the streams. */
async function verifyAll(h: DatabaseHandle) {
  const chain = await verifyAuditChain(h.db);
  if (!chain.ok) return chain;
  return verifyAnchors(h.db, chain.streams);
}

/** What an attacker with write access does after cutting or editing a stream: re-hash it from `fromSeq` to its end. */
async function rechain(h: DatabaseHandle, stream: string, fromSeq: number): Promise<void> {
  const rows = await h.db
    .selectFrom('auditLog')
    .selectAll()
    .where('stream', '=', stream)
    .where('seq', '>=', fromSeq)
    .orderBy('seq')
    .execute();
  let prev =
    fromSeq > 1
      ? (
          await h.db
            .selectFrom('auditLog')
            .select('hash')
            .where('stream', '=', stream)
            .where('seq', '=', fromSeq - 1)
            .executeTakeFirstOrThrow()
        ).hash
      : GENESIS_HASH;
  for (const { id, hash: _h, prevHash: _p, ...content } of rows) {
    const hash = entryHash(prev, content);
    await h.db.updateTable('auditLog').set({ prevHash: prev, hash }).where('id', '=', id).execute();
    prev = hash;
  }
}

/** How many entries every stream holds together (the seed's, before a test appends its own). */
async function entriesNow(h: DatabaseHandle): Promise<number> {
  const v = await verifyAuditChain(h.db);
  if (!v.ok) throw new Error(v.reason);
  return v.entries;
}

describeEachDatabase('audit streams and anchors', (kind) => {
  let db: SeededDatabase;
  let h: DatabaseHandle;
  beforeEach(async () => {
    db = await seededDatabase(kind, AT);
    h = db.handle;
  });
  afterEach(async () => {
    await db?.drop();
  });

  it('chains each stream on its own: positions count within the stream, and every stream verifies', async () => {
    const seeded = await entriesNow(h);
    await append(h, fundStream('test-a'), 3);
    await append(h, fundStream('test-b'), 2);
    await append(h, orgStream('org-test'), 1);
    const rows = await h.db.selectFrom('auditLog').select(['stream', 'seq']).where('action', '=', 'test.entry').orderBy('id').execute();
    expect(rows.map((r) => `${r.stream}#${r.seq}`)).to.deep.equal([
      'fund:test-a#1',
      'fund:test-a#2',
      'fund:test-a#3',
      'fund:test-b#1',
      'fund:test-b#2',
      'org:org-test#1',
    ]);
    const verdict = await verifyAuditChain(h.db);
    if (!verdict.ok) throw new Error(verdict.reason);
    const ours = verdict.streams.filter((s) => /test/.test(s.stream)).map((s) => [s.stream, s.count]);
    expect(ours).to.deep.equal([
      ['fund:test-a', 3],
      ['fund:test-b', 2],
      ['org:org-test', 1],
    ]);
    // The seed's own entries (the going-live services audit each step) verify beside them.
    expect(verdict.entries).to.equal(seeded + 6);
  });

  it('finds an entry moved to another stream, since its hash names its stream', async () => {
    await append(h, fundStream('test-a'), 2);
    await sql`update audit_log set stream = 'fund:test-b', seq = 1 where stream = 'fund:test-a' and seq = 2`.execute(h.db);
    expect(await verifyAuditChain(h.db)).to.deep.include({
      ok: false,
      stream: 'fund:test-b',
      brokenAtSeq: 1,
      reason: 'prev_hash does not match the previous entry',
    });
  });

  it("finds every stream's last entry by skipping through the index: the same heads as reading every entry", async () => {
    // Names that sort next to each other and share prefixes, so a step that skipped or repeated a stream would show.
    for (const [stream, n] of [
      [fundStream('a'), 3],
      [fundStream('a-1'), 1],
      [fundStream('aa'), 2],
      [orgStream('a'), 4],
      [fundStream('test-z'), 1],
    ] as const)
      await append(h, stream, n);
    const everyEntry = await h.db
      .selectFrom('auditLog')
      .select(['stream', (e) => e.fn.max('seq').as('last')])
      .groupBy('stream')
      .execute();
    const heads = await currentHeads(h.db);
    expect(heads.map((x) => x.stream)).to.have.members(everyEntry.map((r) => r.stream));
    for (const head of heads) {
      const last = await h.db
        .selectFrom('auditLog')
        .select(['seq', 'hash'])
        .where('stream', '=', head.stream)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(head, head.stream).to.deep.equal({ stream: head.stream, count: Number(last.seq), hash: last.hash });
    }
    expect(heads.find((x) => x.stream === orgStream('a'))?.count).to.equal(4);
  });

  it('finds no head in an empty audit log', async () => {
    await h.db.deleteFrom('auditLog').execute();
    expect(await currentHeads(h.db)).to.deep.equal([]);
  });

  it('anchors every stream head into a hash-linked chain, only when something was appended, newest first in public', async () => {
    const seeded = await entriesNow(h);
    const first = await writeAnchor(h, AT);
    expect(first).to.include({ seq: 1, count: seeded, prevHash: GENESIS_HASH });
    expect(await writeAnchor(h, AT), 'nothing appended since').to.equal(null);
    await append(h, fundStream('test-a'), 2);
    const second = (await writeAnchor(h, '2026-11-29T02:00:00.000Z'))!;
    expect(second).to.include({ seq: 2, count: seeded + 2, prevHash: first!.hash });
    expect(second.heads).to.deep.equal(
      Object.fromEntries((await currentHeads(h.db)).map((x) => [x.stream, { count: x.count, hash: x.hash }])),
    );
    expect(second.hash).to.equal(anchorHash(first!.hash, second));
    expect(await listAnchors(h.db, 10)).to.deep.equal([
      { at: '2026-11-29T02:00:00.000Z', count: seeded + 2, headHash: second.hash },
      { at: AT, count: seeded, headHash: first!.hash },
    ]);
    expect(await verifyAll(h)).to.deep.include({ ok: true, anchors: 2 });
    expect(await verifyAgainst(h.db, { count: seeded, headHash: first!.hash })).to.deep.equal({ ok: true });
  });

  it('finds entries cut from the end of a stream against an earlier anchor, even with the later anchors deleted', async () => {
    await append(h, fundStream('test-a'), 4);
    const held = (await writeAnchor(h, AT))!;
    await append(h, fundStream('test-a'), 2, 'later');
    await writeAnchor(h, AT);
    // Cut the last three entries: the chain that remains links up by itself.
    await sql`delete from audit_log where stream = 'fund:test-a' and seq > 3`.execute(h.db);
    expect(await verifyAuditChain(h.db)).to.include({ ok: true });
    expect(await verifyAll(h)).to.deep.include({ ok: false, anchorSeq: 1 });
    // And the anchors that recorded them deleted too: the anchor someone holds is not there any more.
    await sql`delete from audit_anchors`.execute(h.db);
    expect(await verifyAll(h)).to.deep.include({ ok: true, anchors: 0 });
    const against = await verifyAgainst(h.db, { count: held.count, headHash: held.hash });
    expect(against.ok).to.equal(false);
  });

  it(
    'finds a stream rewritten before an anchor and re-hashed to its end, ' + 'with the anchors recomputed, against the anchor held',
    async () => {
      await append(h, fundStream('test-a'), 3);
      const held = (await writeAnchor(h, AT))!;
      await sql`update audit_log set payload = ${'{"i":99}'} where stream = 'fund:test-a' and seq = 2`.execute(h.db);
      expect(await verifyAuditChain(h.db)).to.deep.include({ ok: false, stream: 'fund:test-a', brokenAtSeq: 2 });
      await rechain(h, 'fund:test-a', 2);
      expect(await verifyAuditChain(h.db)).to.include({ ok: true });
      expect(await verifyAll(h), 'the stored anchor still names the old head').to.deep.include({ ok: false, anchorSeq: 1 });
      // The attacker rewrites the anchors as well: only the anchor held outside tells.
      await sql`delete from audit_anchors`.execute(h.db);
      const forged = (await writeAnchor(h, AT))!;
      expect(await verifyAll(h)).to.deep.include({ ok: true, anchors: 1 });
      expect(forged.count).to.equal(held.count);
      const against = await verifyAgainst(h.db, { count: held.count, headHash: held.hash });
      expect(against).to.deep.include({ ok: false });
      expect(against.ok === false && against.reason).to.match(/rewritten/);
    },
  );

  it('reads a held anchor as published JSON or as count:hash, and refuses anything else', () => {
    const hash = 'ab'.repeat(32);
    expect(parseHeldAnchor(JSON.stringify({ at: AT, count: 7, headHash: hash }))).to.deep.equal({ count: 7, headHash: hash });
    expect(parseHeldAnchor(`7:${hash.toUpperCase()}`)).to.deep.equal({ count: 7, headHash: hash });
    for (const bad of ['', '7', `0:${hash}`, `7:${hash.slice(2)}`, '{"count":"7","headHash":"x"}', '{not json'])
      expect(parseHeldAnchor(bad), bad).to.equal(null);
  });

  if (kind.name === 'postgres') {
    it("lets commands on different funds append at once: no lock shared between two funds' streams", async () => {
      let releaseFirst!: () => void;
      const firstHolds = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      let firstAppended!: () => void;
      const appended = new Promise<void>((resolve) => {
        firstAppended = resolve;
      });
      const first = h.db.transaction().execute(async (trx: Tx) => {
        await appendAudit(trx, h.engine, {
          stream: fundStream('test-a'),
          at: AT,
          actorUserId: null,
          actorOrgId: null,
          action: 'test.entry',
          entityType: 'test',
          entityId: 'a',
          payload: {},
        });
        firstAppended();
        await firstHolds;
      });
      await appended;
      // While the first transaction holds fund A's stream, fund B's append commits (it would time out behind a global lock).
      const second = h.db.transaction().execute(async (trx: Tx) => {
        await sql`set local lock_timeout = '2s'`.execute(trx);
        await appendAudit(trx, h.engine, {
          stream: fundStream('test-b'),
          at: AT,
          actorUserId: null,
          actorOrgId: null,
          action: 'test.entry',
          entityType: 'test',
          entityId: 'b',
          payload: {},
        });
      });
      await second;
      releaseFirst();
      await first;
      expect(await verifyAuditChain(h.db)).to.include({ ok: true });
    });
  }
});

describeEachDatabase('migration 0018 of an existing audit chain', (kind) => {
  it('keeps the chain written before it as the closed stream `legacy`, verified with its original hashes', async () => {
    const fresh = await kind.create();
    const h = openDatabase(fresh.url);
    try {
      const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0018'));
      const old = await new Migrator({ db: h.db, provider: { getMigrations: async () => before } }).migrateToLatest();
      expect(old.error).to.equal(undefined);
      // Three entries chained the way the exchange wrote them before 0018 (no stream in the hashed content).
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 3; seq++) {
        const content = {
          stream: 'legacy',
          seq,
          at: AT,
          actorUserId: 'user-lp',
          actorOrgId: 'org-test',
          action: 'order.submit',
          entityType: 'order',
          entityId: `o${seq}`,
          payload: `{"seq":${seq}}`,
        };
        const { stream: _s, ...row } = content;
        const hash = entryHash(prev, content);
        await sql`insert into audit_log (seq, at, actor_user_id, actor_org_id, action, entity_type, entity_id, payload, prev_hash, hash)
          values (${row.seq}, ${row.at}, ${row.actorUserId}, ${row.actorOrgId}, ${row.action}, ${row.entityType},
            ${row.entityId}, ${row.payload}, ${prev}, ${hash})`.execute(h.db);
        prev = hash;
      }
      await migrateToLatest(h.db);
      const verdict = await verifyAuditChain(h.db);
      expect(verdict).to.deep.equal({ ok: true, entries: 3, streams: [{ stream: 'legacy', count: 3, hash: prev }] });
      // New entries go to streams of their own (and get ids after the migrated ones); the legacy stream stays closed.
      await append(h, fundStream('test-a'), 1);
      expect(
        (await h.db.selectFrom('auditLog').select(['id', 'stream']).orderBy('id').execute()).map((r) => `${r.id}:${r.stream}`),
      ).to.deep.equal(['1:legacy', '2:legacy', '3:legacy', '4:fund:test-a']);
      let refused: unknown;
      await append(h, 'legacy', 1).catch((err: unknown) => {
        refused = err;
      });
      expect(String(refused)).to.match(/legacy audit chain is closed/);
      const anchor = (await writeAnchor(h, AT))!;
      expect(anchor.heads).to.deep.include({ legacy: { count: 3, hash: prev } });
    } finally {
      await h.close();
      await fresh.drop();
    }
  });
});
