/**
 * Input rules against hostile clients (issue #19): free text shown to others or printed, order
 * quantities, calendar proposals, the open-order cap and who may approve a calendar.
 */
import { expect } from 'chai';
import type { Principal } from '../../server/auth/tokens';
import { describeEachDatabase, sqliteKind } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';
import { stateOwnedListingBody } from '../support/listing-body';

const RLO = '\u202e';
const auditLength = async (t: TestExchange) =>
  Number(
    (
      await t.exchange.handle.db
        .selectFrom('auditLog')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describeEachDatabase('free text shown to others or printed', (kind) => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-11-23T02:00:00Z' });
  });
  after(async () => {
    await t?.stop();
  });

  const refusedNaming = async (r: Promise<{ status: number; body: any; headers: Headers }>, field: string) => {
    const before = await auditLength(t);
    const answer = await r;
    expectProblem(answer, 400, 'VALIDATION_FAILED');
    expect(answer.body.detail).to.contain(field);
    expect(await auditLength(t), 'nothing recorded').to.equal(before);
  };

  it('refuses bidi overrides and control characters in every free-text field, naming the field, and changes nothing', async () => {
    const [soe, gp, admin, op] = [await t.login('lp-soe'), await t.login('gp'), await t.login('admin'), await t.login('operator1')];
    const listing = stateOwnedListingBody({ buyerConditions: ['A qualified investor'] });
    await refusedNaming(
      t.call('POST', '/api/listings', { token: soe, body: { ...listing, buyerConditions: [`qualified ${RLO}investor`] } }),
      'body.buyerConditions.0',
    );
    await refusedNaming(
      t.call('POST', '/api/listings', {
        token: soe,
        body: { ...listing, stateOwned: { ...listing.stateOwned, approvalRef: 'SASAC\u2066-1' } },
      }),
      'body.stateOwned.approvalRef',
    );
    await refusedNaming(
      t.call('POST', '/api/listings/any-listing/actions', { token: op, body: { action: 'reject', reason: `bad${RLO}` } }),
      'body.reason',
    );
    await refusedNaming(
      t.call('POST', '/api/transfers/any-transfer/actions', { token: gp, body: { action: 'gp_refuse', reason: `no\u200f` } }),
      'body.reason',
    );
    await refusedNaming(
      t.call('POST', '/api/transfers/any-transfer/actions', { token: op, body: { action: 'reject', reason: 'bell\u0007' } }),
      'body.reason',
    );
    await refusedNaming(t.call('POST', '/api/confirmations/C-1/revoke', { token: op, body: { reason: `wrong${RLO}` } }), 'body.reason');
    await refusedNaming(
      t.call('POST', '/api/admin/users/u-buyer1/sessions/revoke', { token: admin, body: { reason: `lost\u202a` } }),
      'body.reason',
    );
    await refusedNaming(t.call('POST', '/api/admin/users/u-buyer1/suspend', { token: admin, body: { reason: 'c1\u0085' } }), 'body.reason');
    await refusedNaming(t.call('POST', '/api/admin/calendar/2027/reject', { token: op, body: { reason: `x${RLO}` } }), 'body.reason');
    await refusedNaming(
      t.call(
        'GET',
        `/api/funds/bj-ai-2021/valuation?appraisalValue=1000000.00&appraisalBaseDate=2026-06-30` +
          `&approvalRef=${encodeURIComponent(`A${RLO}B`)}`,
        { token: soe },
      ),
      'query.approvalRef',
    );
    await refusedNaming(
      t.call(
        'GET',
        `/api/funds/bj-ai-2021/valuation.pdf?appraisalValue=1000000.00&appraisalBaseDate=2026-06-30` +
          `&approvalRef=${encodeURIComponent('A\u0000B')}`,
        { token: soe },
      ),
      'query.approvalRef',
    );
  });

  it('accepts line breaks in a reason (text may span lines) and ordinary Chinese and English text', async () => {
    const admin = await t.login('admin');
    const users = (await t.call('GET', '/api/admin/users', { token: admin })).body as { id: string; username: string }[];
    const buyer2 = users.find((u) => u.username === 'buyer2')!.id;
    const r = await t.call('POST', `/api/admin/users/${buyer2}/sessions/revoke`, {
      token: admin,
      body: { reason: '设备丢失\nlost phone — reported by phone' },
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
  });

  it('refuses an order for more commitment than the fund has (no best bid of 10^15 yuan on a 3 × 10^9 fund)', async () => {
    const b1 = await t.login('buyer1');
    const before = await auditLength(t);
    const r = await t.call('POST', '/api/orders', {
      token: b1,
      body: { fundId: 'bj-ai-2021', side: 'buy', pricePct: '50.00', quantity: '1000000000000000', timeInForce: 'GTC' },
    });
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(r.body.detail).to.contain("fund's total commitment");
    const over = await t.call('POST', '/api/orders', {
      token: b1,
      body: { fundId: 'bj-ai-2021', side: 'buy', pricePct: '50.00', quantity: '3001000000', timeInForce: 'GTC' },
    });
    expectProblem(over, 400, 'VALIDATION_FAILED');
    const book = await t.call('GET', '/api/funds/bj-ai-2021/book?depth=10', { token: b1 });
    expect(book.body.bids).to.deep.equal([]);
    expect(await auditLength(t)).to.equal(before);
  });
});

describe('calendar proposals and who approves them', () => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(sqliteKind);
  });
  after(async () => {
    await t?.stop();
  });

  it('refuses a make-up working day on a weekday, a date outside the year, and a date listed twice', async () => {
    const op = await t.login('operator1');
    const propose = (body: unknown) => t.call('POST', '/api/admin/calendar', { token: op, body });
    const wednesday = await propose({ year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: ['2027-01-06'] });
    expectProblem(wednesday, 400, 'VALIDATION_FAILED');
    expect(wednesday.body.detail).to.contain('2027-01-06 is a weekday');
    expectProblem(await propose({ year: 2027, holidays: ['2028-01-01'], makeUpWorkdays: [] }), 400, 'VALIDATION_FAILED');
    expectProblem(await propose({ year: 2027, holidays: ['2027-01-01', '2027-01-01'], makeUpWorkdays: [] }), 400, 'VALIDATION_FAILED');
    const saturday = await propose({ year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: ['2027-01-09'] });
    expect(saturday.status, JSON.stringify(saturday.body)).to.equal(202);
  });

  it('an administrator cannot propose, approve or withdraw a calendar year: two operators do, as the README says', async () => {
    const admin = await t.login('admin');
    expectProblem(
      await t.call('POST', '/api/admin/calendar', { token: admin, body: { year: 2028, holidays: [], makeUpWorkdays: [] } }),
      403,
      'FORBIDDEN',
    );
    const cal = (await t.call('GET', '/api/calendar', { token: await t.login('operator1') })).body;
    const hash = cal.pendingYears.find((y: { year: number }) => y.year === 2027).scheduleHash;
    expectProblem(
      await t.call('POST', '/api/admin/calendar/2027/approve', { token: admin, body: { scheduleHash: hash } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await t.call('POST', '/api/admin/calendar/2027/reject', { token: admin, body: { reason: 'no' } }), 403, 'FORBIDDEN');
    const ok = await t.call('POST', '/api/admin/calendar/2027/approve', {
      token: await t.login('operator2'),
      body: { scheduleHash: hash },
    });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
  });
});

