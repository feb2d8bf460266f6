/**
 * Orders that share one group-commit batch are checked against each other's effects: the batch reads
 * positions, last trades and open-order counts once for all its orders (orders/batch-reads.ts), and
 * each order that changes them makes the later orders read them again. The orders here are queued in
 * one go on the service, so they run in one batch, in this order.
 */
import { expect } from 'chai';
import crypto from 'node:crypto';
import { describeEachDatabase } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import type { Principal } from '../../server/auth/tokens';
import type { OrderRequest } from '../../server/orders/pre-trade-checks';
import { MAX_OPEN_ORDERS_PER_ORG } from '../../server/orders/orders.service';

const FUND = 'bj-ai-2021';

describeEachDatabase('orders in one batch see what the earlier ones changed', (kind) => {
  let t: TestExchange;
  beforeEach(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-11-23T02:00:00Z' });
  });
  afterEach(async () => {
    await t?.stop();
  });

  const as = async (username: string, roles: Principal['roles']): Promise<Principal> => {
    const u = await t.exchange.handle.db
      .selectFrom('users')
      .select(['id', 'orgId'])
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    return { userId: u.id, username, orgId: u.orgId, orgName: username, roles };
  };
  const order = (o: Partial<OrderRequest>): OrderRequest => ({
    fundId: FUND,
    side: 'sell',
    pricePct: '88.50',
    quantity: '1000000',
    timeInForce: 'GTC',
    ...o,
  });
  /** Queues the orders at once (one batch); each settles to its status, or its refusal's code. */
  const inOneBatch = (orders: [Principal, OrderRequest][]) =>
    Promise.all(
      orders.map(([who, req]) =>
        t.exchange.orders.submit(who, req, `batch-${crypto.randomUUID()}`).then(
          (o) => o.status,
          (err: { code?: string; message: string }) => err.code ?? err.message,
        ),
      ),
    );

  it("refuses a second sell whose units the first one's offer already took (INSUFFICIENT_POSITION)", async () => {
    const lp = await as('lp', ['seller', 'buyer']);
    // lp holds 60,000,000 of the fund.
    expect(
      await inOneBatch([
        [lp, order({ quantity: '40000000' })],
        [lp, order({ quantity: '40000000', pricePct: '89.00' })],
        [lp, order({ quantity: '20000000', pricePct: '90.00' })],
      ]),
    ).to.deep.equal([201, 'INSUFFICIENT_POSITION', 201]);
    const pos = await t.exchange.handle.db
      .selectFrom('positions')
      .select(['onOffer', 'commitment'])
      .where('fundId', '=', FUND)
      .where('orgId', '=', lp.orgId)
      .executeTakeFirstOrThrow();
    expect(pos).to.deep.equal({ onOffer: '60000000.00', commitment: '60000000.00' });
  });

  it('refuses a buy from an organisation whose sell traded earlier in the same batch (ROUND_TRIP_TOO_SOON)', async () => {
    const [lp, b1] = [await as('lp', ['seller', 'buyer']), await as('buyer1', ['buyer'])];
    expect(await inOneBatch([[b1, order({ side: 'buy', pricePct: '85.00' })]])).to.deep.equal([201]);
    expect(
      await inOneBatch([
        [lp, order({ side: 'buy', pricePct: '70.00' })],
        [lp, order({ pricePct: '85.00' })],
        [lp, order({ side: 'buy', pricePct: '80.00' })],
      ]),
    ).to.deep.equal([201, 201, 'ROUND_TRIP_TOO_SOON']);
  });

  it('counts orders that rest earlier in the batch towards the open-order cap, and orders that close free a place', async () => {
    const b1 = await as('buyer1', ['buyer']);
    // The organisation is two orders below its cap (rows in another fund, which this batch does not touch).
    const rows = Array.from({ length: MAX_OPEN_ORDERS_PER_ORG - 2 }, (_, i) => ({
      id: `cap-${i}`,
      fundId: 'zgc-hardtech-2018',
      orgId: b1.orgId,
      userId: b1.userId,
      side: 'buy' as const,
      priceTicks: 100,
      lots: 1,
      remainingLots: 1,
      filledLots: 0,
      status: 'open' as const,
      statusReason: null,
      timeInForce: 'GTC' as const,
      expiresAt: null,
      allOrNone: 0,
      minLots: null,
      priority: i + 1,
      createdAt: '2026-11-23T01:00:00.000Z',
      updatedAt: '2026-11-23T01:00:00.000Z',
    }));
    for (let i = 0; i < rows.length; i += 200)
      await t.exchange.handle.db
        .insertInto('orders')
        .values(rows.slice(i, i + 200))
        .execute();
    const bid = (pricePct: string, timeInForce: OrderRequest['timeInForce'] = 'GTC') => order({ side: 'buy', pricePct, timeInForce });
    expect(
      await inOneBatch([
        [b1, bid('60.00', 'IOC')], // closes at once: takes no place
        [b1, bid('61.00')],
        [b1, bid('62.00')],
        [b1, bid('63.00')],
      ]),
    ).to.deep.equal([201, 201, 201, 'LIMIT_REACHED']);
    const stored = await t.exchange.handle.db
      .selectFrom('orders')
      .select(['priceTicks', 'status'])
      .where('fundId', '=', FUND)
      .orderBy('priceTicks')
      .execute();
    // The IOC closed on arrival: its row was written with the batch's appended rows, in its final state.
    expect(stored).to.deep.equal([
      { priceTicks: 6000, status: 'cancelled' },
      { priceTicks: 6100, status: 'open' },
      { priceTicks: 6200, status: 'open' },
    ]);
  });
});
