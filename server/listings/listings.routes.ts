import { z } from 'zod';
import { id, isoDate, quantity, yuan } from '../../shared/wire';
import { AppError } from '../commands/errors';
import { route } from '../http/route';
import type { ListingsService } from './listings.service';

const createBody = z
  .object({
    fundId: id,
    quantity,
    method: z.enum(['auction', 'sealed']),
    askPrice: yuan,
    increment: yuan,
    depositAmount: yuan,
    buyerConditions: z.union([z.string(), z.array(z.string())]),
    disclosureWorkingDays: z.number().int().optional(),
    stateOwned: z
      .object({
        resolutionRef: z.string(),
        approvalRef: z.string(),
        appraisalRef: z.string(),
        appraisalValue: yuan,
        appraisalBaseDate: isoDate,
        belowNinetyApprovalRef: z.string().optional(),
      })
      .strict()
      .optional(),
    instalments: z
      .object({ allowed: z.boolean(), interestRatePct: z.string().optional() })
      .strict()
      .optional()
      .describe('state-owned listings only: payment by instalments allowed, at this simple interest per year (percent)'),
  })
  .strict();

/**
 * Every listing action by name. The qualification handshake's actions are validated here field by field; the
 * older actions' own fields are checked by the core's parseListingCommand (VALIDATION_FAILED either way).
 */
const passthroughAction = (action: string) => z.object({ action: z.literal(action) }).passthrough();
const OLDER_ACTIONS = [
  'submit',
  'review',
  'approve',
  'reject',
  'extend',
  'reprice',
  'withdraw',
  'end',
  'suspend',
  'resume',
  'terminate',
  'qualify',
  'confirm_deposit',
  'award',
  'confirm_award',
  'record_default',
  // Answered with where to send them (registrations, bids) or refused (tick is the scheduler's).
  'register',
  'bid',
  'tick',
] as const;
const actionBody = z.discriminatedUnion('action', [
  passthroughAction('submit'),
  ...OLDER_ACTIONS.slice(1).map(passthroughAction),
  z
    .object({
      action: z.literal('seller_answer'),
      orgId: id,
      answer: z.enum(['agree', 'object']),
      reason: z.string().max(2000).optional().describe('required with "object": for the state-asset regulator'),
    })
    .strict()
    .describe("the transferor's answer to the exchange's positive qualification opinion on a registrant (state-owned)"),
  z
    .object({
      action: z.literal('resolve_objection'),
      orgId: id,
      outcome: z.enum(['uphold', 'dismiss']),
      regulatorRef: z.string().max(200).describe("the state-asset regulator's decision reference"),
    })
    .strict()
    .describe("an operator records the regulator's decision on the transferor's objection"),
  z
    .object({ action: z.literal('confirm_resolution'), orgId: id })
    .strict()
    .describe('a different operator confirms it (FOUR_EYES otherwise): upheld → refused (TRANSFEROR_OBJECTION), dismissed → qualified'),
]);
const listingParams = z.object({ listingId: id });
const handshakeStatus = z.enum([
  'opinion_pending',
  'answer_pending',
  'objection_open',
  'resolution_pending',
  'agreed',
  'deemed_agreed',
  'objection_dismissed',
  'objection_upheld',
  'refused',
  'no_opinion',
]);
const listingView = z
  .object({
    id: z.string(),
    fundId: z.string(),
    state: z.string(),
    history: z
      .array(
        z.object({
          action: z.string(),
          by: z.object({ userId: z.string(), name: z.string() }),
          at: z.string(),
          reason: z.string().optional(),
          orgId: z.string().optional(),
        }),
      )
      .optional()
      .describe("seller and operators only: every action except bids, with a rejection's reason"),
    award: z
      .object({
        amount: z.string(),
        pctOfNav: z.string().nullable(),
        at: z.string(),
        orgId: z.string().optional(),
        orgName: z.string().optional(),
      })
      .optional()
      .describe('once the award is complete; the winner for the seller, the winner and operators'),
    qualificationPhase: z
      .object({ opinionDeadline: z.string(), depositDeadline: z.string(), depositDeadlineHeld: z.boolean(), provisional: z.boolean() })
      .nullable()
      .optional()
      .describe('state-owned: after disclosure, the opinion deadline and the deposit deadline (held while an objection is open)'),
    handshakes: z
      .array(z.object({ alias: z.string(), status: handshakeStatus, answerDueDate: z.string().nullable() }).passthrough())
      .nullable()
      .optional()
      .describe("every registrant's qualification handshake by alias, for the seller and operators"),
    sellerAnswersDue: z
      .array(z.object({ alias: z.string(), answerDueDate: z.string(), provisional: z.boolean() }))
      .nullable()
      .optional()
      .describe(
        "the transferor's next actions: each positive opinion waiting for its seller_answer, with the date after which silence " +
          'counts as agreement, soonest first (for the seller and operators while answers are taken)',
      ),
  })
  .passthrough();

