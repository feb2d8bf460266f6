/** The state-owned listing most suites create: lp-soe's 100 m of `bj-ic-2019` at its appraisal, by open auction. */
export const stateOwnedListingBody = (overrides: Record<string, unknown> = {}) => ({
  fundId: 'bj-ic-2019',
  quantity: '100000000',
  method: 'auction',
  askPrice: '150000000.00',
  increment: '1000000.00',
  depositAmount: '30000000.00',
  buyerConditions: ['A qualified investor under the Interim Measures'],
  stateOwned: {
    resolutionRef: 'SOE-RES-2026-07',
    approvalRef: 'SASAC-BJ-2026-118',
    appraisalRef: 'APR-2026-031',
    appraisalValue: '150000000.00',
    appraisalBaseDate: '2026-06-30',
  },
  ...overrides,
});
