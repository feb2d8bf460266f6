/**
 * Facts the pure domain core needs from the database, read in the command's transaction:
 * eligibility for the operator's review and the seller's position for registration. The rules are
 * in domain/eligibility.ts and domain/settlement.ts; only the reading is here.
 */
import { Dec, ZERO, formatQuantity } from '../../shared/decimal';
import type { Db, Tx } from '../../db/database';
import { readBuyerFacts, readFundRules, readSellerFacts } from '../rules/facts';
import type { BuyerFacts, EligibilityFacts, SellerPosition, Transfer } from './domain';

/**
 * The rulebook's facts about this transfer's parties (server/rules/facts.ts, the reader every venue
 * uses), as of its trade: trades after it, and the trade itself, are not earlier trades.
 */
export async function eligibilityFacts(db: Db | Tx, t: Transfer, nowIso: string): Promise<EligibilityFacts> {
  const before = { tradeId: t.tradeId, executedAt: t.tradeExecutedAt };
  const fund = await readFundRules(db, t.fundId);
  const holders = await db
    .selectFrom('positions')
    .select(['orgId', 'commitment'])
    .where('fundId', '=', t.fundId)
    .where('commitment', '!=', '0.00')
    .execute();
  const holding = new Set(holders.map((h) => h.orgId));
  const buyers: BuyerFacts[] = [];
  for (const leg of t.allocations) {
    const f = await readBuyerFacts(db, t.fundId, leg.buyerOrgId, null, nowIso, { before });
    buyers.push({ orgId: leg.buyerOrgId, qualified: f.qualified, lastDisposedOn: f.lastSoldOn, heldBefore: new Dec(f.holding).toFixed(0) });
  }
  const newcomers = new Set(t.allocations.map((a) => a.buyerOrgId).filter((id) => !holding.has(id))).size;
  const seller = holders.find((h) => h.orgId === t.sellerOrgId);
  const sellsOut = seller !== undefined && new Dec(seller.commitment).eq(new Dec(t.quantity));
  return {
    buyers,
    investorCountAfter: holding.size + newcomers - (sellsOut ? 1 : 0),
    minHolding: new Dec(fund.minHolding).toFixed(0),
    investorCap: fund.investorCap,
    sellerLastAcquiredOn: (await readSellerFacts(db, t.fundId, t.sellerOrgId, { before })).lastBoughtOn,
  };
}

/** The seller's current position in the fund (whole yuan of commitment, paid-in to the fen). */
export async function sellerPositionOf(db: Db | Tx, t: Transfer): Promise<SellerPosition> {
  const p = await db
    .selectFrom('positions')
    .select(['commitment', 'paidIn'])
    .where('fundId', '=', t.fundId)
    .where('orgId', '=', t.sellerOrgId)
    .executeTakeFirst();
  const commitment = new Dec(p?.commitment ?? '0');
  return { commitment: commitment.gt(ZERO) ? formatQuantity(commitment) : '0', paidIn: new Dec(p?.paidIn ?? '0').toFixed(2) };
}
