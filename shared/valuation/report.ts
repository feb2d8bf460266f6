/**
 * The fund-share valuation report: L1 holdings → L2 fund NAV → L3 the LP share after the waterfall
 * → L4 prices, with every input and setting echoed and a content hash.
 *
 * Pure and reproducible: no clock, no randomness, no I/O; the hash function is passed in (node's
 * crypto on the server, Web Crypto or a test double elsewhere), so the same inputs give the same
 * report, byte for byte, on any machine.
 *
 * Definitions the report uses:
 *  - share fraction = share commitment / fund total commitment (calls are pro rata to commitment);
 *  - reference NAV = fraction × the GP-reported NAV: the denominator of every "% of NAV";
 *  - fair value (base) = fraction × the LPs' value of the adjusted NAV under a hypothetical
 *    liquidation at the valuation year (net of accrued carry);
 *  - fair value low / high = the same with the holdings re-valued under the range shocks of the
 *    settings (listed prices and unlisted equity values down / up, volatilities up / down), the
 *    adjusted NAV moving by the change in the holdings' fair values;
 *  - prices: Takahashi–Alexander on the share (its commitment and paid-in), started at the valuation
 *    year from the base fair value, at each target IRR; discount = 100 − % of NAV;
 *  - sensitivity: for each NAV change, the adjusted NAV × (1 + change) run through the same
 *    hypothetical liquidation as the base (valuation.md L3: the LP value of a NAV is the waterfall
 *    run as if it were distributed today; carry is not proportional to NAV), the holdings at their
 *    base fair values, then the same projection and prices from that share value;
 *  - % of NAV and discounts are null when the reference NAV is not positive (nav.pctOf).
 * Output strings: money in yuan with 2 decimals and percent with 2 decimals (half-up, the wire
 * formats of shared/decimal), discounts and fractions with 8 and 12 decimals.
 */
import { Dec, HUNDRED, ZERO, formatPct, formatYuan, Rounding, sum, type Decimal } from '../decimal';
import { strictCanonicalJson as canonicalJson } from '../canonical-json';
import type { FundModel, LpShareInput, ValuationSettings } from './fund-model';
import { fairValueUnder, prepareHoldings, valuePrepared, NO_SHOCK, type PreparedHolding } from './holdings';
import { solveIrr } from './irr';
import { fundNav, pctOf } from './nav';
import { decimalField, fromDouble, ONE, requireFinite, toDouble, ValuationError } from './numeric';
import { priceAt, priceOverflowDetail, project, type Projection } from './projection';
import { parseReportInput, type ParsedReportInput, type RatePoint, type ValuationReportInput } from './report-input';
import { stateOwnedFloor } from './floor';
import {
  americanLiquidation,
  europeanLiquidation,
  runEuropeanWaterfall,
  type FundFlow,
  type HypotheticalLiquidation,
  type WaterfallResult,
} from './waterfall';

export type { ValuationReportInput } from './report-input';

export interface ReportDigest {
  /** Name of the algorithm, recorded in the report, e.g. "sha256". */
  readonly algorithm: string;
  /** Hex digest of the UTF-8 bytes of the canonical JSON. */
  readonly digestHex: (canonicalJson: string) => string;
}

export interface HoldingRow {
  readonly id: string;
  readonly name: string;
  readonly method: string;
  readonly equityValue: string;
  readonly ownership: string | null;
  readonly discountModel: string;
  readonly discount: string;
  readonly fairValue: string;
  readonly reportedValue: string | null;
  readonly details: Readonly<Record<string, string>>;
}

export interface PricePoint {
  readonly irr: string;
  readonly price: string;
  readonly pctOfNav: string | null;
  readonly discountPct: string | null;
}

