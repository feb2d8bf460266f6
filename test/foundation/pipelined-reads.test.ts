/**
 * DbEngine.pipelined: reads a transaction starts together reach PostgreSQL without waiting for each
 * other (pg's pipeline mode), so a group-commit batch's read-aheads cost one round trip, not one each;
 * they stay inside the transaction, and a failing one rolls it back and leaves the connection usable.
 * Round trips are counted on the wire, through a proxy adding 2 ms each way (bench/pg-wire.ts).
 */
import { expect } from 'chai';
import { sql } from 'kysely';
import { startDelayProxy, type DelayProxy } from '../../bench/delay-proxy';
import { WireCounter } from '../../bench/pg-wire';
import { openDatabase, type DatabaseHandle, type Tx } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { describeEachDatabase } from '../support/databases';

describeEachDatabase('reads started together in one transaction (DbEngine.pipelined)', (kind) => {
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
  const insertOrganisation = (trx: Tx, id: string) =>
    trx
      .insertInto('organisations')
      .values({ id, name: id, nameEn: id, kind: 'lp', stateOwned: 0, createdAt: '2026-12-07T00:00:00.000Z' })
      .execute();
  const threeReads = (trx: Tx) =>
    Promise.all([
      trx.selectFrom('funds').select('id').execute(),
      sql<{ n: number }>`select 41 + 1 as n`.execute(trx),
      trx.selectFrom('organisations').select('id').execute(),
    ]);

  it('sends reads started together as one round trip where the connections pipeline, one each where they do not', async function () {
    if (kind.name !== 'postgres') this.skip();
    for (const [pipeline, expected] of [
      [true, 1],
      [false, 3],
    ] as const) {
      const h = await open(pipeline);
      await sql`select 1`.execute(h.db); // connected and warm
      let roundTrips = 0;
      await h.db.transaction().execute((outer) =>
        h.engine.pipelined(outer, async (trx) => {
          const before = counter.counts.roundTrips;
          const [, answer] = await threeReads(trx);
          roundTrips = counter.counts.roundTrips - before;
          expect(answer.rows[0]!.n).to.equal(42);
        }),
      );
      expect(roundTrips, `round trips for three reads, pipeline ${pipeline}`).to.equal(expected);
    }
  });

  it('reads inside the same transaction: they see its uncommitted writes, and its rollback undoes them', async () => {
    const h = await open(true);
    const rolledBack = new Error('roll back');
    let seen: string[] = [];
    const err = await h.db
      .transaction()
      .execute((outer) =>
        h.engine.pipelined(outer, async (trx) => {
          await insertOrganisation(trx, 'org-pipelined');
          const [, , orgs] = await threeReads(trx);
          seen = orgs.map((o) => o.id);
          throw rolledBack;
        }),
      )
      .catch((e: unknown) => e);
    expect(err).to.equal(rolledBack);
    expect(seen).to.include('org-pipelined');
    expect(await h.db.selectFrom('organisations').select('id').where('id', '=', 'org-pipelined').execute()).to.deep.equal([]);
  });

  it('a failing read among those started together rolls back the whole transaction; the connection serves the next one', async () => {
    const h = await open(true);
    const err = await h.db
      .transaction()
      .execute((outer) =>
        h.engine.pipelined(outer, async (trx) => {
          await insertOrganisation(trx, 'org-doomed');
          await Promise.all([threeReads(trx), sql`select * from no_such_table`.execute(trx), threeReads(trx)]);
        }),
      )
      .catch((e: unknown) => e);
    expect(String(err)).to.match(/no_such_table/);
    expect(await h.db.selectFrom('organisations').select('id').where('id', '=', 'org-doomed').execute()).to.deep.equal([]);
    // One pooled connection: the next transaction runs on the very connection the failure happened on.
    const [, answer] = await h.db.transaction().execute((outer) => h.engine.pipelined(outer, threeReads));
    expect(answer.rows[0]!.n).to.equal(42);
  });
});