const registrationRow = z.object({
  orgId: z.string(),
  orgName: z.string(),
  alias: z.string(),
  registeredAt: z.string(),
  qualified: z.boolean().nullable(),
  qualifiedAt: z.string().nullable(),
  refusalCode: z.string().nullable(),
  depositAmount: z.string(),
  depositStatus: z.enum(['due', 'confirmed', 'refund_due', 'refunded', 'forfeited', 'applied']).nullable(),
  depositDueDate: z.string().nullable(),
  depositBankRef: z.string().nullable(),
  withdrawn: z.boolean(),
  depositNotBy: z
    .array(z.string())
    .optional()
    .describe('operators only, while the deposit is due: the user ids who may not confirm it (four eyes)'),
  decisionNotBy: z
    .object({ record: z.array(z.string()), confirm: z.array(z.string()) })
    .optional()
    .describe("operators only, while an objection is open: who may not record the regulator's decision, who may not confirm it"),
  handshake: z
    .object({
      status: handshakeStatus,
      answerDueDate: z.string().nullable(),
      alias: z.string().optional(),
      opinionAt: z.string().nullable().optional(),
      answerDueProvisional: z.boolean().optional(),
      answeredAt: z.string().nullable().optional(),
      objectionReason: z.string().nullable().optional(),
      resolution: z
        .object({
          outcome: z.enum(['uphold', 'dismiss']),
          regulatorRef: z.string(),
          recordedAt: z.string(),
          confirmedAt: z.string().nullable(),
        })
        .nullable()
        .optional(),
    })
    .nullable()
    .describe("state-owned qualification handshake: all of it for operators and the seller, a buyer's own status and answer due date"),
});

