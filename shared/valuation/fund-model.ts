/**
 * The input of a fund valuation report: what the server assembles from its database (or a demo
 * fund) and hands to `buildValuationReport`. Plain JSON-shaped data: decimals as strings (parsed
 * with shared/decimal's parseDecimal: up to 12 decimals, no exponent), dates as 'YYYY-MM-DD',
 * whole years as integers. The report echoes it verbatim, so the report alone reproduces itself.
 */
import type { DlomSpec } from './dlom';

export type MultipleKind = 'P/E' | 'P/B' | 'EV/Sales' | 'EV/EBITDA' | 'EV/EBIT';

interface HoldingCommon {
  readonly id: string;
  readonly name: string;
  /** The holding's value in the latest NAV report; when given, its mark change rolls the NAV forward. */
  readonly reportedValue?: string;
}

/** Listed and freely tradable: closing price × shares. */
export interface ListedHolding extends HoldingCommon {
  readonly method: 'listed';
  readonly closePrice: string;
  readonly shares: string;
}

/** Listed but locked up: closing price of the free share × shares × (1 − LoMD), AMAC 2017. */
export interface LockedListedHolding extends HoldingCommon {
  readonly method: 'listed-locked';
  readonly closePrice: string;
  readonly shares: string;
  /** Annualised volatility (see lockup.annualisedVolatility for the window rule). */
  readonly volatility: string;
  readonly lockupEndDate: string;
  readonly dividendYield?: string;
}

interface UnlistedCommon extends HoldingCommon {
  /** The fund's fraction of the company's equity, e.g. "0.085". */
  readonly ownership: string;
  readonly dlom: DlomSpec;
}

/** Recent financing round as a calibration point: post-money equity × calibration (rights, time since). */
export interface RecentFinancingHolding extends UnlistedCommon {
  readonly method: 'recent-financing';
  readonly postMoneyValue: string;
  /** Adjustment for preferences, guarantees and time since the round; 1 when not given. */
  readonly calibrationFactor?: string;
  readonly roundDate?: string;
}

/** Market multiple: metric × comparable multiple × adjustment, less net debt for EV multiples. */
export interface MultipleHolding extends UnlistedCommon {
  readonly method: 'multiple';
  readonly multipleKind: MultipleKind;
  /** Earnings, book equity, sales, EBITDA or EBIT of the company (matching multipleKind). */
  readonly metric: string;
  /** The comparable companies' multiple (e.g. their median). */
  readonly multiple: string;
  /** Comparable-company adjustment (size, growth, liquidity), 1 when not given. */
  readonly adjustmentFactor?: string;
  /** Net debt, subtracted from enterprise value for the EV multiples; refused for P/E and P/B. */
  readonly netDebt?: string;
}

/** Discounted cash flow: explicit yearly free cash flows + Gordon terminal value, less net debt. */
export interface DcfHolding extends UnlistedCommon {
  readonly method: 'dcf';
  /** Free cash flow to the firm in years 1..N after the valuation date. */
  readonly cashFlows: readonly string[];
  readonly discountRate: string;
  readonly terminalGrowth: string;
  readonly netDebt?: string;
}

/** Net assets (book or revalued), × an adjustment factor. */
export interface NetAssetsHolding extends UnlistedCommon {
  readonly method: 'net-assets';
  readonly netAssets: string;
  readonly adjustmentFactor?: string;
}

export type HoldingInput = ListedHolding | LockedListedHolding | RecentFinancingHolding | MultipleHolding | DcfHolding | NetAssetsHolding;

export type HoldingMethod = HoldingInput['method'];

/** One year-end fund cash flow, years counted from the fund's first close (year 1 ends 12 months in). */
export interface FlowInput {
  readonly year: number;
  readonly call?: string;
  readonly distribution?: string;
}

