/**
 * Reads that no order command changes — a fund's terms, whether it has a NAV report, an
 * organisation's state-owned flag, a qualification, how many investors a fund has (positions gain
 * or lose commitment only when a transfer settles, never in an order batch) — done once per
 * group-commit batch instead of once per order. A batch is one transaction and answers as of one moment, so an order checked
 * against what the batch read first is checked as of that moment.
 *
 * Reads of what orders do change (positions, open orders, trades) are kept only until the batch
 * writes to them (readUntilWritten / forgetReads): the batch's commands hold the fund's lock, which
 * every other writer of a fund's positions and trades takes too, so only the batch's own writes can
 * change them meanwhile, and the command that writes forgets what it changed. A rollback to a
 * savepoint forgets them all (commands/tx-memo.ts).
 */
import type { Tx } from '../../db/database';
import { txMemo } from '../commands/tx-memo';

type Reads = Map<string, Promise<unknown>>;

/** Reads kept for the whole batch. */
const memo = new WeakMap<Tx, Reads>();
/** Reads kept until one of the batch's commands writes what they read; a savepoint rollback drops them all. */
const untilWritten = txMemo<Reads>();

function readsOf(store: WeakMap<Tx, Reads>, trx: Tx): Reads {
  let reads = store.get(trx);
  if (!reads) store.set(trx, (reads = new Map()));
  return reads;
}

/** The kept read under `key`, or `load()` kept there (a failed load is not kept). */
function readThrough<T>(reads: Reads, key: string, load: () => Promise<T>): Promise<T> {
  let p = reads.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    reads.set(key, p);
    p.catch(() => reads.delete(key));
  }
  return p;
}

export function readOncePerBatch<T>(trx: Tx, key: string, load: () => Promise<T>): Promise<T> {
  return readThrough(readsOf(memo, trx), key, load);
}

/** A value read ahead for the whole batch (one statement for all its commands), as readOncePerBatch would read it. */
export function keepForBatch(trx: Tx, key: string, value: unknown): void {
  readsOf(memo, trx).set(key, Promise.resolve(value));
}

/** A read kept for the batch's later commands until one of them forgets it (forgetReads). */
export function readUntilWritten<T>(trx: Tx, key: string, load: () => Promise<T>): Promise<T> {
  return readThrough(readsOf(untilWritten, trx), key, load);
}

/** Values read ahead for the batch (one statement for all its commands), kept as readUntilWritten keeps them. */
export function keepRead(trx: Tx, key: string, value: unknown): void {
  readsOf(untilWritten, trx).set(key, Promise.resolve(value));
}

/** Forgets the kept reads whose keys start with any of `prefixes`: the caller has just written what they read. */
export function forgetReads(trx: Tx, prefixes: Iterable<string>): void {
  const reads = untilWritten.get(trx);
  if (!reads) return;
  for (const prefix of prefixes) for (const key of reads.keys()) if (key.startsWith(prefix)) reads.delete(key);
}
