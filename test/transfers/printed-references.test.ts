import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';
import { CLOCK_START, act, actOk, bookTrade, view } from './http-helpers';

const FUND = 'bj-bio-2020'; // no ROFR, no GP consent

describeEachDatabase('references the confirmation prints are checked when they are entered', (kind) => {
  let t: TestExchange;
  before(async function () {
    this.timeout(60_000);
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START });
  });
  after(async () => {
    await t?.stop();
  });

  const awaitingPayment = async () => {
    const id = await bookTrade(t, FUND, '1000000', '70.00', 'lp', 'buyer1');
    await actOk(t, 'operator1', id, { action: 'review' });
    return (await actOk(t, 'operator2', id, { action: 'approve' })) as { id: string; version: number };
  };

  it('a bankRef with a character the confirmation font lacks, or a control character, is refused (400) and changes nothing', async () => {
    const approved = await awaitingPayment();
    const refused = await act(t, 'operator1', approved.id, { action: 'confirm_payment', bankRef: 'BR-\u{1F600}-1' });
    expectProblem(refused, 400, 'VALIDATION_FAILED');
    expect(refused.body.detail).to.include('bankRef').and.to.include('U+1F600');
    expectProblem(await act(t, 'operator1', approved.id, { action: 'confirm_payment', bankRef: 'BR-\u0007-2' }), 400, 'VALIDATION_FAILED');
    const unchanged = (await view(t, 'operator1', approved.id)).body;
    expect(unchanged).to.include({ state: 'payment_pending', version: approved.version });
    expect(unchanged.allocations[0].payment).to.equal(null);
    const ledger = await t.exchange.handle.db
      .selectFrom('cashLedger')
      .select('reference')
      .where('reference', 'like', `${approved.id}:%`)
      .execute();
    expect(ledger).to.deep.equal([]);
    // Who may not act, or not now, learns that first (the domain's order of refusals).
    expectProblem(await act(t, 'buyer1', approved.id, { action: 'confirm_payment', bankRef: 'BR-\u{1F600}-3' }), 403, 'FORBIDDEN');
    expectProblem(
      await act(t, 'operator1', approved.id, { action: 'record_registration', registrationRef: 'R-\u{1F600}' }),
      409,
      'INVALID_STATE',
    );
  });

  it(
    'registration, AMAC and state-owned equity references are refused the ' +
      'same way; printable ones, Chinese included, complete the transfer and ' +
      'issue its confirmation',
    async () => {
      const approved = await awaitingPayment();
      await actOk(t, 'operator1', approved.id, { action: 'confirm_payment', bankRef: '工商银行 BR-0001' });
      for (const field of ['registrationRef', 'amacRef', 'stateEquityRef']) {
        const r = await act(t, 'operator2', approved.id, {
          action: 'record_registration',
          registrationRef: 'SAMR-1',
          [field]: 'REF-\u{1F4C4}',
        });
        expectProblem(r, 400, 'VALIDATION_FAILED');
        expect(r.body.detail).to.include(field);
      }
      expectProblem(
        await act(t, 'operator2', approved.id, { action: 'record_registration', registrationRef: 'SAMR-\u001b-1' }),
        400,
        'VALIDATION_FAILED',
      );
      expect((await view(t, 'operator1', approved.id)).body).to.include({ state: 'registration_pending', confirmationNumber: null });
      const done = await actOk(t, 'operator2', approved.id, {
        action: 'record_registration',
        registrationRef: '京市监登记 2026-001',
        amacRef: 'AMAC-7',
      });
      expect(done.state).to.equal('completed');
      expect(done.confirmationNumber).to.match(/^SFX-\d{4}-\d{6}$/);
    },
  );
});
