import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';
import { act, actOk, bookTrade, CLOCK_START, view } from './http-helpers';

const FUND = 'bj-bio-2020'; // no ROFR, no GP consent: a trade goes straight to review

describeEachDatabase('the minimum holding (BELOW_MIN_HOLDING) at the order and again at the transfer review', (kind) => {
  let t: TestExchange;
  beforeEach(async function () {
    this.timeout(60_000);
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START });
  });
  afterEach(async () => {
    await t?.stop();
  });

  const setMinHolding = (yuan: string) =>
    t.exchange.handle.db.updateTable('funds').set({ minHolding: yuan }).where('id', '=', FUND).execute();

  it("refuses a buy order that would leave a newcomer below the fund's minimum holding, storing nothing", async () => {
    await setMinHolding('3000000');
    const order = { fundId: FUND, side: 'buy', pricePct: '90.00', quantity: '2000000', timeInForce: 'GTC' };
    expectProblem(await t.call('POST', '/api/orders', { token: await t.login('buyer1'), body: order }), 422, 'BELOW_MIN_HOLDING');
    expect((await t.call('GET', '/api/orders', { token: await t.login('buyer1') })).body).to.deep.equal([]);
    // Each fill is whole lots of RMB 1,000,000: under this minimum even a larger order could leave a newcomer with one lot.
    expectProblem(
      await t.call('POST', '/api/orders', { token: await t.login('buyer1'), body: { ...order, quantity: '3000000' } }),
      422,
      'BELOW_MIN_HOLDING',
    );
    await setMinHolding('1000000');
    expect((await t.call('POST', '/api/orders', { token: await t.login('buyer1'), body: order })).status).to.equal(201);
  });

  it('refuses the review of a transfer whose newcomer would hold less than the minimum in force at review, changing nothing', async () => {
    const id = await bookTrade(t, FUND, '1000000', '70.00', 'lp', 'buyer1');
    const before = (await view(t, 'operator1', id)).body;
    expect(before.state).to.equal('review_pending');
    await setMinHolding('2000000');
    expectProblem(await act(t, 'operator1', id, { action: 'review' }), 422, 'BELOW_MIN_HOLDING');
    const after = (await view(t, 'operator1', id)).body;
    expect(after).to.include({ state: 'review_pending', version: before.version });
    await setMinHolding('1000000');
    expect(await actOk(t, 'operator1', id, { action: 'review' })).to.include({ state: 'approval_pending' });
  });
});
