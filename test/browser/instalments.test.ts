/**
 * Payment by instalments through the transfer page: the buyer of a state-owned award chooses a plan on the
 * page, sees each instalment and, once the contract date is fixed, their due dates and interest; an operator
 * confirms an instalment another operator recorded, and the page shows who did which.
 */
import { expect } from 'chai';
import { stateOwnedListingBody } from '../support/listing-body';
import { browserSuite, browserUnavailable, shot, type Session } from './harness';

describe('browser client: payment by instalments on the transfer page', function () {
  this.timeout(120_000);
  const suite = browserSuite({ CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z', QUOTES_POLL_MS: '600000' });
  let transferId = '';
  let buyer: Session;

  const call = async (user: string, method: 'GET' | 'POST', path: string, body?: Record<string, unknown>) => {
    const r = await suite.ex.call(method, path, { token: await suite.ex.login(user), ...(body ? { body } : {}) });
    expect(r.status, `${user} ${path} ${JSON.stringify(r.body)}`).to.be.oneOf([200, 201]);
    return r.body;
  };
  const listing = (user: string, id: string, body: Record<string, unknown>) => call(user, 'POST', `/api/listings/${id}/actions`, body);
  const transfer = (user: string, body: Record<string, unknown>) => call(user, 'POST', `/api/transfers/${transferId}/actions`, body);

  before(async function () {
    if (browserUnavailable()) return this.skip();
    const body = stateOwnedListingBody({ fundId: 'bj-sci-fof-2022', instalments: { allowed: true, interestRatePct: '3.45' } });
    const l = await call('lp-soe', 'POST', '/api/listings', body);
    await listing('lp-soe', l.id, { action: 'submit' });
    await listing('operator1', l.id, { action: 'review' });
    await listing('operator2', l.id, { action: 'approve' });
    await call('buyer1', 'POST', `/api/listings/${l.id}/registrations`);
    await listing('operator1', l.id, { action: 'qualify', orgId: 'org-buyer1' });
    await listing('lp-soe', l.id, { action: 'seller_answer', orgId: 'org-buyer1', answer: 'agree' });
    await listing('operator2', l.id, { action: 'confirm_deposit', orgId: 'org-buyer1', bankRef: 'ICBC-DEP-9' });
    const end = (await call('operator1', 'GET', `/api/listings/${l.id}`)).disclosureEndDate as string;
    await call('operator1', 'POST', '/api/admin/clock', { set: new Date(Date.parse(`${end}T10:00:00+08:00`) + 86_400_000).toISOString() });
    await listing('operator1', l.id, { action: 'award' });
    await listing('operator2', l.id, { action: 'confirm_award' });
    const trade = await suite.ex.exchange.handle.db
      .selectFrom('trades')
      .select('transferId')
      .where('listingId', '=', l.id)
      .executeTakeFirstOrThrow();
    transferId = trade.transferId!;
  });

  it('the buyer chooses instalments on the page: the plan with its guarantee, dates to be fixed at the contract date', async () => {
    buyer = await suite.open('buyer1');
    await buyer.page.goto(`${suite.ex.baseUrl}/#/transfer/${transferId}`);
    const card = buyer.page.locator('[data-testid=transfer-instalments]');
    await card.filter({ hasText: '3.45%' }).waitFor();
    await card.locator('[data-input=planInstalments]').fill('45000000.00\n52500000.00@6\n52500000.00@12');
    await card.locator('[data-input=planGuarantee]').fill('BOC-LG-2026-0921');
    await card.locator('button[data-choose=instalments]').click();
    await card.locator('[data-testid=instalment-table] tbody tr').nth(2).waitFor();
    expect(await card.innerText()).to.include('BOC-LG-2026-0921');
    await card.filter({ hasText: '到期日与利息于合同日（批准日）确定' }).waitFor();
    await shot(buyer.page, 'instalments-01-chosen');
  });

  it('an operator confirms the instalment another recorded; the page shows both and the next one due', async () => {
    await transfer('lp-soe', { action: 'sign' });
    await transfer('buyer1', { action: 'sign' });
    await transfer('operator1', { action: 'review' });
    await transfer('operator2', { action: 'approve' });
    await transfer('operator1', { action: 'confirm_payment', instalment: 1, bankRef: 'ICBC-INST-1' });
    const op2 = await suite.open('operator2');
    await op2.page.goto(`${suite.ex.baseUrl}/#/transfer/${transferId}`);
    const first = op2.page.locator('[data-testid=instalment-table] tr[data-instalment="1"]');
    await first.and(op2.page.locator('[data-state=recorded]')).waitFor();
    await op2.page.locator('form.actions input[data-input=bankRef]').fill('ICBC-INST-1');
    await op2.page.locator('form.actions button[data-action=confirm_payment]').click();
    await op2.page.locator('[data-testid=instalment-table] tr[data-instalment="1"][data-state=confirmed]').waitFor();
    const row = await op2.page.locator('[data-testid=instalment-table] tr[data-instalment="1"]').innerText();
    expect(row).to.include('ICBC-INST-1');
    const next = await op2.page.locator('[data-testid=instalment-table] tr.next').innerText();
    expect(next.startsWith('2')).to.equal(true);
    await shot(op2.page, 'instalments-02-confirmed');
  });
});
