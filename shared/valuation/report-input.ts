/**
 * Parsing of a report's input: the fund model's strings become decimals (and, for the projection's
 * rates only, doubles through numeric.toDouble), with every default of the settings filled in.
 * Any inconsistency is a ValuationError('INVALID_INPUT') naming the field.
 */
import { Dec, ZERO, type Decimal } from '../decimal';
import { parseIsoDate } from './dates';
import { DEFAULT_VALUATION_SETTINGS, type FundModel, type LpShareInput, type ValuationSettings } from './fund-model';
import type { HoldingShock } from './holdings';
import { decimalField, internal, ONE, requireInput, toDouble } from './numeric';
import { MAX_LIFE_YEARS, type ProjectionParams } from './projection';
import { parseFlowInputs, validateTerms, type FundFlow, type WaterfallTerms } from './waterfall';

export interface ValuationReportInput {
  readonly model: FundModel;
  readonly share: LpShareInput;
  /** Settings not given take DEFAULT_VALUATION_SETTINGS (the report echoes the resolved ones). */
  readonly settings?: Partial<ValuationSettings>;
}

export interface RatePoint {
  /** As given, echoed in the report. */
  readonly text: string;
  readonly value: number;
  /** Where it was given, e.g. "settings.targetIrrs[2]", for an error about this rate. */
  readonly field: string;
}

export interface ParsedReportInput {
  readonly model: FundModel;
  readonly share: LpShareInput;
  readonly settings: ValuationSettings;
  /** Valuation year for the waterfall and start age of the projection. */
  readonly ageYears: number;
  readonly terms: WaterfallTerms;
  readonly history: readonly FundFlow[];
  readonly deals: readonly { readonly id: string; readonly holdingIds: readonly string[]; readonly flows: readonly FundFlow[] }[] | null;
  readonly cash: Decimal;
  readonly liabilities: Decimal;
  readonly reportedNav: Decimal;
  readonly callsSinceReport: Decimal;
  readonly distributionsSinceReport: Decimal;
  readonly commitment: Decimal;
  readonly paidIn: Decimal;
  /** The share's fraction of the fund: commitment / total commitment (calls are pro rata). */
  readonly fraction: Decimal;
  /** The quoting denominator: the share's part of the GP-reported NAV. */
  readonly referenceNav: Decimal;
  readonly projection: ProjectionParams;
  readonly targetIrrs: readonly RatePoint[];
  readonly sensitivityNavChanges: readonly RatePoint[];
  readonly sensitivityIrrs: readonly RatePoint[];
  readonly lowShock: HoldingShock;
  readonly highShock: HoldingShock;
}

const MAX_GRID_POINTS = 10;

function ratePoints(values: readonly string[], field: string, min: number): RatePoint[] {
  requireInput(values.length >= 1 && values.length <= MAX_GRID_POINTS, `${field} must list 1 to ${MAX_GRID_POINTS} values`);
  return values.map((text, i) => {
    const value = toDouble(decimalField(text, `${field}[${i}]`));
    requireInput(value > min, `${field}[${i}] must be above ${min}`);
    return { text, value, field: `${field}[${i}]` };
  });
}

function positiveDecimal(value: string, field: string): Decimal {
  const d = decimalField(value, field);
  requireInput(d.gte(ZERO), `${field} must be ≥ 0`);
  return d;
}

