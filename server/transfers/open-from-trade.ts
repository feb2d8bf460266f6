/**
 * Opens the post-trade transfer for a book trade, in the trade's transaction: the fund's terms, the
 * exchange's fee schedule and the fund's other LPs (for ROFR) are frozen into the transfer when it
 * opens, so a later change of the schedule applies to new transfers only.
 */
import crypto from 'node:crypto';
import type { WorkingDayCalendar } from '../../shared/calendar';
import { Dec } from '../../shared/decimal';
import type { Tx } from '../../db/database';
import type { Fund, TradeRow } from '../../db/schema';
import { openTransfer } from './domain/open';
import { DEFAULT_INSTALMENT_RULES, DEFAULT_STEP_DEADLINES, type FeeSchedule, type TransferTerms } from './domain/params';
import { insertTransfer } from './transfers.repository';
import type { TradeListener } from '../orders/book-effects';

export function termsOf(fund: Fund, fees: FeeSchedule): TransferTerms {
  return {
    rofrEnabled: fund.rofrEnabled === 1,
    rofrWindow: { length: fund.rofrWindowDays, unit: 'calendar_days' },
    gpConsentRequired: fund.gpConsentRequired === 1,
    deadlines: DEFAULT_STEP_DEADLINES,
    fees,
    forfeitTo: 'seller',
    roundTripWorkingDays: fund.roundTripWorkingDays,
  };
}

/** @param fees the exchange's fee schedule (configuration: FEE_SELLER_BPS and the like). */
export function transferOpener(calendar: WorkingDayCalendar, fees: FeeSchedule): TradeListener {
  return async (
    trx: Tx,
    trade: TradeRow,
    fund: Fund,
    opts?: { depositHeld?: string; instalments?: { interestRatePct: string } | null },
  ) => {
    const orgs = await trx
      .selectFrom('organisations')
      .select(['id', 'stateOwned'])
      .where('id', 'in', [trade.sellerOrgId, trade.buyerOrgId])
      .execute();
    const stateOwned = (id: string) => orgs.find((o) => o.id === id)?.stateOwned === 1;
    const holders =
      fund.rofrEnabled === 1
        ? await trx
            .selectFrom('positions')
            .innerJoin('organisations', 'organisations.id', 'positions.orgId')
            .select(['positions.orgId', 'positions.commitment', 'organisations.stateOwned'])
            .where('positions.fundId', '=', fund.id)
            .where('positions.commitment', '!=', '0.00')
            .execute()
        : [];
    // The NAV report the trade was priced on (its reference date is on the trade), and the fund's commitment.
    const report = await trx
      .selectFrom('navReports')
      .select('nav')
      .where('fundId', '=', fund.id)
      .where('referenceDate', '=', trade.navReferenceDate)
      .orderBy('publishedAt', 'desc')
      .executeTakeFirst();
    if (!report) throw new Error(`trade ${trade.id}: no NAV report of ${fund.id} dated ${trade.navReferenceDate}`);
    const figures = {
      navPerCommitment: trade.navPerCommitment,
      fundNav: new Dec(report.nav).toFixed(2),
      totalCommitment: new Dec(fund.totalCommitment).toFixed(2),
    };
    const { transfer } = openTransfer(
      {
        id: crypto.randomUUID(),
        tradeId: trade.id,
        venue: trade.venue,
        listingId: trade.listingId,
        fundId: fund.id,
        seller: { orgId: trade.sellerOrgId, stateOwned: stateOwned(trade.sellerOrgId) },
        buyer: { orgId: trade.buyerOrgId, stateOwned: stateOwned(trade.buyerOrgId) },
        gpOrgId: fund.managerOrgId,
        lotSize: new Dec(fund.lotSize).toFixed(0),
        quantity: trade.quantity,
        // A book trade is priced in percent of NAV; a listing award is an absolute amount for the whole
        // listing, kept exact (its percent of NAV is only shown, rounded).
        pricing:
          trade.venue === 'listing'
            ? { basis: 'total_amount', amount: trade.consideration, ...figures }
            : { basis: 'pct_of_nav', pricePct: trade.pricePct, ...figures },
        tradeExecutedAt: trade.executedAt,
        terms: {
          ...termsOf(fund, fees),
          // The exchange's instalment rules with the listing's rate, when the listing allowed instalments.
          ...(opts?.instalments ? { instalments: { ...DEFAULT_INSTALMENT_RULES, interestRatePct: opts.instalments.interestRatePct } } : {}),
        },
        ...(opts?.depositHeld ? { depositHeld: opts.depositHeld } : {}),
        rofrHolders: holders.map((h) => ({ orgId: h.orgId, commitment: new Dec(h.commitment).toFixed(0), stateOwned: h.stateOwned === 1 })),
      },
      { now: trade.executedAt, calendar },
    );
    await insertTransfer(trx, transfer);
    return transfer.id;
  };
}
