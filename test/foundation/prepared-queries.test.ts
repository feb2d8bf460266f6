import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { seededDatabase, type SeededDatabase } from '../support/seeded-database';
import type { DatabaseHandle } from '../../db/database';
import { prepared, preparedInsert } from '../../db/prepared';
import { appendAudit, verifyAuditChain } from '../../server/audit/audit-log';

const otherFunds = prepared(2, (db, $) =>
  db.selectFrom('funds').select(['id', 'lotSize']).where('id', '!=', $(0)).where('vintage', '>=', $(1)).orderBy('id'),
);
const keysOfUser = prepared(2, (db, $) =>
  db
    .selectFrom('idempotencyKeys')
    .select(['key', 'status'])
    .where('userId', '=', $(0))
    .where('status', '=', 201)
    .where((eb) => eb.or([eb('key', '=', $(1)), eb('requestHash', '=', $(1))])),
);
const fundsIn = prepared(2, (db, $) =>
  db.selectFrom('funds').select(['id', 'vintage']).where('id', 'in', $.each(0)).where('vintage', '>=', $(1)).orderBy('id'),
);
const fundsByPair = prepared(1, (db, $) =>
  db
    .selectFrom('funds')
    .select('id')
    .where((eb) =>
      eb(
        eb.refTuple('id', 'lotSize'),
        'in',
        $.tuples(0, 2).map(([id, lotSize]) => eb.tuple(id, lotSize)),
      ),
    )
    .orderBy('id'),
);
const insertKey = preparedInsert('idempotencyKeys', ['userId', 'key', 'requestHash', 'status', 'response', 'createdAt']);

