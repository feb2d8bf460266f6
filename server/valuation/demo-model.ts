/**
 * The fund model (shared/valuation FundModel) of a demo fund, built from code at request time from
 * the fund's row, its latest NAV report and the valuation date: the same three give the same model,
 * so the report and its content hash are reproducible, and the report echoes the whole model.
 *
 * Scale: the holdings' reported marks + cash − liabilities equal the reported NAV exactly (cash is
 * the balancing item), so the report's reconciliation difference is what the marks do not explain
 * (0.00 here) and its mark changes show how far the holdings moved since the report.
 * Holding figures (shares, ownership) are fixed at the NAV reference date; only the valuation date
 * moves, so lock-up discounts shrink as lock-ups run off.
 */
import { Dec, Rounding, ZERO, sum, type Decimal } from '../../shared/decimal';
import { addCalendarDays } from '../../shared/calendar';
import type { FlowInput, FundModel, HoldingInput } from '../../shared/valuation/fund-model';
import { NO_SHOCK, valueHolding } from '../../shared/valuation/holdings';
import { asianLockupDiscount, lockupYearsBetween } from '../../shared/valuation/lockup';
import { daysBetween } from '../../shared/valuation/dates';
import { DEMO_FUND_HOLDINGS, type HoldingTemplate } from './demo-holdings';

export interface FundFacts {
  id: string;
  name: string;
  vintage: number;
  termYears: number;
  totalCommitment: string;
}
export interface NavFacts {
  id: string;
  referenceDate: string;
  nav: string;
  paidIn: string;
  cumulativeDistributions: string;
}

const ONE = new Dec('1');
const OWNERSHIP_DP = 10;
/** Call rates by fund age: a quarter of the unfunded commitment in year 1, then gradually more, half a year from year 4. */
const CALL_RATES = ['0.25', '0.30', '0.40', '0.50'];
const DISTRIBUTION_YIELD = '0.05';
/** Years in which the fund called its capital, at most. */
const CALL_YEARS = 4;
/** Extension years granted beyond the term when a fund is already at or past it. */
const EXTENSION_YEARS = 2;

export const hasDemoModel = (fundId: string): boolean => fundId in DEMO_FUND_HOLDINGS;

const round2 = (d: Decimal) => d.round(2, Rounding.HALF_UP);
const str2 = (d: Decimal) => round2(d).toFixed(2);

/** Completed years since the first close (30 June of the vintage year), at least 1. */
export function fundAgeYears(vintage: number, valuationDate: string): number {
  const days = daysBetween(`${vintage}-06-30`, valuationDate);
  const years = Math.floor(days / 365.25);
  return Math.max(1, years);
}

/** The fair value of one unit of the holding's size parameter (one share, or 100% ownership) at the reference date. */
function unitFairValue(t: HoldingTemplate, referenceDate: string): Decimal {
  switch (t.kind) {
    case 'listed':
      return new Dec(t.close);
    case 'locked': {
      const years = lockupYearsBetween(referenceDate, addCalendarDays(referenceDate, t.lockDays));
      const lomd = asianLockupDiscount({ volatility: Number(t.volatility), lockupYears: years, dividendYield: 0 });
      return new Dec(t.close).times(ONE.minus(lomd.toFixed(12)));
    }
    default:
      return valueHolding(holdingOf(t, '1', referenceDate, undefined), {
        valuationDate: referenceDate,
        lockupDaysPerYear: 365,
        shock: NO_SHOCK,
      }).fairValue;
  }
}

/** The model's holding for a template with its size (shares or ownership) and reported mark. */
function holdingOf(t: HoldingTemplate, size: string, referenceDate: string, reportedValue: string | undefined): HoldingInput {
  const base = { id: t.id, name: t.name, ...(reportedValue === undefined ? {} : { reportedValue }) };
  switch (t.kind) {
    case 'listed':
      return { ...base, method: 'listed', closePrice: t.close, shares: size };
    case 'locked':
      return {
        ...base,
        method: 'listed-locked',
        closePrice: t.close,
        shares: size,
        volatility: t.volatility,
        lockupEndDate: addCalendarDays(referenceDate, t.lockDays),
      };
    case 'round':
      return {
        ...base,
        method: 'recent-financing',
        postMoneyValue: t.postMoney,
        calibrationFactor: t.calibration,
        ownership: size,
        dlom: t.dlom,
      };
    case 'multiple':
      return {
        ...base,
        method: 'multiple',
        multipleKind: t.multipleKind,
        metric: t.metric,
        multiple: t.multiple,
        adjustmentFactor: t.adjustment,
        ...(t.netDebt === undefined ? {} : { netDebt: t.netDebt }),
        ownership: size,
        dlom: t.dlom,
      };
    case 'dcf':
      return {
        ...base,
        method: 'dcf',
        cashFlows: t.cashFlows,
        discountRate: t.discountRate,
        terminalGrowth: t.terminalGrowth,
        netDebt: t.netDebt,
        ownership: size,
        dlom: t.dlom,
      };
    case 'assets':
      return { ...base, method: 'net-assets', netAssets: t.netAssets, adjustmentFactor: t.adjustment, ownership: size, dlom: t.dlom };
  }
}

