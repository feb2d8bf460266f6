/**
 * Facts the pure domain core needs from the database, read in the command's transaction:
 * eligibility for the operator's review and the seller's position for registration. The rules are
 * in domain/eligibility.ts and domain/settlement.ts; only the reading is here.
 */
import { Dec, ZERO, formatQuantity } from '../../shared/decimal';
import { beijingDate } from '../../shared/calendar';
import type { Db, Tx } from '../../db/database';
import { isQualifiedAt } from '../qualifications/qualification-rules';
import { qualificationRecordsOf } from '../qualifications/qualification-records';
import type { BuyerFacts, EligibilityFacts, SellerPosition, Transfer } from './domain';

/** Transfers that ended without moving units: their trades never made anyone acquire or dispose. */
const UNDONE_STATES = ['refused', 'rejected', 'failed'];

const dateOf = (isoInstant: string | null | undefined): string | null => (isoInstant ? beijingDate(Date.parse(isoInstant)) : null);
const latest = (...dates: (string | null)[]): string | null => dates.reduce<string | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null);

/** Qualified investor: a record valid at `nowIso` (at or above its thresholds, qualified on or before, expiring after). */
async function isQualified(db: Db | Tx, orgId: string, nowIso: string): Promise<boolean> {
  return isQualifiedAt(await qualificationRecordsOf(db, orgId), nowIso);
}

/**
 * The last Beijing date `orgId` acquired (side 'buyer') or disposed of (side 'seller') a share of the
 * fund: the later of the position's own record (ownership changes) and its other trades whose
 * transfers were not undone, executed no later than this transfer's trade.
 */
async function lastTradedOn(db: Db | Tx, t: Transfer, orgId: string, side: 'buyer' | 'seller'): Promise<string | null> {
  const pos = await db.selectFrom('positions').select(['lastBoughtAt', 'lastSoldAt']).where('fundId', '=', t.fundId).where('orgId', '=', orgId).executeTakeFirst();
  const column = side === 'buyer' ? 'trades.buyerOrgId' : 'trades.sellerOrgId';
  const trade = await db.selectFrom('trades').leftJoin('transfers', 'transfers.id', 'trades.transferId').select('trades.executedAt')
    .where('trades.fundId', '=', t.fundId).where(column, '=', orgId).where('trades.id', '!=', t.tradeId)
    .where('trades.executedAt', '<=', t.tradeExecutedAt)
    .where((eb) => eb.or([eb('transfers.state', 'is', null), eb('transfers.state', 'not in', UNDONE_STATES)]))
    .orderBy('trades.executedAt', 'desc').limit(1).executeTakeFirst();
  return latest(dateOf(side === 'buyer' ? pos?.lastBoughtAt : pos?.lastSoldAt), dateOf(trade?.executedAt));
}

export async function eligibilityFacts(db: Db | Tx, t: Transfer, nowIso: string): Promise<EligibilityFacts> {
  const fund = await db.selectFrom('funds').select(['investorCap', 'minHolding']).where('id', '=', t.fundId).executeTakeFirstOrThrow();
  const holders = await db.selectFrom('positions').select(['orgId', 'commitment']).where('fundId', '=', t.fundId).where('commitment', '!=', '0.00').execute();
  const holding = new Set(holders.map((h) => h.orgId));
  const buyers: BuyerFacts[] = [];
  for (const leg of t.allocations) {
    const held = holders.find((h) => h.orgId === leg.buyerOrgId)?.commitment ?? '0';
    buyers.push({
      orgId: leg.buyerOrgId, qualified: await isQualified(db, leg.buyerOrgId, nowIso),
      lastDisposedOn: await lastTradedOn(db, t, leg.buyerOrgId, 'seller'), heldBefore: new Dec(held).toFixed(0),
    });
  }
  const newcomers = new Set(t.allocations.map((a) => a.buyerOrgId).filter((id) => !holding.has(id))).size;
  const seller = holders.find((h) => h.orgId === t.sellerOrgId);
  const sellsOut = seller !== undefined && new Dec(seller.commitment).eq(new Dec(t.quantity));
  return {
    buyers,
    investorCountAfter: holding.size + newcomers - (sellsOut ? 1 : 0),
    minHolding: new Dec(fund.minHolding).toFixed(0),
    investorCap: fund.investorCap,
    sellerLastAcquiredOn: await lastTradedOn(db, t, t.sellerOrgId, 'buyer'),
  };
}

/** The seller's current position in the fund (whole yuan of commitment, paid-in to the fen). */
export async function sellerPositionOf(db: Db | Tx, t: Transfer): Promise<SellerPosition> {
  const p = await db.selectFrom('positions').select(['commitment', 'paidIn']).where('fundId', '=', t.fundId).where('orgId', '=', t.sellerOrgId).executeTakeFirst();
  const commitment = new Dec(p?.commitment ?? '0');
  return { commitment: commitment.gt(ZERO) ? formatQuantity(commitment) : '0', paidIn: new Dec(p?.paidIn ?? '0').toFixed(2) };
}