export function parseReportInput(input: ValuationReportInput): ParsedReportInput {
  const { model, share } = input;
  const settings: ValuationSettings = { ...DEFAULT_VALUATION_SETTINGS, ...input.settings };
  parseIsoDate(model.valuationDate, 'valuationDate');
  parseIsoDate(model.navReport.referenceDate, 'navReport.referenceDate');
  // A malformed appraisal is bad input (400), not a report whose floor says INVALID_INPUT: the GET
  // query (yuan, a YYYY-MM-DD pattern) lets a non-positive value or a non-calendar date through.
  // Expiry and the 90% rule stay coded results in the report (they depend on the valuation date).
  const so = share.stateOwned;
  if (so) {
    parseIsoDate(so.appraisalBaseDate, 'share.stateOwned.appraisalBaseDate');
    requireInput(
      decimalField(so.appraisalValue, 'share.stateOwned.appraisalValue').gt(ZERO),
      'share.stateOwned.appraisalValue must be positive',
    );
    const ratio = decimalField(so.ratio, 'share.stateOwned.ratio');
    requireInput(ratio.gt(ZERO) && ratio.lte(ONE), 'share.stateOwned.ratio must be above 0 and at most 1');
  }
  requireInput(
    Number.isInteger(settings.lockupDaysPerYear) && settings.lockupDaysPerYear > 0,
    'settings.lockupDaysPerYear must be a positive integer',
  );
  requireInput(
    settings.navBasis === 'roll-forward' || settings.navBasis === 'bottom-up',
    'settings.navBasis must be roll-forward or bottom-up',
  );

  const p = model.projection;
  requireInput(
    Number.isInteger(p.lifeYears) && p.lifeYears >= 1 && p.lifeYears <= MAX_LIFE_YEARS,
    `projection.lifeYears must be a whole number 1–${MAX_LIFE_YEARS}`,
  );
  requireInput(
    Number.isInteger(p.ageYears) && p.ageYears >= 0 && p.ageYears < p.lifeYears,
    'projection.ageYears must be a whole number below lifeYears',
  );

  const terms: WaterfallTerms = {
    hurdle: decimalField(model.waterfall.hurdle, 'waterfall.hurdle'),
    catchUp: decimalField(model.waterfall.catchUp, 'waterfall.catchUp'),
    carry: decimalField(model.waterfall.carry, 'waterfall.carry'),
  };
  validateTerms(terms);
  const history = parseFlowInputs(model.waterfall.history, 'waterfall.history');
  requireInput(
    history.every((f) => f.year <= p.ageYears),
    'waterfall.history must end by the valuation year (projection.ageYears)',
  );
  const deals =
    model.waterfall.kind === 'american' && model.waterfall.deals
      ? model.waterfall.deals.map((d, i) => ({
          id: d.id,
          holdingIds: d.holdingIds,
          flows: parseFlowInputs(d.flows, `waterfall.deals[${i}].flows`),
        }))
      : null;

  const totalCommitment = decimalField(model.totalCommitment, 'totalCommitment');
  requireInput(totalCommitment.gt(ZERO), 'totalCommitment must be positive');
  const commitment = decimalField(share.commitment, 'share.commitment');
  requireInput(commitment.gt(ZERO) && commitment.lte(totalCommitment), 'share.commitment must be positive and at most the fund total');
  const paidIn = positiveDecimal(share.paidIn, 'share.paidIn');
  const fraction = internal(commitment.div(totalCommitment));
  const reportedNav = decimalField(model.navReport.nav, 'navReport.nav');

  const range = settings.range;
  const listed = toDouble(positiveDecimal(range.listedPriceShock, 'settings.range.listedPriceShock'));
  const unlisted = toDouble(positiveDecimal(range.unlistedValueShock, 'settings.range.unlistedValueShock'));
  const vol = toDouble(positiveDecimal(range.volatilityShock, 'settings.range.volatilityShock'));
  requireInput(listed < 1 && unlisted < 1 && vol < 1, 'settings.range shocks must be below 1 (100%)');
  const factor = (s: string, sign: 1 | -1): Decimal => (sign === 1 ? ONE.plus(new Dec(s)) : ONE.minus(new Dec(s)));

  return {
    model,
    share,
    settings,
    ageYears: p.ageYears,
    terms,
    history,
    deals,
    cash: decimalField(model.cash, 'cash'),
    liabilities: positiveDecimal(model.liabilities, 'liabilities'),
    reportedNav,
    callsSinceReport: positiveDecimal(model.sinceReport.calls, 'sinceReport.calls'),
    distributionsSinceReport: positiveDecimal(model.sinceReport.distributions, 'sinceReport.distributions'),
    commitment,
    paidIn,
    fraction,
    referenceNav: internal(reportedNav.times(fraction)),
    projection: {
      commitment: toDouble(commitment),
      callRates: p.callRates.map((r, i) => toDouble(decimalField(r, `projection.callRates[${i}]`))),
      lifeYears: p.lifeYears,
      bow: toDouble(decimalField(p.bow, 'projection.bow')),
      growth: toDouble(decimalField(p.growth, 'projection.growth')),
      yieldFloor: toDouble(decimalField(p.yield, 'projection.yield')),
    },
    targetIrrs: ratePoints(settings.targetIrrs, 'settings.targetIrrs', -1),
    sensitivityNavChanges: ratePoints(settings.sensitivityNavChanges, 'settings.sensitivityNavChanges', -1),
    sensitivityIrrs: ratePoints(settings.sensitivityIrrs, 'settings.sensitivityIrrs', -1),
    // low: prices and values down, volatility (so discounts) up; high: the mirror image.
    lowShock: {
      listedPriceFactor: factor(range.listedPriceShock, -1),
      unlistedValueFactor: factor(range.unlistedValueShock, -1),
      volatilityFactor: 1 + vol,
    },
    highShock: {
      listedPriceFactor: factor(range.listedPriceShock, 1),
      unlistedValueFactor: factor(range.unlistedValueShock, 1),
      volatilityFactor: 1 - vol,
    },
  };
}
