/**
 * A resting buy order does not outlive its organisation's qualification: as the simulated clock passes a buyer's
 * qualified-investor record (the demo's run out 305 days after the clock's start, through 2027-07-16), the
 * scheduler cancels that buyer's open bids through the book's cancel command, with the audit of both, and a later
 * sell at that price meets the next bid of a buyer still qualified instead. On each database.
 */
import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { LAPSE_ACTOR } from '../../server/qualifications/lapse';
import type { SimulatedClock } from '../../server/clock/clock';

const FUND = 'bj-ai-2021';

describeEachDatabase('a lapsed qualification cancels the resting bids', (kind) => {
  let t: TestExchange;
  beforeEach(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z', QUOTES_POLL_MS: '600000' });
  });
  afterEach(async () => {
    await t?.stop();
  });
  /** One lot (1,000,000) of `side` at `pricePct`, GTC on FUND unless told otherwise. */
  const order = (token: string, side: 'buy' | 'sell', pricePct: string, timeInForce = 'GTC', fundId = FUND) =>
    t.call('POST', '/api/orders', { token, body: { fundId, side, pricePct, quantity: '1000000', timeInForce } });

  it("cancels a lapsed buyer's open bids at the expiry, audited, so a later sell fills a still-qualified buyer's bid", async () => {
    const [b1, b2, lp, op1] = [await t.login('buyer1'), await t.login('buyer2'), await t.login('lp'), await t.login('operator1')];
    const bid = (token: string, pricePct: string) => order(token, 'buy', pricePct);
    const high = ok(await bid(b1, '92.00'), 201).order;
    const other = ok(await order(b1, 'buy', '80.00', 'GTC', 'bj-bio-2020'), 201).order;
    const low = ok(await bid(b2, '90.00'), 201).order;
    // buyer2's assessment is renewed before the demo records run out; buyer1's is not.
    const renewed = {
      orgId: 'org-buyer2',
      netAssets: '800000000.00',
      financialAssets: '500000000.00',
      validUntil: '2028-07-16',
      evidenceRef: 'QI-2027-2',
    };
    ok(await t.call('POST', '/api/admin/qualifications', { token: op1, body: renewed }), 201);
    const status = async (token: string, id: string) =>
      (ok(await t.call('GET', '/api/orders', { token })) as { id: string; status: string }[]).find((o) => o.id === id)?.status;

    await t.call('POST', '/api/admin/clock', { token: op1, body: { set: '2027-07-16T15:59:00Z' } }); // 23:59 Beijing, still valid
    expect(await status(b1, high.id)).to.equal('open');
    await t.call('POST', '/api/admin/clock', { token: op1, body: { set: '2027-07-16T16:00:00Z' } }); // the record has run out
    expect(await status(b1, high.id)).to.equal('cancelled');
    expect(await status(b1, other.id)).to.equal('cancelled');
    expect(await status(b2, low.id)).to.equal('open');

    const audit = await t.exchange.handle.db
      .selectFrom('auditLog')
      .select(['action', 'entityId', 'actorUserId', 'payload'])
      .where('actorUserId', '=', LAPSE_ACTOR)
      .orderBy('at')
      .orderBy('seq')
      .execute();
    expect(audit.filter((a) => a.action === 'order.cancel').map((a) => a.entityId)).to.have.members([high.id, other.id]);
    const lapsed = audit.filter((a) => a.action === 'qualification.lapsed');
    expect(lapsed.map((a) => a.entityId)).to.deep.equal(['org-buyer1']);
    expect(JSON.parse(lapsed[0]!.payload).cancelledBuyOrders).to.have.members([high.id, other.id]);

    // A sell at 90.00 meets buyer2's bid, not the lapsed one at 92.00; buyer1 cannot bid again until requalified.
    const sold = ok(await order(lp, 'sell', '90.00', 'IOC'), 201);
    expect(sold.trades.map((x: { pricePct: string }) => x.pricePct)).to.deep.equal(['90.00']);
    expect(await status(b2, low.id)).to.equal('filled');
    const again = await bid(b1, '92.00');
    expect(again.status).to.equal(422);
    expect(again.body.code).to.equal('BUYER_NOT_QUALIFIED');
  });

  it("a sell arriving after the expiry, before the task's pass, does not meet the lapsed bid: the book cancels it first", async () => {
    const [b1, b2, lp] = [await t.login('buyer1'), await t.login('buyer2'), await t.login('lp')];
    const bid = (token: string, fundId: string, pricePct: string) => order(token, 'buy', pricePct, 'GTC', fundId);
    const high = ok(await bid(b1, FUND, '92.00'), 201).order;
    const elsewhere = ok(await bid(b1, 'bj-bio-2020', '80.00'), 201).order;
    const low = ok(await bid(b2, FUND, '90.00'), 201).order;
    // buyer1's records run out at 16:00Z; buyer2 is renewed. The clock is moved without the scheduler's pass.
    ok(
      await t.call('POST', '/api/admin/qualifications', {
        token: await t.login('operator1'),
        body: {
          orgId: 'org-buyer2',
          netAssets: '800000000.00',
          financialAssets: '500000000.00',
          validUntil: '2028-07-16',
          evidenceRef: 'QI-R',
        },
      }),
      201,
    );
    (t.exchange.clock as SimulatedClock).moveTo(Date.parse('2027-07-16T16:00:00.001Z'));

    const sold = ok(await order(lp, 'sell', '90.00', 'IOC'), 201);
    expect(sold.trades.map((x: { pricePct: string; buyOrderId?: string }) => x.pricePct)).to.deep.equal(['90.00']);
    const orders = t.exchange.handle.db.selectFrom('orders').select(['id', 'status']);
    const statusOf = async (id: string) => (await orders.where('id', '=', id).executeTakeFirstOrThrow()).status;
    expect(await statusOf(high.id), 'the lapsed bid').to.equal('cancelled');
    expect(await statusOf(low.id), "the still-qualified buyer's bid").to.equal('filled');
    expect(await statusOf(elsewhere.id), 'a bid on a book no command has reached yet').to.equal('open');
    const cancel = await t.exchange.handle.db
      .selectFrom('auditLog')
      .select(['actorUserId', 'actorOrgId'])
      .where('entityId', '=', high.id)
      .where('action', '=', 'order.cancel')
      .executeTakeFirstOrThrow();
    expect(cancel).to.deep.equal({ actorUserId: LAPSE_ACTOR, actorOrgId: 'org-buyer1' });
    const journal = await t.exchange.handle.db
      .selectFrom('bookJournal')
      .select(['kind', 'payload'])
      .where('orderId', '=', high.id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(journal.kind).to.equal('cancel');
    expect(JSON.parse(journal.payload).payload).to.deep.equal({ orderId: high.id, reason: 'qualification_lapsed' });

    // The task's pass then takes the bid on the other book, and its summary names both, whichever command cancelled them.
    await t.call('POST', '/api/admin/clock', { token: await t.login('operator1'), body: { set: '2027-07-16T16:00:01Z' } });
    expect(await statusOf(elsewhere.id)).to.equal('cancelled');
    const summaries = () =>
      t.exchange.handle.db
        .selectFrom('auditLog')
        .select('payload')
        .where('action', '=', 'qualification.lapsed')
        .where('entityId', '=', 'org-buyer1')
        .execute();
    const [summary] = await summaries();
    expect(JSON.parse(summary!.payload)).to.deep.equal({
      lapsedAt: '2027-07-16T16:00:00.000Z',
      cancelledBuyOrders: [elsewhere.id, high.id].sort(),
    });
    // The order says why it was cancelled, as its owner reads it.
    const mine = ok(await t.call('GET', '/api/orders', { token: b1 })) as { id: string; statusReason: string }[];
    expect(mine.find((o) => o.id === high.id)?.statusReason).to.equal('QUALIFICATION_LAPSED');
    // A later pass writes no second summary.
    await t.call('POST', '/api/admin/clock', { token: await t.login('operator1'), body: { set: '2027-07-16T16:05:00Z' } });
    expect(await summaries()).to.have.length(1);
  });

  it("summarises a lapse whose bids a book cancelled even when the buyer was renewed before the task's pass", async () => {
    const [b1, op1] = [await t.login('buyer1'), await t.login('operator1')];
    const high = ok(await order(b1, 'buy', '92.00'), 201).order;
    (t.exchange.clock as SimulatedClock).moveTo(Date.parse('2027-07-16T16:00:00.001Z'));
    // A command on the book cancels the lapsed bid in its prelude; then buyer1 is renewed, all before the task's pass.
    ok(await order(await t.login('lp'), 'sell', '99.00', 'IOC'), 201);
    const renewal = { orgId: 'org-buyer1', netAssets: '800000000.00', financialAssets: '500000000.00', validUntil: '2028-07-16' };
    ok(await t.call('POST', '/api/admin/qualifications', { token: op1, body: { ...renewal, evidenceRef: 'QI-R2' } }), 201);
    await t.call('POST', '/api/admin/clock', { token: op1, body: { set: '2027-07-16T16:00:01Z' } });

    const summaries = await t.exchange.handle.db
      .selectFrom('auditLog')
      .select('payload')
      .where('action', '=', 'qualification.lapsed')
      .where('entityId', '=', 'org-buyer1')
      .execute();
    expect(summaries.map((x) => JSON.parse(x.payload))).to.deep.equal([
      { lapsedAt: '2027-07-16T16:00:00.000Z', cancelledBuyOrders: [high.id] },
    ]);
  });

  it('a buyer renewed before its record runs out keeps its bid past the old expiry', async () => {
    const [b1, op1] = [await t.login('buyer1'), await t.login('operator1')];
    const renewal = {
      orgId: 'org-buyer1',
      netAssets: '800000000.00',
      financialAssets: '500000000.00',
      validUntil: '2028-07-16',
      evidenceRef: 'QI-R1',
    };
    const before = ok(await order(b1, 'buy', '91.00'), 201).order;
    ok(await t.call('POST', '/api/admin/qualifications', { token: op1, body: renewal }), 201);
    (t.exchange.clock as SimulatedClock).moveTo(Date.parse('2027-07-17T01:00:00Z'));
    const sold = ok(await order(await t.login('lp'), 'sell', '91.00', 'IOC'), 201);
    expect(
      sold.trades.map((x: { pricePct: string }) => x.pricePct),
      'the renewed buyer keeps its bid',
    ).to.deep.equal(['91.00']);
    const row = await t.exchange.handle.db.selectFrom('orders').select('status').where('id', '=', before.id).executeTakeFirstOrThrow();
    expect(row.status).to.equal('filled');
  });
});