describe('the open-order cap', () => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(sqliteKind);
  });
  after(async () => {
    await t?.stop();
  });

  it(
    'answers the 1,001st open order of an organisation with 422 ' + 'LIMIT_REACHED (not a retryable 429), and accepts again after a cancel',
    async function () {
      this.timeout(120_000);
      const token = await t.login('buyer1');
      const me = (await t.call('GET', '/api/auth/me', { token })).body;
      const who: Principal = { userId: me.id, username: me.username, orgId: me.orgId, orgName: me.orgName, roles: me.roles };
      const order = (i: number) => ({
        fundId: 'bj-ai-2021',
        side: 'buy' as const,
        pricePct: `${(1 + (i % 50)).toFixed(2)}`,
        quantity: '1000000',
        timeInForce: 'GTC' as const,
      });
      const placed = await Promise.all(Array.from({ length: 1000 }, (_, i) => t.exchange.orders.submit(who, order(i), undefined)));
      expect(placed.every((p) => p.status === 201)).to.equal(true);
      const refused = await t.call('POST', '/api/orders', { token, body: order(0) });
      expectProblem(refused, 422, 'LIMIT_REACHED');
      expect(refused.body.params).to.deep.equal({ reason: 'open_orders', limit: '1000' });
      expect(refused.body.detail).to.contain('1,000 open orders');
      const first = (placed[0]!.body as { order: { id: string } }).order.id;
      expect((await t.call('DELETE', `/api/orders/${first}`, { token })).status).to.equal(200);
      expect((await t.call('POST', '/api/orders', { token, body: order(0) })).status).to.equal(201);
    },
  );
});
