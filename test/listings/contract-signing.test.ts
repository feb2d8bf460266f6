import { expect } from 'chai';
import { Dec } from '../../shared/decimal';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { expectConservation } from '../transfers/http-helpers';

const FUND = 'bj-sci-fof-2022';

describeEachDatabase("a listing award's contract over HTTP: both sign, or the one who does not loses", (kind) => {
  let t: TestExchange;
  beforeEach(async function () {
    this.timeout(60_000);
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z' });
  });
  afterEach(async () => {
    await t?.stop();
  });

  const act = async (user: string, id: string, body: Record<string, unknown>) =>
    t.call('POST', `/api/listings/${id}/actions`, { token: await t.login(user), body });
  const transferAct = async (user: string, id: string, body: Record<string, unknown>) =>
    t.call('POST', `/api/transfers/${id}/actions`, { token: await t.login(user), body });
  const setClock = async (at: string) =>
    ok(await t.call('POST', '/api/admin/clock', { token: await t.login('operator1'), body: { set: at } }));
  const balance = async (account: string) =>
    (await t.exchange.handle.db.selectFrom('cashLedger').select('amount').where('account', '=', account).execute())
      .reduce((s, r) => s.plus(r.amount), new Dec('0'))
      .toFixed(2);

  /** A private listing with buyer1 alone in, awarded by operator1 and confirmed by operator2: returns its transfer. */
  async function awarded(): Promise<{ listingId: string; transferId: string }> {
    const body = {
      fundId: FUND,
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
    ok(await t.call('POST', `/api/listings/${l.id}/registrations`, { token: await t.login('buyer1') }), 201);
    ok(await act('operator1', l.id, { action: 'qualify', orgId: 'org-buyer1' }));
    expectProblem(await act('operator1', l.id, { action: 'confirm_deposit', orgId: 'org-buyer1', bankRef: 'BANK-B1' }), 409, 'FOUR_EYES');
    ok(await act('operator2', l.id, { action: 'confirm_deposit', orgId: 'org-buyer1', bankRef: 'BANK-B1' }));
    await setClock('2026-09-28T02:00:00Z'); // disclosure (10 working days) closed on 25 September: negotiation
    expect(ok(await act('operator1', l.id, { action: 'award' })).state).to.equal('award_pending');
    expect(ok(await act('operator2', l.id, { action: 'confirm_award' })).state).to.equal('awarded');
    const trade = await t.exchange.handle.db
      .selectFrom('trades')
      .select('transferId')
      .where('listingId', '=', l.id)
      .executeTakeFirstOrThrow();
    return { listingId: l.id, transferId: trade.transferId! };
  }

  it('the review waits for both signatures; signed, the transfer proceeds', async () => {
    const { transferId } = await awarded();
    const view = ok(await t.call('GET', `/api/transfers/${transferId}`, { token: await t.login('buyer1') }));
    expect(view.contract).to.include({ seller: null, buyer: null, dueDateProvisional: false });
    expect(view.availableActions).to.include('sign');
    expectProblem(await transferAct('operator1', transferId, { action: 'sign' }), 403, 'FORBIDDEN');
    ok(await transferAct('lp', transferId, { action: 'sign' }));
    ok(await transferAct('buyer1', transferId, { action: 'sign' }));
    expectProblem(await transferAct('buyer1', transferId, { action: 'sign' }), 409, 'INVALID_STATE');
    const signed = ok(await t.call('GET', `/api/transfers/${transferId}`, { token: await t.login('lp') }));
    expect(signed.contract.seller).to.not.equal(null);
    expect(signed.contract.buyer).to.not.equal(null);
  });

  it('a winner who does not sign forfeits its deposit to the seller; units go back, the listing reopens, cash is conserved', async () => {
    const { listingId, transferId } = await awarded();
    const due = ok(await t.call('GET', `/api/transfers/${transferId}`, { token: await t.login('lp') })).contract.dueDate as string;
    ok(await transferAct('lp', transferId, { action: 'sign' }));
    const sellerBefore = await balance('bank:org-lp');
    expect(await balance('deposits')).to.equal('4000000.00');
    const [y, m, d] = due.split('-').map(Number) as [number, number, number];
    await setClock(new Date(Date.UTC(y, m - 1, d + 1, 2)).toISOString()); // 10:00 Beijing the day after the due date
    const db = t.exchange.handle.db;
    let state = '';
    for (let i = 0; i < 50 && state !== 'failed'; i++) {
      state = (await db.selectFrom('transfers').select('state').where('id', '=', transferId).executeTakeFirstOrThrow()).state;
      if (state !== 'failed') await new Promise((r) => setTimeout(r, 100));
    }
    const failed = ok(await t.call('GET', `/api/transfers/${transferId}`, { token: await t.login('lp') }));
    expect(failed.state).to.equal('failed');
    expect(failed.outcome.reason).to.match(/not signed by the buyer/);
    expect(await balance('deposits')).to.equal('0.00');
    expect(new Dec(await balance('bank:org-lp')).minus(sellerBefore).toFixed(2)).to.equal('4000000.00');
    expect(ok(await t.call('GET', `/api/listings/${listingId}`, { token: await t.login('lp') }))).to.include({
      state: 'closed',
      branch: 'no_buyer',
    });
    const held = await db
      .selectFrom('positions')
      .select(['onOffer', 'reserved'])
      .where('fundId', '=', FUND)
      .where('orgId', '=', 'org-lp')
      .executeTakeFirstOrThrow();
    expect(held).to.include({ reserved: '0.00', onOffer: '50000000.00' });
    await expectConservation(db);
  });
});
