import { z } from 'zod';
import { id, quantity } from '../../shared/wire';
import { route } from '../http/route';
import type { OrderDesk } from './order-desk';
import { bookView, orderView, publicTradeView, tradeView } from './order-views';

const orderRequest = z
  .object({
    fundId: id,
    side: z.enum(['buy', 'sell']),
    // Any positive decimal string here, so that an off-tick price gets its own code (PRICE_NOT_ON_TICK).
    pricePct: z.string().regex(/^(0|[1-9]\d{0,3})(\.\d{1,8})?$/, 'must be a percent of NAV as a decimal string, e.g. "87.50"'),
    quantity,
    timeInForce: z.enum(['GTC', 'GTD', 'IOC', 'FOK']),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    allOrNone: z.boolean().optional(),
    minQuantity: quantity.optional(),
  })
  .strict();

const amendRequest = z
  .object({
    /** The order's new remaining quantity: whole lots, at most what remains (cancel to end it). */
    remainingQuantity: quantity.optional(),
    pricePct: orderRequest.shape.pricePct.optional(),
  })
  .strict()
  .refine((b) => b.remainingQuantity !== undefined || b.pricePct !== undefined, 'give remainingQuantity, pricePct or both');

export const ordersRoutes = (orders: OrderDesk) => [
  route({
    method: 'post',
    path: '/api/orders',
    tag: 'orders',
    access: ['seller', 'buyer'],
    idempotent: true,
    hotPath: true,
    successStatus: 201,
    summary: "Place a limit order on a fund's continuous book (percent of NAV, whole lots); acknowledged only once committed",
    body: orderRequest,
    response: z.object({ order: orderView, trades: z.array(tradeView) }),
    errors: [
      'NOT_FOUND',
      'PRICE_NOT_ON_TICK',
      'PRICE_OUT_OF_BAND',
      'INVALID_STATE',
      'QUANTITY_NOT_ON_LOT',
      'STATE_OWNED_MUST_LIST',
      'INSUFFICIENT_POSITION',
      'BUYER_NOT_QUALIFIED',
      'BELOW_MIN_HOLDING',
      'INVESTOR_CAP_REACHED',
      'ROUND_TRIP_TOO_SOON',
      'SELF_TRADE',
      'IDEMPOTENCY_KEY_REUSED',
      'LIMIT_REACHED',
      'RATE_LIMITED',
      'NOT_READY',
    ],
    handler: async ({ body, principal, idempotencyKey }) => {
      const out = await orders.submit(principal, body, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
  route({
    method: 'patch',
    path: '/api/orders/:orderId',
    tag: 'orders',
    access: ['seller', 'buyer'],
    idempotent: true,
    summary:
      'Reduce an open order of your organisation (keeps its time priority) ' +
      'and/or give it a new price (re-enters it at the back of that price, ' +
      'where it may trade at once)',
    params: z.object({ orderId: id }),
    body: amendRequest,
    response: z.object({ order: orderView, trades: z.array(tradeView) }),
    errors: [
      'NOT_FOUND',
      'INVALID_STATE',
      'PRICE_NOT_ON_TICK',
      'PRICE_OUT_OF_BAND',
      'QUANTITY_NOT_ON_LOT',
      'BUYER_NOT_QUALIFIED',
      'IDEMPOTENCY_KEY_REUSED',
      'RATE_LIMITED',
      'NOT_READY',
    ],
    handler: async ({ params, body, principal, idempotencyKey }) => {
      const out = await orders.amend(principal, params.orderId, body, idempotencyKey);
      return { status: out.status, body: out.body };
    },
  }),
  route({
    method: 'delete',
    path: '/api/orders/:orderId',
    tag: 'orders',
    access: ['seller', 'buyer'],
    summary: 'Cancel an open order of your organisation',
    params: z.object({ orderId: id }),
    response: z.object({ order: orderView }),
    errors: ['NOT_FOUND', 'INVALID_STATE', 'NOT_READY'],
    handler: ({ params, principal }) => orders.cancel(principal, params.orderId),
  }),
  route({
    method: 'get',
    path: '/api/orders',
    tag: 'orders',
    access: 'signed-in',
    summary: "Your organisation's orders, newest first (at most 1000); filter by status",
    query: z.object({ status: z.enum(['open', 'filled', 'cancelled', 'expired', 'rejected']).optional() }).strict(),
    response: z.array(orderView),
    handler: ({ query, principal }) => orders.listOrders(principal.orgId, query.status),
  }),
  route({
    method: 'get',
    path: '/api/funds/:fundId/book',
    tag: 'orders',
    access: 'signed-in',
    summary: "Aggregated depth of a fund's book, best first, with the book's sequence number",
    params: z.object({ fundId: id }),
    query: z.object({ depth: z.coerce.number().int().min(1).max(100).default(10) }).strict(),
    response: bookView,
    errors: ['NOT_FOUND', 'NOT_READY'],
    handler: ({ params, query }) => orders.book(params.fundId, query.depth),
  }),
  route({
    method: 'get',
    path: '/api/funds/:fundId/trades',
    tag: 'orders',
    access: 'signed-in',
    summary: "A fund's trades from both venues, newest first, without party names",
    params: z.object({ fundId: id }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(),
    response: z.array(publicTradeView),
    errors: ['NOT_FOUND'],
    handler: ({ params, query }) => orders.trades(params.fundId, query.limit),
  }),
];
