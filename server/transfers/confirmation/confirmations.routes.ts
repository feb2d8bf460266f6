/**
 * HTTP routes of issued confirmations: the stored PDF, public verification, the revocation reason (parties, operators), two-operator
 * revocation.
 */
import { z } from 'zod';
import { id } from '../../../shared/wire';
import { route } from '../../http/route';
import type { ConfirmationsService } from './confirmations.service';
import { NUMBER_RE } from './store';

const numberParams = z.object({ number: z.string().regex(NUMBER_RE, 'must be a confirmation number such as SFX-2026-000001') });
const revocation = z.object({
  number: z.string(),
  transferId: z.string(),
  revocation: z.object({ state: z.enum(['requested', 'revoked']) }).passthrough(),
});

export const confirmationsRoutes = (confirmations: ConfirmationsService) => [
  route({
    method: 'get',
    path: '/api/transfers/:transferId/confirmation.pdf',
    tag: 'confirmations',
    access: 'signed-in',
    summary: 'The transfer confirmation (交易凭证) PDF, once issued: the exact stored bytes every time (its parties and operators)',
    params: z.object({ transferId: id }),
    errors: ['NOT_FOUND'],
    handler: async ({ principal, params }) => ({ raw: await confirmations.pdf(principal, params.transferId) }),
  }),
  route({
    method: 'get',
    path: '/api/confirmations/:number/verify',
    tag: 'confirmations',
    access: 'public',
    summary:
      'Verify a confirmation by its number (anyone): valid = issued here and ' +
      'not revoked; sha256 is the hex SHA-256 of the exact PDF bytes served. ' +
      'Give ?sha256= to check a document you hold',
    params: numberParams,
    query: z
      .object({
        sha256: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/)
          .optional(),
      })
      .strict(),
    response: z.object({
      valid: z.boolean(),
      number: z.string(),
      sha256: z.string().nullable(),
      issuedAt: z.string().nullable(),
      revoked: z.boolean(),
      revokedAt: z.string().nullable(),
      matches: z.boolean().optional(),
      auditHead: z.object({ count: z.number().int(), headHash: z.string() }).nullable(),
    }),
    handler: ({ params, query }) => confirmations.verify(params.number, query.sha256),
  }),
  route({
    method: 'get',
    path: '/api/confirmations/:number',
    tag: 'confirmations',
    access: 'signed-in',
    summary:
      'An issued confirmation and its revocation with the reason (operators ' +
      "and the transfer's parties; who requested and approved it: operators only)",
    params: numberParams,
    errors: ['NOT_FOUND'],
    response: z.object({
      number: z.string(),
      transferId: z.string(),
      issuedAt: z.string(),
      sha256: z.string(),
      revocation: z.object({
        state: z.enum(['none', 'requested', 'revoked']),
        requestedAt: z.string().nullable(),
        reason: z.string().nullable(),
        revokedAt: z.string().nullable(),
        requestedBy: z.string().nullable().optional(),
        revokedBy: z.string().nullable().optional(),
      }),
    }),
    handler: ({ principal, params }) => confirmations.get(principal, params.number),
  }),
  route({
    method: 'post',
    path: '/api/confirmations/:number/revoke-requests',
    tag: 'confirmations',
    access: ['operator'],
    idempotent: true,
    successStatus: 201,
    summary: 'Request the revocation of a confirmation, with a reason (first operator); another operator must approve it',
    params: numberParams,
    body: z.object({ reason: z.string().trim().min(1).max(2000) }).strict(),
    response: revocation,
    errors: ['NOT_FOUND', 'INVALID_STATE', 'REVOCATION_PENDING', 'IDEMPOTENCY_KEY_REUSED'],
    handler: async ({ principal, params, body, idempotencyKey }) => {
      const out = await confirmations.requestRevocation(principal, params.number, body.reason, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
  route({
    method: 'post',
    path: '/api/confirmations/:number/revoke',
    tag: 'confirmations',
    access: ['operator'],
    idempotent: true,
    summary:
      'Approve a requested revocation (a different operator from the requester: four eyes); the confirmation then verifies as revoked',
    params: numberParams,
    body: z.object({}).strict().optional(),
    response: revocation,
    errors: ['NOT_FOUND', 'INVALID_STATE', 'FOUR_EYES', 'IDEMPOTENCY_KEY_REUSED'],
    handler: async ({ principal, params, idempotencyKey }) => {
      const out = await confirmations.approveRevocation(principal, params.number, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
];
