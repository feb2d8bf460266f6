/**
 * What a listing's events do outside the listing, in the same transaction as the listing write:
 * - a confirmed deposit is booked bank:<buyer> → deposits;
 * - a refund due goes back deposits → bank:<buyer> when it falls due (booked at the event, which
 *   carries the due date in its reference: the exchange instructs the bank then);
 * - a forfeited deposit goes deposits → bank:<seller> (exchange practice compensates the seller);
 * - an award becomes a trade row (venue 'listing') and opens the transfer workflow through the same
 *   opener the book uses, with the winner's deposit held for the transfer (it counts first towards
 *   the price, and the transfer moves it at payment, forfeit or refund): `deposit_applied` books nothing here.
 */
import crypto from 'node:crypto';
import type { Db, Tx } from '../../db/database';
import type { TradeRow } from '../../db/schema';
import { Dec, HUNDRED, Rounding, type Decimal } from '../../shared/decimal';
import { navOfCommitment, navPerCommitment } from '../../shared/nav';
import { iso } from '../clock/clock';
import { AppError } from '../http/errors';
import { unencumbered } from '../positions/positions.service';
import { findFund, latestNavReport } from '../funds/funds.repository';
import { bankAccount, DEPOSITS, postCash } from '../ledger/ledger';
import type { TradeListener } from '../orders/book-effects';
import type { AwardedTrade, ListingEvent } from './domain';

export interface NavBasis { perCommitment: Decimal; referenceDate: string }

/** The fund's latest NAV per yuan of commitment, or null when no NAV was published. */
export async function navBasis(db: Db | Tx, fundId: string): Promise<NavBasis | null> {
  const fund = await findFund(db, fundId);
  const nav = await latestNavReport(db, fundId);
  if (!fund || !nav) return null;
  return { perCommitment: navPerCommitment(new Dec(nav.nav), new Dec(fund.totalCommitment)), referenceDate: nav.referenceDate };
}

export const navOfQuantity = (basis: NavBasis | null, quantity: string): string | null =>
  basis ? navOfCommitment(basis.perCommitment, new Dec(quantity)).toFixed(2) : null;

export async function applyListingEffects(trx: Tx, events: readonly ListingEvent[], openTransfer: TradeListener, sellerOrgId: string): Promise<{ trades: TradeRow[] }> {
  const trades: TradeRow[] = [];
  for (const e of events) {
    if (e.type === 'deposit_confirmed') {
      await postCash(trx, {
        reason: 'listing_deposit', reference: `${e.listingId}:${e.bankRef}`, at: iso(e.at),
        legs: [{ account: bankAccount(e.orgId), amount: new Dec('0').minus(e.amount) }, { account: DEPOSITS, amount: new Dec(e.amount) }],
      });
    } else if (e.type === 'deposit_refund_due') {
      await moveDeposit(trx, e.amount, bankAccount(e.orgId), 'listing_deposit_refund', `${e.listingId}:${e.orgId}:due ${e.dueDate}${e.provisional ? ' (provisional)' : ''}`, e.at);
    } else if (e.type === 'deposit_forfeited') {
      await moveDeposit(trx, e.amount, bankAccount(sellerOrgId), `listing_deposit_forfeit:${e.reason}`, `${e.listingId}:${e.orgId}`, e.at);
    } else if (e.type === 'listing_awarded') {
      trades.push(await recordTrade(trx, e.trade, openTransfer));
    }
  }
  return { trades };
}

async function moveDeposit(trx: Tx, amount: string, to: string, reason: string, reference: string, atMs: number): Promise<void> {
  await postCash(trx, { reason, reference, at: iso(atMs), legs: [{ account: DEPOSITS, amount: new Dec('0').minus(amount) }, { account: to, amount: new Dec(amount) }] });
}

async function recordTrade(trx: Tx, a: AwardedTrade, openTransfer: TradeListener): Promise<TradeRow> {
  const fund = await findFund(trx, a.fundId);
  const basis = await navBasis(trx, a.fundId);
  if (!fund || !basis) throw new Error(`fund ${a.fundId} has no NAV: a listing trade needs one`);
  const nav = new Dec(navOfQuantity(basis, a.quantity)!);
  const pricePct = new Dec(a.price).times(HUNDRED).div(nav).round(2, Rounding.HALF_UP).toFixed(2);
  const trade: TradeRow = {
    id: crypto.randomUUID(), fundId: a.fundId, venue: 'listing', pricePct, quantity: a.quantity, consideration: new Dec(a.price).toFixed(2),
    navPerCommitment: basis.perCommitment.toFixed(8), navReferenceDate: basis.referenceDate, buyOrderId: null, sellOrderId: null,
    buyerOrgId: a.buyerOrgId, sellerOrgId: a.sellerOrgId, listingId: a.listingId, transferId: null, fundSeq: null, executedAt: iso(a.awardedAt),
  };
  await trx.insertInto('trades').values(trade).execute();
  await reserveSellerUnits(trx, a);
  const { managerName: _m, ...fundRow } = fund;
  const transferId = await openTransfer(trx, trade, fundRow, { depositHeld: new Dec(a.depositApplied).toFixed(2) });
  await trx.updateTable('trades').set({ transferId }).where('id', '=', trade.id).execute();
  return { ...trade, transferId };
}

/** The transfer workflow releases the seller's reservation on completion (as for a book trade, reserved at the fill). */
async function reserveSellerUnits(trx: Tx, a: AwardedTrade): Promise<void> {
  const p = await trx.selectFrom('positions').selectAll().where('fundId', '=', a.fundId).where('orgId', '=', a.sellerOrgId).executeTakeFirst();
  const free = p ? unencumbered(p) : new Dec('0');
  if (!p || free.lt(a.quantity)) throw new AppError('INSUFFICIENT_POSITION', `the seller's unencumbered commitment is ${free.toFixed(0)}, less than the ${a.quantity} awarded`);
  await trx.updateTable('positions').set({ reserved: new Dec(p.reserved).plus(a.quantity).toFixed(2) })
    .where('fundId', '=', a.fundId).where('orgId', '=', a.sellerOrgId).execute();
}
