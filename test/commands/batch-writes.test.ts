/**
 * What a group-commit batch sends to the database: commands that refuse only before writing run
 * without a savepoint (checked: one that refuses after a write aborts the batch), appended rows
 * (audit entries, idempotency answers) are written together at the commit yet read by the batch's
 * later commands, and reads shared by a batch's commands run once.
 */
import { expect } from 'chai';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { describeEachDatabase } from '../support/databases';
import { auditedEntities, migratedDatabase, writeTestAudit, type MigratedDatabase } from '../support/migrated-database';
import type { DatabaseHandle, Tx } from '../../db/database';
import { appendAudit, readStreamHeadsAhead, verifyAuditChain } from '../../server/audit/audit-log';
import { AppError } from '../../server/commands/errors';
import { findIdempotentResponse, readKeysAhead, storeIdempotentResponse } from '../../server/commands/idempotency';
import { GroupCommitter } from '../../server/orders/group-commit';

const AT = '2026-12-06T02:00:00.000Z';

describeEachDatabase('the writes of a group-commit batch', (kind) => {
  let h: DatabaseHandle;
  let db: MigratedDatabase;
  before(async () => {
    db = await migratedDatabase(kind);
    h = db.handle;
  });
  after(async () => db?.drop());

  const audit = (trx: Tx, entityId: string) => writeTestAudit(h, trx, AT, entityId);
  const entities = () => auditedEntities(h);
  const committer = () =>
    new GroupCommitter(h.db, async () => {}, undefined, undefined, undefined, undefined, h.engine.insertsInOneStatement);

  /** Counts the SAVEPOINT statements compiled through the handle it wraps. */
  function savepointSpy(): { plugin: KyselyPlugin; count: () => number } {
    let n = 0;
    return {
      plugin: {
        transformQuery: ({ node }) => {
          if (node.kind === 'RawNode' && node.sqlFragments.join('').startsWith('savepoint ')) n++;
          return node as RootOperationNode;
        },
        transformResult: async ({ result }) => result,
      },
      count: () => n,
    };
  }

  it('runs a command that refuses only before writing without a savepoint; its batch-mates commit', async () => {
    const spy = savepointSpy();
    const c = new GroupCommitter(h.db.withPlugin(spy.plugin), async () => {});
    const before = await entities();
    const outcomes = await Promise.allSettled([
      c.run(async (trx) => audit(trx, 'declared-ok'), [], { refusesBeforeWriting: true }),
      c.run(
        async () => {
          throw new AppError('INVALID_STATE', 'checked before writing');
        },
        [],
        { refusesBeforeWriting: true },
      ),
      c.run(async (trx) => audit(trx, 'savepointed'), []),
    ]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(spy.count(), 'one savepoint: the undeclared command only').to.equal(1);
    expect((await entities()).slice(before.length)).to.deep.equal(['declared-ok', 'savepointed']);
    expect(await verifyAuditChain(h.db)).to.include({ ok: true });
  });

  for (const [what, write] of [
    ['a row', (trx: Tx) => trx.insertInto('settings').values({ key: 'batch-test', value: 'written' }).execute()],
    ['an audit entry deferred to the commit', (trx: Tx) => audit(trx, 'deferred-then-refused')],
  ] as const) {
    it(`aborts the whole batch when a command declared to refuse before writing refuses after writing ${what}`, async () => {
      const before = await entities();
      const c = committer();
      const outcomes = await Promise.allSettled([
        c.run(async (trx) => audit(trx, 'batch-mate'), [], { refusesBeforeWriting: true }),
        c.run(
          async (trx) => {
            await write(trx);
            throw new AppError('INVALID_STATE', 'refused after writing');
          },
          [],
          { refusesBeforeWriting: true },
        ),
      ]);
      expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'rejected']);
      const reason = (outcomes[1] as PromiseRejectedResult).reason as Error;
      expect(reason).to.not.be.instanceOf(AppError);
      expect(reason.message).to.match(/refused \(INVALID_STATE\) after writing/);
      expect(await entities(), 'nothing of the batch committed').to.deep.equal(before);
      expect(await h.db.selectFrom('settings').select('key').where('key', '=', 'batch-test').execute()).to.deep.equal([]);
    });
  }

  it("writes a batch's audit entries at its commit, each chained to the one before, also after a refused command's rollback", async () => {
    const before = await entities();
    const c = committer();
    await Promise.allSettled([
      c.run(async (trx) => audit(trx, 'a1')),
      c.run(async (trx) => {
        await audit(trx, 'rolled-back');
        throw new AppError('INVALID_STATE', 'refused after writing, under its savepoint');
      }),
      c.run(async (trx) => audit(trx, 'a2')),
      c.run(async (trx) => {
        await audit(trx, 'a3');
        await audit(trx, 'a4');
      }),
    ]);
    expect((await entities()).slice(before.length)).to.deep.equal(['a1', 'a2', 'a3', 'a4']);
    expect(await verifyAuditChain(h.db)).to.include({ ok: true });
  });

  it('reads the heads of several audit streams ahead in one statement, and appends chain on from them', async () => {
    const c = committer();
    const streams = ['fund:batch-a', 'fund:batch-b', 'fund:batch-new'] as const;
    const entry = (trx: Tx, stream: (typeof streams)[number], entityId: string) =>
      appendAudit(trx, h.engine, {
        stream,
        at: AT,
        actorUserId: null,
        actorOrgId: null,
        action: 'test',
        entityType: 't',
        entityId,
        payload: {},
      });
    await c.run(async (trx) => {
      await entry(trx, 'fund:batch-a', 'a1');
      await entry(trx, 'fund:batch-a', 'a2');
      await entry(trx, 'fund:batch-b', 'b1');
    });
    await c.run(async (trx) => {
      await readStreamHeadsAhead(trx, h.engine, streams);
      for (const s of streams) await entry(trx, s, `${s}-next`);
    });
    const seqs = await h.db
      .selectFrom('auditLog')
      .select(['stream', 'seq'])
      .where('stream', 'in', streams)
      .orderBy('stream')
      .orderBy('seq')
      .execute();
    expect(seqs.map((r) => `${r.stream}#${r.seq}`)).to.deep.equal([
      'fund:batch-a#1',
      'fund:batch-a#2',
      'fund:batch-a#3',
      'fund:batch-b#1',
      'fund:batch-b#2',
      'fund:batch-new#1',
    ]);
    expect(await verifyAuditChain(h.db)).to.include({ ok: true });
  });

  it('answers an Idempotency-Key sent twice in one batch once: the second command finds the first answer, not yet written', async () => {
    const c = committer();
    let ran = 0;
    const keyed = (hash: string) =>
      c.run(
        async (trx) => {
          const earlier = await findIdempotentResponse(trx, 'u-batch', 'key-batch-1', hash);
          if (earlier) return earlier;
          ran++;
          const outcome = { status: 201, body: { n: ran } };
          await storeIdempotentResponse(trx, 'u-batch', 'key-batch-1', hash, outcome, AT);
          return outcome;
        },
        [],
        { refusesBeforeWriting: true, readAhead: [{ load: readKeys, item: { userId: 'u-batch', key: 'key-batch-1' } }] },
      );
    const outcomes = await Promise.allSettled([keyed('h1'), keyed('h1'), keyed('h2')]);
    expect(ran).to.equal(1);
    expect(outcomes.slice(0, 2).map((o) => (o as PromiseFulfilledResult<unknown>).value)).to.deep.equal([
      { status: 201, body: { n: 1 } },
      { status: 201, body: { n: 1 } },
    ]);
    expect((outcomes[2] as PromiseRejectedResult).reason).to.have.property('code', 'IDEMPOTENCY_KEY_REUSED');
    const stored = await h.db.selectFrom('idempotencyKeys').selectAll().where('key', '=', 'key-batch-1').execute();
    expect(stored.map((r) => [r.userId, r.status, r.response])).to.deep.equal([['u-batch', 201, '{"n":1}']]);
  });

  it("reads a batch's keys ahead in one statement, and its commands find the stored answers", async () => {
    await h.db
      .transaction()
      .execute((trx) => storeIdempotentResponse(trx, 'u-ahead', 'key-ahead-1', 'h', { status: 200, body: { ok: 1 } }, AT));
    const loads: unknown[][] = [];
    const load = async (trx: Tx, items: unknown[]) => {
      loads.push(items);
      await readKeys(trx, items);
    };
    const c = committer();
    const found = await Promise.all(
      ['key-ahead-1', 'key-ahead-2'].map((key) =>
        c.run(async (trx) => findIdempotentResponse(trx, 'u-ahead', key, 'h'), [], {
          readAhead: [{ load, item: { userId: 'u-ahead', key } }],
        }),
      ),
    );
    expect(found).to.deep.equal([{ status: 200, body: { ok: 1 } }, null]);
    expect(loads, 'one read for the batch, with both keys').to.deep.equal([
      [
        { userId: 'u-ahead', key: 'key-ahead-1' },
        { userId: 'u-ahead', key: 'key-ahead-2' },
      ],
    ]);
  });
});

function readKeys(trx: Tx, items: unknown[]): Promise<void> {
  return readKeysAhead(trx, items as { userId: string; key: string }[]);
}
