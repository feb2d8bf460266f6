/**
 * zod schema of a user-supplied valuation request {model, share, settings?} (POST /api/valuations
 * and `npm run value`): the shape of shared/valuation's FundModel, LpShareInput and
 * ValuationSettings. Decimals are strings (a JSON number is refused: it may already have lost
 * precision); whole years and day counts are integers. Unknown fields are refused. The maths
 * (buildValuationReport) checks the rest and answers ValuationError for inconsistent inputs.
 */
import { z } from 'zod';
import { decimalString, wholeYears } from '../../shared/valuation/calculator-schemas';
import type { FundModel, LpShareInput, ValuationSettings } from '../../shared/valuation/fund-model';

const MAX_HOLDINGS = 1000;
const MAX_FLOWS = 200;
const text = (field: string, max = 200) =>
  z
    .string({ error: `${field} must be a string` })
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} may have at most ${max} characters` });
const date = (field: string) =>
  z
    .string({ error: `${field} must be a date string YYYY-MM-DD` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${field} must be a date YYYY-MM-DD` });
const nonNeg = (field: string) => decimalString(field, { min: '0' });
const optNonNeg = (field: string) => nonNeg(field).optional();

const dlom = z.discriminatedUnion(
  'model',
  [
    z.strictObject({ model: z.literal('none') }),
    z.strictObject({
      model: z.literal('asian'),
      volatility: nonNeg('dlom.volatility'),
      yearsToLiquidity: nonNeg('dlom.yearsToLiquidity'),
      dividendYield: optNonNeg('dlom.dividendYield'),
    }),
    z.strictObject({
      model: z.literal('chaffe'),
      volatility: nonNeg('dlom.volatility'),
      yearsToLiquidity: nonNeg('dlom.yearsToLiquidity'),
      riskFreeRate: decimalString('dlom.riskFreeRate'),
    }),
    z.strictObject({
      model: z.literal('manual'),
      discount: decimalString('dlom.discount', { min: '0', max: '1' }),
      reference: text('dlom.reference'),
    }),
  ],
  { error: 'dlom.model must be none, asian, chaffe or manual' },
);

const common = { id: text('holding id', 64), name: text('holding name'), reportedValue: decimalString('reportedValue').optional() };
const unlisted = { ...common, ownership: decimalString('ownership', { min: '0', max: '1' }), dlom };

const holding = z.discriminatedUnion(
  'method',
  [
    z.strictObject({ ...common, method: z.literal('listed'), closePrice: nonNeg('closePrice'), shares: nonNeg('shares') }),
    z.strictObject({
      ...common,
      method: z.literal('listed-locked'),
      closePrice: nonNeg('closePrice'),
      shares: nonNeg('shares'),
      volatility: nonNeg('volatility'),
      lockupEndDate: date('lockupEndDate'),
      dividendYield: optNonNeg('dividendYield'),
    }),
    z.strictObject({
      ...unlisted,
      method: z.literal('recent-financing'),
      postMoneyValue: nonNeg('postMoneyValue'),
      calibrationFactor: optNonNeg('calibrationFactor'),
      roundDate: date('roundDate').optional(),
    }),
    z.strictObject({
      ...unlisted,
      method: z.literal('multiple'),
      multipleKind: z.enum(['P/E', 'P/B', 'EV/Sales', 'EV/EBITDA', 'EV/EBIT']),
      metric: decimalString('metric'),
      multiple: nonNeg('multiple'),
      adjustmentFactor: optNonNeg('adjustmentFactor'),
      netDebt: decimalString('netDebt').optional(),
    }),
    z.strictObject({
      ...unlisted,
      method: z.literal('dcf'),
      cashFlows: z.array(decimalString('cashFlows[]')).min(1).max(50),
      discountRate: decimalString('discountRate'),
      terminalGrowth: decimalString('terminalGrowth'),
      netDebt: decimalString('netDebt').optional(),
    }),
    z.strictObject({
      ...unlisted,
      method: z.literal('net-assets'),
      netAssets: decimalString('netAssets'),
      adjustmentFactor: optNonNeg('adjustmentFactor'),
    }),
  ],
  { error: 'holding method must be listed, listed-locked, recent-financing, multiple, dcf or net-assets' },
);

const flow = z.strictObject({ year: wholeYears('year', 1, 100), call: optNonNeg('call'), distribution: optNonNeg('distribution') });

