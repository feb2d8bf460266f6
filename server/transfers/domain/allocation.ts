/**
 * Who ends up buying what: the ROFR pro-rata rule in whole lots, and each leg's consideration.
 *
 * ROFR (Partnership Law art. 73; the fund's agreement):
 *   - nobody exercises: the trade's buyer takes the whole quantity;
 *   - exactly one LP exercises: it replaces the buyer for the WHOLE quantity, at the same price and terms;
 *   - two or more exercise: they share the quantity pro rata to their commitments in the fund, in whole
 *     lots rounded DOWN (the exchange never allocates more than exists); the remainder lots (fewer than
 *     the number of exercisers) stay with the trade's buyer at the same price. An exerciser whose share
 *     rounds down to zero lots gets no leg.
 * Lots are integers (the branded `Lots`), so the arithmetic is exact; the pro-rata division is done
 * in decimals and rounded down explicitly.
 */
import {
  Dec,
  HUNDRED,
  Rounding,
  YUAN_SCALE,
  ZERO,
  formatPct,
  formatYuan,
  lotsToQuantity,
  min,
  parseDecimal,
  parsePct,
  parseQuantity,
  parseYuan,
  sum,
  type Decimal,
  type Lots,
} from '../../../shared/decimal';
import { consideration, navAttributable } from '../../../shared/nav';
import { invariant } from './results';
import type { Allocation, NavFigures, Pricing } from './types';

export interface LegLots {
  readonly buyerOrgId: string;
  readonly source: 'buyer' | 'rofr';
  readonly stateOwned: boolean;
  readonly lots: Lots;
}

export interface Exerciser {
  readonly orgId: string;
  /** Whole yuan of commitment in the fund: the pro-rata key. */
  readonly commitment: string;
  readonly stateOwned: boolean;
}

/** Splits `totalLots` between the exercisers and the trade's buyer by the rule above. Legs in exerciser order, the buyer last. */
export function allocateLots(
  totalLots: Lots,
  buyer: { readonly orgId: string; readonly stateOwned: boolean },
  exercisers: readonly Exerciser[],
): LegLots[] {
  invariant(Number.isInteger(totalLots) && totalLots > 0, `total lots must be a positive integer, got ${totalLots}`);
  if (exercisers.length === 0) return [{ buyerOrgId: buyer.orgId, source: 'buyer', stateOwned: buyer.stateOwned, lots: totalLots }];
  if (exercisers.length === 1) {
    const only = exercisers[0]!;
    return [{ buyerOrgId: only.orgId, source: 'rofr', stateOwned: only.stateOwned, lots: totalLots }];
  }
  const weights = exercisers.map((e) => parseQuantity(e.commitment));
  const whole = sum(weights);
  const total = new Dec(String(totalLots));
  const legs: LegLots[] = [];
  let allocated = 0;
  exercisers.forEach((e, i) => {
    const share = total.times(weights[i]!).div(whole).round(0, Rounding.DOWN);
    const lots = Number(share.toFixed(0)) as Lots;
    allocated += lots;
    if (lots > 0) legs.push({ buyerOrgId: e.orgId, source: 'rofr', stateOwned: e.stateOwned, lots });
  });
  const remainder = (totalLots - allocated) as Lots;
  invariant(remainder >= 0 && remainder < exercisers.length, `remainder ${remainder} out of range`);
  if (remainder > 0) legs.push({ buyerOrgId: buyer.orgId, source: 'buyer', stateOwned: buyer.stateOwned, lots: remainder });
  return legs;
}

/**
 * Splits a non-negative amount in yuan across weights so that the parts sum to it exactly: each part
 * is its exact share rounded DOWN to the fen, and the fens left over go one each to the largest
 * remainders (ties to the earlier part). Every part is within a fen of its exact share and never negative.
 * (Preferred to "half-up and the last part takes the remainder", which can push the last part below
 * zero when many parts each round up.)
 */
