/**
 * The matching thread (server/orders/matching/): the books, their group commit and their write
 * connection on a thread of their own, the HTTP thread's commands on its own connection. What must
 * hold across that boundary: the HTTP side's mirror of the books is the committed state whenever an
 * answer arrives, and units held on one side (a pledge, on the HTTP thread) and sold on the other
 * (the book, on the matching thread) are never counted twice.
 */
import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { MatchingClient } from '../../server/orders/matching/matching-client';
import { OrdersService } from '../../server/orders/orders.service';

const PLAIN = 'bj-bio-2020'; // pledges allowed without GP consent; lp holds 30 lots
const M = (lots: number) => String(lots * 1_000_000);

describeEachDatabase('the matching thread', (kind) => {
  let t: TestExchange;
  let lp: string, b1: string;
  beforeEach(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-03-02T02:00:00.000Z' });
    [lp, b1] = [await t.login('lp'), await t.login('buyer1')];
  });
  afterEach(async () => {
    await t?.stop();
  });

  const place = (token: string, body: Record<string, unknown>) =>
    t.call('POST', '/api/orders', { token, body: { fundId: PLAIN, timeInForce: 'GTC', ...body } });

  it('is where the books live by default; MATCHING_THREAD=0 keeps them on the HTTP thread', async () => {
    expect(t.exchange.orders).to.be.instanceOf(MatchingClient);
    await t.restart({ MATCHING_THREAD: '0' });
    expect(t.exchange.orders).to.be.instanceOf(OrdersService);
  });

  it("answers only once the HTTP side's mirror holds the committed book: depth, sequence and quote agree with the thread's", async () => {
    const steps: [string, Record<string, unknown>][] = [
      [lp, { side: 'sell', pricePct: '95.00', quantity: M(3) }],
      [lp, { side: 'sell', pricePct: '94.00', quantity: M(2) }],
      [b1, { side: 'buy', pricePct: '90.00', quantity: M(1) }],
      [b1, { side: 'buy', pricePct: '94.00', quantity: M(1), timeInForce: 'IOC' }],
    ];
    for (const [token, body] of steps) {
      const r = await place(token, body);
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      // Read synchronously right after the answer, before anything else can run on this side.
      const mirrored = t.exchange.orders.bookViewNow(PLAIN, '1000000', 10);
      const fromThread = (await t.call('GET', `/api/funds/${PLAIN}/book`, { token: b1 })).body;
      expect(mirrored).to.deep.equal(fromThread);
    }
    const book = (await t.call('GET', `/api/funds/${PLAIN}/book`, { token: b1 })).body;
    expect(book).to.deep.include({
      seq: 4,
      bids: [{ pricePct: '90.00', quantity: M(1), orderCount: 1 }],
      asks: [
        { pricePct: '94.00', quantity: M(1), orderCount: 1 },
        { pricePct: '95.00', quantity: M(3), orderCount: 1 },
      ],
    });
    const funds = (await t.call('GET', '/api/funds', { token: b1 })).body;
    expect(funds.find((f: { id: string }) => f.id === PLAIN)).to.include({ bestBidPct: '90.00', bestAskPct: '94.00', lastPct: '94.00' });
  });

  it('never sells units a pledge holds, nor pledges units on offer, when both race from the two threads', async () => {
    // 10 sells and 10 pledges of 5 lots each, all at once: 100 lots asked of a 30-lot position.
    const sells = Array.from({ length: 10 }, () => place(lp, { side: 'sell', pricePct: '95.00', quantity: M(5) }));
    const pledges = Array.from({ length: 10 }, (_, i) =>
      t.call('POST', '/api/pledges', {
        token: lp,
        body: { fundId: PLAIN, quantity: M(5), pledgeeOrgId: 'org-bank', securedAmount: '1000000.00', contractRef: `ZY-RACE-${i}` },
      }),
    );
    const answers = await Promise.all([...sells, ...pledges]);
    for (const r of answers) {
      expect([201, 422], JSON.stringify(r.body)).to.include(r.status);
      if (r.status === 422) expect(r.body.code).to.equal('INSUFFICIENT_POSITION');
    }
    const accepted = answers.filter((r) => r.status === 201).length;
    expect(accepted, 'exactly the 30 lots there are were taken').to.equal(6);
    const pos = (await t.call('GET', '/api/positions', { token: lp })).body.find((p: { fundId: string }) => p.fundId === PLAIN);
    expect(BigInt(pos.onOffer) + BigInt(pos.pledged)).to.equal(BigInt(M(30)));
    expect(pos.available).to.equal('0');
  });
});
