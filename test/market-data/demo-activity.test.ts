import { expect } from 'chai';
import pino from 'pino';
import { sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { startDemoActivity } from '../../server/seed/demo-activity';

describe('DEMO_ACTIVITY: demo participants quote inside the spread [sqlite]', function () {
  this.timeout(60_000);
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(sqliteKind);
  });
  after(async () => {
    await t?.stop();
  });

  it('narrows every spread with real orders a tick inside the best prices, never crossing, and stops', async () => {
    const funds = ['bj-ai-2021', 'bj-ic-2019', 'bj-bio-2020', 'bj-space-2023', 'zgc-hardtech-2018', 'bj-sci-fof-2022'];
    for (const fundId of funds) {
      for (const [user, side, pricePct] of [
        ['buyer1', 'buy', '80.00'],
        ['lp', 'sell', '95.00'],
      ] as const) {
        const r = await t.call('POST', '/api/orders', {
          token: await t.login(user),
          body: { fundId, side, pricePct, quantity: '1000000', timeInForce: 'GTC' },
        });
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
      }
    }
    const activity = await startDemoActivity(t.exchange.handle, t.exchange.orders, pino({ level: 'silent' }), 20);
    const spreads = async () =>
      Promise.all(
        funds.map(async (id) => {
          const b = await t.exchange.orders.book(id, 1);
          return [Number(b.bids[0]!.pricePct), Number(b.asks[0]!.pricePct)] as const;
        }),
      );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await spreads()).filter(([bid, ask]) => bid > 80 || ask < 95).length < 3)
      await new Promise((r) => setTimeout(r, 100));
    await activity.stop();
    const now = await spreads();
    expect(now.filter(([bid, ask]) => bid > 80 || ask < 95).length).to.be.at.least(3);
    for (const [bid, ask] of now) expect(bid).to.be.below(ask);
    const trades = await t.exchange.handle.db.selectFrom('trades').select('id').execute();
    expect(trades).to.deep.equal([]);
    // Stopped: no more quotes arrive.
    const orders = (await t.exchange.handle.db.selectFrom('orders').select('id').execute()).length;
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.exchange.handle.db.selectFrom('orders').select('id').execute()).length).to.equal(orders);
  });
});
