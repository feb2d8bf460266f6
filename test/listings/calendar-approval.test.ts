import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';

/** A hypothetical official 2027: Spring Festival 8–12 February off, Sunday 14 February a make-up working day. */
const SCHEDULE_2027 = {
  year: 2027,
  holidays: ['2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-13'],
  makeUpWorkdays: ['2027-02-14'],
};

describeEachDatabase('approving an official calendar year makes provisional listing dates final', (kind) => {
  let t: TestExchange;
  before(async function () {
    this.timeout(60_000);
    // Mon 25 January 2027, 09:00 Beijing
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2027-01-25T01:00:00.000Z' });
  });
  after(async () => {
    await t?.stop();
  });

  const act = async (user: string, id: string, body: Record<string, unknown>) =>
    ok(await t.call('POST', `/api/listings/${id}/actions`, { token: await t.login(user), body }));

  it(
    'recounts a state-owned disclosure over Spring Festival in the ' + 'approval, records the change, and holds the listing to it',
    async () => {
      const body = {
        fundId: 'bj-ic-2019',
        quantity: '100000000',
        method: 'auction',
        askPrice: '150000000.00',
        increment: '1000000.00',
        depositAmount: '30000000.00',
        buyerConditions: ['A qualified investor under the Interim Measures'],
        stateOwned: {
          resolutionRef: 'SOE-RES-2027-01',
          approvalRef: 'SASAC-BJ-2027-003',
          appraisalRef: 'APR-2026-120',
          appraisalValue: '150000000.00',
          appraisalBaseDate: '2026-12-01',
        },
      };
      const l = ok(await t.call('POST', '/api/listings', { token: await t.login('lp-soe'), body }), 201);
      await act('lp-soe', l.id, { action: 'submit' });
      await act('operator1', l.id, { action: 'review' });
      const approved = await act('operator2', l.id, { action: 'approve' });
      // 20 working days from Mon 25 January by the provisional rule (weekends only in February): Fri 19 February.
      expect(approved).to.include({ disclosureEndDate: '2027-02-19', disclosureEndProvisional: true });

      ok(await t.call('POST', '/api/admin/clock', { token: await t.login('operator1'), body: { set: '2027-01-26T02:00:00.000Z' } }));
      ok(await t.call('POST', '/api/admin/calendar', { token: await t.login('operator1'), body: SCHEDULE_2027 }), 202);
      const hash = ok(await t.call('GET', '/api/calendar', { token: await t.login('operator2') })).pendingYears[0].scheduleHash;
      ok(await t.call('POST', '/api/admin/calendar/2027/approve', { token: await t.login('operator2'), body: { scheduleHash: hash } }));

      // Officially: 25–29 January (5), 1–5 February (10), Spring Festival off, Sunday 14 (11), 15–19 (16), 22–25 (20).
      const redated = ok(await t.call('GET', `/api/listings/${l.id}`, { token: await t.login('buyer1') }));
      expect(redated).to.include({
        disclosureEndDate: '2027-02-25',
        disclosureEndProvisional: false,
        registrationClosesAt: '2027-02-25T16:00:00.000Z',
      });
      const db = t.exchange.handle.db;
      expect((await db.selectFrom('listings').select('nextTimerAt').where('id', '=', l.id).executeTakeFirstOrThrow()).nextTimerAt).to.equal(
        '2027-02-25T16:00:00.000Z',
      );
      const audit = await db
        .selectFrom('auditLog')
        .selectAll()
        .where('entityId', '=', l.id)
        .where('action', '=', 'listing.recompute_dates')
        .execute();
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ actorUserId: 'user-operator2' });
      expect(JSON.parse(audit[0]!.payload)).to.deep.include({
        calendarYear: 2027,
        changes: [
          { field: 'disclosureEndDate', from: { date: '2027-02-19', provisional: true }, to: { date: '2027-02-25', provisional: false } },
        ],
      });

      // Monday 22 February: past the provisional end, within the official one: registration is still open.
      ok(await t.call('POST', '/api/admin/clock', { token: await t.login('operator1'), body: { set: '2027-02-22T02:00:00.000Z' } }));
      ok(await t.call('POST', `/api/listings/${l.id}/registrations`, { token: await t.login('buyer1') }), 201);
      expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: await t.login('buyer1') })).state).to.equal('disclosure');
    },
  );
});
