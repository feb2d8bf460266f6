import { z } from 'zod';
import { id, isoDate, quantity, yuan } from '../../shared/wire';
import { route } from '../http/route';
import type { DistributionsService } from './distributions.service';

const proposalBody = z
  .object({
    security: z
      .object({
        code: z
          .string()
          .min(1)
          .max(20)
          .regex(/^[A-Za-z0-9.-]+$/, 'must be a security code, e.g. "688001"'),
        name: z.string().min(1).max(100),
        market: z.string().min(1).max(40),
      })
      .strict(),
    /** Whole shares, a positive integer string. */
    shares: quantity,
    referencePrice: yuan,
    recordDate: isoDate,
    facts: z.object({ fundIsControllingOrLargestShareholder: z.boolean(), lockedUp: z.boolean(), pledgedOrFrozen: z.boolean() }).strict(),
    ineligibleOrgIds: z.array(id).max(500).default([]),
  })
  .strict();

const allocation = z.object({
  orgId: z.string(),
  name: z.string(),
  eligible: z.boolean(),
  entitlement: z.string(),
  shares: z.string(),
  sharesInLieu: z.string(),
  cashInLieu: yuan,
});
export const distributionView = z.object({
  id: z.string(),
  fundId: z.string(),
  state: z.enum(['proposed', 'approved', 'rejected']),
  security: z.object({ code: z.string(), name: z.string(), market: z.string() }),
  shares: z.string(),
  referencePrice: yuan,
  recordDate: isoDate,
  facts: z.object({ fundIsControllingOrLargestShareholder: z.boolean(), lockedUp: z.boolean(), pledgedOrFrozen: z.boolean() }),
  ineligibleOrgIds: z.array(z.string()),
  allocations: z.array(allocation),
  totals: z.object({ shares: z.string(), sharesInLieu: z.string(), cashInLieu: yuan, distributedValue: yuan }),
  history: z.array(
    z.object({ action: z.string(), by: z.object({ userId: z.string(), name: z.string() }), at: z.string(), reason: z.string().optional() }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const params = z.object({ distributionId: id });

export const distributionsRoutes = (distributions: DistributionsService) => [
  route({
    method: 'post',
    path: '/api/funds/:fundId/distributions',
    tag: 'distributions',
    access: ['gp'],
    idempotent: true,
    successStatus: 201,
    summary:
      'Propose an in-kind distribution of listed shares (实物分配): whole shares pro rata to paid-in at the record date, rounded down; ' +
      'fractions and ineligible recipients paid in cash in lieu at referencePrice (half-up to the fen); ' +
      'Σ shares + Σ sharesInLieu = shares. ' +
      '422 INKIND_NOT_ALLOWED with params.reason fund_is_controlling_or_largest_shareholder | shares_locked_up | shares_pledged_or_frozen',
    params: z.object({ fundId: id }),
    body: proposalBody,
    response: distributionView,
    errors: ['NOT_FOUND', 'INKIND_NOT_ALLOWED', 'IDEMPOTENCY_KEY_REUSED'],
    handler: async ({ params, body, principal, idempotencyKey }) => {
      const out = await distributions.propose(principal, params.fundId, body, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
  route({
    method: 'get',
    path: '/api/distributions',
    tag: 'distributions',
    access: 'signed-in',
    summary:
      "In-kind distributions the caller may read: its funds' (GP), every one (operators), " +
      'or those with an allocation to it (its own row only)',
    response: z.array(distributionView),
    handler: ({ principal }) => distributions.list(principal),
  }),
  route({
    method: 'get',
    path: '/api/distributions/:distributionId',
    tag: 'distributions',
    access: 'signed-in',
    summary: 'One in-kind distribution: the GP and operators see every allocation, an LP its own row only',
    params,
    response: distributionView,
    errors: ['NOT_FOUND'],
    handler: ({ params, principal }) => distributions.get(principal, params.distributionId),
  }),
  route({
    method: 'post',
    path: '/api/distributions/:distributionId/actions',
    tag: 'distributions',
    access: ['operator'],
    idempotent: true,
    summary:
      "approve (the LPs' receipts are recorded and the value leaves the fund's NAV roll-forward) or reject {reason}; from proposed only",
    params,
    body: z.object({ action: z.string() }).passthrough(),
    response: distributionView,
    errors: ['NOT_FOUND', 'INVALID_STATE', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED'],
    handler: async ({ params, body, principal, idempotencyKey }) => {
      const out = await distributions.act(principal, params.distributionId, body, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
  route({
    method: 'get',
    path: '/api/distributions/:distributionId/statement.pdf',
    tag: 'distributions',
    access: 'signed-in',
    summary: "An LP's bilingual statement of what it received from an approved distribution (PDF)",
    params,
    errors: ['NOT_FOUND', 'INVALID_STATE'],
    handler: async ({ params, principal }) => {
      const s = await distributions.statement(principal, params.distributionId);
      return { raw: { contentType: 'application/pdf', bytes: s.bytes, filename: s.filename } };
    },
  }),
];
