/**
 * DbEngine.batchTransaction (db/batch-transaction.ts): a group-commit batch's transaction. Where
 * PostgreSQL's connections pipeline, `begin`, the locks and the reads started after them go together
 * (PostgreSQL runs them in the order sent, so the reads run under the locks) and the batch's last write
 * goes with `commit`. Whatever fails (the body, a read, the last write) rolls back everything and leaves
 * the connection usable; what commits, commits whole. Round trips are counted on the wire, through a
 * proxy adding 2 ms each way (bench/pg-wire.ts).
 */
import { expect } from 'chai';
import { CompiledQuery, sql } from 'kysely';
import { startDelayProxy, type DelayProxy } from '../../bench/delay-proxy';
import { WireCounter } from '../../bench/pg-wire';
import { openDatabase, type DatabaseHandle, type Db, type Tx } from '../../db/database';
import { together } from '../../db/together';
import { withSavepoint } from '../../server/commands/savepoint';
import { migrateToLatest } from '../../db/migrate';
import { describeEachDatabase } from '../support/databases';
import { auditedEntities, writeTestAudit } from '../support/migrated-database';
import { readStreamHeadsAhead } from '../../server/audit/audit-log';
import { EXCHANGE_STREAM, type AuditStream } from '../../server/audit/streams';
import { fundLock, lockInOrder } from '../../server/commands/locks';
import { GroupCommitter } from '../../server/orders/group-commit';

