import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';

const FUND = 'bj-ai-2021';
const order = (o: Record<string, unknown>) => ({
  fundId: FUND,
  side: 'sell',
  pricePct: '88.50',
  quantity: '5000000',
  timeInForce: 'GTC',
  ...o,
});

describeEachDatabase('the continuous order book over HTTP', (kind) => {
  let t: TestExchange;
  let lp: string, b1: string, b2: string;
  beforeEach(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-11-23T02:00:00Z' });
    [lp, b1, b2] = [await t.login('lp'), await t.login('buyer1'), await t.login('buyer2')];
  });
  afterEach(async () => {
    await t?.stop();
  });

  const place = (token: string, body: unknown, key?: string) =>
    t.call('POST', '/api/orders', { token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
  const book = async () => (await t.call('GET', `/api/funds/${FUND}/book`, { token: b1 })).body;
  const position = async (token: string) =>
    (await t.call('GET', '/api/positions', { token })).body.find((p: { fundId: string }) => p.fundId === FUND);

  it("when a bid crosses the best ask, it fills at the ask price and opens a transfer, reserving the seller's units", async () => {
    const sell = await place(lp, order({}));
    expect(sell.status, JSON.stringify(sell.body)).to.equal(201);
    expect(sell.body.order).to.include({ status: 'open', quantity: '5000000', filledQuantity: '0', pricePct: '88.50' });
    const buy = await place(b1, order({ side: 'buy', pricePct: '90.00', quantity: '2000000', timeInForce: 'IOC' }));
    expect(buy.status).to.equal(201);
    expect(buy.body.order).to.include({ status: 'filled', filledQuantity: '2000000' });
    expect(buy.body.trades).to.have.length(1);
    // 88.50% × 1.05600000 NAV per commitment × 2,000,000 = 1,869,120.00
    expect(buy.body.trades[0]).to.include({ pricePct: '88.50', quantity: '2000000', consideration: '1869120.00', venue: 'book' });
    expect(buy.body.trades[0].transferId).to.be.a('string');
    expect(await book()).to.deep.include({ bids: [], asks: [{ pricePct: '88.50', quantity: '3000000', orderCount: 1 }] });
    expect(await position(lp)).to.include({ commitment: '60000000', onOffer: '3000000', reserved: '2000000', available: '55000000' });
    const funds = (await t.call('GET', '/api/funds', { token: b2 })).body;
    expect(funds.find((f: { id: string }) => f.id === FUND)).to.include({ bestAskPct: '88.50', bestBidPct: null, lastPct: '88.50' });
    const trades = (await t.call('GET', `/api/funds/${FUND}/trades`, { token: b2 })).body;
    expect(trades).to.have.length(1);
    expect(trades[0]).to.have.all.keys('id', 'venue', 'pricePct', 'quantity', 'consideration', 'executedAt');
  });

  it("prices a trade and its transfer from the fund's NAV and total commitment, not the rounded NAV per commitment", async () => {
    // NAV 1,000,000,000 on 3,000,000,000 of commitment: 0.33333333 per yuan, which would price
    // 60,000,000 at 100% as 19,999,999.80; the NAV attributable is exactly 20,000,000.00.
    await t.exchange.handle.db.updateTable('navReports').set({ nav: '1000000000.00' }).where('fundId', '=', FUND).execute();
    await place(lp, order({ pricePct: '100.00', quantity: '60000000' }));
    const buy = await place(b1, order({ side: 'buy', pricePct: '100.00', quantity: '60000000', timeInForce: 'IOC' }));
    expect(buy.status, JSON.stringify(buy.body)).to.equal(201);
    expect(buy.body.trades[0]).to.include({ consideration: '20000000.00' });
    const transfer = await t.call('GET', `/api/transfers/${buy.body.trades[0].transferId}`, { token: b1 });
    expect(transfer.body).to.include({ consideration: '20000000.00', pricePct: '100.00' });
    expect((await t.call('GET', '/api/funds', { token: b1 })).body.find((f: { id: string }) => f.id === FUND)).to.include({
      navPerCommitment: '0.33333333',
      nav: '1000000000.00',
      totalCommitment: '3000000000.00',
    });
  });

  it('keeps price-time priority across two sellers at one price and the better price first', async () => {
    const lpSell = await place(lp, order({ pricePct: '88.00', quantity: '2000000' }));
    const other = await place(lp, order({ pricePct: '87.00', quantity: '1000000' }));
    const buy = await place(b1, order({ side: 'buy', pricePct: '88.00', quantity: '2000000', timeInForce: 'IOC' }));
    expect(buy.body.trades.map((x: { pricePct: string; sellOrderId: string }) => [x.pricePct, x.sellOrderId])).to.deep.equal([
      ['87.00', other.body.order.id],
      ['88.00', lpSell.body.order.id],
    ]);
  });

  it('replays the first response for a repeated Idempotency-Key and refuses it with another body', async () => {
    const a = await place(lp, order({}), 'order-key-0001');
    const b = await place(lp, order({}), 'order-key-0001');
    expect(b.status).to.equal(201);
    expect(b.body).to.deep.equal(a.body);
    expectProblem(await place(lp, order({ quantity: '1000000' }), 'order-key-0001'), 409, 'IDEMPOTENCY_KEY_REUSED');
    expect((await book()).asks).to.deep.equal([{ pricePct: '88.50', quantity: '5000000', orderCount: 1 }]);
  });

  it("keeps a refusal as the Idempotency-Key's answer: the same request is refused alike, another body with the key is 409", async () => {
    const first = await place(lp, order({ quantity: '61000000' }), 'order-key-refused-1');
    expectProblem(first, 422, 'INSUFFICIENT_POSITION');
    const again = await place(lp, order({ quantity: '61000000' }), 'order-key-refused-1');
    expect(again.status).to.equal(422);
    expect(again.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(again.body).to.deep.equal(first.body);
    expectProblem(await place(lp, order({ quantity: '1000000' }), 'order-key-refused-1'), 409, 'IDEMPOTENCY_KEY_REUSED');
    expect((await book()).asks, 'nothing placed').to.deep.equal([]);
    // A request refused by the route's schema never reached a command: its key stays free.
    expectProblem(await place(lp, order({ quantity: 5000000 }), 'order-key-schema-1'), 400, 'VALIDATION_FAILED');
    expect((await place(lp, order({}), 'order-key-schema-1')).status).to.equal(201);
  });

  describe('bad input is refused with its code and changes nothing', () => {
    const cases: [string, () => string, Record<string, unknown>, number, string][] = [
      ['a JSON number for the price', () => lp, order({ pricePct: 88.5 }), 400, 'VALIDATION_FAILED'],
      ['a JSON number for the quantity', () => lp, order({ quantity: 5000000 }), 400, 'VALIDATION_FAILED'],
      ['an unknown field', () => lp, order({ colour: 'red' }), 400, 'VALIDATION_FAILED'],
      ['an unknown time in force', () => lp, order({ timeInForce: 'DAY' }), 400, 'VALIDATION_FAILED'],
      ['a price off the 0.01 tick', () => lp, order({ pricePct: '88.505' }), 400, 'PRICE_NOT_ON_TICK'],
      ['a zero price', () => lp, order({ pricePct: '0' }), 400, 'PRICE_NOT_ON_TICK'],
      ['a price above the band (fat finger)', () => b1, order({ side: 'buy', pricePct: '9999.99' }), 400, 'PRICE_OUT_OF_BAND'],
      ['a price below the band', () => lp, order({ pricePct: '0.50' }), 400, 'PRICE_OUT_OF_BAND'],
      ['a quantity off the lot', () => lp, order({ quantity: '1500000' }), 400, 'QUANTITY_NOT_ON_LOT'],
      ['a minimum fill off the lot', () => lp, order({ minQuantity: '500000' }), 400, 'QUANTITY_NOT_ON_LOT'],
      ['GTD without expiresAt', () => lp, order({ timeInForce: 'GTD' }), 400, 'VALIDATION_FAILED'],
      ['GTD already expired', () => lp, order({ timeInForce: 'GTD', expiresAt: '2026-11-01T00:00:00Z' }), 400, 'VALIDATION_FAILED'],
      ['all-or-none on a buy', () => b1, order({ side: 'buy', allOrNone: true }), 400, 'VALIDATION_FAILED'],
      ['an unknown fund', () => lp, order({ fundId: 'no-such-fund' }), 404, 'NOT_FOUND'],
      ['more than the seller holds', () => lp, order({ quantity: '61000000' }), 422, 'INSUFFICIENT_POSITION'],
      ['a sell by a buyer-only organisation', () => b1, order({}), 403, 'FORBIDDEN'],
      [
        'a buy of more lots than one order may hold',
        () => b1,
        order({ side: 'buy', quantity: '9999999999000000' }),
        400,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [what, who, body, status, code] of cases) {
      it(`${what} → ${status} ${code}`, async () => {
        const before = await book();
        expectProblem(await place(who(), body), status, code);
        expect(await book()).to.deep.equal(before);
        expect((await t.call('GET', '/api/orders', { token: who() })).body).to.deep.equal([]);
      });
    }

    it(
      'a state-owned LP must list instead of selling on the book ' + '(STATE_OWNED_MUST_LIST); GP and operator users cannot trade',
      async () => {
        expectProblem(await place(await t.login('lp-soe'), order({})), 422, 'STATE_OWNED_MUST_LIST');
        expectProblem(await place(await t.login('gp'), order({ side: 'buy' })), 403, 'FORBIDDEN');
        expectProblem(await place(await t.login('operator1'), order({ side: 'buy' })), 403, 'FORBIDDEN');
        expect((await book()).seq).to.equal(0);
      },
    );

    it('an order in a fund without a published NAV report is refused (INVALID_STATE), since no consideration can be computed', async () => {
      await t.exchange.handle.db.deleteFrom('navReports').where('fundId', '=', FUND).execute();
      expectProblem(await place(b1, order({ side: 'buy' })), 409, 'INVALID_STATE');
      expect((await book()).seq).to.equal(0);
    });

    it('an order in a fund whose latest NAV report gives no positive NAV is refused, so no resting order trades for nothing', async () => {
      expect((await place(lp, order({ pricePct: '90.00' }))).status).to.equal(201);
      const bid = await place(b1, order({ side: 'buy', pricePct: '80.00' }));
      expect(bid.status).to.equal(201);
      // A report of nothing, stored before publishing refused it: the latest one counts, not the first.
      const latest = await t.exchange.handle.db
        .selectFrom('navReports')
        .selectAll()
        .where('fundId', '=', FUND)
        .orderBy('referenceDate', 'desc')
        .executeTakeFirstOrThrow();
      await t.exchange.handle.db
        .insertInto('navReports')
        .values({ ...latest, id: `${latest.id}-zero`, referenceDate: '2026-11-20', nav: '0.00' })
        .execute();
      const refused = await place(b1, order({ side: 'buy', pricePct: '90.00', timeInForce: 'IOC' }));
      expectProblem(refused, 409, 'INVALID_STATE');
      expect(refused.body.params).to.include({ reason: 'nav_not_positive' });
      // Nor can a resting bid be re-priced through the ask.
      const repriced = await t.call('PATCH', `/api/orders/${bid.body.order.id}`, { token: b1, body: { pricePct: '90.00' } });
      expectProblem(repriced, 409, 'INVALID_STATE');
      expect(repriced.body.params).to.include({ reason: 'nav_not_positive' });
      expect((await t.call('GET', `/api/funds/${FUND}/trades`, { token: b1 })).body).to.deep.equal([]);
      expect((await book()).asks).to.have.length(1);
    });

    it('a buyer whose qualification expired is refused (BUYER_NOT_QUALIFIED)', async () => {
      await t.exchange.handle.db
        .updateTable('qualifications')
        .set({ expiresAt: '2026-11-01T00:00:00.000Z' })
        .where('orgId', '=', 'org-buyer2')
        .execute();
      expectProblem(await place(b2, order({ side: 'buy' })), 422, 'BUYER_NOT_QUALIFIED');
    });

    it('an order that would trade with the same organisation is refused (SELF_TRADE) and the resting order stays', async () => {
      await place(lp, order({}));
      const before = await book();
      expectProblem(await place(lp, order({ side: 'buy', pricePct: '89.00', quantity: '1000000' })), 422, 'SELF_TRADE');
      expect(await book()).to.deep.equal(before);
    });

    it('selling within 5 working days of buying the same fund share is refused (ROUND_TRIP_TOO_SOON)', async () => {
      await place(b1, order({ side: 'buy', pricePct: '85.00', quantity: '1000000' }));
      await place(lp, order({ pricePct: '85.00', quantity: '1000000' }));
      // lp just sold; buying back the same fund share within the window is refused.
      expectProblem(await place(lp, order({ side: 'buy', pricePct: '80.00', quantity: '1000000' })), 422, 'ROUND_TRIP_TOO_SOON');
      await t.call('POST', '/api/admin/clock', { token: await t.login('operator1'), body: { advance: 'P8D' } });
      expect((await place(lp, order({ side: 'buy', pricePct: '80.00', quantity: '1000000' }))).status).to.equal(201);
    });
  });

  it('a refused order sent at the same moment as valid ones fails alone: the others are placed (one commit batch)', async () => {
    const [a, huge, c] = await Promise.all([
      place(b2, order({ side: 'buy', pricePct: '80.00', quantity: '1000000' })),
      place(b1, order({ side: 'buy', pricePct: '70.00', quantity: '9999999999000000' })),
      place(lp, order({ pricePct: '95.00', quantity: '1000000' })),
    ]);
    expectProblem(huge, 400, 'VALIDATION_FAILED');
    expect([a.status, c.status]).to.deep.equal([201, 201]);
    expect(await book()).to.deep.include({
      bids: [{ pricePct: '80.00', quantity: '1000000', orderCount: 1 }],
      asks: [{ pricePct: '95.00', quantity: '1000000', orderCount: 1 }],
    });
  });

  it(
    'the round-trip window is counted forward from the last trade, so a ' + 'trade ten years old does not block (nor fail) a new order',
    async () => {
      await place(b1, order({ side: 'buy', pricePct: '85.00', quantity: '1000000' }));
      await place(lp, order({ pricePct: '85.00', quantity: '1000000' }));
      await t.call('POST', '/api/admin/clock', { token: await t.login('operator1'), body: { advance: 'P3700D' } });
      // lp's qualified-investor record would have lapsed over ten years; renewed, as an LP would.
      await t.exchange.handle.db
        .updateTable('qualifications')
        .set({ expiresAt: '2099-01-01T00:00:00.000Z' })
        .where('orgId', '=', 'org-lp')
        .execute();
      const buyBack = await place(lp, order({ side: 'buy', pricePct: '80.00', quantity: '1000000' }));
      expect(buyBack.status, JSON.stringify(buyBack.body)).to.equal(201);
    },
  );

  describe('reducing and repricing an open order (PATCH /api/orders/:orderId)', () => {
    const amend = (token: string, id: string, body: unknown, key?: string) =>
      t.call('PATCH', `/api/orders/${id}`, { token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });

    it('a reduced order keeps its time priority and releases the units it no longer offers', async () => {
      const first = (await place(lp, order({ pricePct: '90.00', quantity: '3000000' }))).body.order;
      await place(lp, order({ pricePct: '90.00', quantity: '2000000' }));
      const r = await amend(lp, first.id, { remainingQuantity: '1000000' }, 'amend-key-reduce-1');
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      expect(r.body.order).to.include({
        status: 'open',
        quantity: '3000000',
        remainingQuantity: '1000000',
        filledQuantity: '0',
        pricePct: '90.00',
      });
      expect(r.body.trades).to.deep.equal([]);
      expect((await book()).asks).to.deep.equal([{ pricePct: '90.00', quantity: '3000000', orderCount: 2 }]);
      expect(await position(lp)).to.include({ onOffer: '3000000', available: '57000000' });
      const buy = await place(b1, order({ side: 'buy', pricePct: '90.00', quantity: '1000000', timeInForce: 'IOC' }));
      expect(
        buy.body.trades.map((x: { sellOrderId: string }) => x.sellOrderId),
        'the reduced order still trades first',
      ).to.deep.equal([first.id]);
      expect((await amend(lp, first.id, { remainingQuantity: '1000000' }, 'amend-key-reduce-1')).body, 'replayed').to.deep.equal(r.body);
    });

    it('a new price re-enters the order behind that price, and one that crosses trades at once at the resting price', async () => {
      const first = (await place(lp, order({ pricePct: '90.00', quantity: '1000000' }))).body.order;
      const second = (await place(lp, order({ pricePct: '90.00', quantity: '1000000' }))).body.order;
      await amend(lp, first.id, { pricePct: '91.00' });
      await amend(lp, first.id, { pricePct: '90.00' });
      const buy = await place(b1, order({ side: 'buy', pricePct: '90.00', quantity: '1000000', timeInForce: 'IOC' }));
      expect(
        buy.body.trades.map((x: { sellOrderId: string }) => x.sellOrderId),
        'priority lost by repricing',
      ).to.deep.equal([second.id]);
      await place(b2, order({ side: 'buy', pricePct: '85.00', quantity: '1000000' }));
      const crossed = await amend(lp, first.id, { pricePct: '84.00' });
      expect(crossed.status).to.equal(200);
      expect(crossed.body.order).to.include({ status: 'filled', filledQuantity: '1000000', pricePct: '84.00' });
      expect(crossed.body.trades).to.have.length(1);
      expect(crossed.body.trades[0]).to.include({ pricePct: '85.00', quantity: '1000000' });
    });

    it(
      'refuses what it cannot do, changing nothing: more quantity, no change, ' +
        "another organisation's order (404, as if absent), an ended order, bad input",
      async () => {
        const sell = (await place(lp, order({ pricePct: '90.00', quantity: '2000000' }))).body.order;
        const before = await book();
        expectProblem(await amend(lp, sell.id, { remainingQuantity: '3000000' }), 400, 'VALIDATION_FAILED');
        expectProblem(await amend(lp, sell.id, { remainingQuantity: '2000000', pricePct: '90.00' }), 400, 'VALIDATION_FAILED');
        expectProblem(await amend(lp, sell.id, { remainingQuantity: '1500000' }), 400, 'QUANTITY_NOT_ON_LOT');
        expectProblem(await amend(lp, sell.id, { pricePct: '90.005' }), 400, 'PRICE_NOT_ON_TICK');
        expectProblem(await amend(lp, sell.id, {}), 400, 'VALIDATION_FAILED');
        expectProblem(await amend(lp, sell.id, { quantity: '1000000' }), 400, 'VALIDATION_FAILED');
        expectProblem(await amend(b1, sell.id, { pricePct: '95.00' }), 404, 'NOT_FOUND');
        expectProblem(await amend(b2, 'no-such-order', { pricePct: '95.00' }), 404, 'NOT_FOUND');
        expect(await book()).to.deep.equal(before);
        await t.call('DELETE', `/api/orders/${sell.id}`, { token: lp });
        expectProblem(await amend(lp, sell.id, { pricePct: '95.00' }), 409, 'INVALID_STATE');
      },
    );
  });

  it('cancels an open order, releasing the units on offer; a second cancel is INVALID_STATE and others cannot see it', async () => {
    const sell = await place(lp, order({}));
    expectProblem(await t.call('DELETE', `/api/orders/${sell.body.order.id}`, { token: b1 }), 404, 'NOT_FOUND');
    const c = await t.call('DELETE', `/api/orders/${sell.body.order.id}`, { token: lp });
    expect(c.body.order).to.include({ status: 'cancelled', filledQuantity: '0' });
    expect(await position(lp)).to.include({ onOffer: '0', available: '60000000' });
    expectProblem(await t.call('DELETE', `/api/orders/${sell.body.order.id}`, { token: lp }), 409, 'INVALID_STATE');
    expect((await t.call('GET', '/api/orders?status=cancelled', { token: lp })).body).to.have.length(1);
    expect((await t.call('GET', '/api/orders?status=open', { token: lp })).body).to.have.length(0);
  });

  it('FOK that cannot fill entirely is rejected with nothing traded; IOC keeps what traded and cancels the rest', async () => {
    await place(lp, order({ quantity: '2000000' }));
    const fok = await place(b1, order({ side: 'buy', pricePct: '90.00', quantity: '3000000', timeInForce: 'FOK' }));
    expect(fok.body.order).to.include({ status: 'rejected', filledQuantity: '0' });
    const ioc = await place(b1, order({ side: 'buy', pricePct: '90.00', quantity: '3000000', timeInForce: 'IOC' }));
    expect(ioc.body.order).to.include({ status: 'cancelled', filledQuantity: '2000000' });
  });

  it('expires a GTD order when the exchange clock passes its expiry, releasing the units on offer', async () => {
    const sell = await place(lp, order({ timeInForce: 'GTD', expiresAt: '2026-11-24T08:00:00Z' }));
    expect(sell.status).to.equal(201);
    expect(await position(lp)).to.include({ onOffer: '5000000' });
    await t.call('POST', '/api/admin/clock', { token: await t.login('operator1'), body: { set: '2026-11-24T09:00:00Z' } });
    const orders = (await t.call('GET', '/api/orders', { token: lp })).body;
    expect(orders[0]).to.include({ status: 'expired' });
    expect(await position(lp)).to.include({ onOffer: '0' });
    expect((await book()).asks).to.deep.equal([]);
  });
});
