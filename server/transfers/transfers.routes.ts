/**
 * HTTP routes of the transfer workflow (api.md: transfers rows). Who may act is decided by the domain
 * (`canView`, `forbiddenReason`): a transfer the caller may not see is 404, an action it may not take 403.
 */
import { z } from 'zod';
import { id } from '../../shared/wire';
import { route } from '../http/route';
import type { TransfersService } from './transfers.service';
import { transferView } from './transfers.views';

const text = (max: number) => z.string().max(max);

/** Presence and content of reason, bankRef and registrationRef are the domain's checks (after FORBIDDEN and INVALID_STATE). */
export const actionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('rofr_waive') }).strict(),
  z.object({ action: z.literal('rofr_exercise') }).strict(),
  z.object({ action: z.literal('sign') }).strict(),
  z.object({ action: z.literal('gp_consent') }).strict(),
  z.object({ action: z.literal('gp_refuse'), reason: text(4000).optional() }).strict(),
  z.object({ action: z.literal('review') }).strict(),
  z.object({ action: z.literal('approve') }).strict(),
  z.object({ action: z.literal('reject'), reason: text(4000).optional() }).strict(),
  z
    .object({
      action: z.literal('choose_payment'),
      method: z.enum(['lump_sum', 'instalments']).optional(),
      instalments: z
        .array(z.object({ amount: z.string().max(40), monthsAfterContract: z.number().int().optional() }).strict())
        .max(24)
        .optional()
        .describe('the first without monthsAfterContract (due within instalmentFirstWorkingDays of the contract date)'),
      guaranteeRef: text(400).optional(),
    })
    .strict(),
  z
    .object({
      action: z.literal('confirm_payment'),
      bankRef: text(400).optional(),
      buyerOrgId: id.optional(),
      instalment: z.number().int().optional().describe('a leg paid by instalments: which one (default the next)'),
    })
    .strict(),
  z
    .object({
      action: z.literal('record_registration'),
      registrationRef: text(400).optional(),
      amacRef: text(400).optional(),
      stateEquityRef: text(400).optional(),
    })
    .strict(),
]);

const STATES = [
  'rofr_pending',
  'gp_consent_pending',
  'review_pending',
  'approval_pending',
  'payment_pending',
  'registration_pending',
  'completed',
  'refused',
  'rejected',
  'failed',
] as const;
const ACTION_ERRORS = [
  'NOT_FOUND',
  'INVALID_STATE',
  'DEADLINE_PASSED',
  'FOUR_EYES',
  'ROFR_ALREADY_ANSWERED',
  'PAYMENT_ALREADY_CONFIRMED',
  'INSTALMENTS_NOT_ALLOWED',
  'INSTALMENT_PLAN_INVALID',
  'BUYER_NOT_QUALIFIED',
  'BELOW_MIN_HOLDING',
  'INVESTOR_CAP_REACHED',
  'ROUND_TRIP_TOO_SOON',
  'INSUFFICIENT_POSITION',
  'CONFLICT',
  'CONFIRMATION_RENDER_FAILED',
  'IDEMPOTENCY_KEY_REUSED',
];

export const transfersRoutes = (transfers: TransfersService) => [
  route({
    method: 'get',
    path: '/api/transfers',
    tag: 'transfers',
    access: 'signed-in',
    summary:
      "Transfers: an operator's work queue (open ones, oldest deadline first; " +
      "or one state/queue); for others their organisation's transfers, the " +
      "GP's funds' transfers and open ROFR notices, newest first",
    query: z
      .object({ state: z.enum(STATES).optional(), queue: z.enum(['review', 'approval', 'payment', 'registration']).optional() })
      .strict(),
    response: z.array(transferView),
    handler: ({ principal, query }) => transfers.list(principal, query),
  }),
  route({
    method: 'get',
    path: '/api/transfers/:transferId',
    tag: 'transfers',
    access: 'signed-in',
    summary:
      "A transfer with its steps, who acts next and the caller's available " +
      "actions (its parties, the fund's GP, operators, and the fund's other " +
      'LPs while their ROFR is open)',
    params: z.object({ transferId: id }),
    response: transferView,
    errors: ['NOT_FOUND'],
    handler: ({ principal, params }) => transfers.get(principal, params.transferId),
  }),
  route({
    method: 'post',
    path: '/api/transfers/:transferId/actions',
    tag: 'transfers',
    access: 'signed-in',
    idempotent: true,
    summary:
      'Act on a transfer: rofr_waive/rofr_exercise (an LP holding the ROFR), ' +
      'sign (the seller and the buyer of a listing award, each once, ' +
      ('within contractSigningWorkingDays (5) working days; review waits for ' +
        "both; unsigned at the deadline the transfer fails and the buyer's ") +
      ('deposit is forfeited if the buyer did not sign), ' +
        'choose_payment{method: lump_sum | instalments, instalments: [{amount}, ' +
        '{amount, monthsAfterContract}...], guaranteeRef} (the buyer, before signing, where the listing ' +
        'allowed instalments; a change withdraws the signatures), ' +
        'gp_consent/gp_refuse{reason} (the GP), review, approve (another ' +
        'operator), reject{reason}, confirm_payment{bankRef, buyerOrgId?, instalment?} (an instalment: ' +
        'recorded by one operator, confirmed by another), ' +
        'record_registration{registrationRef, amacRef?, stateEquityRef?} (operators)'),
    params: z.object({ transferId: id }),
    body: actionBody,
    response: transferView,
    errors: ACTION_ERRORS,
    handler: async ({ principal, params, body, idempotencyKey }) => {
      const out = await transfers.act(principal, params.transferId, body, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
];
