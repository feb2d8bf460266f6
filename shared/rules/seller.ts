/**
 * What a holder may sell: its sellable units (position − on offer − reserved − pledged), then the
 * round-trip rule. Every venue that takes units out of a holding (orders, listings, transfers,
 * pledges) asks here.
 */
import { Dec, max, ZERO, type Decimal } from '../decimal';
import type { WorkingDayCalendar } from '../calendar';
import { type FundRules, roundTripAllowedFrom } from './buyer';
import { ALLOWED, refusal, type Verdict } from './verdict';

export interface HoldingFacts {
  /** Commitment held (decimal strings, whole yuan). */
  readonly commitment: string;
  /** On offer: open sell orders and listings holding units. */
  readonly onOffer: string;
  /** Reserved for transfers under way. */
  readonly reserved: string;
  /** Held by registered (or requested) pledges. */
  readonly pledged: string;
}

/** Units an organisation can still sell, list, transfer or pledge: position − on offer − reserved − pledged, never below 0. */
export function sellableUnits(p: HoldingFacts | undefined): Decimal {
  if (!p) return ZERO;
  return max(ZERO, new Dec(p.commitment).minus(p.onOffer).minus(p.reserved).minus(p.pledged));
}

export function sellableVerdict(p: HoldingFacts | undefined, quantity: string): Verdict {
  const available = sellableUnits(p);
  if (available.gte(quantity)) return ALLOWED;
  return refusal(
    'INSUFFICIENT_POSITION',
    `the sellable commitment is ${available.toFixed(0)}, less than the ${new Dec(quantity).toFixed(0)} requested`,
    {
      available: available.toFixed(0),
      requested: new Dec(quantity).toFixed(0),
    },
  );
}

export function sellerRoundTripVerdict(
  lastBoughtOn: string | null,
  tradeDate: string,
  fund: FundRules,
  calendar: WorkingDayCalendar,
): Verdict {
  const allowedFrom = roundTripAllowedFrom(lastBoughtOn, tradeDate, fund.roundTripWorkingDays, calendar);
  if (allowedFrom === null) return ALLOWED;
  return refusal(
    'ROUND_TRIP_TOO_SOON',
    `the seller bought this fund's share on ${lastBoughtOn}; selling it is ` +
      `allowed from ${allowedFrom} (${fund.roundTripWorkingDays} working days later)`,
    { allowedFrom, workingDays: String(fund.roundTripWorkingDays) },
  );
}
