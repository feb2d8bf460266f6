import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';
import { actOk, bookTrade, view } from './http-helpers';

/** A hypothetical official 2027: 1, 4 and 5 January off (the provisional rule only knows 1 January). */
const SCHEDULE_2027 = { year: 2027, holidays: ['2027-01-01', '2027-01-04', '2027-01-05'], makeUpWorkdays: [] };

describeEachDatabase('approving an official calendar year makes provisional transfer deadlines final', (kind) => {
  let t: TestExchange;
  before(async function () {
    this.timeout(60_000);
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-12-24T02:00:00.000Z' }); // Thu 24 December, 10:00 Beijing
  });
  after(async () => {
    await t?.stop();
  });

  const setClock = async (at: string) => {
    const r = await t.call('POST', '/api/admin/clock', { token: await t.login('operator1'), body: { set: at } });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
  };
  const step = (body: { steps: { name: string; deadline: string; deadlineProvisional: boolean }[] }, name: string) =>
    body.steps.find((s) => s.name === name);

  it(
    "recomputes each open transfer's provisional deadline from its step's " +
      'start with the approved year, in the approval, and holds the transfer to it',
    async () => {
      const id = await bookTrade(t, 'bj-bio-2020', '1000000', '70.00', 'lp', 'buyer1');
      await actOk(t, 'operator1', id, { action: 'review' });
      // review due 31 December: official already
      const untouched = await bookTrade(t, 'bj-sci-fof-2022', '1000000', '95.00', 'lp', 'buyer2');
      // GP consent, 10 working days from Thu 24 December: provisionally 8 January, officially 12 January.
      const consent = await bookTrade(t, 'bj-space-2023', '1000000', '95.00', 'lp', 'buyer2');
      expect(step((await view(t, 'gp', consent)).body, 'gp_consent')).to.include({ deadline: '2027-01-08', deadlineProvisional: true });
      await setClock('2026-12-29T02:00:00.000Z');
      const approved = await actOk(t, 'operator2', id, { action: 'approve' });
      // 5 working days from Tue 29 December: 30, 31 December; 4, 5, 6 January by the provisional rule.
      expect(step(approved, 'payment')).to.include({ deadline: '2027-01-06', deadlineProvisional: true });

      const proposed = await t.call('POST', '/api/admin/calendar', { token: await t.login('operator1'), body: SCHEDULE_2027 });
      expect(proposed.status, JSON.stringify(proposed.body)).to.equal(202);
      const hash = (await t.call('GET', '/api/calendar', { token: await t.login('operator2') })).body.pendingYears[0].scheduleHash;
      // Four eyes refused: nothing is recomputed by an approval that does not happen.
      expectProblem(
        await t.call('POST', '/api/admin/calendar/2027/approve', { token: await t.login('operator1'), body: { scheduleHash: hash } }),
        409,
        'FOUR_EYES',
      );
      expect((await view(t, 'operator1', id)).body.version).to.equal(approved.version);
      const ok = await t.call('POST', '/api/admin/calendar/2027/approve', {
        token: await t.login('operator2'),
        body: { scheduleHash: hash },
      });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);

      // 30, 31 December; 6, 7, 8 January by the official calendar.
      const redated = (await view(t, 'buyer1', id)).body;
      expect(step(redated, 'payment')).to.include({ deadline: '2027-01-08', deadlineProvisional: false });
      expect(redated.nextActor.deadline).to.equal('2027-01-08');
      expect(redated.version).to.equal(approved.version + 1);
      const db = t.exchange.handle.db;
      expect(
        (await db.selectFrom('transfers').select('nextDeadlineAt').where('id', '=', id).executeTakeFirstOrThrow()).nextDeadlineAt,
      ).to.equal('2027-01-08T16:00:00.000Z');
      const audit = await db
        .selectFrom('auditLog')
        .selectAll()
        .where('entityId', '=', id)
        .where('action', '=', 'transfer.recompute_deadline')
        .execute();
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ actorUserId: 'user-operator2' });
      expect(JSON.parse(audit[0]!.payload)).to.deep.include({
        calendarYear: 2027,
        step: 'payment',
        from: { date: '2027-01-06', provisional: true },
        to: { date: '2027-01-08', provisional: false },
      });
      expect((await view(t, 'operator1', untouched)).body.version).to.equal(1);
      expect(step((await view(t, 'gp', consent)).body, 'gp_consent')).to.include({ deadline: '2027-01-12', deadlineProvisional: false });

      // 01:00 Beijing on 7 January: past the provisional date, within the official one.
      await setClock('2027-01-06T17:00:00.000Z');
      expect((await view(t, 'buyer1', id)).body.state).to.equal('payment_pending');
      expect(await actOk(t, 'operator1', id, { action: 'confirm_payment', bankRef: 'BR-2027-1' })).to.include({
        state: 'registration_pending',
      });
    },
  );
});
