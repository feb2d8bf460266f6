/**
 * The cap on an organisation's open orders holds across processes (PostgreSQL): two processes' batches on
 * different funds share no fund lock, so each used to count the organisation's open orders before the
 * other committed and both admitted the last places. An order that may rest now counts and adds under the
 * organisation's lock.
 */
import { expect } from 'chai';
import { postgresKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { openDatabase, type DatabaseHandle } from '../../db/database';
import { OPEN_STATUS } from '../../db/schema';
import { loadCalendar } from '../../server/calendar/calendar.service';
import { OrdersService } from '../../server/orders/orders.service';
import type { Principal } from '../../server/auth/tokens';
import { AppError } from '../../server/commands/errors';
import { transferOpener } from '../../server/transfers/open-from-trade';

describe('the open-order cap across processes on PostgreSQL', function () {
  this.timeout(60_000);
  let t: TestExchange;
  const handles: DatabaseHandle[] = [];
  before(async function () {
    if (await postgresKind.unavailable()) this.skip();
    t = await startTestExchange(postgresKind);
  });
  after(async () => {
    for (const h of handles.splice(0)) await h.close();
    await t?.stop();
  });

  /** Another process's order service on the same database, with the cap at `cap`. */
  async function process(cap: number): Promise<OrdersService> {
    const h = openDatabase(t.exchange.config.databaseUrl);
    handles.push(h);
    const calendar = await loadCalendar(h.db);
    const orders = new OrdersService(h, t.exchange.clock, calendar, transferOpener(calendar, t.exchange.config.fees), cap);
    await orders.recover();
    return orders;
  }

  it('two processes placing resting bids of one organisation on different funds at once admit no more than the cap', async () => {
    const db = t.exchange.handle.db;
    const user = await db.selectFrom('users').select(['id', 'orgId']).where('username', '=', 'buyer2').executeTakeFirstOrThrow();
    const openNow = async () =>
      Number(
        (
          await db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('orgId', '=', user.orgId)
            .where('status', '=', OPEN_STATUS)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const cap = (await openNow()) + 3;
    const [a, b] = [await process(cap), await process(cap)];
    const who: Principal = { userId: user.id, username: 'buyer2', orgId: user.orgId, orgName: 'buyer2', roles: ['buyer'] };
    const bids = (orders: OrdersService, fundId: string) =>
      Array.from({ length: 4 }, (_, k) =>
        orders.submit(
          who,
          { fundId, side: 'buy', pricePct: `${50 + k}.00`, quantity: '1000000', timeInForce: 'GTC' },
          `cap-${fundId}-${k}`,
        ),
      );
    const outcomes = await Promise.allSettled([...bids(a, 'bj-ai-2021'), ...bids(b, 'bj-bio-2020')]);
    const placed = outcomes.filter((o) => o.status === 'fulfilled' && o.value.status === 201).length;
    const refused = outcomes.map((o) => (o.status === 'rejected' && o.reason instanceof AppError ? o.reason.code : null));
    expect(placed, 'orders placed').to.equal(3);
    expect(refused.filter((c) => c === 'LIMIT_REACHED').length, JSON.stringify(refused)).to.equal(5);
    expect(await openNow()).to.equal(cap);
  });
});