/** Splits `total` into `parts` equal amounts rounded to the fen, the last taking the remainder. */
function split(total: Decimal, parts: number): Decimal[] {
  const each = round2(total.div(String(parts)));
  const out = Array.from({ length: parts }, () => each);
  out[parts - 1] = total.minus(each.times(String(parts - 1)));
  return out;
}

/** The fund's calls and distributions so far, as year-end flows in years 1..ageYears. */
function history(nav: NavFacts, ageYears: number): FlowInput[] {
  const callYears = Math.min(CALL_YEARS, ageYears);
  const calls = split(new Dec(nav.paidIn), callYears);
  const distributed = new Dec(nav.cumulativeDistributions);
  const distYears = distributed.gt(ZERO) ? Math.min(3, ageYears) : 0;
  const dists = distYears > 0 ? split(distributed, distYears) : [];
  const flows: FlowInput[] = [];
  for (let year = 1; year <= ageYears; year++) {
    const call = year <= callYears ? calls[year - 1] : undefined;
    const di = year - (ageYears - distYears) - 1;
    const distribution = di >= 0 ? dists[di] : undefined;
    if (!call && !distribution) continue;
    flows.push({ year, ...(call ? { call: str2(call) } : {}), ...(distribution ? { distribution: str2(distribution) } : {}) });
  }
  return flows;
}

/**
 * Approved in-kind distributions recorded after the NAV reference date (server/distributions): their
 * value leaves the roll-forward as distributions since the report; in the bottom-up view the cash in
 * lieu leaves the fund's cash and the delivered shares leave the listed holding whose id is the
 * security's code (its reported mark scaled to the shares that remain). A realised mark change on the
 * delivered shares, or shares of a security the model does not hold, show in the reconciliation difference.
 */
export interface InKindSinceReport {
  readonly distributed: string;
  readonly cashInLieu: string;
  readonly sharesDelivered: readonly { readonly securityCode: string; readonly shares: string }[];
}
const NO_IN_KIND: InKindSinceReport = { distributed: '0.00', cashInLieu: '0.00', sharesDelivered: [] };

/** A listed holding's shares and reported mark after the in-kind deliveries of its security. */
function afterDeliveries(h: HoldingInput, inKind: InKindSinceReport): HoldingInput {
  if (h.method !== 'listed' && h.method !== 'listed-locked') return h;
  const delivered = sum(inKind.sharesDelivered.filter((d) => d.securityCode === h.id).map((d) => new Dec(d.shares)));
  if (delivered.eq(ZERO)) return h;
  const held = new Dec(h.shares);
  const remaining = held.gt(delivered) ? held.minus(delivered) : ZERO;
  const reported =
    h.reportedValue === undefined ? {} : { reportedValue: round2(new Dec(h.reportedValue).times(remaining).div(held)).toFixed(2) };
  return { ...h, shares: remaining.toFixed(0), ...reported };
}

/** The demo fund's model at `valuationDate`, or null for a fund without demo holdings. */
export function demoFundModel(
  fund: FundFacts,
  nav: NavFacts,
  valuationDate: string,
  inKind: InKindSinceReport = NO_IN_KIND,
): FundModel | null {
  const terms = DEMO_FUND_HOLDINGS[fund.id];
  if (!terms) return null;
  const reportedNav = new Dec(nav.nav);
  const liabilities = round2(reportedNav.times(terms.liabilitiesRatio));
  const targetCash = round2(reportedNav.times(terms.cashRatio));
  const gross = reportedNav.plus(liabilities).minus(targetCash);
  const marks = terms.holdings.map((t) => round2(gross.times(t.weight)));
  const cash = reportedNav.plus(liabilities).minus(sum(marks));
  const holdings = terms.holdings.map((t, i) => {
    const current = marks[i]!.times(ONE.plus(t.drift));
    const unit = unitFairValue(t, nav.referenceDate);
    const size =
      t.kind === 'listed' || t.kind === 'locked'
        ? current.div(unit).round(0, Rounding.HALF_UP).toFixed(0)
        : current.div(unit).round(OWNERSHIP_DP, Rounding.HALF_UP).toString();
    return afterDeliveries(holdingOf(t, size, nav.referenceDate, marks[i]!.toFixed(2)), inKind);
  });
  const ageYears = fundAgeYears(fund.vintage, valuationDate);
  const lifeYears = Math.max(fund.termYears, ageYears + EXTENSION_YEARS);
  return {
    fundId: fund.id,
    name: fund.name,
    valuationDate,
    totalCommitment: new Dec(fund.totalCommitment).toFixed(2),
    holdings,
    cash: cash.minus(inKind.cashInLieu).toFixed(2),
    liabilities: liabilities.toFixed(2),
    navReport: {
      referenceDate: nav.referenceDate,
      nav: reportedNav.toFixed(2),
      paidIn: new Dec(nav.paidIn).toFixed(2),
      cumulativeDistributions: new Dec(nav.cumulativeDistributions).toFixed(2),
    },
    // Calls after the reference date are not tracked by the exchange's demo data; approved in-kind distributions are.
    sinceReport: { calls: '0.00', distributions: new Dec(inKind.distributed).toFixed(2) },
    waterfall: { kind: 'european', hurdle: terms.hurdle, catchUp: '1', carry: terms.carry, history: history(nav, ageYears) },
    projection: { ageYears, lifeYears, callRates: CALL_RATES, bow: terms.bow, growth: terms.growth, yield: DISTRIBUTION_YIELD },
  };
}
