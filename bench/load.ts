/**
 * The orders the order benchmarks send (bench/http.ts, scale.ts, write-path.ts): durable IOC bids below
 * every ask of the demo market's six funds. Each is a full durable submission (order row, journal, audit
 * entry, Idempotency-Key answer); none trades or rests, so every run measures the same work per order.
 */

import type autocannon from 'autocannon';

/** The demo market's six funds (server/seed/demo-market.ts). */
export const DEMO_FUNDS = ['bj-ai-2021', 'bj-ic-2019', 'bj-bio-2020', 'bj-space-2023', 'zgc-hardtech-2018', 'bj-sci-fof-2022'];

/** The n-th bid of the load on `funds`, as POST /api/orders takes it. */
export function iocBidBelowAsks(funds: readonly string[], n: number) {
  return {
    fundId: funds[n % funds.length]!,
    side: 'buy' as const,
    pricePct: `${50 + (n % 10)}.00`,
    quantity: '1000000',
    timeInForce: 'IOC' as const,
  };
}

/**
 * autocannon's request for this load: POST /api/orders, the n-th bid on `funds` by `tokens[n % 2]` (two buyers, so
 * no organisation's orders queue behind one another), under the Idempotency-Key `${keyPrefix}${n}`.
 */
export function iocOrderRequest(tokens: readonly string[], funds: readonly string[], keyPrefix: string): autocannon.Request {
  let i = 0;
  return {
    method: 'POST',
    path: '/api/orders',
    setupRequest: (req) => {
      const n = i++;
      return {
        ...req,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokens[n % 2]}`,
          'idempotency-key': `${keyPrefix}${n}`,
        },
        body: JSON.stringify(iocBidBelowAsks(funds, n)),
      };
    },
  };
}
