/**
 * L3: the distribution waterfall, in exact decimals.
 *
 * Tiers, applied to each distribution in turn:
 *  1. return of paid-in capital to the LPs (calls include fees, so fees come back here);
 *  2. preferred return at hurdle h, compounded annually on unreturned capital plus unpaid preference;
 *  3. GP catch-up at rate c until the GP holds k of all profit distributed:
 *     the tier is X = (k·P − G)/(c − k) with P the profit distributed so far and G the GP's carry
 *     (with c = 1 this is valuation.md's (k·P_prev − GP_prev)/(1 − k)); c = 0 means no catch-up;
 *  4. the rest split (1 − k) to the LPs, k to the GP.
 * Timing: all flows at year end; the preference accrues over whole years on the opening balance, and
 * a call earns no preference in its own year. Within one year-end, the call is paid before the
 * distribution is split. GP commitment is 0.
 *
 * Every amount that comes from a multiplication or division is rounded half-up to INTERNAL_SCALE,
 * and the GP's part of a tier is computed first with the LPs taking the exact remainder, so
 * LP + GP = distribution holds exactly, every year.
 */
import { ZERO, min, sum, type Decimal } from '../decimal';
import type { FlowInput } from './fund-model';
import { decimalField, internal, ONE, requireInput } from './numeric';

export interface WaterfallTerms {
  readonly hurdle: Decimal;
  readonly catchUp: Decimal;
  readonly carry: Decimal;
}

export interface FundFlow {
  readonly year: number;
  readonly call: Decimal;
  readonly distribution: Decimal;
}

export interface WaterfallYear extends FundFlow {
  readonly returnOfCapital: Decimal;
  readonly preferred: Decimal;
  /** The GP's part of the catch-up tier. */
  readonly catchUp: Decimal;
  /** The LPs' part of the catch-up tier (0 with a full catch-up, c = 1). */
  readonly lpCatchUp: Decimal;
  readonly lpSplit: Decimal;
  readonly gpSplit: Decimal;
  readonly lpReceived: Decimal;
  readonly gpReceived: Decimal;
}

export interface WaterfallResult {
  readonly years: readonly WaterfallYear[];
  readonly contributed: Decimal;
  readonly distributed: Decimal;
  readonly lpTotal: Decimal;
  readonly gpTotal: Decimal;
  /** Capital not yet returned and preference accrued but unpaid, after the last flow. */
  readonly unreturnedCapital: Decimal;
  readonly unpaidPreference: Decimal;
  /** Where the waterfall stands, to continue it (a hypothetical liquidation on top of the history). */
  readonly state: WaterfallState;
}

/** Bounds on a waterfall's size: a fund lives at most 100 years, a list of flows has at most 1000 rows. */
export const MAX_FLOW_YEAR = 100;
export const MAX_FLOWS = 1000;

export function validateTerms(terms: WaterfallTerms): void {
  const { hurdle, catchUp, carry } = terms;
  requireInput(hurdle.gte(ZERO) && hurdle.lte(ONE), 'hurdle must be between 0 and 1');
  requireInput(carry.gte(ZERO) && carry.lt(ONE), 'carry must be at least 0 and below 1');
  requireInput(catchUp.gte(ZERO) && catchUp.lte(ONE), 'catchUp must be between 0 and 1');
  // With 0 < c ≤ k the GP could never reach k of the profit and tier 3 would never end.
  requireInput(catchUp.eq(ZERO) || catchUp.gt(carry), 'catchUp must be 0 (no catch-up) or greater than carry');
}

function validateFlows(flows: readonly FundFlow[], afterYear: number | null): void {
  requireInput(flows.length <= MAX_FLOWS, `at most ${MAX_FLOWS} flows`);
  let previous = afterYear ?? 0;
  for (const f of flows) {
    requireInput(Number.isInteger(f.year) && f.year >= 0 && f.year <= MAX_FLOW_YEAR, `flow year must be a whole number 0–${MAX_FLOW_YEAR}`);
    requireInput(f.year >= previous, 'flows must be in year order');
    requireInput(f.call.gte(ZERO) && f.distribution.gte(ZERO), `year ${f.year}: calls and distributions must be ≥ 0`);
    previous = f.year;
  }
}

/** Where a waterfall stands after some flows: enough to continue it with later ones. */
export interface WaterfallState {
  readonly unreturnedCapital: Decimal;
  readonly unpaidPreference: Decimal;
  /** P: everything distributed beyond returned capital. */
  readonly profitDistributed: Decimal;
  /** G: the GP's carry so far. */
  readonly gpReceived: Decimal;
  readonly lastYear: number | null;
}

