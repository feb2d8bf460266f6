/**
 * insertRows (db/insert-rows.ts): the multi-row INSERTs a group-commit batch writes its deferred rows
 * with, built from Kysely's SQL for one row. Every value lands in its own column, rows keep their
 * order, rows with fewer columns get the columns' defaults, an upsert replaces the stored row, and a
 * long run is split under the bound-parameter limits.
 */
import { expect } from 'chai';
import { Client } from 'pg';
import { MAX_PARAMETERS_PER_STATEMENT, ROWS_PER_INSERT, insertRows, insertRowsAsJson } from '../../db/insert-rows';
import { deferInserts, finishDeferred, insertLater, notifyLater } from '../../server/commands/deferred-rows';
import { describeEachDatabase } from '../support/databases';
import { seededDatabase, type SeededDatabase } from '../support/seeded-database';

describeEachDatabase('multi-row inserts from one compiled row (insertRows)', (kind) => {
  let seeded: SeededDatabase;
  before(async () => {
    seeded = await seededDatabase(kind, '2026-09-14T01:00:00Z');
  });
  after(async () => seeded?.drop());

  it('writes every value into its own column, across chunks, with text that looks like placeholders', async () => {
    const n = ROWS_PER_INSERT * 2 + 3;
    const rows = Array.from({ length: n }, (_, i) => ({
      userId: `user-${i % 7}`,
      key: `key-${i}`,
      requestHash: i % 2 ? `? $1 $${i} values (` : `hash-${i}`,
      status: 200 + (i % 5),
      response: JSON.stringify({ i, text: "it's $2, ?" }),
      createdAt: `2026-09-14T01:00:${String(i % 60).padStart(2, '0')}Z`,
    }));
    const statements = await seeded.handle.db.transaction().execute(async (trx) => {
      const qs = insertRows(trx, 'idempotencyKeys', rows);
      for (const q of qs) await trx.executeQuery(q);
      return qs;
    });
    expect(statements).to.have.length(3);
    const stored = await seeded.handle.db.selectFrom('idempotencyKeys').selectAll().where('key', 'like', 'key-%').execute();
    const byKey = new Map(stored.map((r) => [r.key, r]));
    expect(byKey.size).to.equal(n);
    for (const row of rows) expect(byKey.get(row.key)).to.deep.equal(row);
  });

  it('keeps the order of rows whose columns differ, giving omitted columns their default', async () => {
    const fundId = (await seeded.handle.db.selectFrom('funds').select('id').executeTakeFirstOrThrow()).id;
    const at = '2026-09-14T02:00:00.000Z';
    const rows = [
      { fundId, seq: 900_001, kind: 'submit', orderId: 'o-1', payload: '{}', at },
      { fundId, seq: 900_002, kind: 'submit', orderId: undefined, payload: '{"a":1}', at },
      { fundId, seq: 900_003, kind: 'cancel', orderId: 'o-3', payload: '{}', at },
    ];
    const statements = await seeded.handle.db.transaction().execute(async (trx) => {
      const qs = insertRows(trx, 'bookJournal', rows);
      for (const q of qs) await trx.executeQuery(q);
      return qs;
    });
    expect(statements, 'one statement per run of equal columns').to.have.length(3);
    const stored = await seeded.handle.db.selectFrom('bookJournal').selectAll().where('seq', '>', 900_000).orderBy('seq').execute();
    expect(stored).to.deep.equal(rows.map((r) => ({ ...r, orderId: r.orderId ?? null })));
  });

  it('upserts on the key when asked: the stored row takes every given column', async () => {
    const fundId = (await seeded.handle.db.selectFrom('funds').select('id').executeTakeFirstOrThrow()).id;
    const write = (seq: number, hash: string) =>
      seeded.handle.db.transaction().execute(async (trx) => {
        const rows = [{ fundId, seq, nextPriority: seq * 10, stateHash: hash, lastPriceTicks: null }];
        for (const q of insertRows(trx, 'bookState', rows, 'fundId')) await trx.executeQuery(q);
      });
    await write(1, 'first');
    await write(2, 'second');
    const stored = await seeded.handle.db.selectFrom('bookState').selectAll().where('fundId', '=', fundId).execute();
    expect(stored).to.deep.equal([{ fundId, seq: 2, nextPriority: 20, stateHash: 'second', lastPriceTicks: null }]);
  });

  it('PostgreSQL: writes rows as a JSON parameter per run of columns, typed by their columns, upserting on the key', async function () {
    if (!seeded.handle.engine.insertsInOneStatement) this.skip();
    const fundId = (await seeded.handle.db.selectFrom('funds').select('id').executeTakeFirstOrThrow()).id;
    const write = (rows: Record<string, unknown>[], table: 'bookState' | 'bookJournal', key?: string) =>
      seeded.handle.db.transaction().execute(async (trx) => {
        const qs = insertRowsAsJson(trx, table, rows, key);
        for (const q of qs) expect(q.parameters, 'one parameter').to.have.length(1);
        for (const q of qs) await trx.executeQuery(q);
        return qs.length;
      });
    await write([{ fundId, seq: 1, nextPriority: 10, stateHash: 'first', lastPriceTicks: null }], 'bookState', 'fundId');
    await write([{ fundId, seq: 2, nextPriority: 20, stateHash: 'second "quoted" \\ 北京', lastPriceTicks: 9150 }], 'bookState', 'fundId');
    const state = await seeded.handle.db.selectFrom('bookState').selectAll().where('fundId', '=', fundId).execute();
    expect(state).to.deep.equal([{ fundId, seq: 2, nextPriority: 20, stateHash: 'second "quoted" \\ 北京', lastPriceTicks: 9150 }]);
    const journal = [
      { fundId, seq: 700_001, kind: 'submit', orderId: 'json-o-1', payload: '{"a":1}', at: '2026-09-14T03:00:00.000Z' },
      { fundId, seq: 700_002, kind: 'expire', payload: '{}', at: '2026-09-14T03:00:01.000Z' },
    ];
    expect(await write(journal, 'bookJournal'), 'a statement per run of equal columns').to.equal(2);
    const stored = await seeded.handle.db
      .selectFrom('bookJournal')
      .selectAll()
      .where('seq', '>', 700_000)
      .where('seq', '<', 800_000)
      .orderBy('seq')
      .execute();
    expect(stored).to.deep.equal(journal.map((r) => ({ ...r, orderId: r.orderId ?? null })));
  });

  it('flushes deferred rows of two tables over chunks as the engine writes them (PostgreSQL: one statement with NOTIFYs)', async () => {
    const fundId = (await seeded.handle.db.selectFrom('funds').select('id').executeTakeFirstOrThrow()).id;
    const at = '2026-09-14T03:00:00.000Z';
    const keys = Array.from({ length: ROWS_PER_INSERT + 7 }, (_, i) => ({
      userId: 'flush-user',
      key: `flush-${i}`,
      requestHash: `$${i + 1}`,
      status: 201,
      response: `{"i":${i}}`,
      createdAt: at,
    }));
    const journal = [1, 2, 3].map((i) => ({
      fundId,
      seq: 800_000 + i,
      kind: 'submit',
      orderId: `flush-o-${i}`,
      payload: `{"n":${i}}`,
      at,
    }));
    // On PostgreSQL the notifications go in the same statement, their parameters numbered after the rows'.
    const oneStatement = seeded.handle.engine.insertsInOneStatement;
    const listener = oneStatement ? new Client({ connectionString: seeded.url }) : null;
    const heard: { channel: string; payload?: string }[] = [];
    if (listener) {
      await listener.connect();
      listener.on('notification', (n) => heard.push({ channel: n.channel, payload: n.payload }));
      await listener.query('listen flush_test');
    }
    try {
      await seeded.handle.db.transaction().execute(async (trx) => {
        deferInserts(trx);
        for (const [i, k] of keys.entries()) {
          insertLater(trx, 'idempotencyKeys', k);
          if (i % 200 === 0 && journal.length) insertLater(trx, 'bookJournal', journal.shift()!);
        }
        if (oneStatement) for (const payload of ['$1 first', 'second ?']) notifyLater(trx, 'flush_test', payload);
        // As a batch writes them: on PostgreSQL one statement (sent with the commit there), elsewhere one INSERT per table.
        const q = await finishDeferred(trx, oneStatement);
        const writtenBefore = await trx.selectFrom('idempotencyKeys').select('key').where('userId', '=', 'flush-user').execute();
        expect(writtenBefore, 'rows written before the last statement').to.have.length(oneStatement ? 0 : keys.length);
        if (q) await trx.executeQuery(q);
      });
      for (let i = 0; listener && i < 100 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await listener?.end();
    }
    if (oneStatement) {
      expect(heard).to.deep.equal([
        { channel: 'flush_test', payload: '$1 first' },
        { channel: 'flush_test', payload: 'second ?' },
      ]);
    }
    const storedKeys = await seeded.handle.db.selectFrom('idempotencyKeys').selectAll().where('userId', '=', 'flush-user').execute();
    expect(new Map(storedKeys.map((r) => [r.key, r]))).to.deep.equal(new Map(keys.map((k) => [k.key, k])));
    const storedJournal = await seeded.handle.db
      .selectFrom('bookJournal')
      .select(['seq', 'orderId', 'payload'])
      .where('seq', '>', 800_000)
      .where('seq', '<', 900_000)
      .orderBy('seq')
      .execute();
    expect(storedJournal).to.deep.equal([1, 2, 3].map((i) => ({ seq: 800_000 + i, orderId: `flush-o-${i}`, payload: `{"n":${i}}` })));
  });

  it('refuses a notification where the rows do not go in one statement with the commit', async () => {
    const refused = await seeded.handle.db
      .transaction()
      .execute(async (trx) => {
        deferInserts(trx);
        notifyLater(trx, 'flush_test', 'lost');
        await finishDeferred(trx, false);
      })
      .then(
        () => null,
        (err: Error) => err.message,
      );
    expect(refused).to.match(/notifications with deferred rows are for PostgreSQL only/);
  });

  it('sends rows past 65,535 values in the one statement with the commit (PostgreSQL): a parameter per table', async function () {
    if (!seeded.handle.engine.insertsInOneStatement) this.skip();
    const keys = Array.from({ length: Math.ceil(MAX_PARAMETERS_PER_STATEMENT / 6) + 1 }, (_, i) => ({
      userId: 'many-user',
      key: `many-${i}`,
      requestHash: `h-${i}`,
      status: 201,
      response: '{}',
      createdAt: '2026-09-14T03:00:00.000Z',
    }));
    const last = await seeded.handle.db.transaction().execute(async (trx) => {
      deferInserts(trx);
      for (const k of keys) insertLater(trx, 'idempotencyKeys', k);
      notifyLater(trx, 'flush_test', 'after many');
      const q = await finishDeferred(trx, true);
      const written = await trx
        .selectFrom('idempotencyKeys')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('userId', '=', 'many-user')
        .executeTakeFirstOrThrow();
      expect(Number(written.n), 'nothing written before the last statement').to.equal(0);
      if (q) await trx.executeQuery(q);
      return q;
    });
    expect(last?.sql).to.match(/json_populate_recordset.*pg_notify/s);
    expect(last?.parameters).to.have.length(3);
    expect(last?.parameters.slice(1)).to.deep.equal([['flush_test'], ['after many']]);
    const stored = await seeded.handle.db.selectFrom('idempotencyKeys').selectAll().where('userId', '=', 'many-user').execute();
    expect(new Map(stored.map((r) => [r.key, r]))).to.deep.equal(new Map(keys.map((k) => [k.key, k])));
  });
});
