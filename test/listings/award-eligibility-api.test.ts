/**
 * The award rechecks its winner (api.md's rulebook codes, as the registration's qualification checked them): a
 * winner whose qualified-investor record lapsed after it was qualified is refused at the award with
 * WINNER_NOT_ELIGIBLE (the rule in params.reason), nothing changes, and once an operator records a new
 * assessment the award goes ahead; a bidder whose record lapsed is refused at its bid (BIDDER_NOT_ELIGIBLE), so a bid
 * the award would have to refuse never leads the auction. On each database, on the simulated clock: the demo qualifications run out
 * 305 days after the clock's start (2027-07-16).
 */
import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';

describeEachDatabase('the award rechecks the winner over HTTP', (kind) => {
  let t: TestExchange;
  beforeEach(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z', QUOTES_POLL_MS: '600000' });
  });
  afterEach(async () => {
    await t?.stop();
  });

  const act = async (user: string, id: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    t.call('POST', `/api/listings/${id}/actions`, { token: await t.login(user), body, ...(headers ? { headers } : {}) });

  /** lp's auction of bj-sci-fof-2022, approved; each buyer registered, qualified by operator1, its deposit confirmed by operator2. */
  async function listedWithDeposits(buyers: string[]): Promise<string> {
    const body = {
      fundId: 'bj-sci-fof-2022',
      quantity: '50000000',
      method: 'auction',
      askPrice: '40000000.00',
      increment: '100000.00',
      depositAmount: '4000000.00',
      buyerConditions: ['A qualified investor'],
    };
    const l = ok(await t.call('POST', '/api/listings', { token: await t.login('lp'), body }), 201);
    ok(await act('lp', l.id, { action: 'submit' }));
    ok(await act('operator1', l.id, { action: 'review' }));
    ok(await act('operator2', l.id, { action: 'approve' }));
    for (const buyer of buyers) {
      const orgId = `org-${buyer}`;
      ok(await t.call('POST', `/api/listings/${l.id}/registrations`, { token: await t.login(buyer) }), 201);
      ok(await act('operator1', l.id, { action: 'qualify', orgId }));
      ok(await act('operator2', l.id, { action: 'confirm_deposit', orgId, bankRef: `BANK-${orgId}` }));
    }
    return l.id;
  }

  it('refuses to award to a winner whose qualification lapsed (WINNER_NOT_ELIGIBLE), changing nothing, until it is renewed', async () => {
    const [op1, op2] = [await t.login('operator1'), await t.login('operator2')];
    const id = await listedWithDeposits(['buyer1']);

    // Past buyer1's qualified-investor record (valid through 2027-07-16): the one qualified buyer of a negotiation.
    ok(await t.call('POST', '/api/admin/clock', { token: op1, body: { set: '2027-07-19T02:00:00Z' } }));
    const before = ok(await t.call('GET', `/api/listings/${id}`, { token: op1 }));
    expect(before).to.include({ state: 'closed', branch: 'negotiation' });
    const audits = async () =>
      (await t.exchange.handle.db.selectFrom('auditLog').select('seq').where('entityId', '=', id).execute()).length;
    const entries = await audits();

    const zh = await act('operator1', id, { action: 'award' }, { 'Accept-Language': 'zh-CN' });
    expectProblem(zh, 422, 'WINNER_NOT_ELIGIBLE');
    expect(zh.body.params).to.deep.equal({ reason: 'BUYER_NOT_QUALIFIED', alias: '竞买人A / Bidder A' });
    expect(zh.body.detail).to.contain('合格投资者认定已失效');
    const en = await act('operator1', id, { action: 'award', amount: '41000000.00' }, { 'Accept-Language': 'en' });
    expectProblem(en, 422, 'WINNER_NOT_ELIGIBLE');
    expect(en.body.detail).to.contain('no longer holds a valid qualified-investor record');
    expect(ok(await t.call('GET', `/api/listings/${id}`, { token: op1 }))).to.deep.equal(before);
    expect(await audits()).to.equal(entries);
    const rows = ok(await t.call('GET', `/api/listings/${id}/registrations`, { token: op1 }));
    expect(rows[0]).to.include({ depositStatus: 'confirmed' });

    // An operator records the buyer's new assessment: the award goes ahead, and its confirmation by another operator.
    const renewed = {
      orgId: 'org-buyer1',
      netAssets: '800000000.00',
      financialAssets: '500000000.00',
      validUntil: '2028-07-18',
      evidenceRef: 'QI-2027-018',
    };
    ok(await t.call('POST', '/api/admin/qualifications', { token: op2, body: renewed }), 201);
    expect(ok(await act('operator1', id, { action: 'award' })).state).to.equal('award_pending');
    expect(ok(await act('operator2', id, { action: 'confirm_award' })).state).to.equal('awarded');
  });

  it('refuses a bid from a bidder whose qualification lapsed after its deposit (BIDDER_NOT_ELIGIBLE), changing nothing', async () => {
    const [op1, op2] = [await t.login('operator1'), await t.login('operator2')];
    const [b1, b2] = [await t.login('buyer1'), await t.login('buyer2')];
    const setClock = async (at: string) => ok(await t.call('POST', '/api/admin/clock', { token: op1, body: { set: at } }));
    // Listed days before the buyers' records run out (2027-07-16): its disclosure ends, and the bidding opens, after that.
    await setClock('2027-07-07T02:00:00Z');
    const id = await listedWithDeposits(['buyer1', 'buyer2']);
    const end = ok(await t.call('GET', `/api/listings/${id}`, { token: op1 })).disclosureEndDate as string;
    expect(end > '2027-07-16', end).to.equal(true);
    await setClock(`${end}T23:00:00Z`); // 07:00 Beijing the next day: disclosure over, two buyers in: an auction
    // buyer2's record is renewed; buyer1's lapses.
    const renewed = { orgId: 'org-buyer2', netAssets: '900000000.00', financialAssets: '600000000.00', validUntil: '2028-07-18' };
    ok(await t.call('POST', '/api/admin/qualifications', { token: op2, body: { ...renewed, evidenceRef: 'QI-2027-019' } }), 201);
    const opensAt = ok(await t.call('GET', `/api/listings/${id}`, { token: op1 })).biddingOpensAt as string;
    await setClock(new Date(Date.parse(opensAt) + 5 * 60_000).toISOString());
    const before = ok(await t.call('GET', `/api/listings/${id}`, { token: op1 }));
    expect(before.state).to.equal('bidding');

    const refused = await t.call('POST', `/api/listings/${id}/bids`, {
      token: b1,
      body: { amount: '40000000.00' },
      headers: { 'Accept-Language': 'en' },
    });
    expectProblem(refused, 422, 'BIDDER_NOT_ELIGIBLE');
    expect(refused.body.params).to.deep.equal({ reason: 'BUYER_NOT_QUALIFIED' });
    expect(refused.body.detail).to.contain('qualified-investor record is no longer valid');
    expect(ok(await t.call('GET', `/api/listings/${id}`, { token: op1 }))).to.deep.equal(before);

    const placed = ok(await t.call('POST', `/api/listings/${id}/bids`, { token: b2, body: { amount: '40000000.00' } }), 201);
    expect(placed.bid).to.include({ amount: '40000000.00' });
  });
});
