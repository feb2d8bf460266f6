/**
 * The Loan Prime Rate floor of an instalment listing's interest (Order 32 art. 28: the deferred balance bears
 * interest at the bank loan rate of the period), on each database: the published history, a new publication
 * recorded by one operator and counted once another approves it, and listings below the rate in force refused
 * with INTEREST_BELOW_LPR, in the reader's language, storing nothing.
 */
import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { stateOwnedListingBody } from '../support/listing-body';

describeEachDatabase('the Loan Prime Rate floor of instalment interest', (kind) => {
  let t: TestExchange;
  let soe: string, op1: string, op2: string, buyer: string;
  before(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-12-01T02:00:00Z', DEMO_MARKET: 'empty' });
    [soe, op1, op2, buyer] = [await t.login('lp-soe'), await t.login('operator1'), await t.login('operator2'), await t.login('buyer1')];
  });
  after(async () => {
    await t?.stop();
  });

  const list = (ratePct: string, headers: Record<string, string> = {}) =>
    t.call('POST', '/api/listings', {
      token: soe,
      body: stateOwnedListingBody({ instalments: { allowed: true, interestRatePct: ratePct } }),
      headers,
    });
  const listings = async () => (await t.exchange.handle.db.selectFrom('listings').select('id').execute()).length;
  const rates = async (token: string) => ok(await t.call('GET', '/api/loan-prime-rates', { token }));
  const record = (token: string, body: Record<string, unknown>) => t.call('POST', '/api/admin/loan-prime-rates', { token, body });

  it('lists the published one-year LPR history to every member, the last 3.00% since 2025-05-20', async () => {
    const seen = await rates(buyer);
    expect(seen.rates[0]).to.include({ effectiveDate: '2019-08-20', oneYearPct: '4.25' });
    expect(seen.rates.at(-1)).to.include({ effectiveDate: '2025-05-20', oneYearPct: '3.00' });
    expect(seen).not.to.have.property('pending');
    expect((await rates(op1)).pending).to.deep.equal([]);
  });

  it('refuses an instalment listing whose interest is below the LPR in force (422 INTEREST_BELOW_LPR) and stores nothing', async () => {
    const before = await listings();
    const zh = await list('2.95', { 'Accept-Language': 'zh-CN' });
    expectProblem(zh, 422, 'INTEREST_BELOW_LPR');
    expect(zh.body.params).to.deep.equal({ interestRatePct: '2.95', lprPct: '3.00', effectiveDate: '2025-05-20' });
    expect(zh.body.detail).to.contain('贷款市场报价利率').and.contain('3.00%');
    const en = await list('2.95', { 'Accept-Language': 'en' });
    expect(en.body.detail).to.contain('Loan Prime Rate');
    expect(await listings()).to.equal(before);
    ok(await list('3.00'), 201);
    expect(await listings()).to.equal(before + 1);
  });

  it('counts a recorded publication only once a different operator approved the rate it checked; the floor then follows it', async () => {
    expectProblem(await record(buyer, { effectiveDate: '2026-11-20', oneYearPct: '3.20', source: 'NIFC 2026-11-20' }), 403, 'FORBIDDEN');
    const recorded = await record(op1, { effectiveDate: '2026-11-20', oneYearPct: '3.20', source: 'NIFC 2026-11-20' });
    expect(recorded.status).to.equal(202);
    expect((await rates(op2)).pending).to.deep.equal([
      { effectiveDate: '2026-11-20', oneYearPct: '3.20', source: 'NIFC 2026-11-20', recordedBy: 'user-operator1' },
    ]);
    // Not counted yet: 3.10 still meets the floor of 3.00.
    ok(await list('3.10'), 201);
    const approve = (token: string, pct: string) =>
      t.call('POST', '/api/admin/loan-prime-rates/2026-11-20/approve', { token, body: { oneYearPct: pct } });
    expectProblem(await approve(op1, '3.20'), 409, 'FOUR_EYES');
    expectProblem(await approve(op2, '3.25'), 409, 'CONFLICT');
    ok(await approve(op2, '3.20'));
    expect((await rates(buyer)).rates.at(-1)).to.include({ effectiveDate: '2026-11-20', oneYearPct: '3.20' });
    const refused = await list('3.10');
    expectProblem(refused, 422, 'INTEREST_BELOW_LPR');
    expect(refused.body.params).to.deep.include({ lprPct: '3.20', effectiveDate: '2026-11-20' });
    const audit = await t.exchange.handle.db
      .selectFrom('auditLog')
      .select(['action', 'actorUserId'])
      .where('entityType', '=', 'loan_prime_rate')
      .orderBy('id')
      .execute();
    expect(audit).to.deep.equal([
      { action: 'loan_prime_rate.record', actorUserId: 'user-operator1' },
      { action: 'loan_prime_rate.approve', actorUserId: 'user-operator2' },
    ]);
  });

  it('keeps the history growing: no rate at or before the latest, one awaiting approval at a time; a rejected one is gone', async () => {
    expectProblem(await record(op1, { effectiveDate: '2026-11-20', oneYearPct: '3.10', source: 'x' }), 409, 'CONFLICT');
    expectProblem(await record(op1, { effectiveDate: '2026-12-21', oneYearPct: '3.1', source: ' ' }), 400, 'VALIDATION_FAILED');
    expectProblem(await record(op1, { effectiveDate: '2026-12-21', oneYearPct: 3.1, source: 'x' }), 400, 'VALIDATION_FAILED');
    expect((await record(op1, { effectiveDate: '2026-12-21', oneYearPct: '3.10', source: 'NIFC 2026-12-21' })).status).to.equal(202);
    expectProblem(await record(op2, { effectiveDate: '2027-01-20', oneYearPct: '3.10', source: 'x' }), 409, 'CONFLICT');
    ok(await t.call('POST', '/api/admin/loan-prime-rates/2026-12-21/reject', { token: op2 }));
    expect((await rates(op1)).pending).to.deep.equal([]);
    expect((await rates(op1)).rates.at(-1)).to.include({ effectiveDate: '2026-11-20' });
  });
});
