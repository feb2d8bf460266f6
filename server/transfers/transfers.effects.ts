/**
 * Applies a transfer's events in the caller's transaction (domain/README.md "What the caller does with
 * events"): cash postings to the cash ledger, the ownership change to the unit ledger and positions,
 * and the seller's reservation consumed or released. `confirmation_due` is handled by the confirmation
 * issuer; `listing_reopened` reopens the listing through the listings venue (reopenListingAfterTransfer).
 *
 * The domain names cash accounts `cash:escrow`, `cash:fees`, `cash:deposits`, `cash:org:<id>`; the
 * ledger names them `escrow`, `fees`, `deposits`, `bank:<id>`. This file is the one place they meet.
 */
import { Dec, ZERO, type Decimal } from '../../shared/decimal';
import type { Tx } from '../../db/database';
import type { WorkingDayCalendar } from '../../shared/calendar';
import { DEPOSITS, ESCROW, FEES, bankAccount, orgAccount, postCash, postUnits } from '../ledger/ledger';
import { reopenListingAfterTransfer } from '../listings/listings.effects';
import type { CashAccount, CashPosting, Transfer, TransferEvent } from './domain';

/** The transfer's commit takes the fund and then the audit lock before it applies any event: they are held here. */
const LOCKS_HELD = { lock: async () => {} };

export function ledgerCashAccount(account: CashAccount): string {
  switch (account) {
    case 'cash:escrow':
      return ESCROW;
    case 'cash:fees':
      return FEES;
    case 'cash:deposits':
      return DEPOSITS;
    default: {
      const orgId = account.slice('cash:org:'.length);
      if (!account.startsWith('cash:org:') || orgId === '') throw new Error(`unknown cash account ${account}`);
      return bankAccount(orgId);
    }
  }
}

async function postCashPostings(trx: Tx, postings: readonly CashPosting[], reason: string, reference: string, at: string): Promise<void> {
  if (postings.length === 0) return;
  await postCash(trx, {
    reason,
    reference,
    at,
    legs: postings.map((p) => ({ account: ledgerCashAccount(p.account), amount: new Dec(p.amount) })),
  });
}

/** Takes `quantity` off the seller's reservation (the units were reserved when the trade was made). */
async function releaseReservation(trx: Tx, fundId: string, orgId: string, quantity: Decimal): Promise<void> {
  const p = await trx.selectFrom('positions').select('reserved').where('fundId', '=', fundId).where('orgId', '=', orgId).executeTakeFirst();
  const reserved = new Dec(p?.reserved ?? '0').minus(quantity);
  if (!p || reserved.lt(ZERO))
    throw new Error(`reservation of ${orgId} in ${fundId} is ${p?.reserved ?? 'missing'}, less than the ${quantity.toFixed(0)} to release`);
  await trx
    .updateTable('positions')
    .set({ reserved: reserved.toFixed(2) })
    .where('fundId', '=', fundId)
    .where('orgId', '=', orgId)
    .execute();
}

/** Applies every event; returns whether a confirmation is due. */
export async function applyTransferEvents(
  trx: Tx,
  t: Transfer,
  events: readonly TransferEvent[],
  nowIso: string,
  calendar: WorkingDayCalendar,
): Promise<{ confirmationDue: boolean }> {
  let confirmationDue = false;
  for (const e of events) {
    switch (e.type) {
      case 'payment_confirmed':
        await postCashPostings(trx, e.postings, 'transfer: payment into escrow', `${t.id}:${e.bankRef}`, nowIso);
        break;
      case 'deposit_refund_due':
      case 'deposit_forfeited':
      case 'payment_refund_due':
        await postCashPostings(trx, e.postings, `transfer: ${e.type.replace(/_/g, ' ')}`, t.id, nowIso);
        break;
      case 'ownership_changed': {
        const sold = e.unitPostings.filter((u) => u.orgId === t.sellerOrgId).reduce((s, u) => s.minus(new Dec(u.commitmentDelta)), ZERO);
        await releaseReservation(trx, e.fundId, t.sellerOrgId, sold);
        await postUnits(trx, {
          fundId: e.fundId,
          reason: `transfer ${t.id}: ownership change`,
          at: nowIso,
          legs: e.unitPostings.map((u) => ({
            account: orgAccount(u.orgId),
            commitment: new Dec(u.commitmentDelta),
            paidIn: new Dec(u.paidInDelta),
          })),
        });
        await postCashPostings(trx, e.cashPostings, 'transfer: escrow release and fees', t.id, nowIso);
        break;
      }
      case 'units_released':
        await releaseReservation(trx, e.fundId, e.orgId, new Dec(e.quantity));
        break;
      case 'confirmation_due':
        confirmationDue = true;
        break;
      case 'listing_reopened': {
        // Failed on the payment deadline: the winner paid late; on any earlier step it did not sign/complete.
        const missed = events.find((x) => x.type === 'deadline_missed');
        const reason = missed && missed.type === 'deadline_missed' && missed.step === 'payment' ? 'paid_late' : 'not_signed';
        await reopenListingAfterTransfer(trx, LOCKS_HELD, { listingId: e.listingId, transferId: t.id, reason, nowIso, calendar });
        break;
      }
      // notifications: the audit entry records them.
      default:
        break;
    }
  }
  return { confirmationDue };
}
