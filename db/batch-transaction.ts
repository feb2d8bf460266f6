/**
 * A group-commit batch's transaction (DbEngine.batchTransaction). The batch's body runs its commands
 * and hands back its last write unsent (its deferred rows in one statement, or only their notifications
 * past PostgreSQL's parameter limit: commands/deferred-rows.ts), which goes out just before `commit`.
 *
 * On a PostgreSQL connection in pipeline mode (pg's `pipeline`: a query is sent as it comes, without
 * waiting for the answers before it, and the server runs them one after another in the order sent),
 * the batch's round trips shrink from five to two: `begin`, the batch's locks and the reads it starts
 * together with them (awaited with `together`, db/together.ts; sent after the locks, so run under
 * them: server/orders/group-commit.ts) share one round trip, and the last write travels with `commit`.
 * What keeps this as safe as one statement at a time:
 * - `begin` cannot fail on a live connection that is not already in a failed transaction; should it
 *   fail anyway, the statements sent behind it before its answer arrived (the locks and the read-aheads,
 *   which only read) run on their own, but every answer the body gets waits for `begin`'s (it comes
 *   first), so the body fails before it writes, and nothing more is sent once `begin` has failed: no
 *   write runs outside the transaction;
 * - the last write and `commit` are handed to the connection in one synchronous step, so `commit`
 *   cannot overtake the write; a failed write aborts the transaction, PostgreSQL then answers `commit`
 *   with ROLLBACK, and the batch fails with the write's error (the answer to `commit` is checked too,
 *   so a transaction a swallowed error aborted fails the batch as well);
 * - once the batch ends (committing, or failing), a statement its body still sends (a branch it did
 *   not wait for) is refused, never run in autocommit or in the connection's next transaction;
 * - any failure ends in `rollback` on the same connection before it goes back to the pool.
 *
 * Elsewhere (SQLite, in-process; or a connection that does not pipeline) it is a plain transaction
 * whose last write is executed before it commits.
 */
import { CompiledQuery, Transaction, type DatabaseConnection, type KyselyProps, type QueryResult } from 'kysely';
import type { Database } from './schema';
import type { Db, Tx } from './database';
import { together } from './together';

/** What a batch's body hands back: its value, and its last write, not yet sent. */
export interface BatchEnd<T> {
  value: T;
  last: CompiledQuery | null;
}

export type BatchBody<T> = (trx: Tx) => Promise<BatchEnd<T>>;

/** A plain transaction: the body, then its last write, then `commit` (or `rollback` on any failure). */
export function plainBatchTransaction<T>(db: Db, body: BatchBody<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const { value, last } = await body(trx);
    if (last) await trx.executeQuery(last);
    return value;
  });
}

/** The batch on one connection that pipelines: `props` are those of a Kysely on such a pool (database.ts). */
export function pipelinedBatchTransaction<T>(db: Db, props: Omit<KyselyProps, 'executor'>, body: BatchBody<T>): Promise<T> {
  return db.getExecutor().provideConnection(async (connection) => {
    const begun = connection.executeQuery(CompiledQuery.raw('begin'));
    let beginFailed = false;
    begun.catch(() => {
      beginFailed = true; // awaited with every answer below; a failure here must not also go unhandled
    });
    let ended = false;
    const afterBegin: DatabaseConnection = {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        if (ended) throw new Error('a statement sent after its batch ended');
        if (beginFailed) await begun; // throws begin's error; nothing is sent
        const answer = connection.executeQuery<R>(query);
        answer.catch(() => {}); // handed to the caller below, after begin's answer
        await begun;
        return answer;
      },
      streamQuery: () => {
        throw new Error('a batch transaction does not stream');
      },
    };
    const executor = db.getExecutor().withConnectionProvider({ provideConnection: (consume) => consume(afterBegin) });
    try {
      const { value, last } = await body(new Transaction<Database>({ ...props, executor }));
      ended = true;
      await begun;
      // One synchronous step: the write is queued on the connection before commit is.
      const written = last ? connection.executeQuery(last) : Promise.resolve(null);
      const committed = connection.executeQuery<{ command?: string }>(CompiledQuery.raw('commit'));
      const [, answer] = await together([written, committed]);
      if (answer.rows[0]?.command !== 'COMMIT')
        throw new Error(`the batch's commit was answered ${answer.rows[0]?.command ?? 'without a command'}`);
      return value;
    } catch (err) {
      ended = true;
      await begun.catch(() => {});
      // After a failed commit there is no transaction left: PostgreSQL only warns.
      await connection.executeQuery(CompiledQuery.raw('rollback')).catch(() => {});
      throw err;
    }
  });
}
