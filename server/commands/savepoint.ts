/**
 * Runs part of a transaction under a savepoint: when it throws, everything it wrote (rows, the audit
 * entries it appended, locks it took, rows it deferred to the commit) is rolled back and the
 * transaction goes on. Works on SQLite and PostgreSQL alike (plain SAVEPOINT statements).
 */
import { sql } from 'kysely';
import type { Tx } from '../../db/database';
import { deferredMark, dropDeferredAfter } from './deferred-rows';
import { forgetAfterRollback } from './tx-memo';

export async function withSavepoint<T>(trx: Tx, name: string, run: () => Promise<T>): Promise<T> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`savepoint name ${name} is not an identifier`);
  const id = sql.id(name);
  await sql`savepoint ${id}`.execute(trx);
  const mark = deferredMark(trx);
  let value: T;
  try {
    value = await run();
  } catch (err) {
    await sql`rollback to savepoint ${id}`.execute(trx);
    await sql`release savepoint ${id}`.execute(trx);
    dropDeferredAfter(trx, mark);
    forgetAfterRollback(trx);
    throw err;
  }
  await sql`release savepoint ${id}`.execute(trx);
  return value;
}