describeEachDatabase('prepared queries (compiled once, run with new values)', (kind) => {
  let db: SeededDatabase;
  let h: DatabaseHandle;
  let userId: string;
  before(async () => {
    db = await seededDatabase(kind, '2026-11-28T02:00:00Z');
    h = db.handle;
    userId = (await h.db.selectFrom('users').select('id').where('username', '=', 'buyer1').executeTakeFirstOrThrow()).id;
  });
  after(async () => {
    await db?.drop();
  });

  it('returns what the same query built each time returns, for every new set of values, camel-cased', async () => {
    const funds = await h.db.selectFrom('funds').select('id').execute();
    const seen = new Set<string>();
    for (const { id } of funds) {
      for (const vintage of [2000, 2020, 2030]) {
        const expected = await h.db
          .selectFrom('funds')
          .select(['id', 'lotSize'])
          .where('id', '!=', id)
          .where('vintage', '>=', vintage)
          .orderBy('id')
          .execute();
        const got = await otherFunds.all(h.db, [id, vintage]);
        expect(got).to.deep.equal(expected);
        seen.add(JSON.stringify(got));
      }
    }
    expect(seen.size, 'the values really change the result').to.be.greaterThan(3);
  });

  it('keeps constants written in the builder, fills a placeholder used twice, and inserts by column name', async () => {
    await insertKey.run(h.db, {
      userId,
      key: 'prep-key-1',
      requestHash: 'h-1',
      status: 201,
      response: '{}',
      createdAt: '2026-11-28T02:00:00.000Z',
    });
    await insertKey.run(h.db, {
      userId,
      key: 'prep-key-2',
      requestHash: 'h-2',
      status: 409,
      response: '{}',
      createdAt: '2026-11-28T02:00:00.000Z',
    });
    expect(await keysOfUser.all(h.db, [userId, 'prep-key-1'])).to.deep.equal([{ key: 'prep-key-1', status: 201 }]);
    expect(await keysOfUser.all(h.db, [userId, 'h-1'])).to.deep.equal([{ key: 'prep-key-1', status: 201 }]);
    expect(await keysOfUser.all(h.db, [userId, 'prep-key-2']), 'status 201 is a constant of the query').to.deep.equal([]);
  });

  it('runs inside a transaction and rolls back with it', async () => {
    await h.db
      .transaction()
      .execute(async (trx) => {
        await insertKey.run(trx, {
          userId,
          key: 'prep-key-3',
          requestHash: 'h-3',
          status: 201,
          response: '{}',
          createdAt: '2026-11-28T02:00:00.000Z',
        });
        expect(await keysOfUser.all(trx, [userId, 'prep-key-3'])).to.have.length(1);
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await keysOfUser.all(h.db, [userId, 'prep-key-3'])).to.deep.equal([]);
  });

  it('refuses a call with the wrong number of values, and a query that leaves an argument unused', async () => {
    const failure = async (p: () => Promise<unknown>) => {
      try {
        await p();
      } catch (err) {
        return String(err);
      }
      return 'no error';
    };
    expect(await failure(() => otherFunds.all(h.db, ['only-one']))).to.match(/expects 2 arguments/);
    const unused = prepared(2, (db, $) => db.selectFrom('funds').select('id').where('id', '=', $(0)));
    expect(await failure(() => unused.all(h.db, ['a', 'b']))).to.match(/does not use its argument \$\(1\)/);
  });

  it('takes list arguments of any length, compiling one form per length and reusing it', async () => {
    const all = await h.db.selectFrom('funds').select(['id', 'vintage']).orderBy('id').execute();
    expect(all.length).to.be.greaterThan(3);
    // Lengths 1, 3, all, then 3 and 1 again (their forms reused), each with a different scalar after the list.
    for (const [n, vintage] of [
      [1, 0],
      [3, 2000],
      [all.length, 2019],
      [3, 0],
      [1, 2100],
    ] as const) {
      const ids = all.slice(0, n).map((f) => f.id);
      const expected = all.filter((f) => ids.includes(f.id) && f.vintage >= vintage);
      expect(await fundsIn.all(h.db, [ids, vintage]), `${n} ids, vintage ${vintage}`).to.deep.equal(expected);
    }
  });

  it('takes lists of tuples, each element of each tuple in its own place', async () => {
    const funds = await h.db.selectFrom('funds').select(['id', 'lotSize']).orderBy('id').execute();
    const [a, b, c] = funds;
    // b's tuple has c's lot size unless they are equal: only exact (id, lotSize) pairs match.
    const pairs = [
      [a!.id, a!.lotSize],
      [b!.id, c!.lotSize],
      [c!.id, c!.lotSize],
    ];
    const expected = [a!, c!, ...(b!.lotSize === c!.lotSize ? [b!] : [])].map((f) => ({ id: f.id })).sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(await fundsByPair.all(h.db, [pairs])).to.deep.equal(expected);
    expect(await fundsByPair.all(h.db, [[[b!.id, b!.lotSize]]])).to.deep.equal([{ id: b!.id }]);
  });

  it('refuses an empty list argument (no `in ()` to send) and tuples of another width', async () => {
    let failure = 'no error';
    await fundsIn.all(h.db, [[], 0]).catch((err: unknown) => {
      failure = String(err);
    });
    expect(failure).to.match(/argument \$\(0\) must be a non-empty list/);
    await fundsByPair.all(h.db, [[['a', 'b', 'c']]]).then(
      () => expect.fail('a tuple of three for a width of two'),
      (err: unknown) => expect(String(err)).to.match(/holds a tuple not of 2 values/),
    );
  });

  it('chains several audit entries appended in one transaction, each on the one before', async () => {
    await h.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++) {
        await appendAudit(trx, h.engine, {
          stream: 'exchange',
          at: '2026-11-28T02:00:00.000Z',
          actorUserId: null,
          actorOrgId: null,
          action: 'test.append',
          entityType: 'test',
          entityId: String(i),
          payload: { i },
        });
      }
    });
    const verdict = await verifyAuditChain(h.db);
    expect(verdict.ok, JSON.stringify(verdict)).to.equal(true);
  });
});
