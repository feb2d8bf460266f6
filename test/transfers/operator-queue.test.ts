import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { addCalendarDays } from '../../shared/calendar';
import { deadlineClosesAt, type Transfer } from '../../server/transfers/domain';
import { CLOCK_START, bookTrade } from './http-helpers';

describeEachDatabase("the operators' work queue with more open transfers than one list holds", (kind) => {
  let t: TestExchange;
  before(async function () {
    this.timeout(60_000);
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START });
  });
  after(async () => {
    await t?.stop();
  });

  it(
    'shows the most urgent first and keeps them when 500 later-opened ' +
      'transfers with later deadlines are open; a row without a deadline comes last',
    async function () {
      this.timeout(60_000);
      const urgent = await bookTrade(t, 'bj-bio-2020', '1000000', '70.00', 'lp', 'buyer1');
      const db = t.exchange.handle.db;
      const row = await db.selectFrom('transfers').selectAll().where('id', '=', urgent).executeTakeFirstOrThrow();
      const data = JSON.parse(row.data) as Transfer;
      const clone = (id: string, openedAt: string, days: number | null) => {
        const steps = data.steps.map((s) =>
          s.name === 'review' && s.deadline && days !== null
            ? { ...s, deadline: { ...s.deadline, date: addCalendarDays(s.deadline.date, days) } }
            : s,
        );
        const deadline = steps.find((s) => s.name === 'review')!.deadline!;
        return {
          ...row,
          id,
          tradeId: `trade-${id}`,
          openedAt,
          updatedAt: openedAt,
          nextDeadlineAt: days === null ? null : deadlineClosesAt(deadline),
          data: JSON.stringify({ ...data, id, tradeId: `trade-${id}`, openedAt, updatedAt: openedAt, steps }),
        };
      };
      const minute = 60_000;
      const later = Array.from({ length: 500 }, (_, i) =>
        clone(`later-${String(i).padStart(3, '0')}`, new Date(Date.parse(row.openedAt) + (i + 1) * minute).toISOString(), 1 + (i % 3)),
      );
      // Opened before all of them, but (as no open transfer should be) without a deadline.
      const undated = clone('undated', new Date(Date.parse(row.openedAt) - minute).toISOString(), null);
      await db
        .insertInto('transfers')
        .values([...later, undated])
        .execute();

      for (const path of ['/api/transfers', '/api/transfers?queue=review']) {
        const list = (await t.call('GET', path, { token: await t.login('operator1') })).body as {
          id: string;
          nextActor: { deadline: string };
          openedAt: string;
        }[];
        expect(list, path).to.have.length(500);
        expect(list[0]!.id, path).to.equal(urgent);
        expect(
          list.map((x) => x.id),
          path,
        ).not.to.include('undated');
        const keys = list.map((x) => `${x.nextActor.deadline} ${x.openedAt}`);
        expect(keys, path).to.deep.equal([...keys].sort());
      }
    },
  );
});
