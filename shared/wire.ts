/**
 * Wire formats shared by server and client: zod schemas for decimal strings and the public shapes
 * of api.md. A JSON number where a decimal belongs fails these schemas (z.string() refuses numbers).
 */
import { z } from 'zod';
import { isDecimalString, isPctString, isQuantityString, isYuanString } from './decimal';

export const yuan = z.string().refine(isYuanString, 'must be a yuan amount as a string with at most 2 decimals, e.g. "12500000.00"');
export const pct = z.string().refine(isPctString, 'must be a percent of NAV as a string with at most 2 decimals, e.g. "87.50"');
export const quantity = z.string().refine(isQuantityString, 'must be a whole-yuan commitment quantity as a string, e.g. "5000000"');
export const decimal = z.string().refine(isDecimalString, 'must be a decimal number as a string, e.g. "0.45"');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
export const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');

export const fundSummary = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string(),
  manager: z.string(),
  strategy: z.string(),
  vintage: z.number().int(),
  lotSize: quantity,
  navReferenceDate: isoDate.nullable(),
  /** NAV per yuan of commitment (8 decimals, rounded): for display; amounts come from `nav` and `totalCommitment`. */
  navPerCommitment: decimal.nullable(),
  /** The latest NAV report's fund NAV and the fund's total commitment: NAV attributable to q = nav × q ÷ totalCommitment. */
  nav: yuan.nullable(),
  totalCommitment: yuan,
  bestBidPct: pct.nullable(),
  bestAskPct: pct.nullable(),
  lastPct: pct.nullable(),
  /** Model price from the fund's valuation report (GET /api/funds/:fundId/valuation), percent of NAV. */
  modelPct: pct.nullable(),
});
export type FundSummary = z.infer<typeof fundSummary>;

export const navReport = z.object({
  referenceDate: isoDate,
  nav: yuan,
  paidIn: yuan,
  cumulativeDistributions: yuan,
  publishedAt: z.string(),
});

export const transferTerms = z.object({
  rofrEnabled: z.boolean(),
  rofrWindowDays: z.number().int(),
  gpConsentRequired: z.boolean(),
  pledgeAllowed: z.boolean(),
  pledgeNeedsConsent: z.boolean(),
  investorCap: z.number().int(),
  minHolding: quantity,
  roundTripWorkingDays: z.number().int(),
});

export const fundDetail = fundSummary.extend({
  managerOrgId: z.string(),
  termYears: z.number().int(),
  currency: z.literal('CNY'),
  amacFiling: z.string(),
  investorCount: z.number().int(),
  latestNav: navReport.nullable(),
  terms: transferTerms,
});
export type FundDetail = z.infer<typeof fundDetail>;

export const positionView = z.object({
  fundId: z.string(),
  fundName: z.string(),
  commitment: quantity,
  paidIn: yuan,
  unfunded: yuan,
  available: quantity,
  pledged: quantity,
  onOffer: quantity,
  reserved: quantity,
  nav: yuan.nullable(),
  /** What the holder received from the fund's approved in-kind distributions (实物分配), oldest first. */
  inKindReceipts: z.array(
    z.object({
      distributionId: z.string(),
      security: z.object({ code: z.string(), name: z.string(), market: z.string() }),
      shares: z.string(),
      sharesInLieu: z.string(),
      cashInLieu: yuan,
      referencePrice: yuan,
      receivedAt: z.string(),
    }),
  ),
});
export type PositionView = z.infer<typeof positionView>;

export const loginResponse = z.object({
  token: z.string(),
  user: z.object({
    id: z.string(),
    orgId: z.string(),
    orgName: z.string(),
    roles: z.array(z.string()),
    orgKind: z.enum(['lp', 'buyer', 'gp', 'exchange', 'pledgee']),
    stateOwned: z.boolean(),
    /** True until the user replaces the initial password an administrator gave it (POST /api/auth/password). */
    mustChangePassword: z.boolean(),
  }),
});
