import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';
import { CLOCK_START, act, actOk, bookTrade, view } from './http-helpers';

const FUND = 'zgc-hardtech-2018'; // ROFR, no GP consent; org-lp, org-lp-guidance and org-lp-others hold it

describeEachDatabase('a ROFR holder answers for itself whatever its users trade as', (kind) => {
  let t: TestExchange;
  before(async function () {
    this.timeout(60_000);
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START });
  });
  after(async () => {
    await t?.stop();
  });

  it(
    'an organisation that bought into a ROFR fund, whose only user has the ' +
      'buyer role, is offered and may exercise its right on the next trade',
    async () => {
      // buyer1 (users with the buyer role only) becomes an LP of the fund.
      const first = await bookTrade(t, FUND, '2000000', '90.00', 'lp', 'buyer1');
      // the window lapses
      const r = await t.call('POST', '/api/admin/clock', { token: await t.login('operator1'), body: { advance: 'P31D' } });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      await actOk(t, 'operator1', first, { action: 'review' });
      await actOk(t, 'operator2', first, { action: 'approve' });
      await actOk(t, 'operator1', first, { action: 'confirm_payment', bankRef: 'BR-1' });
      expect(await actOk(t, 'operator2', first, { action: 'record_registration', registrationRef: 'SAMR-1' })).to.include({
        state: 'completed',
      });

      const id = await bookTrade(t, FUND, '1000000', '90.00', 'lp', 'buyer2');
      const holders = (await view(t, 'operator1', id)).body.rofr.holders.map((h: { orgId: string }) => h.orgId);
      expect(holders).to.include('org-buyer1');
      const offered = (await view(t, 'buyer1', id)).body;
      expect(offered.availableActions).to.deep.equal(['rofr_waive', 'rofr_exercise']);
      expect(offered.nextActor.why).to.match(/^Your organisation may waive or exercise/);
      // Users of organisations that hold no right on it may not answer, whatever their role.
      expectProblem(await act(t, 'gp', id, { action: 'rofr_waive' }), 403, 'FORBIDDEN');
      expectProblem(await act(t, 'operator1', id, { action: 'rofr_waive' }), 403, 'FORBIDDEN');
      expectProblem(await act(t, 'buyer2', id, { action: 'rofr_waive' }), 403, 'FORBIDDEN');

      const exercised = await actOk(t, 'buyer1', id, { action: 'rofr_exercise' });
      expect(exercised.rofr.holders).to.deep.equal([
        {
          orgId: 'org-buyer1',
          name: exercised.rofr.holders[0].name,
          nameEn: 'Zhongguancun Sci-Tech Secondary Fund I (Beijing) LP',
          answer: 'exercised',
          answeredAt: exercised.updatedAt,
        },
      ]);
      expect(exercised.availableActions).to.deep.equal([]);
      expectProblem(await act(t, 'buyer1', id, { action: 'rofr_waive' }), 409, 'ROFR_ALREADY_ANSWERED');
    },
  );
});
