/**
 * The operator's review checks (domain.md "Operator review and approval"), decided by the rulebook
 * (shared/rules) as for the book and listings: every final buyer is a qualified investor and, when new
 * to the fund, takes at least its minimum holding; the fund stays within its investor cap after the
 * transfer; and the round-trip rule (no selling within N working days of buying the same fund's share,
 * and no buying back within N working days of selling it) holds on the trade's date. The facts come
 * from the database (server/rules/facts.ts). Checked in this order; the first failure is returned.
 */
import { beijingDate, type WorkingDayCalendar } from '../../../shared/calendar';
import {
  buyerRoundTripVerdict,
  investorCapVerdict,
  qualifiedNewcomerVerdict,
  sellerRoundTripVerdict,
  type FundRules,
  type Verdict,
} from '../../../shared/rules';
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

const refused = (v: Verdict): Refused | null => (v.ok ? null : refuse(v.code, v.detail, v.params));

export function checkEligibility(t: Transfer, facts: EligibilityFacts, calendar: WorkingDayCalendar): Refused | null {
  const tradeDate = beijingDate(instantMs(t.tradeExecutedAt));
  const rules: FundRules = {
    minHolding: facts.minHolding,
    investorCap: facts.investorCap,
    roundTripWorkingDays: t.terms.roundTripWorkingDays,
  };
  for (const leg of t.allocations) {
    const buyer = facts.buyers.find((b) => b.orgId === leg.buyerOrgId);
    invariant(buyer, `eligibility facts missing for buyer ${leg.buyerOrgId}`);
    const own = qualifiedNewcomerVerdict({ qualified: buyer.qualified, holding: buyer.heldBefore }, rules, {
      quantity: leg.quantity,
      smallestFill: leg.quantity,
    });
    if (!own.ok) return refuse(own.code, `${leg.buyerOrgId}: ${own.detail}`, own.params);
  }
  const cap = refused(investorCapVerdict(facts.investorCountAfter, facts.investorCap));
  if (cap) return cap;
  const seller = refused(sellerRoundTripVerdict(facts.sellerLastAcquiredOn, tradeDate, rules, calendar));
  if (seller) return seller;
  for (const leg of t.allocations) {
    const buyer = facts.buyers.find((b) => b.orgId === leg.buyerOrgId);
    const back = buyer ? buyerRoundTripVerdict(buyer.lastDisposedOn, tradeDate, rules, calendar) : { ok: true as const };
    if (!back.ok) return refuse(back.code, `${leg.buyerOrgId}: ${back.detail}`, back.params);
  }
  return null;
}
