/**
 * Discounts for lack of marketability (DLOM) of unlisted stakes, chosen per holding:
 *  - 'asian'  : the AMAC Asian-option model with T = expected time to liquidity;
 *  - 'chaffe' : Chaffe (1993), the at-the-money European put: DLOM = P(S = K) / S (Black–Scholes);
 *  - 'manual' : a documented figure (the reference to the document is mandatory);
 *  - 'none'   : no discount.
 */
import { ZERO, type Decimal } from '../decimal';
import { asianLockupDiscount } from './lockup';
import { normalCdf } from './normal';
import { decimalField, fromDouble, ONE, requireInput, toDouble } from './numeric';

export interface BlackScholesPutInput {
  readonly spot: number;
  readonly strike: number;
  readonly years: number;
  readonly volatility: number;
  /** Continuously compounded risk-free rate. */
  readonly riskFreeRate: number;
  readonly dividendYield?: number;
}

/** Black–Scholes European put. At T = 0 or σ = 0 it is the discounted intrinsic value. */
export function blackScholesPut(input: BlackScholesPutInput): number {
  const { spot, strike, years, volatility, riskFreeRate } = input;
  const q = input.dividendYield ?? 0;
  requireInput(spot > 0 && strike > 0, 'spot and strike must be positive');
  requireInput(years >= 0 && volatility >= 0, 'years and volatility must be ≥ 0');
  const discountedStrike = strike * Math.exp(-riskFreeRate * years);
  const discountedSpot = spot * Math.exp(-q * years);
  const volRoot = volatility * Math.sqrt(years);
  if (volRoot === 0) return Math.max(0, discountedStrike - discountedSpot);
  const d1 = (Math.log(discountedSpot / discountedStrike) + 0.5 * volRoot * volRoot) / volRoot;
  const d2 = d1 - volRoot;
  return discountedStrike * normalCdf(-d2) - discountedSpot * normalCdf(-d1);
}

/** Chaffe's DLOM: the at-the-money put as a fraction of the share value (S = K = 1). */
export function chaffeDiscount(volatility: number, yearsToLiquidity: number, riskFreeRate: number): number {
  return blackScholesPut({ spot: 1, strike: 1, years: yearsToLiquidity, volatility, riskFreeRate });
}

/** How a holding's marketability discount is determined (decimal strings, as in the fund model). */
export type DlomSpec =
  | { readonly model: 'none' }
  | { readonly model: 'asian'; readonly volatility: string; readonly yearsToLiquidity: string; readonly dividendYield?: string }
  | { readonly model: 'chaffe'; readonly volatility: string; readonly yearsToLiquidity: string; readonly riskFreeRate: string }
  | { readonly model: 'manual'; readonly discount: string; readonly reference: string };

/** A DLOM spec with its strings parsed once (a report values each holding under three scenarios). */
export type ParsedDlom =
  | { readonly model: 'none' }
  | { readonly model: 'manual'; readonly discount: Decimal }
  | { readonly model: 'asian'; readonly volatility: number; readonly years: number; readonly dividendYield: number }
  | { readonly model: 'chaffe'; readonly volatility: number; readonly years: number; readonly riskFreeRate: number };

const nonNegativeDouble = (value: string, field: string): number => {
  const x = toDouble(decimalField(value, field));
  requireInput(x >= 0, `${field} must be ≥ 0`);
  return x;
};

/** Validates and parses a DLOM spec; `field` names it in error messages. */
export function parseDlom(spec: DlomSpec, field: string): ParsedDlom {
  switch (spec.model) {
    case 'none':
      return spec;
    case 'manual': {
      const discount = decimalField(spec.discount, `${field}.discount`);
      requireInput(discount.gte(ZERO) && discount.lt(ONE), `${field}.discount must be in [0, 1)`);
      requireInput(spec.reference.trim().length > 0, `${field}.reference: a manual DLOM needs its supporting document`);
      return { model: 'manual', discount };
    }
    case 'asian':
      return {
        model: 'asian',
        volatility: nonNegativeDouble(spec.volatility, `${field}.volatility`),
        years: nonNegativeDouble(spec.yearsToLiquidity, `${field}.yearsToLiquidity`),
        dividendYield: spec.dividendYield === undefined ? 0 : nonNegativeDouble(spec.dividendYield, `${field}.dividendYield`),
      };
    case 'chaffe':
      return {
        model: 'chaffe',
        volatility: nonNegativeDouble(spec.volatility, `${field}.volatility`),
        years: nonNegativeDouble(spec.yearsToLiquidity, `${field}.yearsToLiquidity`),
        riskFreeRate: toDouble(decimalField(spec.riskFreeRate, `${field}.riskFreeRate`)),
      };
  }
}

/**
 * The DLOM as a decimal fraction at the internal scale (half-up). `volatilityFactor` multiplies the
 * volatility: 1 in the base case, the range shocks otherwise.
 */
export function dlomDiscount(dlom: ParsedDlom, volatilityFactor = 1): Decimal {
  switch (dlom.model) {
    case 'none':
      return ZERO;
    case 'manual':
      return dlom.discount;
    case 'asian':
      return fromDouble(
        asianLockupDiscount({ volatility: dlom.volatility * volatilityFactor, lockupYears: dlom.years, dividendYield: dlom.dividendYield }),
      );
    case 'chaffe':
      // A put worth more than the share is impossible for S = K with r ≥ 0; clamp against odd rates.
      return fromDouble(Math.min(chaffeDiscount(dlom.volatility * volatilityFactor, dlom.years, dlom.riskFreeRate), 1));
  }
}
