/**
 * The double-entry ledgers. Rows are only ever appended; each journal's legs sum to zero, so units
 * per fund and cash across accounts are conserved by construction (asserted here, and checked in
 * tests by summing the tables).
 *
 * Unit accounts: `org:<orgId>` for a holder, `fund:<fundId>` for the fund's own side of issued
 * commitments. Holder legs also update the `positions` projection in the same transaction.
 * Cash accounts: `bank:<orgId>` (money outside the exchange), `escrow`, `deposits`, `fees`.
 */
import crypto from 'node:crypto';
import { Dec, ZERO, sum, type Decimal } from '../../shared/decimal';
import type { Tx } from '../../db/database';

export interface UnitLeg {
  account: string;
  commitment: Decimal;
  paidIn: Decimal;
}
export interface CashLeg {
  account: string;
  amount: Decimal;
}

export const orgAccount = (orgId: string) => `org:${orgId}`;
export const fundAccount = (fundId: string) => `fund:${fundId}`;
export const bankAccount = (orgId: string) => `bank:${orgId}`;
export const ESCROW = 'escrow';
export const DEPOSITS = 'deposits';
export const FEES = 'fees';

const newId = () => crypto.randomUUID();

function assertBalanced(amounts: Decimal[], what: string): void {
  if (!sum(amounts).eq(ZERO)) throw new Error(`unbalanced ${what} journal: legs sum to ${sum(amounts).toString()}`);
}

/**
 * @param j.acquisition false for units that did not change hands on the exchange (a fund's partner
 *   register when it opens): positions then keep no `lastBoughtAt`, so no round-trip window starts.
 */
export async function postUnits(
  trx: Tx,
  j: { fundId: string; reason: string; at: string; legs: UnitLeg[]; acquisition?: boolean },
): Promise<string> {
  assertBalanced(
    j.legs.map((l) => l.commitment),
    'unit commitment',
  );
  assertBalanced(
    j.legs.map((l) => l.paidIn),
    'unit paid-in',
  );
  const journalId = newId();
  await trx
    .insertInto('unitLedger')
    .values(
      j.legs.map((l) => ({
        id: newId(),
        journalId,
        fundId: j.fundId,
        account: l.account,
        commitment: l.commitment.toFixed(2),
        paidIn: l.paidIn.toFixed(2),
        reason: j.reason,
        at: j.at,
      })),
    )
    .execute();
  for (const leg of j.legs) {
    if (!leg.account.startsWith('org:')) continue;
    await applyToPosition(trx, j.fundId, leg.account.slice(4), leg, j.at, j.acquisition ?? true);
  }
  return journalId;
}

async function applyToPosition(trx: Tx, fundId: string, orgId: string, leg: UnitLeg, at: string, acquisition: boolean): Promise<void> {
  const pos = await trx.selectFrom('positions').selectAll().where('fundId', '=', fundId).where('orgId', '=', orgId).executeTakeFirst();
  const commitment = new Dec(pos?.commitment ?? '0').plus(leg.commitment);
  const paidIn = new Dec(pos?.paidIn ?? '0').plus(leg.paidIn);
  if (commitment.lt(ZERO) || paidIn.lt(ZERO)) throw new Error(`position ${orgId}/${fundId} would go negative`);
  const bought = leg.commitment.gt(ZERO);
  if (!pos) {
    await trx
      .insertInto('positions')
      .values({
        fundId,
        orgId,
        commitment: commitment.toFixed(2),
        paidIn: paidIn.toFixed(2),
        pledged: '0.00',
        onOffer: '0.00',
        reserved: '0.00',
        lastBoughtAt: bought && acquisition ? at : null,
        lastSoldAt: bought || !acquisition ? null : at,
      })
      .execute();
    return;
  }
  await trx
    .updateTable('positions')
    .set({
      commitment: commitment.toFixed(2),
      paidIn: paidIn.toFixed(2),
      ...(!acquisition ? {} : bought ? { lastBoughtAt: at } : { lastSoldAt: at }),
    })
    .where('fundId', '=', fundId)
    .where('orgId', '=', orgId)
    .execute();
}

export async function postCash(trx: Tx, j: { reason: string; reference?: string; at: string; legs: CashLeg[] }): Promise<string> {
  assertBalanced(
    j.legs.map((l) => l.amount),
    'cash',
  );
  const journalId = newId();
  await trx
    .insertInto('cashLedger')
    .values(
      j.legs.map((l) => ({
        id: newId(),
        journalId,
        account: l.account,
        amount: l.amount.toFixed(2),
        reason: j.reason,
        reference: j.reference ?? null,
        at: j.at,
      })),
    )
    .execute();
  return journalId;
}

/** Balance of a cash account, summed exactly. */
export async function cashBalance(trx: Tx, account: string): Promise<Decimal> {
  const rows = await trx.selectFrom('cashLedger').select('amount').where('account', '=', account).execute();
  return sum(rows.map((r) => new Dec(r.amount)));
}
