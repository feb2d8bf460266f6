/**
 * The one lock order of every command: a start-up job's, then transfers, then listings, then funds
 * (a fund's lock also guards its audit stream), then organisations' open orders (their cap), then the
 * other audit streams, then the year's
 * confirmation numbers — each kind in sorted id order. Two commands that lock in one order cannot
 * deadlock, so every command takes its locks here, never through `engine.lock` directly. A lock the
 * transaction already holds is not taken again; asking for one that ranks before a lock already held
 * is a programming error and throws at once (on SQLite too, where the single writer would hide it).
 * The anchor lock (server/audit/anchors.ts) is taken alone by the anchor job, never with these.
 */
import type { DbEngine, LockKey, Tx } from '../../db/database';
import { txMemo } from './tx-memo';

export type OrderedLock = Exclude<LockKey, { kind: 'anchor' }>;

const RANK: Record<OrderedLock['kind'], number> = {
  job: 0,
  transfer: 1,
  listing: 2,
  fund: 3,
  'open-orders': 4,
  stream: 5,
  'confirmation-number': 6,
};

function idOf(key: OrderedLock): string {
  switch (key.kind) {
    case 'job':
      return key.name;
    case 'transfer':
      return key.transferId;
    case 'listing':
      return key.listingId;
    case 'fund':
      return key.fundId;
    case 'open-orders':
      return key.orgId;
    case 'stream':
      return key.stream;
    case 'confirmation-number':
      return '';
  }
}
const nameOf = (key: OrderedLock) => `${key.kind}${idOf(key) ? ` ${idOf(key)}` : ''}`;
const compare = (a: OrderedLock, b: OrderedLock) => RANK[a.kind] - RANK[b.kind] || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0);

interface Held {
  names: Set<string>;
  last: OrderedLock;
}
const held = txMemo<Held>();

/**
 * Takes `keys` (in any order given: they are sorted) after the locks the transaction already holds, in
 * one round trip: the engine takes them one after another in that order (DbEngine.lock).
 */
export async function lockInOrder(engine: Pick<DbEngine, 'lock'>, trx: Tx, ...keys: OrderedLock[]): Promise<void> {
  const h = held.get(trx);
  const names = new Set(h?.names);
  let last = h?.last;
  const take: OrderedLock[] = [];
  for (const key of [...keys].sort(compare)) {
    const name = nameOf(key);
    if (names.has(name)) continue;
    if (last && compare(key, last) < 0) {
      throw new Error(
        `lock order violated: ${name} requested after ${nameOf(last)} (order: ` +
          `job → transfer → listing → fund → open-orders → stream → confirmation-number)`,
      );
    }
    names.add(name);
    last = key;
    take.push(key);
  }
  if (!take.length || !last) return;
  // Counted as held once asked for, before the answer: a lock asked for right after (a batch's read-aheads,
  // sent together with its locks) is checked against these and goes out after them. Should the lock fail,
  // so does the transaction, and the memo goes with it.
  held.set(trx, { names, last });
  await engine.lock(trx, ...take);
}

export const fundLock = (fundId: string): LockKey & OrderedLock => ({ kind: 'fund', fundId });
/** An organisation's open orders: held while a batch counts them against their cap and adds to them. */
export const openOrdersLock = (orgId: string): LockKey & OrderedLock => ({ kind: 'open-orders', orgId });
export const transferLock = (transferId: string): LockKey & OrderedLock => ({ kind: 'transfer', transferId });
export const jobLock = (name: string): LockKey & OrderedLock => ({ kind: 'job', name });
export const CONFIRMATION_NUMBER_LOCK: OrderedLock = { kind: 'confirmation-number' };
