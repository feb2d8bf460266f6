/**
 * The one-year Loan Prime Rate (贷款市场报价利率, LPR), the bank loan rate Order 32 (《企业国有资产交易监督管理办法》,
 * art. 28) makes the floor of the interest on a state-owned transfer's deferred balance: "按同期银行贷款利率支付延期付款期间
 * 的利息". Pure: the published history is data, and the exchange's operators record each new publication (server/loan-rates/).
 *
 * Rates are percent per year as decimal strings ('3.00'); dates are Beijing calendar dates ('YYYY-MM-DD').
 */
import { Dec } from './decimal';

export interface LoanPrimeRate {
  /** The first day the rate applies (its publication date, usually the 20th, moved to a working day). */
  effectiveDate: string;
  /** The one-year LPR, percent per year. */
  oneYearPct: string;
  /** Where it was published. */
  source: string;
}

const NIFC = '全国银行间同业拆借中心受权公布贷款市场报价利率（LPR）公告 / NIFC LPR announcement';

/**
 * The one-year LPR as published since the reform of 2019-08-20, every change up to 2025-05-20 (a month without a
 * change published the same rate again). Later publications are recorded by the exchange's operators.
 */
export const PUBLISHED_LPR: readonly LoanPrimeRate[] = [
  { effectiveDate: '2019-08-20', oneYearPct: '4.25', source: NIFC },
  { effectiveDate: '2019-09-20', oneYearPct: '4.20', source: NIFC },
  { effectiveDate: '2019-11-20', oneYearPct: '4.15', source: NIFC },
  { effectiveDate: '2020-02-20', oneYearPct: '4.05', source: NIFC },
  { effectiveDate: '2020-04-20', oneYearPct: '3.85', source: NIFC },
  { effectiveDate: '2021-12-20', oneYearPct: '3.80', source: NIFC },
  { effectiveDate: '2022-01-20', oneYearPct: '3.70', source: NIFC },
  { effectiveDate: '2022-08-22', oneYearPct: '3.65', source: NIFC },
  { effectiveDate: '2023-06-20', oneYearPct: '3.55', source: NIFC },
  { effectiveDate: '2023-08-21', oneYearPct: '3.45', source: NIFC },
  { effectiveDate: '2024-07-22', oneYearPct: '3.35', source: NIFC },
  { effectiveDate: '2024-10-21', oneYearPct: '3.10', source: NIFC },
  { effectiveDate: '2025-05-20', oneYearPct: '3.00', source: NIFC },
];

/** The rate in force on `date`: the latest of the published and the recorded ones effective by then; null before 2019-08-20. */
export function lprOn(date: string, recorded: readonly LoanPrimeRate[] = []): LoanPrimeRate | null {
  let best: LoanPrimeRate | null = null;
  for (const r of [...PUBLISHED_LPR, ...recorded])
    if (r.effectiveDate <= date && (best === null || r.effectiveDate >= best.effectiveDate)) best = r;
  return best;
}

/** The rates in force over time, oldest first: the published ones and the recorded ones (a recorded date replaces none). */
export function lprHistory(recorded: readonly LoanPrimeRate[] = []): LoanPrimeRate[] {
  return [...PUBLISHED_LPR, ...recorded].sort((a, b) =>
    a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0,
  );
}

/** True when an interest rate (percent per year) is below the LPR given. */
export const belowLpr = (ratePct: string, lpr: LoanPrimeRate): boolean => new Dec(ratePct).lt(new Dec(lpr.oneYearPct));