export function apportion(total: Decimal, weights: readonly Decimal[]): Decimal[] {
  invariant(weights.length > 0, 'apportion needs at least one weight');
  invariant(
    total.gte(ZERO) && total.eq(total.round(YUAN_SCALE, Rounding.DOWN)),
    `apportion total must be whole fen >= 0: ${total.toString()}`,
  );
  const whole = sum(weights);
  invariant(whole.gt(ZERO) && weights.every((w) => w.gte(ZERO)), 'apportion weights must be >= 0 with a positive sum');
  const exact = weights.map((w) => total.times(w).div(whole));
  const parts = exact.map((x) => x.round(YUAN_SCALE, Rounding.DOWN));
  const fen = new Dec('0.01');
  const leftoverFen = Number(total.minus(sum(parts)).div(fen).toFixed(0));
  invariant(leftoverFen >= 0 && leftoverFen <= weights.length, 'apportion leftover out of range');
  const byRemainder = exact
    .map((x, i) => ({ i, rest: x.minus(parts[i]!) }))
    .sort((a, b) => (b.rest.cmp(a.rest) !== 0 ? b.rest.cmp(a.rest) : a.i - b.i));
  for (let k = 0; k < leftoverFen; k++) {
    const i = byRemainder[k]!.i;
    parts[i] = parts[i]!.plus(fen);
  }
  return parts;
}

/** The fund's NAV and total commitment, when the transfer recorded them. */
const fundFigures = (f: NavFigures) =>
  f.fundNav !== undefined && f.totalCommitment !== undefined ? { nav: parseYuan(f.fundNav), total: parseYuan(f.totalCommitment) } : null;

/** NAV attributable to a quantity, half-up to the fen (see NavFigures for transfers without the fund's figures). */
export function navOfQuantity(f: NavFigures, quantity: string): Decimal {
  const q = parseQuantity(quantity);
  const exact = fundFigures(f);
  return exact ? navAttributable(exact.nav, exact.total, q) : parseDecimal(f.navPerCommitment).times(q).round(YUAN_SCALE, Rounding.HALF_UP);
}

/**
 * The consideration of the whole trade before any ROFR: price% × NAV attributable to the quantity (shared/nav.ts), or the awarded
 * amount.
 */
export function tradeConsideration(pricing: Pricing, quantity: string): Decimal {
  if (pricing.basis === 'total_amount') return parseYuan(pricing.amount);
  const pct = parsePct(pricing.pricePct);
  const q = parseQuantity(quantity);
  const exact = fundFigures(pricing);
  return exact
    ? consideration(pct, exact.nav, exact.total, q)
    : pct.times(parseDecimal(pricing.navPerCommitment)).times(q).div(HUNDRED).round(YUAN_SCALE, Rounding.HALF_UP);
}

/**
 * Prices the legs at the trade's price and terms.
 *   pct_of_nav:   each leg = price% × NAV attributable to the leg quantity, half-up to the fen (as a trade of
 *                 that quantity would be). The legs' sum may differ from the undivided trade by at most a
 *                 fen per extra leg; the transfer's consideration is the legs' sum.
 *   total_amount: the awarded amount is apportioned by quantity (see `apportion`), so the legs sum to it exactly.
 * The buyer's listing deposit counts first toward the buyer's own leg, up to that leg's consideration.
 */
export function priceLegs(
  pricing: Pricing,
  lotSize: string,
  legs: readonly LegLots[],
  depositHeld: string,
  buyerOrgId: string,
): Allocation[] {
  const lot = parseQuantity(lotSize);
  const quantities = legs.map((l) => lotsToQuantity(l.lots, lot));
  let considerations: Decimal[];
  if (pricing.basis === 'pct_of_nav') {
    considerations = quantities.map((q) => tradeConsideration(pricing, q));
  } else {
    considerations = apportion(
      parseYuan(pricing.amount),
      quantities.map((q) => new Dec(q)),
    );
  }
  const deposit = parseYuan(depositHeld);
  return legs.map((l, i) => {
    const c = considerations[i]!;
    const applied = l.source === 'buyer' && l.buyerOrgId === buyerOrgId ? min(deposit, c) : ZERO;
    return {
      buyerOrgId: l.buyerOrgId,
      source: l.source,
      stateOwned: l.stateOwned,
      lots: l.lots,
      quantity: quantities[i]!,
      consideration: formatYuan(c),
      depositApplied: formatYuan(applied),
      payment: null,
    };
  });
}

/**
 * The price as a percent of NAV, for display and the trades feed: the book price itself, or for an
 * awarded amount the implied percent, amount × 100 / NAV attributable to the quantity, half-up to 0.01.
 */
export function pricePctOf(pricing: Pricing, quantity: string): string {
  if (pricing.basis === 'pct_of_nav') return formatPct(parsePct(pricing.pricePct));
  const nav = navOfQuantity(pricing, quantity);
  invariant(nav.gt(ZERO), 'NAV must be positive to imply a percent');
  return formatPct(parseYuan(pricing.amount).times(HUNDRED).div(nav), Rounding.HALF_UP);
}

export const totalConsideration = (allocations: readonly Allocation[]): string =>
  formatYuan(sum(allocations.map((a) => parseYuan(a.consideration))));