export const fundModelSchema = z.strictObject({
  fundId: text('fundId', 64),
  name: text('name'),
  valuationDate: date('valuationDate'),
  totalCommitment: decimalString('totalCommitment', { min: '0', minExclusive: true }),
  holdings: z.array(holding).max(MAX_HOLDINGS),
  cash: decimalString('cash'),
  liabilities: nonNeg('liabilities'),
  navReport: z.strictObject({
    referenceDate: date('navReport.referenceDate'),
    nav: decimalString('navReport.nav'),
    paidIn: nonNeg('navReport.paidIn'),
    cumulativeDistributions: nonNeg('navReport.cumulativeDistributions'),
  }),
  sinceReport: z.strictObject({ calls: nonNeg('sinceReport.calls'), distributions: nonNeg('sinceReport.distributions') }),
  waterfall: z.strictObject({
    kind: z.enum(['european', 'american']),
    hurdle: decimalString('waterfall.hurdle', { min: '0', max: '1' }),
    catchUp: decimalString('waterfall.catchUp', { min: '0', max: '1' }),
    carry: decimalString('waterfall.carry', { min: '0', max: '1', maxExclusive: true }),
    history: z.array(flow).max(MAX_FLOWS),
    deals: z
      .array(
        z.strictObject({
          id: text('deal id', 64),
          holdingIds: z.array(text('holding id', 64)).max(MAX_HOLDINGS),
          flows: z.array(flow).max(MAX_FLOWS),
        }),
      )
      .max(MAX_HOLDINGS)
      .optional(),
  }),
  projection: z.strictObject({
    ageYears: wholeYears('projection.ageYears', 0, 99),
    lifeYears: wholeYears('projection.lifeYears', 1, 100),
    callRates: z
      .array(decimalString('projection.callRates[]', { min: '0', max: '1' }))
      .min(1)
      .max(100),
    bow: nonNeg('projection.bow'),
    growth: decimalString('projection.growth', { min: '-1', minExclusive: true, max: '10' }),
    yield: decimalString('projection.yield', { min: '0', max: '1' }),
  }),
});

export const lpShareSchema = z.strictObject({
  lpId: text('share.lpId', 100).optional(),
  commitment: decimalString('share.commitment', { min: '0', minExclusive: true }),
  paidIn: nonNeg('share.paidIn'),
  stateOwned: z
    .strictObject({
      appraisalValue: decimalString('stateOwned.appraisalValue', { min: '0', minExclusive: true }),
      appraisalBaseDate: date('stateOwned.appraisalBaseDate'),
      ratio: decimalString('stateOwned.ratio', { min: '0', minExclusive: true, max: '1' }),
      approvalRef: text('stateOwned.approvalRef').optional(),
    })
    .optional(),
});

const rates = (field: string) =>
  z
    .array(decimalString(field, { min: '-1', minExclusive: true, max: '10' }))
    .min(1)
    .max(10);

export const settingsSchema = z.strictObject({
  navBasis: z.enum(['roll-forward', 'bottom-up']).optional(),
  lockupDaysPerYear: z.number().int().min(1).max(366).optional(),
  targetIrrs: rates('settings.targetIrrs[]').optional(),
  sensitivityNavChanges: rates('settings.sensitivityNavChanges[]').optional(),
  sensitivityIrrs: rates('settings.sensitivityIrrs[]').optional(),
  range: z
    .strictObject({
      listedPriceShock: decimalString('range.listedPriceShock', { min: '0', max: '1', maxExclusive: true }),
      unlistedValueShock: decimalString('range.unlistedValueShock', { min: '0', max: '1', maxExclusive: true }),
      volatilityShock: decimalString('range.volatilityShock', { min: '0', max: '1', maxExclusive: true }),
    })
    .optional(),
});

export const valuationRequestSchema = z.strictObject({ model: fundModelSchema, share: lpShareSchema, settings: settingsSchema.optional() });

export interface ValuationRequest {
  model: FundModel;
  share: LpShareInput;
  settings?: Partial<ValuationSettings>;
}

/** Parses a request; the checked result is the module's own input type. */
export function parseValuationRequest(
  raw: unknown,
): { ok: true; value: ValuationRequest } | { ok: false; issues: { path: string; message: string }[] } {
  const r = valuationRequestSchema.safeParse(raw);
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
  return { ok: true, value: stripUndefined(r.data) as ValuationRequest };
}

/** zod output keeps no undefined keys for absent optionals, but be sure: canonical JSON drops them anyway. */
function stripUndefined<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
