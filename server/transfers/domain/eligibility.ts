/**
 * The operator's review checks (domain.md "Operator review and approval"): every final buyer is a
 * qualified investor, a buyer new to the fund takes at least its minimum holding (checked at the order
 * too, and again here: the terms or the final buyers may have changed since), the fund stays within
 * its investor cap after the transfer, and the round-trip rule (no selling within N working days of
 * buying the same fund's share, and no buying back within N working days of selling it) holds. The
 * facts come from the database; the rules are here.
 * Checked in this order; the first failure is returned.
 */
import { beijingDate, type WorkingDayCalendar } from '../../../shared/calendar';
import { Dec, ZERO } from '../../../shared/decimal';
import { instantMs } from './deadlines';
import { invariant, refuse, type Refused } from './results';
import type { Transfer } from './types';

export interface BuyerFacts {
  readonly orgId: string;
  /** Qualified investor (合格投资者) with a qualification valid on the review date. */
  readonly qualified: boolean;
  /** Beijing date the buyer last sold a share of this fund, if ever. */
  readonly lastDisposedOn: string | null;
  /** The buyer's commitment in the fund before this transfer (yuan, "0" for a newcomer). */
  readonly heldBefore: string;
}

export interface EligibilityFacts {
  /** One entry per final buyer (allocation) of the transfer. */
  readonly buyers: readonly BuyerFacts[];
  /** Number of investors of the fund once the transfer is registered (new buyers in, a seller selling out leaves). */
  readonly investorCountAfter: number;
  /** A buyer new to the fund takes at least this commitment (yuan; RMB 1,000,000 *(rule)*, a per-fund term). */
  readonly minHolding: string;
  /** 50 for a partnership fund *(rule)*. */
  readonly investorCap: number;
  /** Beijing date the seller last acquired a share of this fund, if ever. */
  readonly sellerLastAcquiredOn: string | null;
}

export function checkEligibility(t: Transfer, facts: EligibilityFacts, calendar: WorkingDayCalendar): Refused | null {
  const tradeDate = beijingDate(instantMs(t.tradeExecutedAt));
  for (const leg of t.allocations) {
    const buyer = facts.buyers.find((b) => b.orgId === leg.buyerOrgId);
    invariant(buyer, `eligibility facts missing for buyer ${leg.buyerOrgId}`);
    if (!buyer.qualified) return refuse('BUYER_NOT_QUALIFIED', `${leg.buyerOrgId} is not a qualified investor`);
    if (new Dec(buyer.heldBefore).eq(ZERO) && new Dec(leg.quantity).lt(new Dec(facts.minHolding))) {
      const detail = `${leg.buyerOrgId} would hold ${leg.quantity}, below the fund's minimum holding of ${facts.minHolding}`;
      return refuse('BELOW_MIN_HOLDING', detail);
    }
  }
  if (facts.investorCountAfter > facts.investorCap) {
    return refuse('INVESTOR_CAP_REACHED', `the fund would have ${facts.investorCountAfter} investors, above its cap of ${facts.investorCap}`, {
      cap: String(facts.investorCap),
    });
  }
  const n = t.terms.roundTripWorkingDays;
  const tooSoon = (since: string | null) => since !== null && since <= tradeDate && calendar.workingDaysBetween(since, tradeDate).days < n;
  if (tooSoon(facts.sellerLastAcquiredOn)) {
    return refuse('ROUND_TRIP_TOO_SOON', `the seller acquired this fund's share on ${facts.sellerLastAcquiredOn}, fewer than ${n} working days before the trade`);
  }
  for (const leg of t.allocations) {
    const buyer = facts.buyers.find((b) => b.orgId === leg.buyerOrgId);
    if (buyer && tooSoon(buyer.lastDisposedOn)) {
      return refuse('ROUND_TRIP_TOO_SOON', `${buyer.orgId} sold this fund's share on ${buyer.lastDisposedOn}, fewer than ${n} working days before the trade`);
    }
  }
  return null;
}
