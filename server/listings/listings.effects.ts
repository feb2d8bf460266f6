/**
 * What a listing's events do outside the listing, in the same transaction as the listing write:
 * - a confirmed deposit is booked bank:<buyer> → deposits;
 * - a refund due goes back deposits → bank:<buyer> when it falls due (booked at the event, which
 *   carries the due date in its reference: the exchange instructs the bank then);
 * - a forfeited deposit goes deposits → bank:<seller> (exchange practice compensates the seller);
 * - an award becomes a trade row (venue 'listing') and opens the transfer workflow through the same
 *   opener the book uses, with the winner's deposit held for the transfer (it counts first towards
 *   the price, and the transfer moves it at payment, forfeit or refund): `deposit_applied` books nothing here.
 * - the listed units: from submission until the listing ends they sit in the seller's `on_offer`
 *   (`holdsUnits`); the award converts them into the transfer's reservation.
 * - a failed listing transfer reopens its listing (`reopenListingAfterTransfer`, called by the
 *   transfer's effects in the transfer's transaction).
 * A completed transfer leaves the listing `awarded`, which is final (README: awarded → [*]).
 */
import { summariseTrades } from '../market-data/market-summary';
import crypto from 'node:crypto';
import type { Db, DbEngine, Tx } from '../../db/database';
import { WorkingDayCalendar } from '../../shared/calendar';
import { appendAudit } from '../audit/audit-log';
import { fundStream } from '../audit/streams';
import type { TradeRow } from '../../db/schema';
import { Dec, HUNDRED, Rounding, ZERO, type Decimal } from '../../shared/decimal';
import { navAttributable, navPerCommitment } from '../../shared/nav';
import { iso } from '../clock/clock';
import { AppError } from '../commands/errors';
import { findPosition } from '../positions/positions.service';
import { enforce } from '../rules/enforce';
import { sellableVerdict } from '../../shared/rules';
import { findFund, latestNavReport } from '../funds/funds.repository';
import { bankAccount, DEPOSITS, postCash } from '../ledger/ledger';
import type { TradeListener } from '../orders/book-effects';
import { decide, type Actor, type AwardedTrade, type Listing, type ListingEvent, type ListingState } from './domain';
import { findListing, updateListing } from './listings.repository';
import { fundLock, lockInOrder } from '../commands/locks';

/** The latest NAV report's figures: amounts come from the fund's NAV and total commitment; the NAV per commitment is shown. */
export interface NavBasis {
  fundNav: Decimal;
  totalCommitment: Decimal;
  perCommitment: Decimal;
  referenceDate: string;
}

/** The fund's latest NAV per yuan of commitment, or null when no NAV was published. */
export async function navBasis(db: Db | Tx, fundId: string): Promise<NavBasis | null> {
  const fund = await findFund(db, fundId);
  const nav = await latestNavReport(db, fundId);
  if (!fund || !nav) return null;
  const fundNav = new Dec(nav.nav);
  const totalCommitment = new Dec(fund.totalCommitment);
  return { fundNav, totalCommitment, perCommitment: navPerCommitment(fundNav, totalCommitment), referenceDate: nav.referenceDate };
}

export const navOfQuantity = (basis: NavBasis | null, quantity: string): string | null =>
  basis ? navAttributable(basis.fundNav, basis.totalCommitment, new Dec(quantity)).toFixed(2) : null;

export async function applyListingEffects(
  trx: Tx,
  events: readonly ListingEvent[],
  openTransfer: TradeListener,
  sellerOrgId: string,
): Promise<{ trades: TradeRow[] }> {
  const trades: TradeRow[] = [];
  for (const e of events) {
    if (e.type === 'deposit_confirmed') {
      await postCash(trx, {
        reason: 'listing_deposit',
        reference: `${e.listingId}:${e.bankRef}`,
        at: iso(e.at),
        legs: [
          { account: bankAccount(e.orgId), amount: new Dec('0').minus(e.amount) },
          { account: DEPOSITS, amount: new Dec(e.amount) },
        ],
      });
    } else if (e.type === 'deposit_refund_due') {
      await moveDeposit(
        trx,
        e.amount,
        bankAccount(e.orgId),
        'listing_deposit_refund',
        `${e.listingId}:${e.orgId}:due ${e.dueDate}${e.provisional ? ' (provisional)' : ''}`,
        e.at,
      );
    } else if (e.type === 'deposit_forfeited') {
      await moveDeposit(trx, e.amount, bankAccount(sellerOrgId), `listing_deposit_forfeit:${e.reason}`, `${e.listingId}:${e.orgId}`, e.at);
    } else if (e.type === 'listing_awarded') {
      trades.push(await recordTrade(trx, e.trade, openTransfer));
    }
  }
  return { trades };
}

async function moveDeposit(trx: Tx, amount: string, to: string, reason: string, reference: string, atMs: number): Promise<void> {
  await postCash(trx, {
    reason,
    reference,
    at: iso(atMs),
    legs: [
      { account: DEPOSITS, amount: new Dec('0').minus(amount) },
      { account: to, amount: new Dec(amount) },
    ],
  });
}

