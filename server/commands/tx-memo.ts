/**
 * What a transaction remembers about itself (the audit chain head it wrote last, the locks it holds),
 * kept beside the transaction object. A rollback to a savepoint undoes writes and locks taken after
 * it, so `forgetAfterRollback` drops every memo of that transaction: the next reader asks the
 * database again instead of trusting a head that no longer exists.
 */
import type { Tx } from '../../db/database';

const memos = new Set<WeakMap<Tx, unknown>>();

export function txMemo<T>(): WeakMap<Tx, T> {
  const memo = new WeakMap<Tx, T>();
  memos.add(memo as WeakMap<Tx, unknown>);
  return memo;
}

export function forgetAfterRollback(trx: Tx): void {
  for (const memo of memos) memo.delete(trx);
}
