import { expect } from 'chai';
import { sql, type KyselyPlugin } from 'kysely';
import { describeEachDatabase } from '../support/databases';
import { auditedEntities, migratedDatabase, writeTestAudit, type MigratedDatabase } from '../support/migrated-database';
import type { DatabaseHandle, Tx } from '../../db/database';
import { verifyAuditChain } from '../../server/audit/audit-log';
import { AppError } from '../../server/commands/errors';
import { findIdempotentResponse, keepRefusal } from '../../server/commands/idempotency';
import { fundLock, lockInOrder, openOrdersLock, transferLock } from '../../server/commands/locks';
import { EXCHANGE_STREAM, streamLock } from '../../server/audit/streams';
import { retryOnConflict } from '../../server/commands/retry';
import { GroupCommitter } from '../../server/orders/group-commit';

const AT = '2026-11-30T02:00:00.000Z';

describeEachDatabase('the command layer', (kind) => {
  let h: DatabaseHandle;
  let db: MigratedDatabase;
  before(async () => {
    db = await migratedDatabase(kind);
    h = db.handle;
  });
  after(async () => db?.drop());

  const audit = (trx: Tx, entityId: string) => writeTestAudit(h, trx, AT, entityId);
  const entities = () => auditedEntities(h);

  it(
    'a batch command that writes and then refuses leaves nothing, while its ' + 'batch-mates commit and the audit chain stays whole',
    async () => {
      const committer = new GroupCommitter(
        h.db,
        async () => {},
        (trx, keys) => lockInOrder(h.engine, trx, ...keys.map(fundLock)),
      );
      const refused: string[] = [];
      const outcomes = await Promise.allSettled([
        committer.run(
          async (trx) => {
            await audit(trx, 'first');
            return 'first';
          },
          ['f1'],
        ),
        committer.run(
          async (trx) => {
            await audit(trx, 'refused');
            throw new AppError('INSUFFICIENT_POSITION', 'refused after writing', { available: '0', requested: '1' });
          },
          ['f2'],
          {
            onRefused: async (_trx, err) => {
              refused.push(err.code);
            },
          },
        ),
        committer.run(
          async (trx) => {
            await audit(trx, 'last');
            return 'last';
          },
          ['f1', 'f3'],
        ),
      ]);
      expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason)
        .to.be.instanceOf(AppError)
        .with.property('code', 'INSUFFICIENT_POSITION');
      expect(refused).to.deep.equal(['INSUFFICIENT_POSITION']);
      expect(await entities()).to.deep.equal(['first', 'last']);
      expect(await verifyAuditChain(h.db)).to.include({ ok: true, entries: 2 });
    },
  );

  it("a refused command's registered after-commit work is dropped with it; what its prelude wrote stays", async () => {
    const committer = new GroupCommitter(h.db, async () => {});
    const told: string[] = [];
    const refusedRun = committer.run(
      async (trx, scope) => {
        scope.afterCommit('note', () => told.push('refused'));
        await audit(trx, 'refused-2');
        throw new AppError('INVALID_STATE', 'no');
      },
      [],
      {
        prelude: async (trx) => {
          await audit(trx, 'prelude');
        },
      },
    );
    const okRun = committer.run(async (_trx, scope) => {
      scope.afterCommit('note', () => told.push('ok'));
    });
    await Promise.allSettled([refusedRun, okRun]);
    expect(told).to.deep.equal(['ok']);
    expect((await entities()).slice(-1)).to.deep.equal(['prelude']);
    expect(await verifyAuditChain(h.db)).to.include({ ok: true });
  });

  it('any other error aborts the whole batch', async () => {
    const before = await entities();
    const committer = new GroupCommitter(h.db, async () => {});
    const outcomes = await Promise.allSettled([
      committer.run(async (trx) => {
        await audit(trx, 'lost');
      }),
      committer.run(async () => {
        throw new Error('a bug');
      }),
    ]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'rejected']);
    expect(await entities()).to.deep.equal(before);
  });

  it('takes locks in one order (transfer → fund → open orders → audit stream), refusing one ranked before a lock held', async () => {
    await h.db.transaction().execute(async (trx) => {
      await lockInOrder(h.engine, trx, fundLock('b'), transferLock('t1'), fundLock('a'));
      await lockInOrder(h.engine, trx, fundLock('a'), streamLock(EXCHANGE_STREAM)); // held again: no-op; then an audit stream
    });
    let violation: unknown;
    await h.db.transaction().execute(async (trx) => {
      await lockInOrder(h.engine, trx, streamLock(EXCHANGE_STREAM));
      violation = await lockInOrder(h.engine, trx, fundLock('a')).catch((err: unknown) => err);
    });
    expect(String(violation)).to.match(/lock order violated: fund a requested after stream exchange/);
    let sorted: unknown;
    await h.db.transaction().execute(async (trx) => {
      await lockInOrder(h.engine, trx, fundLock('b'));
      sorted = await lockInOrder(h.engine, trx, fundLock('a')).catch((err: unknown) => err);
    });
    expect(String(sorted)).to.match(/fund a requested after fund b/);
    let orgFirst: unknown;
    await h.db.transaction().execute(async (trx) => {
      // Given in any order, taken sorted: fund, organisation, stream.
      await lockInOrder(h.engine, trx, openOrdersLock('org-b'), fundLock('b'), streamLock(EXCHANGE_STREAM));
      orgFirst = await lockInOrder(h.engine, trx, fundLock('c')).catch((err: unknown) => err);
    });
    expect(String(orgFirst)).to.match(/fund c requested after stream exchange/);
    let fundAfterOrg: unknown;
    await h.db.transaction().execute(async (trx) => {
      await lockInOrder(h.engine, trx, openOrdersLock('org-b'));
      fundAfterOrg = await lockInOrder(h.engine, trx, fundLock('a')).catch((err: unknown) => err);
    });
    expect(String(fundAfterOrg)).to.match(/fund a requested after open-orders org-b/);
  });

  it('takes several locks in one statement and holds every one of them, and no other, until the commit (PostgreSQL)', async function () {
    if (kind.name !== 'postgres') this.skip();
    let statements = 0;
    const spy: KyselyPlugin = {
      transformQuery: (args) => {
        statements += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const advisory = (pid: number) =>
      sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and pid = ${pid}`.execute(h.db);
    let pid = 0;
    let heldInside = 0;
    await h.db.transaction().execute(async (outer) => {
      const trx = outer.withPlugin(spy);
      pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
      statements = 0;
      await lockInOrder(h.engine, trx, fundLock('c'), fundLock('a'), transferLock('t1'), fundLock('b'));
      expect(statements, 'statements sent to take four locks').to.equal(1);
      heldInside = (await advisory(pid)).rows[0]!.n;
    });
    expect(heldInside).to.equal(4);
    expect((await advisory(pid)).rows[0]!.n, 'after the commit').to.equal(0);
  });

  it(
    'keeps a refusal under its key, reads it back as the same error, and ' + 'reads refusal rows of the older format (an HTTP status)',
    async () => {
      await h.db
        .transaction()
        .execute((trx) =>
          keepRefusal(trx, 'u-cmd', 'key-00001', 'hash-1', new AppError('BID_TOO_LOW', 'too low', { minimum: '10.00' }), AT),
        );
      const err = await findIdempotentResponse(h.db, 'u-cmd', 'key-00001', 'hash-1').catch((e: unknown) => e);
      expect(err)
        .to.be.instanceOf(AppError)
        .and.deep.include({ code: 'BID_TOO_LOW', extra: { minimum: '10.00' } });
      await h.db
        .insertInto('idempotencyKeys')
        .values({
          userId: 'u-cmd',
          key: 'key-00002',
          requestHash: 'hash-2',
          status: 422,
          response: JSON.stringify({ code: 'SELF_TRADE', detail: 'old' }),
          createdAt: AT,
        })
        .execute();
      const old = await findIdempotentResponse(h.db, 'u-cmd', 'key-00002', 'hash-2').catch((e: unknown) => e);
      expect(old).to.be.instanceOf(AppError).with.property('code', 'SELF_TRADE');
      // A refusal that was itself a replay is not stored twice; a retry-later failure is never stored.
      await h.db.transaction().execute((trx) => keepRefusal(trx, 'u-cmd', 'key-00001', 'hash-1', new AppError('BID_TOO_LOW', 'again'), AT));
      await h.db
        .transaction()
        .execute((trx) => keepRefusal(trx, 'u-cmd', 'key-00003', 'hash-3', AppError.retryLater('CONFIRMATION_RENDER_FAILED', 'later'), AT));
      expect(await findIdempotentResponse(h.db, 'u-cmd', 'key-00003', 'hash-3')).to.equal(null);
    },
  );
});

describe('retries on concurrency conflicts', () => {
  const engine = { isConcurrencyConflict: (err: unknown) => err instanceof Error && err.message === 'deadlock' };
  it('runs again while the engine calls the failure a conflict, at most three more times', async () => {
    let runs = 0;
    const value = await retryOnConflict(engine, async () => {
      runs += 1;
      if (runs < 3) throw new Error('deadlock');
      return 'done';
    });
    expect({ value, runs }).to.deep.equal({ value: 'done', runs: 3 });
    runs = 0;
    const err = await retryOnConflict(engine, async () => {
      runs += 1;
      throw new Error('deadlock');
    }).catch((e: unknown) => e);
    expect({ message: (err as Error).message, runs }).to.deep.equal({ message: 'deadlock', runs: 4 });
  });
  it('never retries another failure', async () => {
    let runs = 0;
    await retryOnConflict(engine, async () => {
      runs += 1;
      throw new Error('bug');
    }).catch(() => {});
    expect(runs).to.equal(1);
  });
});