export interface ValuationReport {
  readonly kind: 'fund-share-valuation';
  readonly version: 1;
  readonly fundId: string;
  readonly fundName: string;
  readonly valuationDate: string;
  readonly inputs: { readonly model: FundModel; readonly share: LpShareInput; readonly settings: ValuationSettings };
  readonly holdings: readonly HoldingRow[];
  readonly fundNav: {
    readonly basis: ValuationSettings['navBasis'];
    readonly reported: string;
    readonly callsSinceReport: string;
    readonly distributionsSinceReport: string;
    readonly markChanges: string;
    readonly rolledForward: string;
    readonly holdingsFairValue: string;
    readonly cash: string;
    readonly liabilities: string;
    readonly bottomUp: string;
    readonly reconciliationDifference: string;
    readonly adjusted: string;
  };
  readonly waterfall: {
    readonly kind: 'european' | 'american';
    readonly year: number;
    readonly liquidationAmount: string;
    readonly lpValue: string;
    readonly accruedCarry: string;
  };
  readonly share: {
    readonly fraction: string;
    readonly commitment: string;
    readonly paidIn: string;
    readonly unfunded: string;
    readonly referenceNav: string;
    readonly fairValue: { readonly low: string; readonly base: string; readonly high: string };
    readonly fairValuePctOfNav: { readonly low: string | null; readonly base: string | null; readonly high: string | null };
    /** The buyer's IRR when paying 100% of the reference NAV (null when there is none). */
    readonly irrAtReferenceNav: string | null;
  };
  readonly projection: {
    readonly ageYears: number;
    readonly years: readonly {
      readonly year: number;
      readonly call: string;
      readonly distribution: string;
      readonly nav: string;
      readonly paidIn: string;
    }[];
  };
  readonly irrGrid: readonly PricePoint[];
  readonly sensitivity: {
    readonly navChanges: readonly string[];
    readonly irrs: readonly string[];
    readonly pctOfNav: readonly (readonly (string | null)[])[];
  };
  /**
   * ok: `floor` (appraisal × ratio) is the lowest reprice without the approving unit's consent;
   * `appraisalValue` is what a first listing may not go below (domain.md).
   */
  readonly stateOwnedFloor:
    | {
        readonly ok: true;
        readonly appraisalValue: string;
        readonly floor: string;
        readonly ratio: string;
        readonly validThrough: string;
        readonly approvalRef: string | null;
      }
    | { readonly ok: false; readonly code: string; readonly detail: string }
    | null;
  readonly warnings: readonly string[];
  readonly contentHash: { readonly algorithm: string; readonly hex: string };
}

const DISCOUNT_DP = 8;
const ONE_FEN = new Dec('0.01');
const FRACTION_DP = 12;
const fixed = (d: Decimal, dp: number): string => d.round(dp, Rounding.HALF_UP).toFixed(dp);
const pct = (d: Decimal | null): string | null => (d === null ? null : formatPct(d));

interface Scenario {
  /** Fair value of each holding, in the order of the model's holdings. */
  readonly fairValues: readonly Decimal[];
  readonly holdingsFairValue: Decimal;
  readonly adjustedNav: Decimal;
  readonly liquidation: HypotheticalLiquidation;
  readonly shareValue: Decimal;
}

/** What every scenario shares: the parsed input, the prepared holdings and the actual waterfall history. */
interface ReportContext {
  readonly p: ParsedReportInput;
  readonly prepared: readonly PreparedHolding[];
  readonly history: WaterfallResult;
  /** American only: each deal with the positions of its holdings among the model's holdings. */
  readonly deals:
    | readonly { readonly id: string; readonly flows: readonly FundFlow[]; readonly holdingIndexes: readonly number[] }[]
    | null;
}

function reportContext(p: ParsedReportInput): ReportContext {
  const prepared = prepareHoldings(p.model.holdings, {
    valuationDate: p.model.valuationDate,
    lockupDaysPerYear: p.settings.lockupDaysPerYear,
  });
  const indexById = new Map(prepared.map((h, i) => [h.id, i]));
  const deals =
    p.deals?.map((d) => ({
      id: d.id,
      flows: d.flows,
      holdingIndexes: d.holdingIds.map((id) => {
        const index = indexById.get(id);
        if (index === undefined) throw new ValuationError('INVALID_INPUT', `waterfall.deals ${d.id} names unknown holding ${id}`);
        return index;
      }),
    })) ?? null;
  return { p, prepared, history: runEuropeanWaterfall(p.terms, p.history), deals };
}

function liquidate(ctx: ReportContext, fairValues: readonly Decimal[], nav: Decimal): HypotheticalLiquidation {
  const { p } = ctx;
  if (ctx.deals === null) return europeanLiquidation(p.terms, ctx.history, nav, p.ageYears);
  const deals = ctx.deals.map((d) => ({ id: d.id, flows: d.flows, nav: sum(d.holdingIndexes.map((i) => fairValues[i]!)) }));
  return americanLiquidation(p.terms, p.history, deals, nav, p.ageYears);
}

function scenario(ctx: ReportContext, fairValues: readonly Decimal[], navOf: (holdingsFairValue: Decimal) => Decimal): Scenario {
  const holdingsFairValue = sum(fairValues);
  const adjustedNav = navOf(holdingsFairValue);
  const liquidation = liquidate(ctx, fairValues, adjustedNav);
  return { fairValues, holdingsFairValue, adjustedNav, liquidation, shareValue: liquidation.lpValue.times(ctx.p.fraction) };
}

