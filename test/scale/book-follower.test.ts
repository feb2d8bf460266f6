/**
 * A process that starts while another one trades on the same PostgreSQL database (docs scale.md):
 * commits made between loading its books and listening for notifications are not lost to it.
 */
import { expect } from 'chai';
import pino from 'pino';
import { postgresKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { openDatabase, type DatabaseHandle } from '../../db/database';
import { loadCalendar } from '../../server/calendar/calendar.service';
import { OrdersService } from '../../server/orders/orders.service';
import { BookFollower } from '../../server/orders/book-follower';
import { transferOpener } from '../../server/transfers/open-from-trade';

const FUND = 'bj-ai-2021';

describe("following another process's book commits on PostgreSQL", function () {
  this.timeout(60_000);
  let t: TestExchange;
  let h: DatabaseHandle | null = null;
  let follower: BookFollower | null = null;
  before(async function () {
    if (await postgresKind.unavailable()) this.skip();
    t = await startTestExchange(postgresKind);
  });
  after(async () => {
    await follower?.stop();
    await h?.close();
    await t?.stop();
  });

  it('catches up, once it listens, with what the other process committed after its books were loaded', async () => {
    // The starting process: books loaded from the database ...
    h = openDatabase(t.exchange.config.databaseUrl);
    const calendar = await loadCalendar(h.db);
    const orders = new OrdersService(h, t.exchange.clock, calendar, transferOpener(calendar, t.exchange.config.fees));
    await orders.recover();
    const loadedSeq = orders.books.get(FUND)!.seq;
    // ... then, before it listens, the running process commits an order to the fund (its NOTIFY reaches nobody new) ...
    const r = await t.call('POST', '/api/orders', {
      token: await t.login('lp'),
      body: { fundId: FUND, side: 'sell', pricePct: '97.77', quantity: '1000000', timeInForce: 'GTC' },
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    const committed = (await h.db.selectFrom('bookState').select('seq').where('fundId', '=', FUND).executeTakeFirstOrThrow()).seq;
    expect(committed).to.equal(loadedSeq + 1);
    // ... and now it starts following.
    follower = new BookFollower(t.exchange.config.databaseUrl, orders, pino({ level: 'silent' }));
    await follower.start();
    for (let waited = 0; orders.books.get(FUND)!.seq < committed && waited < 5000; waited += 50)
      await new Promise((res) => setTimeout(res, 50));
    expect(orders.books.get(FUND)!.seq, 'the book caught up without a further commit').to.equal(committed);
    expect(orders.bookViewNow(FUND, '1000000', 10)!.asks.map((l) => l.pricePct)).to.include('97.77');
  });
});