export const WATERFALL_START: WaterfallState = {
  unreturnedCapital: ZERO,
  unpaidPreference: ZERO,
  profitDistributed: ZERO,
  gpReceived: ZERO,
  lastYear: null,
};

/** One year-end: accrue the preference since the last flow, take the call, split the distribution. */
function step(terms: WaterfallTerms, state: WaterfallState, flow: FundFlow): { state: WaterfallState; year: WaterfallYear } {
  const { hurdle, catchUp: c, carry: k } = terms;
  let capital = state.unreturnedCapital;
  let preference = state.unpaidPreference;
  let profit = state.profitDistributed;
  let gp = state.gpReceived;
  if (state.lastYear !== null && flow.year > state.lastYear) {
    const accrual = internal(
      capital.plus(preference).times(
        ONE.plus(hurdle)
          .pow(flow.year - state.lastYear)
          .minus(ONE),
      ),
    );
    preference = preference.plus(accrual);
  }
  capital = capital.plus(flow.call);

  let rest = flow.distribution;
  const returnOfCapital = min(rest, capital);
  capital = capital.minus(returnOfCapital);
  rest = rest.minus(returnOfCapital);

  const preferred = min(rest, preference);
  preference = preference.minus(preferred);
  rest = rest.minus(preferred);
  profit = profit.plus(preferred);

  let gpCatchUp = ZERO;
  let lpCatchUp = ZERO;
  if (c.gt(ZERO) && k.gt(ZERO) && rest.gt(ZERO)) {
    const tier = internal(k.times(profit).minus(gp).div(c.minus(k)));
    if (tier.gt(ZERO)) {
      const paid = min(rest, tier);
      gpCatchUp = internal(paid.times(c));
      lpCatchUp = paid.minus(gpCatchUp);
      gp = gp.plus(gpCatchUp);
      profit = profit.plus(paid);
      rest = rest.minus(paid);
    }
  }

  const gpSplit = internal(rest.times(k));
  const lpSplit = rest.minus(gpSplit);
  gp = gp.plus(gpSplit);
  profit = profit.plus(rest);

  return {
    state: { unreturnedCapital: capital, unpaidPreference: preference, profitDistributed: profit, gpReceived: gp, lastYear: flow.year },
    year: {
      ...flow,
      returnOfCapital,
      preferred,
      catchUp: gpCatchUp,
      lpCatchUp,
      lpSplit,
      gpSplit,
      lpReceived: returnOfCapital.plus(preferred).plus(lpCatchUp).plus(lpSplit),
      gpReceived: gpCatchUp.plus(gpSplit),
    },
  };
}

/**
 * The whole-fund (European) waterfall over year-end flows in year order, from the fund's start or
 * from where an earlier run stopped (`from`, its `state`). Totals cover the given flows only.
 */
export function runEuropeanWaterfall(
  terms: WaterfallTerms,
  flows: readonly FundFlow[],
  from: WaterfallState = WATERFALL_START,
): WaterfallResult {
  validateTerms(terms);
  validateFlows(flows, from.lastYear);
  let state = from;
  const years: WaterfallYear[] = [];
  for (const flow of flows) {
    const next = step(terms, state, flow);
    state = next.state;
    years.push(next.year);
  }
  return {
    years,
    contributed: sum(flows.map((f) => f.call)),
    distributed: sum(flows.map((f) => f.distribution)),
    lpTotal: sum(years.map((y) => y.lpReceived)),
    gpTotal: sum(years.map((y) => y.gpReceived)),
    unreturnedCapital: state.unreturnedCapital,
    unpaidPreference: state.unpaidPreference,
    state,
  };
}

/** Sums flows by year (calls and distributions of the same year-end), in year order. */
export function aggregateFlows(flowLists: readonly (readonly FundFlow[])[]): FundFlow[] {
  const byYear = new Map<number, { call: Decimal; distribution: Decimal }>();
  for (const list of flowLists) {
    for (const f of list) {
      const acc = byYear.get(f.year) ?? { call: ZERO, distribution: ZERO };
      byYear.set(f.year, { call: acc.call.plus(f.call), distribution: acc.distribution.plus(f.distribution) });
    }
  }
  return [...byYear.entries()].sort(([a], [b]) => a - b).map(([year, v]) => ({ year, ...v }));
}

export interface DealFlows {
  readonly id: string;
  readonly flows: readonly FundFlow[];
}

export interface AmericanResult {
  readonly deals: readonly { readonly id: string; readonly result: WaterfallResult }[];
  /** Carry paid deal by deal, before the clawback. */
  readonly gpBeforeClawback: Decimal;
  /** What the whole-fund waterfall on the same flows gives the GP. */
  readonly wholeFundGp: Decimal;
  /** What the GP returns at the end: max(0, deal-by-deal carry − whole-fund carry). */
  readonly clawback: Decimal;
  readonly lpTotal: Decimal;
  readonly gpTotal: Decimal;
  readonly distributed: Decimal;
}

