import { z } from 'zod';
import { id, quantity, yuan } from '../../shared/wire';
import { route } from '../http/route';
import type { PledgesService } from './pledges.service';

const createBody = z.object({ fundId: id, quantity, pledgeeOrgId: id, securedAmount: yuan, contractRef: z.string().max(200) }).strict();
// The action's own fields are checked by the core's parsePledgeCommand (VALIDATION_FAILED).
const actionBody = z.object({ action: z.string() }).passthrough();
const historyEntry = z.object({
  action: z.string(),
  by: z.object({ userId: z.string(), name: z.string() }),
  at: z.string(),
  reason: z.string().optional(),
  registrationRef: z.string().optional(),
  releaseRef: z.string().optional(),
});
export const pledgeView = z.object({
  id: z.string(),
  fundId: z.string(),
  pledgorOrgId: z.string(),
  pledgeeOrgId: z.string(),
  quantity,
  securedAmount: yuan,
  contractRef: z.string(),
  state: z.enum(['consent_pending', 'registration_pending', 'registered', 'released', 'refused', 'withdrawn']),
  registrationRef: z.string().nullable(),
  releaseRef: z.string().nullable(),
  history: z.array(historyEntry),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const params = z.object({ pledgeId: id });
const COMMON = ['NOT_FOUND', 'INVALID_STATE', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED'] as const;

export const pledgesRoutes = (pledges: PledgesService) => [
  route({
    method: 'post',
    path: '/api/pledges',
    tag: 'pledges',
    access: ['seller'],
    idempotent: true,
    successStatus: 201,
    summary: 'Pledge fund shares (份额质押) to a pledgee: whole lots, held from the request; GP consent first where the fund needs it',
    body: createBody,
    response: pledgeView,
    errors: [...COMMON, 'PLEDGE_NOT_ALLOWED', 'QUANTITY_NOT_ON_LOT', 'INSUFFICIENT_POSITION'],
    handler: async ({ body, principal, idempotencyKey }) => {
      const out = await pledges.create(principal, body, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
  route({
    method: 'get',
    path: '/api/pledges',
    tag: 'pledges',
    access: 'signed-in',
    summary: "Pledges: the caller's organisation's as pledgor or pledgee, its funds' as GP; every pledge for operators",
    response: z.array(pledgeView),
    handler: ({ principal }) => pledges.list(principal),
  }),
  route({
    method: 'get',
    path: '/api/pledges/:pledgeId',
    tag: 'pledges',
    access: 'signed-in',
    summary: 'One pledge with its history (action, actor, time)',
    params,
    response: pledgeView,
    errors: ['NOT_FOUND'],
    handler: ({ params, principal }) => pledges.get(principal, params.pledgeId),
  }),
  route({
    method: 'post',
    path: '/api/pledges/:pledgeId/actions',
    tag: 'pledges',
    access: 'signed-in',
    idempotent: true,
    summary:
      "A pledge action {action, ...}: gp_consent, gp_refuse {reason} (the fund's GP), register {registrationRef} and " +
      'release {releaseRef} (an operator), withdraw (the pledgor, before registration)',
    params,
    body: actionBody,
    response: pledgeView,
    errors: [...COMMON],
    handler: async ({ params, body, principal, idempotencyKey }) => {
      const out = await pledges.act(principal, params.pledgeId, body, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
];
