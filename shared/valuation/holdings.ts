/**
 * L1: fair value of each portfolio holding, with the method that produced it.
 *
 *   listed           close × shares
 *   listed-locked    close × shares × (1 − LoMD)                         (AMAC 2017, Asian option)
 *   unlisted         equity value × ownership × (1 − DLOM)               (AMAC 2018, IPEV)
 *     recent-financing  post-money × calibration
 *     multiple          metric × multiple × adjustment (− net debt for EV multiples)
 *     dcf               Σ FCF_t/(1+r)^t + FCF_N(1+g)/(r−g)/(1+r)^N − net debt
 *     net-assets        net assets × adjustment
 *
 * All money here is big.js; the only doubles are the option discounts, converted in numeric.ts.
 * A negative equity value is floored at zero: a limited-liability stake is worth no less than nothing.
 */
import { Rounding, ZERO, formatYuan, max, type Decimal } from '../decimal';
import { dlomDiscount, parseDlom, type ParsedDlom } from './dlom';
import type { DcfHolding, HoldingInput, HoldingMethod, MultipleHolding } from './fund-model';
import { asianLockupDiscount, lockupYearsBetween } from './lockup';
import { decimalField, fromDouble, internal, MINUS_ONE, ONE, requireInput, toDouble } from './numeric';

export type DiscountModel = 'none' | 'asian-lockup' | 'asian' | 'chaffe' | 'manual';

export interface HoldingValuation {
  readonly id: string;
  readonly name: string;
  readonly method: HoldingMethod;
  /** 100% equity value for unlisted companies; the stake's undiscounted market value for listed ones. */
  readonly equityValue: Decimal;
  /** The fund's fraction of the equity; null for listed stakes, which are priced per share. */
  readonly ownership: Decimal | null;
  readonly discountModel: DiscountModel;
  /** The lock-up discount or DLOM as a fraction. */
  readonly discount: Decimal;
  readonly fairValue: Decimal;
  /** The holding's value in the NAV report, when known (for the roll-forward's mark change). */
  readonly reportedValue: Decimal | null;
  /** Method-specific intermediate figures for the report: money in yuan (2 decimals), factors as given. */
  readonly details: Readonly<Record<string, string>>;
}

/** Shocks that move the fair value for the low/high range; the identity in the base case. */
export interface HoldingShock {
  /** Multiplies listed closing prices. */
  readonly listedPriceFactor: Decimal;
  /** Multiplies unlisted equity values. */
  readonly unlistedValueFactor: Decimal;
  /** Multiplies every volatility (lock-up and DLOM). */
  readonly volatilityFactor: number;
}

export const NO_SHOCK: HoldingShock = { listedPriceFactor: ONE, unlistedValueFactor: ONE, volatilityFactor: 1 };

export interface HoldingContext {
  readonly valuationDate: string;
  readonly lockupDaysPerYear: number;
  readonly shock: HoldingShock;
}

const MAX_DCF_YEARS = 50;
const DISCOUNT_FACTOR_DP = 20;
const EV_MULTIPLES: ReadonlySet<string> = new Set(['EV/Sales', 'EV/EBITDA', 'EV/EBIT']);

const nonNegative = (h: HoldingInput, name: string, value: string): Decimal => {
  const d = decimalField(value, `holding ${h.id}.${name}`);
  requireInput(d.gte(ZERO), `holding ${h.id}.${name} must be ≥ 0`);
  return d;
};
const optionalFactor = (h: HoldingInput, name: string, value: string | undefined): Decimal =>
  value === undefined ? ONE : nonNegative(h, name, value);

/**
 * A holding with its inputs parsed and its scenario-independent part computed (market value, stake
 * value = equity × ownership, lock-up term): the report values every holding under three scenarios,
 * and the shocks only scale prices and equity values and move volatilities, so each scenario costs
 * one or two decimal products per holding.
 */
export interface PreparedHolding {
  readonly id: string;
  readonly name: string;
  readonly method: HoldingMethod;
  readonly reportedValue: Decimal | null;
  readonly valuation:
    | { readonly kind: 'listed'; readonly marketValue: Decimal }
    | {
        readonly kind: 'locked';
        readonly marketValue: Decimal;
        readonly volatility: number;
        readonly lockupYears: number;
        readonly dividendYield: number;
      }
    | {
        readonly kind: 'unlisted';
        readonly equityValue: Decimal;
        readonly ownership: Decimal;
        readonly stakeValue: Decimal;
        readonly dlom: ParsedDlom;
      };
  readonly details: Readonly<Record<string, string>>;
}

export type HoldingPreparationContext = Pick<HoldingContext, 'valuationDate' | 'lockupDaysPerYear'>;