export interface WaterfallTermsInput {
  readonly kind: 'european' | 'american';
  /** Preferred return h, compounded annually, e.g. "0.08". */
  readonly hurdle: string;
  /** GP catch-up rate c ("1" = full catch-up; "0" = none; otherwise it must exceed carry). */
  readonly catchUp: string;
  /** Carried interest k, e.g. "0.20". */
  readonly carry: string;
  /** The fund's actual calls and distributions so far (LP capital; GP commitment 0). */
  readonly history: readonly FlowInput[];
  /** American only: each deal's own flows and the holdings that make up its remaining value. */
  readonly deals?: readonly { readonly id: string; readonly holdingIds: readonly string[]; readonly flows: readonly FlowInput[] }[];
}

export interface ProjectionInput {
  /** Completed years since first close at the valuation date (t0 of the projection). */
  readonly ageYears: number;
  readonly lifeYears: number;
  /** Call rates by fund age 1, 2, …; a shorter list repeats its last rate. */
  readonly callRates: readonly string[];
  readonly bow: string;
  /** Growth G of NAV, net of fees and carry. */
  readonly growth: string;
  /** Yield floor Y of the distribution rate. */
  readonly yield: string;
}

export interface FundModel {
  readonly fundId: string;
  readonly name: string;
  readonly valuationDate: string;
  readonly totalCommitment: string;
  readonly holdings: readonly HoldingInput[];
  readonly cash: string;
  readonly liabilities: string;
  readonly navReport: {
    readonly referenceDate: string;
    readonly nav: string;
    readonly paidIn: string;
    readonly cumulativeDistributions: string;
  };
  /** Fund-level calls and distributions between the NAV reference date and the valuation date. */
  readonly sinceReport: { readonly calls: string; readonly distributions: string };
  readonly waterfall: WaterfallTermsInput;
  readonly projection: ProjectionInput;
}

/** The state-owned overlay: a filed appraisal and the floor ratio (≥ 0.90 unless approved). */
export interface StateOwnedInput {
  readonly appraisalValue: string;
  readonly appraisalBaseDate: string;
  readonly ratio: string;
  readonly approvalRef?: string;
}

/** The LP share being valued. */
export interface LpShareInput {
  readonly lpId?: string;
  readonly commitment: string;
  readonly paidIn: string;
  readonly stateOwned?: StateOwnedInput;
}

/** Every convention of a valuation, stored with it (see valuation.md "(setting)"). */
export interface ValuationSettings {
  /** Which L2 NAV is the base: the GP's report rolled forward, or the sum of holdings + cash − liabilities. */
  readonly navBasis: 'roll-forward' | 'bottom-up';
  /** Calendar days per year for the remaining lock-up T. */
  readonly lockupDaysPerYear: number;
  /** Buyer target IRRs of the price grid. */
  readonly targetIrrs: readonly string[];
  /** Sensitivity rows: relative change of the share's NAV, e.g. "-0.10". */
  readonly sensitivityNavChanges: readonly string[];
  /** Sensitivity columns: buyer target IRRs. */
  readonly sensitivityIrrs: readonly string[];
  /** The fair-value range: low applies each shock against the holder, high in its favour. */
  readonly range: {
    /** Relative move of listed closing prices, e.g. "0.10" = ±10%. */
    readonly listedPriceShock: string;
    /** Relative move of unlisted equity values. */
    readonly unlistedValueShock: string;
    /** Relative move of every volatility (lock-up and DLOM); low uses the higher volatility. */
    readonly volatilityShock: string;
  };
}

export const DEFAULT_VALUATION_SETTINGS: ValuationSettings = {
  navBasis: 'roll-forward',
  lockupDaysPerYear: 365,
  targetIrrs: ['0.10', '0.12', '0.15', '0.20'],
  sensitivityNavChanges: ['-0.20', '-0.10', '0', '0.10', '0.20'],
  sensitivityIrrs: ['0.10', '0.12', '0.15', '0.20', '0.25'],
  range: { listedPriceShock: '0.10', unlistedValueShock: '0.20', volatilityShock: '0.25' },
};
