/**
 * Buyer eligibility, checked in this order (the first failure wins):
 *  FORBIDDEN             the user has no buyer role (when the venue knows the user's roles)
 *  BUYER_NOT_QUALIFIED   no qualified-investor record valid at the moment of the decision
 *  BELOW_MIN_HOLDING     a buyer new to the fund would hold less than the fund's minimum (after its smallest fill)
 *  INVESTOR_CAP_REACHED  a buyer new to the fund would take the fund above its cap of investors
 *  ROUND_TRIP_TOO_SOON   the buyer sold this fund's share fewer than N working days before the trade
 */
import { Dec, min } from '../decimal';
import type { WorkingDayCalendar } from '../calendar';
import { ALLOWED, refusal, type Verdict } from './verdict';

/**
 * A qualified-investor assessment: the organisation's net and financial assets, the thresholds in
 * force when it was assessed (stored with it), valid from `qualifiedAt` (inclusive) until `expiresAt`
 * (exclusive), both ISO instants.
 */
export interface QualificationRecord {
  readonly netAssets: string;
  readonly financialAssets: string;
  readonly minNetAssets: string;
  readonly minFinancialAssets: string;
  readonly qualifiedAt: string;
  readonly expiresAt: string;
}

/** Whether the assessed assets meet the thresholds stored with the record. */
export const meetsThresholds = (q: QualificationRecord): boolean =>
  !new Dec(q.netAssets).lt(q.minNetAssets) && !new Dec(q.financialAssets).lt(q.minFinancialAssets);

/** The fund's terms the rules read. */
export interface FundRules {
  /** Whole yuan of commitment a new investor must hold at least. */
  readonly minHolding: string;
  readonly investorCap: number;
  /** Working days between buying and selling (or selling and buying back) the same fund's share; 0: no rule. */
  readonly roundTripWorkingDays: number;
}

export interface BuyerFacts {
  /** The acting user's roles; null where the venue decides about an organisation, not a user (a transfer's buyers). */
  readonly roles: readonly string[] | null;
  /** A qualified-investor record valid at the moment of the decision (isQualifiedAt). */
  readonly qualified: boolean;
  /** Commitment the buyer holds in the fund now (whole yuan, decimal string). */
  readonly holding: string;
  /** Beijing date the buyer last sold a share of this fund (trades not undone), if ever. */
  readonly lastSoldOn: string | null;
}

export interface Acquisition {
  /** Commitment to be acquired. */
  readonly quantity: string;
  /**
   * The least the buyer may end up acquiring: a book order fills in whole lots (the lot size), a
   * listing or a transfer moves its whole quantity.
   */
  readonly smallestFill: string;
  /** Beijing date of the trade the acquisition is (or would be) part of (round-trip rule). */
  readonly tradeDate: string;
  /** Investors of the fund before it: holders with a non-zero commitment. */
  readonly investorsBefore: number;
  /** Places the same trade frees: 1 when its seller sells out (and so leaves the fund). */
  readonly placesFreed: number;
}

/** A record at or above its thresholds, assessed on or before `at` and expiring after it (ISO instants compare as strings). */
export const isQualifiedAt = (records: readonly QualificationRecord[], at: string): boolean =>
  records.some((q) => meetsThresholds(q) && q.qualifiedAt <= at && q.expiresAt > at);

/**
 * The instant until which (exclusive) the organisation stays qualified without a new record, given the
 * records it had at `at`: the latest expiry of the records valid then; null when none is. Records are
 * only ever added, never changed or removed, so the answer never overstates: isQualifiedAt holds at
 * every instant from `at` up to it, whatever is recorded later.
 */
export function qualifiedUntil(records: readonly QualificationRecord[], at: string): string | null {
  let until: string | null = null;
  for (const q of records)
    if (meetsThresholds(q) && q.qualifiedAt <= at && q.expiresAt > at && (until === null || q.expiresAt > until)) until = q.expiresAt;
  return until;
}

/**
 * The round-trip rule: a trade opposite to one the organisation made on `lastOppositeOn` is allowed
 * from the N-th working day after it (counted forward, so a trade years ago costs nothing to count).
 * Returns that first allowed date when `tradeDate` is earlier, else null. A date after the trade's
 * own (a later registration) is not an earlier trade.
 */
export function roundTripAllowedFrom(
  lastOppositeOn: string | null,
  tradeDate: string,
  workingDays: number,
  calendar: WorkingDayCalendar,
): string | null {
  if (workingDays <= 0 || lastOppositeOn === null || lastOppositeOn > tradeDate) return null;
  const allowedFrom = calendar.addWorkingDays(lastOppositeOn, workingDays).date;
  return tradeDate < allowedFrom ? allowedFrom : null;
}

export function investorCapVerdict(investorsAfter: number, cap: number): Verdict {
  return investorsAfter > cap
    ? refusal('INVESTOR_CAP_REACHED', `the fund would have ${investorsAfter} investors, above its cap of ${cap}`, { cap: String(cap) })
    : ALLOWED;
}

/** Qualification and minimum holding of one buyer (the rules each of a transfer's buyers meets on its own). */
export function qualifiedNewcomerVerdict(
  buyer: Pick<BuyerFacts, 'qualified' | 'holding'>,
  fund: Pick<FundRules, 'minHolding'>,
  acq: Pick<Acquisition, 'smallestFill' | 'quantity'>,
): Verdict {
  if (!buyer.qualified) return refusal('BUYER_NOT_QUALIFIED', 'the buyer has no unexpired qualified-investor record');
  if (!new Dec(buyer.holding).eq('0')) return ALLOWED;
  const least = min(new Dec(acq.quantity), new Dec(acq.smallestFill));
  if (least.lt(fund.minHolding)) {
    return refusal(
      'BELOW_MIN_HOLDING',
      `a new investor must hold at least ${new Dec(fund.minHolding).toFixed(0)} of commitment after each fill`,
      {
        minimum: new Dec(fund.minHolding).toFixed(0),
      },
    );
  }
  return ALLOWED;
}

export function buyerRoundTripVerdict(
  lastSoldOn: string | null,
  tradeDate: string,
  fund: FundRules,
  calendar: WorkingDayCalendar,
): Verdict {
  const allowedFrom = roundTripAllowedFrom(lastSoldOn, tradeDate, fund.roundTripWorkingDays, calendar);
  if (allowedFrom === null) return ALLOWED;
  return refusal(
    'ROUND_TRIP_TOO_SOON',
    `the buyer sold this fund's share on ${lastSoldOn}; buying it back is ` +
      `allowed from ${allowedFrom} (${fund.roundTripWorkingDays} working days later)`,
    { allowedFrom, workingDays: String(fund.roundTripWorkingDays) },
  );
}

/** May this buyer acquire `acq` of the fund? (The book and listings: one buyer per decision.) */
export function buyerVerdict(buyer: BuyerFacts, fund: FundRules, acq: Acquisition, calendar: WorkingDayCalendar): Verdict {
  if (buyer.roles !== null && !buyer.roles.includes('buyer')) return refusal('FORBIDDEN', 'buying needs the buyer role');
  const own = qualifiedNewcomerVerdict(buyer, fund, acq);
  if (!own.ok) return own;
  if (new Dec(buyer.holding).eq('0')) {
    const cap = investorCapVerdict(acq.investorsBefore + 1 - acq.placesFreed, fund.investorCap);
    if (!cap.ok) return cap;
  }
  return buyerRoundTripVerdict(buyer.lastSoldOn, acq.tradeDate, fund, calendar);
}
