/**
 * The valuation module (valuation.md): pure functions, no I/O, no clock, no randomness.
 * Usable by the server and the browser client alike.
 *
 * What the server calls:
 *  - buildValuationReport(input, digest)           GET /api/funds/:fundId/valuation
 *  - lockupDiscountRequest + lockupDiscountCalculator  POST /api/valuation/lockup-discount
 *  - projectionRequest + projectionCalculator          POST /api/valuation/projection
 *  - waterfallRequest + waterfallCalculator            POST /api/valuation/waterfall
 *  - stateOwnedFloor, settlementPayment                listings and settlement
 * Expected failures are ValuationError (code INVALID_INPUT, …) or result objects with a code.
 */
export * from './fund-model';
export { buildValuationReport, reportCanonicalJson, verifyReportHash } from './report';
export type { ReportDigest, ValuationReport, ValuationReportInput, HoldingRow, PricePoint } from './report';
export { strictCanonicalJson as canonicalJson } from '../canonical-json';
export { lockupDiscountRequest, projectionRequest, waterfallRequest } from './calculator-schemas';
export type { LockupDiscountRequest, ProjectionRequest, WaterfallRequest } from './calculator-schemas';
export {
  lockupDiscountCalculator,
  projectionCalculator,
  waterfallCalculator,
  CALCULATOR_DISCOUNT_DP,
  CALCULATOR_MONEY_DP,
  CALCULATOR_PCT_DP,
} from './calculators';
export type { LockupDiscountResponse, ProjectionResponse, WaterfallResponse } from './calculators';
export { stateOwnedFloor, appraisalExpiresOn, STATE_OWNED_MIN_RATIO, APPRAISAL_VALIDITY_MONTHS, APPRAISAL_VALIDITY_YEARS } from './floor';
export type { FloorInput, FloorResult } from './floor';
export { settlementPayment, fundNav } from './nav';
export type { SettlementInput, FundNav } from './nav';
export { ValuationError } from './numeric';
export type { ValuationErrorCode } from './numeric';
// Lower-level building blocks, for other features and tools.
export { normalCdf, normalCentralMass } from './normal';
export {
  asianLockupDiscount,
  annualisedVolatility,
  volatilityWindowTradingDays,
  lockupYearsBetween,
  ASIAN_DISCOUNT_LIMIT,
  MIN_VOLATILITY_WINDOW_TRADING_DAYS,
  TRADING_DAYS_PER_YEAR,
} from './lockup';
export { blackScholesPut, chaffeDiscount } from './dlom';
export type { DlomSpec } from './dlom';
export { valueHolding, valueHoldings, NO_SHOCK } from './holdings';
export type { HoldingValuation, HoldingShock } from './holdings';
export { runEuropeanWaterfall, runAmericanWaterfall, europeanLiquidation, americanLiquidation } from './waterfall';
export type { WaterfallTerms, FundFlow, WaterfallResult } from './waterfall';
export { solveIrr, npv } from './irr';
export type { IrrResult } from './irr';
