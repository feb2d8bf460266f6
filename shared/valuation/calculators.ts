/**
 * The three valuation calculators of api.md, exactly: request bodies validated by the schemas in
 * calculator-schemas.ts, answers with every decimal as a string.
 *
 * Decimal places of the answers (half-up):
 *  - discount                      8 decimals, a fraction ("0.20955289" = 20.955289%)
 *  - money (fairValue, call, distribution, nav, paidIn, price, lpTotal, gpTotal, tiers, per LP)
 *                                  6 decimals: finer than the fen, so the check values of
 *                                  valuation.md can be compared and sums re-added by a client
 *  - pctOfNav                      6 decimals, percent ("93.662283"); null when NAV_t0 is not positive
 *  - irr                           echoed as sent
 * Conservation is kept in the rounded figures: gpTotal = round(total distributions) − lpTotal, and
 * the per-LP figures are split by largest remainder so that they add up to the totals.
 */
import { Rounding, ZERO, type Decimal } from '../decimal';
import type { LockupDiscountRequest, ProjectionRequest, WaterfallRequest } from './calculator-schemas';
import { asianLockupDiscount } from './lockup';
import { pctOf } from './nav';
import { decimalField, fromDouble, ONE, requireFinite, toDouble } from './numeric';
import { navAt, priceAt, priceOverflowDetail, project } from './projection';
import { allocateProRata } from './allocation';
import { aggregateFlows, parseFlowInputs, runEuropeanWaterfall } from './waterfall';

export const CALCULATOR_DISCOUNT_DP = 8;
export const CALCULATOR_MONEY_DP = 6;
export const CALCULATOR_PCT_DP = 6;

const money = (d: Decimal): string => d.round(CALCULATOR_MONEY_DP, Rounding.HALF_UP).toFixed(CALCULATOR_MONEY_DP);
const moneyOfDouble = (x: number): string => money(fromDouble(x));

export interface LockupDiscountResponse {
  readonly discount: string;
  readonly fairValue: string;
}

/** AMAC 2017 Asian-option lock-up discount; fairValue = price × (1 − discount as shown). */
export function lockupDiscountCalculator(req: LockupDiscountRequest): LockupDiscountResponse {
  const price = decimalField(req.price, 'price');
  const discount = fromDouble(
    asianLockupDiscount({
      volatility: toDouble(decimalField(req.volatility, 'volatility')),
      lockupYears: toDouble(decimalField(req.years, 'years')),
      dividendYield: req.dividendYield === undefined ? 0 : toDouble(decimalField(req.dividendYield, 'dividendYield')),
    }),
    CALCULATOR_DISCOUNT_DP,
  );
  return { discount: discount.toFixed(CALCULATOR_DISCOUNT_DP), fairValue: money(price.times(ONE.minus(discount))) };
}

export interface ProjectionResponse {
  readonly years: readonly {
    readonly year: number;
    readonly call: string;
    readonly distribution: string;
    readonly nav: string;
    readonly paidIn: string;
  }[];
  readonly prices: readonly { readonly irr: string; readonly price: string; readonly pctOfNav: string | null }[];
}

/** Takahashi–Alexander from inception; prices for a buyer at the end of purchaseYear. */
export function projectionCalculator(req: ProjectionRequest): ProjectionResponse {
  const projection = project({
    commitment: toDouble(decimalField(req.commitment, 'commitment')),
    callRates: req.callRates.map((r, i) => toDouble(decimalField(r, `callRates[${i}]`))),
    lifeYears: req.lifeYears,
    bow: toDouble(decimalField(req.bow, 'bow')),
    growth: toDouble(decimalField(req.growth, 'growth')),
    yieldFloor: toDouble(decimalField(req.yield, 'yield')),
  });
  const navAtPurchase = fromDouble(navAt(projection, req.purchaseYear));
  return {
    years: projection.years.map((y) => ({
      year: y.year,
      call: moneyOfDouble(y.call),
      distribution: moneyOfDouble(y.distribution),
      nav: moneyOfDouble(y.nav),
      paidIn: moneyOfDouble(y.paidIn),
    })),
    prices: req.targetIrrs.map((irr, i) => {
      const rate = toDouble(decimalField(irr, `targetIrrs[${i}]`));
      const price = fromDouble(
        requireFinite(priceAt(projection, rate, req.purchaseYear), () =>
          priceOverflowDetail(`targetIrrs[${i}]`, irr, projection.params.lifeYears - req.purchaseYear),
        ),
      );
      const pct = pctOf(price, navAtPurchase, CALCULATOR_PCT_DP);
      return { irr, price: money(price), pctOfNav: pct === null ? null : pct.toFixed(CALCULATOR_PCT_DP) };
    }),
  };
}

export interface WaterfallResponse {
  readonly lpTotal: string;
  readonly gpTotal: string;
  readonly byYear: readonly {
    readonly year: number;
    readonly returnOfCapital: string;
    readonly preferred: string;
    /** The GP's catch-up. */
    readonly catchUp: string;
    /** The LPs' part of the catch-up tier (0 unless catchUp < 1). */
    readonly lpCatchUp: string;
    readonly lpSplit: string;
    readonly gpSplit: string;
  }[];
  readonly perLp: Readonly<Record<string, { readonly contributed: string; readonly received: string }>>;
}

/**
 * The European waterfall over the given year-end flows (rows of the same year are added together;
 * years need not be sorted). Calls and LP receipts are split between LPs pro rata to commitment.
 */
export function waterfallCalculator(req: WaterfallRequest): WaterfallResponse {
  const terms = {
    hurdle: decimalField(req.hurdle, 'hurdle'),
    catchUp: decimalField(req.catchUp, 'catchUp'),
    carry: decimalField(req.carry, 'carry'),
  };
  const flows = aggregateFlows([parseFlowInputs(req.flows, 'flows')]);
  const result = runEuropeanWaterfall(terms, flows);
  const lpTotal = result.lpTotal.round(CALCULATOR_MONEY_DP, Rounding.HALF_UP);
  const gpTotal = result.distributed.round(CALCULATOR_MONEY_DP, Rounding.HALF_UP).minus(lpTotal);
  const weights = Object.entries(req.commitments).map(([lp, amount]) => [lp, decimalField(amount, `commitments.${lp}`)] as const);
  const contributed = allocateProRata(result.contributed, weights, CALCULATOR_MONEY_DP);
  const received = allocateProRata(lpTotal, weights, CALCULATOR_MONEY_DP);
  // fromEntries defines own properties, so an LP called "__proto__" is just a name.
  const perLp = Object.fromEntries(
    weights.map(([lp]) => [lp, { contributed: money(contributed.get(lp) ?? ZERO), received: money(received.get(lp) ?? ZERO) }]),
  );
  return {
    lpTotal: money(lpTotal),
    gpTotal: money(gpTotal),
    byYear: result.years.map((y) => ({
      year: y.year,
      returnOfCapital: money(y.returnOfCapital),
      preferred: money(y.preferred),
      catchUp: money(y.catchUp),
      lpCatchUp: money(y.lpCatchUp),
      lpSplit: money(y.lpSplit),
      gpSplit: money(y.gpSplit),
    })),
    perLp,
  };
}
