/**
 * Named statements on PostgreSQL (db/named-statements.ts): a text with parameters is named from its third
 * use, at most MAX_NAMED_STATEMENTS texts per pool, and a named statement gives the same answers as the
 * unnamed one, survives a rolled-back transaction, and is parsed again after a failed first parse.
 */
import { expect } from 'chai';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../db/database';
import { MAX_NAMED_STATEMENTS, StatementNames } from '../../db/named-statements';
import { postgresKind } from '../support/databases';
import { migratedDatabase, type MigratedDatabase } from '../support/migrated-database';

describe('which statement texts go named (StatementNames)', () => {
  it('names a text from its third use on, and always with the same name', () => {
    const names = new StatementNames();
    expect(names.nameOf('select $1', 1)).to.equal(undefined);
    expect(names.nameOf('select $1', 1)).to.equal(undefined);
    const name = names.nameOf('select $1', 1);
    expect(name).to.be.a('string');
    expect(names.nameOf('select $1', 1)).to.equal(name);
    for (let i = 0; i < 3; i++) names.nameOf('select $1, $2', 2);
    expect(names.nameOf('select $1, $2', 2)).to.be.a('string').and.not.equal(name);
  });

  it('never names a text selecting or returning every column, or one with many parameters', () => {
    const names = new StatementNames();
    const never = [
      ['select * from "orders" where "id" = $1', 1],
      ['select "funds".*, (select 1) as "x" from "funds" where "id" = $1', 1],
      ['insert into "t" ("a") values ($1) returning *', 1],
      [`select ${Array.from({ length: 65 }, (_, i) => `$${i + 1}`).join(', ')}`, 65],
    ] as const;
    for (const [text, n] of never) for (let k = 0; k < 5; k++) expect(names.nameOf(text, n), text).to.equal(undefined);
    for (let k = 0; k < 2; k++) names.nameOf('select count(*) as "n" from "orders" where "org_id" = $1', 1);
    expect(names.nameOf('select count(*) as "n" from "orders" where "org_id" = $1', 1), 'count(*) is one column').to.be.a('string');
  });

  it('stops naming new texts at the bound and keeps the names it gave', () => {
    const names = new StatementNames();
    const first = Array.from({ length: 3 }, () => names.nameOf('select 0 + $1', 1)).at(-1);
    for (let i = 1; names.size < MAX_NAMED_STATEMENTS; i++) for (let k = 0; k < 3; k++) names.nameOf(`select ${i} + $1`, 1);
    for (let k = 0; k < 5; k++) expect(names.nameOf('select -1 + $1', 1), 'a new text past the bound').to.equal(undefined);
    expect(names.nameOf('select 0 + $1', 1)).to.equal(first);
    expect(names.size).to.equal(MAX_NAMED_STATEMENTS);
  });
});

describe('named statements on a PostgreSQL connection [postgres]', function () {
  let db: MigratedDatabase | null = null;
  let unnamed: DatabaseHandle | null = null;
  before(async function () {
    if (await postgresKind.unavailable()) this.skip();
    // One connection, so the prepared statements listed are the ones the queries used.
    db = await migratedDatabase(postgresKind, { poolSize: 1 });
  });
  after(async () => {
    await unnamed?.close();
    await db?.drop();
  });

  const prepared = async (h: DatabaseHandle) =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(h.db)).rows.map((r) => r.statement);
  const probe = (h: DatabaseHandle, n: number) => sql<{ n: number }>`select ${n}::int + 1 as n, 'named' as probe`.execute(h.db);

  it('answers a repeated query the same, prepared once on the connection', async () => {
    const h = db!.handle;
    for (let n = 0; n < 6; n++) expect((await probe(h, n)).rows).to.deep.equal([{ n: n + 1, probe: 'named' }]);
    expect((await prepared(h)).filter((s) => s.includes(`'named' as probe`))).to.have.length(1);
  });

  it('keeps a statement prepared in a transaction that rolled back', async () => {
    const h = db!.handle;
    const text = (n: number) => sql<{ n: number }>`select ${n}::int * 2 as n, 'rolled back' as probe`;
    await h.db
      .transaction()
      .execute(async (trx) => {
        for (let n = 0; n < 3; n++) await text(n).execute(trx);
        throw new Error('roll back');
      })
      .catch(() => {});
    expect((await prepared(h)).filter((s) => s.includes(`'rolled back' as probe`))).to.have.length(1);
    expect((await text(21).execute(h.db)).rows).to.deep.equal([{ n: 42, probe: 'rolled back' }]);
  });

  it('parses a text again when its first named use failed in an aborted transaction', async () => {
    const h = db!.handle;
    const text = (n: number) => sql<{ n: number }>`select ${n}::int - 1 as n, 'after abort' as probe`;
    await text(1).execute(h.db);
    await text(2).execute(h.db);
    const third = await h.db
      .transaction()
      .execute(async (trx) => {
        await sql`select 1 / 0`.execute(trx).catch(() => {});
        return text(3).execute(trx); // its parse is refused: the transaction is aborted
      })
      .then(
        () => null,
        (err: Error) => err,
      );
    expect(third?.message).to.match(/current transaction is aborted/);
    expect((await text(10).execute(h.db)).rows).to.deep.equal([{ n: 9, probe: 'after abort' }]);
    expect((await prepared(h)).filter((s) => s.includes(`'after abort' as probe`))).to.have.length(1);
  });

  it('forgets a prepared statement whose result type changed: one use fails, the next prepares it anew', async () => {
    const h = db!.handle;
    await sql`create table named_probe (id int primary key, x int)`.execute(h.db);
    await sql`insert into named_probe values (1, 7)`.execute(h.db);
    const read = () => sql<{ x: unknown }>`select "x" from named_probe where id = ${1}`.execute(h.db);
    for (let k = 0; k < 4; k++) expect((await read()).rows).to.deep.equal([{ x: 7 }]);
    // Another process migrates meanwhile: the column's type changes under the prepared statement.
    await sql`alter table named_probe alter column x type text`.execute(h.db);
    const failed = await read().then(
      () => null,
      (err: { code?: string }) => err.code,
    );
    expect(failed).to.equal('0A000');
    expect((await read()).rows).to.deep.equal([{ x: '7' }]);
  });

  it('forgets a statement pg closed after failing to encode a value, so the text keeps working', async () => {
    const h = db!.handle;
    const echo = (v: unknown) => sql<{ v: unknown }>`select ${v}::jsonb as v, 'encode' as probe`.execute(h.db);
    for (let k = 0; k < 4; k++) expect((await echo('{"a":1}')).rows[0]!.v).to.deep.equal({ a: 1 });
    const bad = await echo({ big: 10n }).then(
      () => null,
      (err: Error) => err,
    );
    expect(bad).to.be.instanceOf(Error);
    expect((await echo('{"b":2}')).rows[0]!.v).to.deep.equal({ b: 2 });
  });

  it('prepares nothing when turned off (namedStatements: false)', async () => {
    unnamed = openDatabase(db!.url, { poolSize: 1, namedStatements: false });
    for (let n = 0; n < 6; n++) expect((await probe(unnamed, n)).rows).to.deep.equal([{ n: n + 1, probe: 'named' }]);
    expect(await prepared(unnamed)).to.deep.equal([]);
  });
});
