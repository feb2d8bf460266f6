/**
 * L2: the fund's adjusted NAV at the valuation date, two ways.
 *
 *   roll-forward  NAV_adj = NAV_reported + calls since report − distributions since report
 *                           + mark changes (holdings re-marked since the report)
 *   bottom-up     NAV     = Σ holdings' fair values + cash − liabilities
 *
 * The settings choose which is the base; the report always shows both and their difference, so a
 * reader sees whether the GP's report and the holding-level marks agree. Exact decimals throughout.
 */
import { HUNDRED, Rounding, YUAN_SCALE, ZERO, sum, type Decimal } from '../decimal';
import type { HoldingValuation } from './holdings';

export interface NavRollForwardInput {
  readonly reportedNav: Decimal;
  readonly callsSinceReport: Decimal;
  readonly distributionsSinceReport: Decimal;
  readonly holdings: readonly HoldingValuation[];
  readonly cash: Decimal;
  readonly liabilities: Decimal;
}

export interface FundNav {
  readonly reportedNav: Decimal;
  readonly callsSinceReport: Decimal;
  readonly distributionsSinceReport: Decimal;
  /** Σ (fair value − reported value) over holdings whose reported value is known. */
  readonly markChanges: Decimal;
  readonly rolledForward: Decimal;
  readonly holdingsFairValue: Decimal;
  readonly cash: Decimal;
  readonly liabilities: Decimal;
  readonly bottomUp: Decimal;
  /** bottom-up − rolled forward: what the report's marks do not explain. */
  readonly reconciliationDifference: Decimal;
}

export function fundNav(input: NavRollForwardInput): FundNav {
  const markChanges = sum(input.holdings.filter((h) => h.reportedValue !== null).map((h) => h.fairValue.minus(h.reportedValue!)));
  const rolledForward = input.reportedNav.plus(input.callsSinceReport).minus(input.distributionsSinceReport).plus(markChanges);
  const holdingsFairValue = sum(input.holdings.map((h) => h.fairValue));
  const bottomUp = holdingsFairValue.plus(input.cash).minus(input.liabilities);
  return {
    reportedNav: input.reportedNav,
    callsSinceReport: input.callsSinceReport,
    distributionsSinceReport: input.distributionsSinceReport,
    markChanges,
    rolledForward,
    holdingsFairValue,
    cash: input.cash,
    liabilities: input.liabilities,
    bottomUp,
    reconciliationDifference: bottomUp.minus(rolledForward),
  };
}

export interface SettlementInput {
  /** Agreed price as percent of the reference NAV, e.g. 87.5 for "87.50". */
  readonly pricePct: Decimal;
  /** NAV of the traded share at the reference date. */
  readonly referenceNav: Decimal;
  /** Calls the seller paid on the share after the reference date. */
  readonly callsSinceReference: Decimal;
  /** Distributions the seller received on the share after the reference date. */
  readonly distributionsSinceReference: Decimal;
}

/**
 * Secondary settlement dollar for dollar:
 *   payment = pct × NAV_ref + calls paid by the seller since − distributions received since,
 * rounded half-up to the fen once, at the end.
 */
export function settlementPayment(input: SettlementInput): Decimal {
  return input.pricePct
    .times(input.referenceNav)
    .div(HUNDRED)
    .plus(input.callsSinceReference)
    .minus(input.distributionsSinceReference)
    .round(YUAN_SCALE, Rounding.HALF_UP);
}

/**
 * Percent of NAV of an amount (for display): amount / nav × 100, at `scale` places half-up; null
 * when the NAV is not positive. A % of a zero NAV does not exist, and one of a negative NAV flips
 * its sign (a price of 318,010.92 on a NAV of −5 would read −6,360,218%, its "discount" +6,360,318%),
 * so no percent (nor any discount derived from it) is given at all.
 */
export function pctOf(amount: Decimal, nav: Decimal, scale: number): Decimal | null {
  if (!nav.gt(ZERO)) return null;
  return amount.times(HUNDRED).div(nav).round(scale, Rounding.HALF_UP);
}
