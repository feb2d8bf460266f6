/**
 * The lock-up discount of listed shares that may not be sold yet (流通受限股票), AMAC 2017 guideline,
 * the Asian-option model (亚式期权模型) — the same formula as Finnerty's (2012) average-strike put:
 *
 *   LoMD = e^(−qT) · [ N(v√T/2) − N(−v√T/2) ]
 *   v²T  = σ²T + ln[2(e^(σ²T) − σ²T − 1)] − 2·ln[e^(σ²T) − 1]
 *
 * Doubles in, doubles out (callers convert money through numeric.ts).
 */
import { daysBetween } from './dates';
import { normalCentralMass } from './normal';
import { requireInput } from './numeric';

/** The supremum of the q = 0 discount as σ²T → ∞: v²T → ln 2, so LoMD → 2Φ(√ln2 / 2) − 1. */
export const ASIAN_DISCOUNT_LIMIT = 0.3227929028266731;

/** Below this σ²T the logs are evaluated from power series (no cancellation); above, in closed form. */
const SERIES_LIMIT = 1;
/** Enough series terms for full double precision at σ²T < 1 (the 30th term is below 1e-32). */
const SERIES_MAX_TERMS = 30;

/**
 * v²T as a function of s = σ²T alone.
 *
 * Evaluating the formula as written cancels catastrophically for small s: e^s − s − 1 ≈ s²/2 is the
 * difference of numbers near 1, and the three logs nearly cancel to leave s/3. So the powers of s
 * are divided out first: with f(s) = 2(e^s − 1 − s)/s² and g(s) = (e^s − 1)/s,
 *   v²T = s + ln f(s) − 2 ln g(s),
 * and f − 1 = Σ_{k≥1} 2s^k/(k+2)!, g − 1 = Σ_{k≥1} s^k/(k+1)! are summed as series for log1p.
 * For large s the exponentials are divided out instead (no overflow even for σ²T in the thousands):
 *   v²T = ln 2 + ln(1 − (s+1)e^(−s)) − 2 ln(1 − e^(−s)).
 */
export function asianScaledVariance(varianceTimesYears: number): number {
  const s = varianceTimesYears;
  if (s === 0) return 0;
  if (s < SERIES_LIMIT) {
    let fTerm = 1; // 2 s^0 / 2!
    let gTerm = 1; // s^0 / 1!
    let fMinusOne = 0;
    let gMinusOne = 0;
    for (let k = 1; k <= SERIES_MAX_TERMS; k++) {
      fTerm *= s / (k + 2);
      gTerm *= s / (k + 1);
      fMinusOne += fTerm;
      gMinusOne += gTerm;
      if (gTerm < 1e-18 * gMinusOne) break;
    }
    return s + Math.log1p(fMinusOne) - 2 * Math.log1p(gMinusOne);
  }
  const decay = Math.exp(-s);
  return Math.LN2 + Math.log1p(-(s + 1) * decay) - 2 * Math.log1p(-decay);
}

export interface AsianLockupInput {
  /** Annualised volatility σ of daily log returns, e.g. 0.45. */
  readonly volatility: number;
  /** Remaining lock-up T in years (calendar days / 365 by default). */
  readonly lockupYears: number;
  /** Expected dividend yield q, continuously compounded; 0 when not given. */
  readonly dividendYield?: number;
}

/** The AMAC 2017 Asian-option lock-up discount LoMD, a fraction in [0, 0.3228). T = 0 gives 0. */
export function asianLockupDiscount(input: AsianLockupInput): number {
  const { volatility, lockupYears } = input;
  const dividendYield = input.dividendYield ?? 0;
  requireInput(Number.isFinite(volatility) && volatility >= 0, 'volatility must be a finite number ≥ 0');
  requireInput(Number.isFinite(lockupYears) && lockupYears >= 0, 'lockupYears must be a finite number ≥ 0');
  requireInput(Number.isFinite(dividendYield) && dividendYield >= 0, 'dividendYield must be a finite number ≥ 0');
  if (lockupYears === 0 || volatility === 0) return 0;
  const halfVolRoot = Math.sqrt(asianScaledVariance(volatility * volatility * lockupYears)) / 2;
  return Math.exp(-dividendYield * lockupYears) * normalCentralMass(halfVolRoot);
}

/** Days per year when turning a remaining lock-up in calendar days into T (a setting, default 365). */
export const LOCKUP_DAYS_PER_YEAR = 365;

/** T in years from the valuation date to the lock-up end; 0 once the lock-up has ended. */
export function lockupYearsBetween(valuationDate: string, lockupEndDate: string, daysPerYear = LOCKUP_DAYS_PER_YEAR): number {
  requireInput(Number.isInteger(daysPerYear) && daysPerYear > 0, 'daysPerYear must be a positive integer');
  return Math.max(0, daysBetween(valuationDate, lockupEndDate)) / daysPerYear;
}

/** The volatility window is as long as the remaining lock-up in trading days, at least 20 (rule). */
export const MIN_VOLATILITY_WINDOW_TRADING_DAYS = 20;
/** Annualisation factor: √250 trading days per year (setting). */
export const TRADING_DAYS_PER_YEAR = 250;

export function volatilityWindowTradingDays(remainingLockupTradingDays: number): number {
  requireInput(
    Number.isFinite(remainingLockupTradingDays) && remainingLockupTradingDays >= 0,
    'remaining lock-up must be ≥ 0 trading days',
  );
  return Math.max(MIN_VOLATILITY_WINDOW_TRADING_DAYS, Math.ceil(remainingLockupTradingDays));
}

/**
 * Annualised volatility: the sample standard deviation (n − 1) of the last `windowTradingDays`
 * daily log returns, × √tradingDaysPerYear. `closes` are daily closing prices, oldest first, as
 * doubles (the caller converts with numeric.toDouble); it needs windowTradingDays + 1 of them.
 */
export function annualisedVolatility(
  closes: readonly number[],
  windowTradingDays: number,
  tradingDaysPerYear: number = TRADING_DAYS_PER_YEAR,
): number {
  requireInput(
    Number.isInteger(windowTradingDays) && windowTradingDays >= MIN_VOLATILITY_WINDOW_TRADING_DAYS,
    `the volatility window must be a whole number of at least ${MIN_VOLATILITY_WINDOW_TRADING_DAYS} trading days`,
  );
  requireInput(
    closes.length >= windowTradingDays + 1,
    `need ${windowTradingDays + 1} closing prices for ${windowTradingDays} returns, got ${closes.length}`,
  );
  requireInput(tradingDaysPerYear > 0, 'tradingDaysPerYear must be positive');
  const start = closes.length - windowTradingDays - 1;
  const returns: number[] = [];
  for (let i = start + 1; i < closes.length; i++) {
    const prev = closes[i - 1]!;
    const curr = closes[i]!;
    requireInput(prev > 0 && curr > 0 && Number.isFinite(prev) && Number.isFinite(curr), 'closing prices must be positive');
    returns.push(Math.log(curr / prev));
  }
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  // Two-pass variance: the mean is removed before squaring, which keeps it accurate for tiny returns.
  const sumSquares = returns.reduce((acc, r) => acc + (r - mean) * (r - mean), 0);
  return Math.sqrt(sumSquares / (returns.length - 1)) * Math.sqrt(tradingDaysPerYear);
}