async function recordTrade(trx: Tx, a: AwardedTrade, openTransfer: TradeListener): Promise<TradeRow> {
  const fund = await findFund(trx, a.fundId);
  const basis = await navBasis(trx, a.fundId);
  if (!fund || !basis) throw new Error(`fund ${a.fundId} has no NAV: a listing trade needs one`);
  const nav = new Dec(navOfQuantity(basis, a.quantity)!);
  const pricePct = new Dec(a.price).times(HUNDRED).div(nav).round(2, Rounding.HALF_UP).toFixed(2);
  const trade: TradeRow = {
    id: crypto.randomUUID(),
    fundId: a.fundId,
    venue: 'listing',
    pricePct,
    quantity: a.quantity,
    consideration: new Dec(a.price).toFixed(2),
    navPerCommitment: basis.perCommitment.toFixed(8),
    navReferenceDate: basis.referenceDate,
    buyOrderId: null,
    sellOrderId: null,
    buyerOrgId: a.buyerOrgId,
    sellerOrgId: a.sellerOrgId,
    listingId: a.listingId,
    transferId: null,
    fundSeq: null,
    executedAt: iso(a.awardedAt),
  };
  await trx.insertInto('trades').values(trade).execute();
  await summariseTrades(trx, [trade]);
  // The seller's units were moved from on_offer to reserved by applyUnitHold (the listing became awarded).
  const { managerName: _m, ...fundRow } = fund;
  // The listing's payment terms go with the trade: instalments where it allowed them.
  const instalments = (await findListing(trx, a.listingId))?.listing.instalments ?? null;
  const transferId = await openTransfer(trx, trade, fundRow, { depositHeld: new Dec(a.depositApplied).toFixed(2), instalments });
  await trx.updateTable('trades').set({ transferId }).where('id', '=', trade.id).execute();
  return { ...trade, transferId };
}

const HOLDING: ReadonlySet<ListingState> = new Set<ListingState>([
  'submitted',
  'reviewed',
  'approved',
  'disclosure',
  'qualification',
  'closed',
  'bidding',
  'bidding_closed',
  'award_pending',
  'suspended',
]);

/** Whether a listing in this state holds its quantity in the seller's on_offer (from submission until it ends or is awarded). */
export const holdsUnits = (state: ListingState): boolean => HOLDING.has(state);

/**
 * Moves the listed quantity as the listing's state changes (caller holds the fund lock, so the
 * position read here is current): into on_offer when the listing starts holding (refused with
 * INSUFFICIENT_POSITION if the seller's unencumbered units fall short), out of it when the listing
 * stops holding, and on award from on_offer into reserved, which the transfer consumes or releases.
 */
export async function applyUnitHold(trx: Tx, before: ListingState, after: Listing): Promise<void> {
  const was = holdsUnits(before),
    is = holdsUnits(after.state);
  if (was === is) return;
  const q = new Dec(after.quantity);
  const p = await findPosition(trx, after.fundId, after.sellerOrgId);
  const where = trx.updateTable('positions').where('fundId', '=', after.fundId).where('orgId', '=', after.sellerOrgId);
  if (is) {
    enforce(sellableVerdict(p, after.quantity));
    if (!p) throw new Error(`listing ${after.id}: no position, yet its units are sellable`);
    await where.set({ onOffer: new Dec(p.onOffer).plus(q).toFixed(2) }).execute();
    return;
  }
  const onOffer = new Dec(p?.onOffer ?? '0').minus(q);
  if (!p || onOffer.lt(ZERO))
    throw new Error(`listing ${after.id}: the seller's on_offer ${p?.onOffer ?? 'missing'} is less than the ${after.quantity} it held`);
  await where
    .set(
      after.state === 'awarded'
        ? { onOffer: onOffer.toFixed(2), reserved: new Dec(p.reserved).plus(q).toFixed(2) }
        : { onOffer: onOffer.toFixed(2) },
    )
    .execute();
}

const TRANSFER_WORKFLOW: Actor = { userId: 'system:transfer-workflow', orgId: 'system', roles: ['operator'] };

/**
 * The transfer opened by a listing's award failed (`listing_reopened`): the listing goes back to
 * closed/no_buyer with the award marked defaulted, through the domain's record_default path. The
 * winner's deposit is not moved: the transfer already forfeited or refunded it. Runs in the
 * transfer's transaction, which holds the fund and audit locks already (taken again here: reentrant).
 * Idempotent: a listing no longer awarded (or already defaulted) is left as it is.
 */
export async function reopenListingAfterTransfer(
  trx: Tx,
  engine: Pick<DbEngine, 'lock'>,
  p: { listingId: string; transferId: string; reason: 'not_signed' | 'paid_late'; nowIso: string; calendar: WorkingDayCalendar },
): Promise<boolean> {
  const found = await findListing(trx, p.listingId);
  if (!found || found.listing.state !== 'awarded' || !found.listing.award || found.listing.award.defaultedAt !== null) return false;
  await lockInOrder(engine, trx, fundLock(found.listing.fundId));
  const now = Date.parse(p.nowIso);
  const r = decide(found.listing, { action: 'record_default', reason: p.reason }, { now, actor: TRANSFER_WORKFLOW, calendar: p.calendar });
  if (!r.ok) throw new Error(`listing ${p.listingId}: cannot reopen after transfer ${p.transferId}: ${r.code} ${r.detail}`);
  const money = r.events.filter((e) => e.type === 'deposit_forfeited' || e.type === 'deposit_refund_due' || e.type === 'deposit_confirmed');
  if (money.length > 0)
    throw new Error(`listing ${p.listingId}: reopening must not move a deposit (${money.map((e) => e.type).join(', ')})`);
  if (!(await updateListing(trx, r.listing, found.version)))
    throw new AppError('CONFLICT', `listing ${p.listingId} changed meanwhile; retry`);
  await applyUnitHold(trx, found.listing.state, r.listing);
  await appendAudit(trx, engine, {
    stream: fundStream(r.listing.fundId),
    at: p.nowIso,
    actorUserId: null,
    actorOrgId: null,
    action: 'listing.reopened',
    entityType: 'listing',
    entityId: r.listing.id,
    payload: { state: r.listing.state, events: r.events, transferId: p.transferId },
  });
  return true;
}