describeEachDatabase('a group-commit batch in one transaction (DbEngine.batchTransaction)', (kind) => {
  let url = '';
  let drop: () => Promise<void>;
  const handles: DatabaseHandle[] = [];
  let proxy: DelayProxy | null = null;
  const counter = new WireCounter();
  /** Where handles connect: PostgreSQL through the counting proxy, SQLite the file itself. */
  let target = '';
  before(async () => {
    const fresh = await kind.create();
    ({ url, drop } = fresh);
    const h = openDatabase(url);
    handles.push(h);
    await migrateToLatest(h.db);
    target = url;
    if (kind.name === 'postgres') {
      const direct = new URL(url);
      // 2 ms each way: three reads sent together are all on the wire long before the first answer is back.
      proxy = await startDelayProxy({ host: direct.hostname, port: Number(direct.port || 5432) }, 2, counter);
      direct.host = `127.0.0.1:${proxy.port}`;
      target = direct.toString();
    }
  });
  after(async () => {
    for (const h of handles) await h.close();
    await proxy?.close();
    await drop?.();
  });

  const open = async (pipeline: boolean): Promise<DatabaseHandle> => {
    const h = openDatabase(target, { pipeline, poolSize: 1 });
    handles.push(h);
    return h;
  };
  /** The INSERT of an organisation as a compiled statement: a batch's last write, or run at once (insertOrganisation). */
  const organisationRow = (db: Db, id: string): CompiledQuery =>
    db
      .insertInto('organisations')
      .values({ id, name: id, nameEn: id, kind: 'lp', stateOwned: 0, createdAt: '2026-12-07T00:00:00.000Z' })
      .compile();
  const insertOrganisation = (trx: Tx, id: string) => trx.executeQuery(organisationRow(trx, id));
  const threeReads = (trx: Tx) =>
    Promise.all([
      trx.selectFrom('funds').select('id').execute(),
      sql<{ n: number }>`select 41 + 1 as n`.execute(trx),
      trx.selectFrom('organisations').select('id').execute(),
    ]);

  const organisations = async (h: DatabaseHandle, ...ids: string[]) =>
    (await h.db.selectFrom('organisations').select('id').where('id', 'in', ids).orderBy('id').execute()).map((o) => o.id);

  it('takes 3 round trips where connections pipeline (begin with the lock, reads, last write with commit), else 7', async function () {
    if (kind.name !== 'postgres') this.skip();
    for (const [pipeline, expected] of [
      [true, 3],
      [false, 7],
    ] as const) {
      const h = await open(pipeline);
      await sql`select 1`.execute(h.db); // connected and warm
      const id = `org-round-trips-${pipeline}`;
      const before = counter.counts.roundTrips;
      const answer = await h.engine.batchTransaction(h.db, async (trx) => {
        await h.engine.lock(trx, { kind: 'fund', fundId: 'f-1' });
        const [, n] = await threeReads(trx);
        return { value: n.rows[0]!.n, last: organisationRow(h.db, id) };
      });
      expect(counter.counts.roundTrips - before, `round trips, pipeline ${pipeline}`).to.equal(expected);
      expect(answer).to.equal(42);
      expect(await organisations(h, id)).to.deep.equal([id]);
    }
  });

  for (const pipeline of [true, false]) {
    describe(pipeline ? 'on connections that pipeline (PostgreSQL)' : 'one statement at a time', () => {
      before(function () {
        if (pipeline && kind.name !== 'postgres') this.skip();
      });

      it("commits the body's writes and its last write together", async () => {
        const h = await open(pipeline);
        await h.engine.batchTransaction(h.db, async (trx) => {
          await insertOrganisation(trx, `org-body-${pipeline}`);
          return { value: null, last: organisationRow(h.db, `org-last-${pipeline}`) };
        });
        expect(await organisations(h, `org-body-${pipeline}`, `org-last-${pipeline}`)).to.deep.equal([
          `org-body-${pipeline}`,
          `org-last-${pipeline}`,
        ]);
      });

      it('reads inside the transaction see its uncommitted writes, and a body that throws undoes them', async () => {
        const h = await open(pipeline);
        const rolledBack = new Error('roll back');
        let seen: string[] = [];
        const err = await h.engine
          .batchTransaction(h.db, async (trx) => {
            await insertOrganisation(trx, `org-undone-${pipeline}`);
            const [, , orgs] = await threeReads(trx);
            seen = orgs.map((o) => o.id);
            throw rolledBack;
          })
          .catch((e: unknown) => e);
        expect(err).to.equal(rolledBack);
        expect(seen).to.include(`org-undone-${pipeline}`);
        expect(await organisations(h, `org-undone-${pipeline}`)).to.deep.equal([]);
      });

      it('a failing read among those started together rolls back the whole batch; the connection serves the next', async () => {
        const h = await open(pipeline);
        const err = await h.engine
          .batchTransaction(h.db, async (trx) => {
            await insertOrganisation(trx, `org-doomed-${pipeline}`);
            await together([threeReads(trx), sql`select * from no_such_table`.execute(trx), threeReads(trx)]);
            return { value: null, last: organisationRow(h.db, `org-never-${pipeline}`) };
          })
          .catch((e: unknown) => e);
        expect(String(err)).to.match(/no_such_table/);
        expect(await organisations(h, `org-doomed-${pipeline}`, `org-never-${pipeline}`)).to.deep.equal([]);
        // One pooled connection: the next batch runs on the very connection the failure happened on.
        const n = await h.engine.batchTransaction(h.db, async (trx) => ({ value: (await threeReads(trx))[1].rows[0]!.n, last: null }));
        expect(n).to.equal(42);
      });

      it("a failing last write fails the batch with its own error, undoing the body's writes; the connection serves the next", async () => {
        const h = await open(pipeline);
        await h.engine.batchTransaction(h.db, async () => ({ value: null, last: organisationRow(h.db, `org-taken-${pipeline}`) }));
        const err = await h.engine
          .batchTransaction(h.db, async (trx) => {
            await insertOrganisation(trx, `org-before-${pipeline}`);
            return { value: null, last: organisationRow(h.db, `org-taken-${pipeline}`) }; // a duplicate key
          })
          .catch((e: unknown) => e);
        expect(h.engine.isUniqueViolation(err), String(err)).to.equal(true);
        expect(await organisations(h, `org-before-${pipeline}`, `org-taken-${pipeline}`)).to.deep.equal([`org-taken-${pipeline}`]);
        await h.engine.batchTransaction(h.db, async () => ({ value: null, last: organisationRow(h.db, `org-after-${pipeline}`) }));
        expect(await organisations(h, `org-after-${pipeline}`)).to.deep.equal([`org-after-${pipeline}`]);
      });

      it('a part run under a savepoint and refused is undone; the rest of the batch commits', async () => {
        const h = await open(pipeline);
        await h.engine.batchTransaction(h.db, async (trx) => {
          await insertOrganisation(trx, `org-kept-${pipeline}`);
          await withSavepoint(trx, 'part', async () => {
            await insertOrganisation(trx, `org-refused-${pipeline}`);
            throw new Error('refused');
          }).catch(() => {});
          return { value: null, last: organisationRow(h.db, `org-last-kept-${pipeline}`) };
        });
        expect(await organisations(h, `org-kept-${pipeline}`, `org-refused-${pipeline}`, `org-last-kept-${pipeline}`)).to.deep.equal([
          `org-kept-${pipeline}`,
          `org-last-kept-${pipeline}`,
        ]);
      });

      it('a transaction an error it swallowed has aborted fails the batch and commits nothing (PostgreSQL)', async function () {
        if (kind.name !== 'postgres') this.skip(); // a failed statement does not abort a SQLite transaction
        const h = await open(pipeline);
        for (const last of [null, organisationRow(h.db, `org-aborted-last-${pipeline}`)]) {
          const err = await h.engine
            .batchTransaction(h.db, async (trx) => {
              await insertOrganisation(trx, `org-aborted-${pipeline}-${last ? 'last' : 'none'}`);
              await sql`select * from no_such_table`.execute(trx).catch(() => {});
              return { value: null, last };
            })
            .catch((e: unknown) => e);
          expect(err, `last write ${last ? 'given' : 'none'}`).to.be.instanceOf(Error);
        }
        expect(
          await organisations(h, `org-aborted-${pipeline}-none`, `org-aborted-${pipeline}-last`, `org-aborted-last-${pipeline}`),
        ).to.deep.equal([]);
      });
    });
  }

  it('refuses a statement its body sends after the batch ended, so it never runs outside a transaction (PostgreSQL)', async function () {
    if (kind.name !== 'postgres') this.skip();
    const h = await open(true);
    let late: Promise<unknown> | null = null;
    await h.engine.batchTransaction(h.db, async (trx) => {
      // A branch the body does not wait for, sending its write once the batch is over.
      late = new Promise((r) => setTimeout(r, 30)).then(() => insertOrganisation(trx, 'org-late'));
      return { value: null, last: null };
    });
    const err = await late!.catch((e: unknown) => e);
    expect(String(err)).to.match(/after its batch ended/);
    expect(await organisations(h, 'org-late')).to.deep.equal([]);
    const n = await h.engine.batchTransaction(h.db, async (trx) => ({ value: (await threeReads(trx))[1].rows[0]!.n, last: null }));
    expect(n).to.equal(42);
  });

  it('sends a batch: locks, then read-aheads, with begin; reads under the locks; 3 round trips (PostgreSQL)', async function () {
    if (kind.name !== 'postgres') this.skip();
    const h = await open(true);
    await sql`select 1`.execute(h.db); // connected and warm
    const committer = new GroupCommitter(
      h.db,
      async () => {},
      (trx, fundIds) => lockInOrder(h.engine, trx, ...fundIds.map(fundLock)),
      undefined,
      undefined,
      undefined,
      true,
      h.engine.batchTransaction,
    );
    const read = async (trx: Tx, items: unknown[]) => {
      await trx
        .selectFrom('funds')
        .select('id')
        .where('id', 'in', items as string[])
        .execute();
    };
    // A read-ahead that takes locks of its own (an audit stream's, after the funds' in the lock order).
    const heads = (trx: Tx, items: unknown[]) => readStreamHeadsAhead(trx, h.engine, items as AuditStream[]);
    const [before, recorded] = [counter.counts.roundTrips, counter.recorded.length];
    counter.recording = true;
    try {
      await committer.run(async (trx) => writeTestAudit(h, trx, '2026-12-07T07:00:00.000Z', 'batch-order'), ['fund-b', 'fund-a'], {
        readAhead: [
          { load: read, item: 'fund-a' },
          { load: heads, item: EXCHANGE_STREAM },
        ],
        refusesBeforeWriting: true, // no savepoint (its statements would add round trips)
      });
    } finally {
      counter.recording = false;
    }
    const sent = counter.recorded.slice(recorded);
    const at = (re: RegExp) => sent.findIndex((t) => re.test(t));
    // begin, the locks and the funds' read; the stream's head once its lock is answered; the row with commit.
    expect(counter.counts.roundTrips - before, sent.join('\n')).to.equal(3);
    expect(at(/^begin/), sent.join('\n')).to.equal(0);
    // The funds' locks (namespace 2, in one exchange), then the stream's, each read after the locks it needs:
    // PostgreSQL runs them in the order sent, so the reads run under them.
    const locks = sent.flatMap((t, i) => (/pg_advisory_xact_lock/.test(t) ? [i] : []));
    expect(locks, sent.join('\n')).to.have.length(2);
    expect(sent[locks[0]!]).to.match(/pg_advisory_xact_lock\(2, .*pg_advisory_xact_lock\(2, /);
    expect(at(/select "id" from "funds"/)).to.be.greaterThan(locks[0]!);
    expect(at(/from "audit_log"/)).to.be.greaterThan(locks[1]!);
    expect(sent.at(-1)).to.match(/^\+ commit/);
    expect(await auditedEntities(h)).to.include('batch-order');
  });
});