export function prepareHolding(h: HoldingInput, ctx: HoldingPreparationContext): PreparedHolding {
  const reportedValue = h.reportedValue === undefined ? null : decimalField(h.reportedValue, `holding ${h.id}.reportedValue`);
  const base = { id: h.id, name: h.name, method: h.method, reportedValue };
  switch (h.method) {
    case 'listed':
      return {
        ...base,
        valuation: { kind: 'listed', marketValue: nonNegative(h, 'closePrice', h.closePrice).times(nonNegative(h, 'shares', h.shares)) },
        details: {},
      };
    case 'listed-locked': {
      const lockupYears = lockupYearsBetween(ctx.valuationDate, h.lockupEndDate, ctx.lockupDaysPerYear);
      return {
        ...base,
        valuation: {
          kind: 'locked',
          marketValue: nonNegative(h, 'closePrice', h.closePrice).times(nonNegative(h, 'shares', h.shares)),
          volatility: toDouble(nonNegative(h, 'volatility', h.volatility)),
          lockupYears,
          dividendYield: h.dividendYield === undefined ? 0 : toDouble(nonNegative(h, 'dividendYield', h.dividendYield)),
        },
        details: { lockupYears: fromDouble(lockupYears).toString(), volatility: h.volatility },
      };
    }
    default: {
      const { equityValue, details } = unlistedEquity(h);
      const ownership = nonNegative(h, 'ownership', h.ownership);
      requireInput(ownership.lte(ONE), `holding ${h.id}.ownership must be a fraction ≤ 1`);
      const dlom = parseDlom(h.dlom, `holding ${h.id}.dlom`);
      return { ...base, valuation: { kind: 'unlisted', equityValue, ownership, stakeValue: equityValue.times(ownership), dlom }, details };
    }
  }
}

/** x × factor, skipping the product for the base case's factor of exactly ONE. */
const scaled = (x: Decimal, factor: Decimal): Decimal => (factor === ONE ? x : x.times(factor));

/** The discount of a prepared holding under a scenario (lock-up LoMD or DLOM). */
function discountUnder(v: PreparedHolding['valuation'], shock: HoldingShock): Decimal {
  switch (v.kind) {
    case 'listed':
      return ZERO;
    case 'locked':
      return fromDouble(
        asianLockupDiscount({
          volatility: v.volatility * shock.volatilityFactor,
          lockupYears: v.lockupYears,
          dividendYield: v.dividendYield,
        }),
      );
    case 'unlisted':
      return dlomDiscount(v.dlom, shock.volatilityFactor);
  }
}

function fairValueWith(v: PreparedHolding['valuation'], shock: HoldingShock, discount: Decimal): Decimal {
  switch (v.kind) {
    case 'listed':
      return internal(scaled(v.marketValue, shock.listedPriceFactor));
    case 'locked':
      return internal(scaled(v.marketValue, shock.listedPriceFactor).times(ONE.minus(discount)));
    case 'unlisted':
      return internal(scaled(v.stakeValue, shock.unlistedValueFactor).times(ONE.minus(discount)));
  }
}

/** Only the fair value of a prepared holding under a scenario (the range needs no more). */
export function fairValueUnder(p: PreparedHolding, shock: HoldingShock): Decimal {
  return fairValueWith(p.valuation, shock, discountUnder(p.valuation, shock));
}

/** The full valuation of a prepared holding under a scenario's shock. */
export function valuePrepared(p: PreparedHolding, shock: HoldingShock): HoldingValuation {
  const v = p.valuation;
  const discount = discountUnder(v, shock);
  const fairValue = fairValueWith(v, shock, discount);
  const base = { id: p.id, name: p.name, method: p.method, reportedValue: p.reportedValue, discount, fairValue, details: p.details };
  switch (v.kind) {
    case 'listed':
      return { ...base, equityValue: scaled(v.marketValue, shock.listedPriceFactor), ownership: null, discountModel: 'none' };
    case 'locked':
      return { ...base, equityValue: scaled(v.marketValue, shock.listedPriceFactor), ownership: null, discountModel: 'asian-lockup' };
    case 'unlisted':
      return {
        ...base,
        equityValue: internal(scaled(v.equityValue, shock.unlistedValueFactor)),
        ownership: v.ownership,
        discountModel: v.dlom.model,
      };
  }
}

/** Values one holding. Throws ValuationError('INVALID_INPUT') naming the holding and field. */
export function valueHolding(h: HoldingInput, ctx: HoldingContext): HoldingValuation {
  return valuePrepared(prepareHolding(h, ctx), ctx.shock);
}

type UnlistedHolding = Exclude<HoldingInput, { method: 'listed' | 'listed-locked' }>;

