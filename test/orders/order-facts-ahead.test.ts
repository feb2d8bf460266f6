/**
 * A batch of orders reads what its checks need ahead, in a few statements for all of its commands
 * (server/orders/batch-facts.ts): on PostgreSQL each read a command made on its own was a round trip the
 * whole batch waited for. Here: bids of a buyer new to the fund, whose investor-cap check counts the
 * fund's investors.
 */
import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { openDatabase, type DatabaseHandle } from '../../db/database';
import { loadCalendar } from '../../server/calendar/calendar.service';
import { OrdersService } from '../../server/orders/orders.service';
import type { Principal } from '../../server/auth/tokens';
import { transferOpener } from '../../server/transfers/open-from-trade';

describeEachDatabase("a batch's order checks read ahead", (kind) => {
  let t: TestExchange;
  let h: DatabaseHandle | null = null;
  beforeEach(async () => {
    t = await startTestExchange(kind);
  });
  afterEach(async () => {
    await h?.close();
    h = null;
    await t?.stop();
  });

  it("counts the investors of the funds bid for with the batch's other reads, never once per command", async () => {
    const statements: string[] = [];
    h = openDatabase(t.exchange.config.databaseUrl, { onQuery: (q) => statements.push(q.sql) });
    const calendar = await loadCalendar(h.db);
    const orders = new OrdersService(h, t.exchange.clock, calendar, transferOpener(calendar, t.exchange.config.fees));
    await orders.recover();
    const user = await h.db.selectFrom('users').select(['id', 'orgId']).where('username', '=', 'buyer2').executeTakeFirstOrThrow();
    const held = await h.db
      .selectFrom('positions')
      .select('fundId')
      .where('orgId', '=', user.orgId)
      .where('commitment', '!=', '0.00')
      .execute();
    const newTo = (await h.db.selectFrom('funds').select('id').orderBy('id').execute())
      .map((f) => f.id)
      .filter((id) => !held.some((p) => p.fundId === id))
      .slice(0, 2);
    expect(newTo, 'funds buyer2 holds nothing of').to.have.length(2);
    const who: Principal = { userId: user.id, username: 'buyer2', orgId: user.orgId, orgName: 'buyer2', roles: ['buyer'] };
    statements.length = 0;
    const placed = await Promise.all(
      newTo.flatMap((fundId) =>
        [0, 1].map((k) =>
          orders.submit(
            who,
            { fundId, side: 'buy', pricePct: `${30 + k}.00`, quantity: '1000000', timeInForce: 'GTC' },
            `ahead-${fundId}-${k}`,
          ),
        ),
      ),
    );
    expect(placed.map((o) => o.status)).to.deep.equal([201, 201, 201, 201]);
    const counts = statements.filter((s) => /count\(\*\).*from "positions"/i.test(s));
    expect(counts, 'one count of investors, grouped by fund').to.have.length(1);
    expect(counts[0]).to.match(/group by "fund_id"/);
  });
});