/**
 * American (deal-by-deal) waterfall with a clawback at the end: each deal runs the tiers on its own
 * capital and distributions; at the end the GP gives back whatever it received beyond the
 * whole-fund (European) entitlement on the same flows.
 */
export function runAmericanWaterfall(terms: WaterfallTerms, deals: readonly DealFlows[]): AmericanResult {
  const results = deals.map((d) => ({ id: d.id, result: runEuropeanWaterfall(terms, d.flows) }));
  const gpBeforeClawback = sum(results.map((r) => r.result.gpTotal));
  const wholeFundGp = runEuropeanWaterfall(terms, aggregateFlows(deals.map((d) => d.flows))).gpTotal;
  const clawback = gpBeforeClawback.gt(wholeFundGp) ? gpBeforeClawback.minus(wholeFundGp) : ZERO;
  const distributed = sum(results.map((r) => r.result.distributed));
  const gpTotal = gpBeforeClawback.minus(clawback);
  return { deals: results, gpBeforeClawback, wholeFundGp, clawback, lpTotal: distributed.minus(gpTotal), gpTotal, distributed };
}

export interface HypotheticalLiquidation {
  /** The NAV distributed (a negative NAV distributes nothing: the LPs' liability is limited). */
  readonly liquidationAmount: Decimal;
  /** What the LPs would receive of it. */
  readonly lpValue: Decimal;
  /** The GP's part: carry accrued on the NAV (negative when the GP would owe a clawback). */
  readonly accruedCarry: Decimal;
}

/**
 * The LPs' value of a NAV: the waterfall run as if the NAV were distributed at `year`, on top of the
 * actual history. Whole fund (European). `history` may be the flows or an earlier run over them
 * (a report values several scenarios on the same history).
 */
export function europeanLiquidation(
  terms: WaterfallTerms,
  history: readonly FundFlow[] | WaterfallResult,
  nav: Decimal,
  year: number,
): HypotheticalLiquidation {
  const actual = 'state' in history ? history : runEuropeanWaterfall(terms, history);
  const liquidationAmount = nav.gt(ZERO) ? nav : ZERO;
  const accruedCarry = runEuropeanWaterfall(terms, [{ year, call: ZERO, distribution: liquidationAmount }], actual.state).gpTotal;
  return { liquidationAmount, lpValue: liquidationAmount.minus(accruedCarry), accruedCarry };
}

/**
 * American hypothetical liquidation: each deal distributes its own remaining value at `year`; the
 * rest of the NAV (cash, liabilities, holdings in no deal) goes through the whole-fund flows only.
 * A liquidation ends the fund, so the clawback settles at once: the GP's final entitlement is
 * min(deal-by-deal carry, whole-fund carry), and the accrued carry is that less what the GP has
 * already received deal by deal (negative when the GP owes a clawback).
 */
export function americanLiquidation(
  terms: WaterfallTerms,
  history: readonly FundFlow[],
  deals: readonly (DealFlows & { readonly nav: Decimal })[],
  nav: Decimal,
  year: number,
): HypotheticalLiquidation {
  const liquidationAmount = nav.gt(ZERO) ? nav : ZERO;
  const finalFlow = (amount: Decimal): FundFlow[] => [{ year, call: ZERO, distribution: amount.gt(ZERO) ? amount : ZERO }];
  const dealRuns = deals.map((d) => ({ deal: d, actual: runEuropeanWaterfall(terms, d.flows) }));
  const gpAlready = sum(dealRuns.map((r) => r.actual.gpTotal));
  const gpDealByDeal = gpAlready.plus(sum(dealRuns.map((r) => runEuropeanWaterfall(terms, finalFlow(r.deal.nav), r.actual.state).gpTotal)));
  const wholeFund = runEuropeanWaterfall(terms, history);
  const gpWholeFund = wholeFund.gpTotal.plus(runEuropeanWaterfall(terms, finalFlow(liquidationAmount), wholeFund.state).gpTotal);
  const accruedCarry = min(gpDealByDeal, gpWholeFund).minus(gpAlready);
  return { liquidationAmount, lpValue: liquidationAmount.minus(accruedCarry), accruedCarry };
}

/** Year-end flows from their JSON form; a missing call or distribution is 0. */
export function parseFlowInputs(flows: readonly FlowInput[], field: string): FundFlow[] {
  return flows.map((f, i) => ({
    year: f.year,
    call: f.call === undefined ? ZERO : decimalField(f.call, `${field}[${i}].call`),
    distribution: f.distribution === undefined ? ZERO : decimalField(f.distribution, `${field}[${i}].distribution`),
  }));
}
