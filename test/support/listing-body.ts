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

type Answer = { status: number; body: unknown };

/**
 * The transferor's side of the state-owned qualification handshake, over HTTP: the seller's user agrees to the
 * exchange's positive opinion on `orgId`, so that its deposit may be confirmed. `act` posts a listing action as
 * the given token. Fails the test on anything but 200.
 */
export async function sellerAgrees(
  act: (token: string, listingId: string, body: Record<string, unknown>) => Promise<Answer>,
  sellerToken: string,
  listingId: string,
  orgId: string,
): Promise<void> {
  const r = await act(sellerToken, listingId, { action: 'seller_answer', orgId, answer: 'agree' });
  if (r.status !== 200) throw new Error(`seller_answer for ${orgId} answered ${r.status}: ${JSON.stringify(r.body)}`);
}