function unlistedEquity(h: UnlistedHolding): { equityValue: Decimal; details: Record<string, string> } {
  switch (h.method) {
    case 'recent-financing': {
      const postMoney = nonNegative(h, 'postMoneyValue', h.postMoneyValue);
      const calibration = optionalFactor(h, 'calibrationFactor', h.calibrationFactor);
      return { equityValue: postMoney.times(calibration), details: { calibrationFactor: calibration.toString() } };
    }
    case 'multiple':
      return multipleEquity(h);
    case 'dcf':
      return dcfEquity(h);
    case 'net-assets': {
      const netAssets = decimalField(h.netAssets, `holding ${h.id}.netAssets`);
      const adjustment = optionalFactor(h, 'adjustmentFactor', h.adjustmentFactor);
      return { equityValue: max(ZERO, netAssets.times(adjustment)), details: { adjustmentFactor: adjustment.toString() } };
    }
  }
}

function multipleEquity(h: MultipleHolding): { equityValue: Decimal; details: Record<string, string> } {
  const metric = decimalField(h.metric, `holding ${h.id}.metric`);
  const multiple = nonNegative(h, 'multiple', h.multiple);
  const adjustment = optionalFactor(h, 'adjustmentFactor', h.adjustmentFactor);
  const headline = metric.times(multiple).times(adjustment);
  if (EV_MULTIPLES.has(h.multipleKind)) {
    const netDebt = h.netDebt === undefined ? ZERO : decimalField(h.netDebt, `holding ${h.id}.netDebt`);
    return {
      equityValue: max(ZERO, headline.minus(netDebt)),
      details: { multipleKind: h.multipleKind, enterpriseValue: formatYuan(headline), netDebt: formatYuan(netDebt) },
    };
  }
  // P/E and P/B price equity directly; net debt would be counted twice.
  requireInput(h.netDebt === undefined, `holding ${h.id}.netDebt applies to EV multiples only, not ${h.multipleKind}`);
  return { equityValue: max(ZERO, headline), details: { multipleKind: h.multipleKind } };
}

function dcfEquity(h: DcfHolding): { equityValue: Decimal; details: Record<string, string> } {
  requireInput(
    h.cashFlows.length >= 1 && h.cashFlows.length <= MAX_DCF_YEARS,
    `holding ${h.id}.cashFlows must list 1 to ${MAX_DCF_YEARS} years`,
  );
  const rate = decimalField(h.discountRate, `holding ${h.id}.discountRate`);
  const growth = decimalField(h.terminalGrowth, `holding ${h.id}.terminalGrowth`);
  requireInput(rate.gt(growth), `holding ${h.id}: discountRate must exceed terminalGrowth (Gordon model)`);
  requireInput(rate.gt(MINUS_ONE) && growth.gt(MINUS_ONE), `holding ${h.id}: rates must exceed −100%`);
  // One division for v = 1/(1+r), then products rounded to DISCOUNT_FACTOR_DP places each year:
  // big.js long division costs several microseconds, a product of short numbers well under one.
  // 20 places keep the error of v^50 near 1e-18 relative: under a thousandth of a fen on a
  // trillion-yuan enterprise value.
  const v = ONE.div(ONE.plus(rate)).round(DISCOUNT_FACTOR_DP, Rounding.HALF_UP);
  let discountFactor = ONE;
  let explicit = ZERO;
  let last = ZERO;
  h.cashFlows.forEach((cf, i) => {
    last = decimalField(cf, `holding ${h.id}.cashFlows[${i}]`);
    discountFactor = discountFactor.times(v).round(DISCOUNT_FACTOR_DP, Rounding.HALF_UP);
    explicit = explicit.plus(last.times(discountFactor));
  });
  const terminalValue = last.times(ONE.plus(growth)).div(rate.minus(growth));
  const terminalPresentValue = internal(terminalValue.times(discountFactor));
  const enterpriseValue = internal(explicit).plus(terminalPresentValue);
  const netDebt = h.netDebt === undefined ? ZERO : decimalField(h.netDebt, `holding ${h.id}.netDebt`);
  return {
    equityValue: max(ZERO, enterpriseValue.minus(netDebt)),
    details: {
      enterpriseValue: formatYuan(enterpriseValue),
      terminalPresentValue: formatYuan(terminalPresentValue),
      netDebt: formatYuan(netDebt),
    },
  };
}

/** Prepares every holding in order; refuses duplicate ids (the report and the roll-forward key on them). */
export function prepareHoldings(holdings: readonly HoldingInput[], ctx: HoldingPreparationContext): PreparedHolding[] {
  const seen = new Set<string>();
  return holdings.map((h) => {
    requireInput(!seen.has(h.id), `holding id ${h.id} appears twice`);
    seen.add(h.id);
    return prepareHolding(h, ctx);
  });
}

/** Values every holding in order (see prepareHoldings). */
export function valueHoldings(holdings: readonly HoldingInput[], ctx: HoldingContext): HoldingValuation[] {
  return prepareHoldings(holdings, ctx).map((p) => valuePrepared(p, ctx.shock));
}