const LISTING_ERRORS = ['NOT_FOUND', 'INVALID_STATE', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED'] as const;

export const listingsRoutes = (listings: ListingsService) => [
  route({
    method: 'post',
    path: '/api/listings',
    tag: 'listings',
    access: ['seller'],
    idempotent: true,
    successStatus: 201,
    summary: 'Create a listing (draft) of fund shares for disclosure and bidding; a state-owned seller gives the overlay references',
    body: createBody,
    response: listingView,
    errors: [
      ...LISTING_ERRORS,
      'QUANTITY_NOT_ON_LOT',
      'APPRAISAL_EXPIRED',
      'PRICE_BELOW_APPRAISAL',
      'DEPOSIT_TOO_HIGH',
      'INSUFFICIENT_POSITION',
      'INTEREST_BELOW_LPR',
    ],
    handler: async ({ body, principal, idempotencyKey }) => {
      const out = await listings.create(principal, body, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
  route({
    method: 'get',
    path: '/api/listings',
    tag: 'listings',
    access: 'signed-in',
    summary: 'Listings, newest first (public view: bidders by alias only)',
    response: z.array(listingView),
    handler: ({ principal }) => listings.list(principal),
  }),
  route({
    method: 'get',
    path: '/api/listings/:listingId',
    tag: 'listings',
    access: 'signed-in',
    summary: 'One listing: state, dates (Beijing), ask and implied % of NAV, bidders by alias, current price, close',
    params: listingParams,
    response: listingView,
    errors: ['NOT_FOUND'],
    handler: ({ params, principal }) => listings.get(principal, params.listingId),
  }),
  route({
    method: 'get',
    path: '/api/listings/:listingId/registrations',
    tag: 'listings',
    access: 'signed-in',
    summary:
      'Who registered: operators and the seller see every row, a buyer only ' +
      'its own (qualification, deposit status, due date, bank reference)',
    params: listingParams,
    response: z.array(registrationRow),
    errors: ['NOT_FOUND'],
    handler: ({ params, principal }) => listings.registrations(principal, params.listingId),
  }),
  route({
    method: 'post',
    path: '/api/listings/:listingId/actions',
    tag: 'listings',
    access: 'signed-in',
    idempotent: true,
    summary:
      'A listing command {action, ...}: submit, review, approve, reject, ' +
      'extend, reprice, withdraw, end, suspend, resume, terminate {reason} ' +
      ('(a suspended listing), qualify, confirm_deposit (FOUR_EYES: not by the ' +
        "operator who qualified that buyer, nor by the one who confirmed the regulator's decision dismissing an objection to it), " +
        'award (never with reveals: ') +
      'moves the listing to award_pending), confirm_award (a different operator: the trade and its transfer open then; ' +
      "both refused with WINNER_NOT_ELIGIBLE, the rulebook's code in params.reason, when the winner no longer meets " +
      'what its registration was checked for), ' +
      'the state-owned qualification handshake: seller_answer {orgId, answer: agree|object, reason?} (the transferor; silence ' +
      'until its due date counts as agreement), resolve_objection {orgId, outcome: uphold|dismiss, regulatorRef} and ' +
      'confirm_resolution {orgId} (two different operators; a deposit before the handshake settles: ' +
      'SELLER_ANSWER_PENDING), record_default ' +
      ("(not while the transfer runs); tick is the scheduler's. A state-owned " +
        'listing a time limit stopped is ended (state ended, endReason ') +
      'APPRAISAL_EXPIRED, REAPPRAISAL_REQUIRED or SUSPENSION_EXPIRED) and every later command is refused with that code',
    params: listingParams,
    body: actionBody,
    response: listingView,
    errors: [
      ...LISTING_ERRORS,
      'FOUR_EYES',
      'APPRAISAL_EXPIRED',
      'REAPPRAISAL_REQUIRED',
      'PRICE_BELOW_APPRAISAL',
      'APPROVAL_REQUIRED',
      'DEPOSIT_TOO_HIGH',
      'EXTENSION_TOO_SHORT',
      'NOT_REGISTERED',
      'BUYER_NOT_QUALIFIED',
      'DEPOSIT_ALREADY_CONFIRMED',
      'DEPOSIT_AMOUNT_MISMATCH',
      'SELLER_ANSWER_PENDING',
      'PRICE_BELOW_ASK',
      'WINNER_NOT_ELIGIBLE',
      'INSUFFICIENT_POSITION',
    ],
    handler: async ({ params, body, principal, idempotencyKey }) => {
      if (body.action === 'register' || body.action === 'bid') {
        throw new AppError('VALIDATION_FAILED', `use POST /api/listings/:listingId/${body.action === 'bid' ? 'bids' : 'registrations'}`);
      }
      const out = await listings.act(principal, params.listingId, body, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
  route({
    method: 'post',
    path: '/api/listings/:listingId/registrations',
    tag: 'listings',
    access: ['buyer'],
    idempotent: true,
    successStatus: 201,
    summary: 'Register interest during disclosure (your organisation gets a bidder alias)',
    params: listingParams,
    errors: [...LISTING_ERRORS, 'ALREADY_REGISTERED', 'LIMIT_REACHED'],
    handler: async ({ params, principal, idempotencyKey }) => {
      const out = await listings.register(principal, params.listingId, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
  route({
    method: 'post',
    path: '/api/listings/:listingId/bids',
    tag: 'listings',
    access: ['buyer'],
    idempotent: true,
    successStatus: 201,
    summary: 'Bid (open auction: the amount is public by alias; sealed: only the commitment until the award)',
    params: listingParams,
    body: z.object({ amount: yuan }).strict(),
    response: z.object({
      bid: z.object({
        id: z.string(),
        alias: z.string(),
        at: z.string(),
        amount: z.string().optional(),
        commitment: z.string().optional(),
      }),
    }),
    errors: [
      ...LISTING_ERRORS,
      'AUCTION_NOT_OPEN',
      'AUCTION_CLOSED',
      'BUYER_NOT_QUALIFIED',
      'BIDDER_NOT_ELIGIBLE',
      'LIMIT_REACHED',
      'ALREADY_HIGHEST_BIDDER',
      'SEALED_BID_ALREADY_PLACED',
      'BID_TOO_LOW',
      'BID_NOT_ON_INCREMENT',
    ],
    handler: async ({ params, body, principal, idempotencyKey }) => {
      const out = await listings.bid(principal, params.listingId, body.amount, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
];