function pricePoint(projection: Projection, rate: RatePoint, referenceNav: Decimal): PricePoint {
  const years = projection.params.lifeYears - projection.start.ageYears;
  const price = fromDouble(requireFinite(priceAt(projection, rate.value), () => priceOverflowDetail(rate.field, rate.text, years)));
  const pctOfNav = pctOf(price, referenceNav, 2);
  return {
    irr: rate.text,
    price: formatYuan(price),
    pctOfNav: pct(pctOfNav),
    discountPct: pctOfNav === null ? null : formatPct(HUNDRED.minus(pctOfNav)),
  };
}

/** The buyer's IRR at a price of 100% of the reference NAV: −NAV_ref now, then the projected flows. */
function irrAtReferenceNav(projection: Projection, referenceNav: Decimal): string | null {
  const flows = [-toDouble(referenceNav), ...projection.years.map((y) => y.distribution - y.call)];
  const last = projection.years[projection.years.length - 1];
  if (last) flows[flows.length - 1]! += last.nav;
  const result = solveIrr(flows);
  return result.ok ? fixed(fromDouble(result.irr), DISCOUNT_DP) : null;
}

export function buildValuationReport(input: ValuationReportInput, digest: ReportDigest): ValuationReport {
  const p = parseReportInput(input);
  const ctx = reportContext(p);
  const baseHoldings = ctx.prepared.map((h) => valuePrepared(h, NO_SHOCK));
  const nav = fundNav({
    reportedNav: p.reportedNav,
    callsSinceReport: p.callsSinceReport,
    distributionsSinceReport: p.distributionsSinceReport,
    holdings: baseHoldings,
    cash: p.cash,
    liabilities: p.liabilities,
  });
  const adjustedNav = p.settings.navBasis === 'roll-forward' ? nav.rolledForward : nav.bottomUp;
  const base = scenario(
    ctx,
    baseHoldings.map((h) => h.fairValue),
    () => adjustedNav,
  );
  // The range moves the base NAV by what the shocks do to the holdings, whichever basis is used.
  const shifted = (fv: Decimal) => adjustedNav.plus(fv.minus(base.holdingsFairValue));
  const low = scenario(
    ctx,
    ctx.prepared.map((h) => fairValueUnder(h, p.lowShock)),
    shifted,
  );
  const high = scenario(
    ctx,
    ctx.prepared.map((h) => fairValueUnder(h, p.highShock)),
    shifted,
  );

  const startFrom = (value: Decimal) => project(p.projection, { ageYears: p.ageYears, nav: toDouble(value), paidIn: toDouble(p.paidIn) });
  const baseProjection = startFrom(base.shareValue);
  // Not base.shareValue × (1 + change): the waterfall is not linear in the NAV (the preference and
  // the catch-up make the carry jump), so each shocked NAV is liquidated on its own, like the range.
  const sensitivity = p.sensitivityNavChanges.map((change) => {
    const shockedNav = adjustedNav.times(ONE.plus(new Dec(change.text)));
    const shocked = scenario(ctx, base.fairValues, () => shockedNav);
    const projection = startFrom(shocked.shareValue);
    return p.sensitivityIrrs.map((rate) => pricePoint(projection, rate, p.referenceNav).pctOfNav);
  });

  const so = p.share.stateOwned;
  const floor = so
    ? stateOwnedFloor({
        appraisalValue: decimalField(so.appraisalValue, 'share.stateOwned.appraisalValue'),
        appraisalBaseDate: so.appraisalBaseDate,
        ratio: decimalField(so.ratio, 'share.stateOwned.ratio'),
        ...(so.approvalRef === undefined ? {} : { approvalRef: so.approvalRef }),
        onDate: p.model.valuationDate,
      })
    : null;

  const warnings: string[] = [];
  if (nav.reconciliationDifference.abs().gte(ONE_FEN)) {
    warnings.push(`the bottom-up NAV differs from the rolled-forward NAV by ${formatYuan(nav.reconciliationDifference)}`);
  }
  if (p.model.waterfall.kind === 'american' && p.deals === null) {
    warnings.push('american waterfall without deals: the accrued carry is the whole-fund carry (the clawback bound)');
  }
  if (adjustedNav.lt(ZERO)) warnings.push('the adjusted NAV is negative: the LPs are valued at 0');
  if (!p.referenceNav.gt(ZERO)) warnings.push('the reference NAV is not positive: no price is given as % of NAV or as a discount');

  const body: Omit<ValuationReport, 'contentHash'> = {
    kind: 'fund-share-valuation',
    version: 1,
    fundId: p.model.fundId,
    fundName: p.model.name,
    valuationDate: p.model.valuationDate,
    inputs: { model: p.model, share: p.share, settings: p.settings },
    holdings: baseHoldings.map((h) => ({
      id: h.id,
      name: h.name,
      method: h.method,
      equityValue: formatYuan(h.equityValue),
      ownership: h.ownership === null ? null : fixed(h.ownership, FRACTION_DP),
      discountModel: h.discountModel,
      discount: fixed(h.discount, DISCOUNT_DP),
      fairValue: formatYuan(h.fairValue),
      reportedValue: h.reportedValue === null ? null : formatYuan(h.reportedValue),
      details: h.details,
    })),
    fundNav: {
      basis: p.settings.navBasis,
      reported: formatYuan(nav.reportedNav),
      callsSinceReport: formatYuan(nav.callsSinceReport),
      distributionsSinceReport: formatYuan(nav.distributionsSinceReport),
      markChanges: formatYuan(nav.markChanges),
      rolledForward: formatYuan(nav.rolledForward),
      holdingsFairValue: formatYuan(nav.holdingsFairValue),
      cash: formatYuan(nav.cash),
      liabilities: formatYuan(nav.liabilities),
      bottomUp: formatYuan(nav.bottomUp),
      reconciliationDifference: formatYuan(nav.reconciliationDifference),
      adjusted: formatYuan(adjustedNav),
    },
    waterfall: {
      kind: p.model.waterfall.kind,
      year: p.ageYears,
      liquidationAmount: formatYuan(base.liquidation.liquidationAmount),
      lpValue: formatYuan(base.liquidation.lpValue),
      accruedCarry: formatYuan(base.liquidation.accruedCarry),
    },
    share: {
      fraction: fixed(p.fraction, FRACTION_DP),
      commitment: formatYuan(p.commitment),
      paidIn: formatYuan(p.paidIn),
      unfunded: formatYuan(p.commitment.minus(p.paidIn)),
      referenceNav: formatYuan(p.referenceNav),
      fairValue: { low: formatYuan(low.shareValue), base: formatYuan(base.shareValue), high: formatYuan(high.shareValue) },
      fairValuePctOfNav: {
        low: pct(pctOf(low.shareValue, p.referenceNav, 2)),
        base: pct(pctOf(base.shareValue, p.referenceNav, 2)),
        high: pct(pctOf(high.shareValue, p.referenceNav, 2)),
      },
      irrAtReferenceNav: irrAtReferenceNav(baseProjection, p.referenceNav),
    },
    projection: {
      ageYears: p.ageYears,
      years: baseProjection.years.map((y) => ({
        year: y.year,
        call: formatYuan(fromDouble(y.call)),
        distribution: formatYuan(fromDouble(y.distribution)),
        nav: formatYuan(fromDouble(y.nav)),
        paidIn: formatYuan(fromDouble(y.paidIn)),
      })),
    },
    irrGrid: p.targetIrrs.map((rate) => pricePoint(baseProjection, rate, p.referenceNav)),
    sensitivity: {
      navChanges: p.sensitivityNavChanges.map((c) => c.text),
      irrs: p.sensitivityIrrs.map((r) => r.text),
      pctOfNav: sensitivity,
    },
    // Both money figures of the floor are minimums, so both round up to the fen (the floor already
    // is; an appraisal filed with more decimals must not print below itself).
    stateOwnedFloor:
      floor === null
        ? null
        : floor.ok
          ? {
              ok: true,
              appraisalValue: formatYuan(floor.appraisalValue, Rounding.UP),
              floor: formatYuan(floor.floor),
              ratio: floor.ratio.toString(),
              validThrough: floor.validThrough,
              approvalRef: floor.approvalRef,
            }
          : floor,
    warnings,
  };
  return { ...body, contentHash: { algorithm: digest.algorithm, hex: digest.digestHex(canonicalJson(body)) } };
}

/** The canonical JSON the content hash covers: the whole report without its contentHash. */
export function reportCanonicalJson(report: ValuationReport): string {
  const { contentHash: _omitted, ...body } = report;
  return canonicalJson(body);
}

/** True when the report's content hash matches its content. */
export function verifyReportHash(report: ValuationReport, digest: ReportDigest): boolean {
  return report.contentHash.algorithm === digest.algorithm && report.contentHash.hex === digest.digestHex(reportCanonicalJson(report));
}
