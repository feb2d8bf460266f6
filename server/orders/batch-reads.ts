/**
 * Reads that no order command changes — a fund's terms, whether it has a NAV report, an
 * organisation's state-owned flag, a qualification, how many investors a fund has (positions gain
 * or lose commitment only when a transfer settles, never in an order batch) — done once per
 * group-commit batch instead of once per order. A batch is one transaction and answers as of one moment, so an order checked
 * against what the batch read first is checked as of that moment. Never for what orders change
 * (positions, open orders, trades): those are read by each command.
 */
import type { Tx } from '../../db/database';

const memo = new WeakMap<Tx, Map<string, Promise<unknown>>>();

export function readOncePerBatch<T>(trx: Tx, key: string, load: () => Promise<T>): Promise<T> {
  let reads = memo.get(trx);
  if (!reads) memo.set(trx, (reads = new Map()));
  let p = reads.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    reads.set(key, p);
    p.catch(() => reads.delete(key));
  }
  return p;
}
