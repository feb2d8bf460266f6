import type { Db, Tx } from '../../db/database';
import type { Transfer } from './domain/types';
import { deadlineClosesAt } from './domain/deadlines';
import { TERMINAL_STATES } from './domain/types';
import { parseTransfer, storedTransfer } from './stored-transfer';
import { summariseCompletion } from '../market-data/market-summary';

/** The instant the transfer's current step (or ROFR window) closes, for deadline queues. */
export function nextDeadlineAt(t: Transfer): string | null {
  if (TERMINAL_STATES.includes(t.state)) return null;
  if (t.state === 'rofr_pending' && t.rofr) return t.rofr.closesAt;
  const step = t.steps.find((s) => s.state === 'pending' && s.deadline);
  return step?.deadline ? deadlineClosesAt(step.deadline) : null;
}

export async function insertTransfer(trx: Tx, t: Transfer): Promise<void> {
  await trx
    .insertInto('transfers')
    .values({
      id: t.id,
      tradeId: t.tradeId,
      fundId: t.fundId,
      venue: t.venue,
      state: t.state,
      sellerOrgId: t.sellerOrgId,
      buyerOrgId: t.buyerOrgId,
      nextDeadlineAt: nextDeadlineAt(t),
      version: t.version,
      data: storedTransfer(t),
      openedAt: t.openedAt,
      updatedAt: t.updatedAt,
    })
    .execute();
  if (t.state === 'completed') await summariseCompletion(trx, t.openedAt, t.updatedAt);
}

/** Writes a new version; refuses (returns false) when another writer changed the row since it was read. */
export async function updateTransfer(trx: Tx, t: Transfer, expectedVersion: number): Promise<boolean> {
  // A completion is counted in the public market summary once, on the write that makes it completed.
  const completes =
    t.state === 'completed' &&
    (await trx.selectFrom('transfers').select('state').where('id', '=', t.id).where('version', '=', expectedVersion).executeTakeFirst())
      ?.state !== 'completed';
  const r = await trx
    .updateTable('transfers')
    .set({
      state: t.state,
      buyerOrgId: t.buyerOrgId,
      nextDeadlineAt: nextDeadlineAt(t),
      version: t.version,
      data: storedTransfer(t),
      updatedAt: t.updatedAt,
    })
    .where('id', '=', t.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  const updated = Number(r.numUpdatedRows) === 1;
  if (updated && completes) await summariseCompletion(trx, t.openedAt, t.updatedAt);
  return updated;
}

export { parseTransfer };

export async function findTransfer(db: Db | Tx, id: string): Promise<Transfer | undefined> {
  const row = await db.selectFrom('transfers').select('data').where('id', '=', id).executeTakeFirst();
  return row ? parseTransfer(row.data) : undefined;
}
