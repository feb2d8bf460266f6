/** A small but complete fund model: one holding of each method, five years of history. */
import type { FundModel, LpShareInput } from '../../shared/valuation/fund-model';

export const SMALL_FUND: FundModel = {
  fundId: 'fund-1',
  name: 'Zhongguancun Growth Fund I',
  valuationDate: '2025-06-30',
  totalCommitment: '1000000000',
  holdings: [
    { id: 'h-listed', name: 'Listed Co A', method: 'listed', closePrice: '25.40', shares: '4000000', reportedValue: '95000000.00' },
    { id: 'h-locked', name: 'Listed Co B (locked)', method: 'listed-locked', closePrice: '18.20', shares: '6000000', volatility: '0.45', lockupEndDate: '2026-12-31', reportedValue: '90000000.00' },
    { id: 'h-round', name: 'Startup C', method: 'recent-financing', postMoneyValue: '2400000000', calibrationFactor: '0.95', ownership: '0.06', dlom: { model: 'asian', volatility: '0.55', yearsToLiquidity: '3' } },
    { id: 'h-multiple', name: 'Industrial D', method: 'multiple', multipleKind: 'EV/EBITDA', metric: '180000000', multiple: '9.5', adjustmentFactor: '0.85', netDebt: '300000000', ownership: '0.12', dlom: { model: 'chaffe', volatility: '0.35', yearsToLiquidity: '2', riskFreeRate: '0.02' } },
    { id: 'h-dcf', name: 'Software E', method: 'dcf', cashFlows: ['30000000', '42000000', '55000000', '66000000', '74000000'], discountRate: '0.14', terminalGrowth: '0.03', netDebt: '-20000000', ownership: '0.10', dlom: { model: 'manual', discount: '0.15', reference: 'Valuation committee minute 2025-06-28' } },
    { id: 'h-assets', name: 'Holding F', method: 'net-assets', netAssets: '150000000', ownership: '0.30', dlom: { model: 'none' } },
  ],
  cash: '42000000.00',
  liabilities: '6500000.00',
  navReport: { referenceDate: '2025-03-31', nav: '720000000.00', paidIn: '800000000.00', cumulativeDistributions: '250000000.00' },
  sinceReport: { calls: '0.00', distributions: '0.00' },
  waterfall: {
    kind: 'european',
    hurdle: '0.08',
    catchUp: '1',
    carry: '0.20',
    history: [
      { year: 1, call: '200000000' },
      { year: 2, call: '200000000' },
      { year: 3, call: '200000000' },
      { year: 4, call: '200000000', distribution: '100000000' },
      { year: 5, distribution: '150000000' },
    ],
  },
  projection: { ageYears: 5, lifeYears: 10, callRates: ['0.25', '0.333333333333', '0.5', '1'], bow: '2.5', growth: '0.12', yield: '0.05' },
};

export const SMALL_SHARE: LpShareInput = {
  lpId: 'lp-soe',
  commitment: '50000000',
  paidIn: '40000000',
  stateOwned: { appraisalValue: '38000000.00', appraisalBaseDate: '2025-03-31', ratio: '0.90' },
};
