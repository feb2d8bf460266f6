/**
 * The one lock order of every command: transfers, then listings, then funds (each kind in sorted id
 * order), then the audit chain. Two commands that lock in one order cannot deadlock, so every command
 * takes its locks here, never through `engine.lock` directly. A lock the transaction already holds is
 * not taken again; asking for one that ranks before a lock already held is a programming error and
 * throws at once (on SQLite too, where the single writer would hide it).
 */
import type { DbEngine, LockKey, Tx } from '../../db/database';
import { txMemo } from './tx-memo';

const RANK: Record<LockKey['kind'], number> = { transfer: 0, listing: 1, fund: 2, audit: 3 };

const idOf = (key: LockKey): string =>
  key.kind === 'audit' ? '' : key.kind === 'fund' ? key.fundId : key.kind === 'listing' ? key.listingId : key.transferId;
const nameOf = (key: LockKey) => `${key.kind}${key.kind === 'audit' ? '' : ` ${idOf(key)}`}`;
const compare = (a: LockKey, b: LockKey) => RANK[a.kind] - RANK[b.kind] || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0);

interface Held { names: Set<string>; last: LockKey }
const held = txMemo<Held>();

/** Takes `keys` (in any order given: they are sorted) after the locks the transaction already holds. */
export async function lockInOrder(engine: Pick<DbEngine, 'lock'>, trx: Tx, ...keys: LockKey[]): Promise<void> {
  for (const key of [...keys].sort(compare)) {
    const h = held.get(trx);
    const name = nameOf(key);
    if (h?.names.has(name)) continue;
    if (h && compare(key, h.last) < 0) {
      throw new Error(`lock order violated: ${name} requested after ${nameOf(h.last)} (order: transfer → listing → fund → audit)`);
    }
    await engine.lock(trx, key);
    if (h) { h.names.add(name); h.last = key; } else held.set(trx, { names: new Set([name]), last: key });
  }
}

export const fundLock = (fundId: string): LockKey => ({ kind: 'fund', fundId });
export const transferLock = (transferId: string): LockKey => ({ kind: 'transfer', transferId });
export const AUDIT_LOCK: LockKey = { kind: 'audit' };
