/**
 * The pledge and in-kind distribution pages in the browser: the pledgor requests a pledge, an operator
 * registers it from the queue, the bank sees it; the GP proposes a distribution, an operator approves
 * it, and the LP finds its statement.
 */
import { expect } from 'chai';
import { browserSuite, shot } from './harness';

describe('browser client: pledges and in-kind distributions', function () {
  this.timeout(120_000);
  const suite = browserSuite({ CLOCK: 'simulated', CLOCK_START: '2026-03-02T02:00:00Z' });

  it("a pledge goes from the pledgor's form through the operator's registration queue to the bank's view", async () => {
    const lp = await suite.open('lp');
    await lp.page.goto(`${suite.ex.baseUrl}/#/pledges`);
    const form = lp.page.locator('[data-testid=pledge-form]');
    await form.waitFor();
    await form.locator('select[name=fundId]').selectOption('bj-bio-2020');
    await form.locator('input[name=quantity]').fill('5000000');
    await form.locator('input[name=securedAmount]').fill('3000000.00');
    await form.locator('input[name=contractRef]').fill('ZY-BROWSER-1');
    await form.locator('button[data-do=request-pledge]').click();
    await lp.page.locator('[data-testid=pledge][data-state=registration_pending]').waitFor();

    const op = await suite.open('operator1');
    await op.page.goto(`${suite.ex.baseUrl}/#/pledges`);
    const card = op.page.locator('[data-testid=pledge][data-state=registration_pending]');
    await card.locator('input[data-input=registrationRef]').fill('AMAC-ZY-1');
    await card.locator('button[data-pledge-action=register]').click();
    await op.page.locator('[data-testid=pledge][data-state=registered]').waitFor();

    const bank = await suite.open('bank');
    await bank.page.goto(`${suite.ex.baseUrl}/#/pledges`);
    await bank.page.locator('[data-testid=pledge][data-state=registered]').waitFor();
    expect(await bank.page.locator('[data-testid=pledge]').count()).to.equal(1);
    await shot(bank.page, 'pledges-bank');
  });

  it('the GP proposes an in-kind distribution, an operator approves it, and the LP sees its statement link', async () => {
    const gp = await suite.open('gp');
    await gp.page.goto(`${suite.ex.baseUrl}/#/distributions`);
    const form = gp.page.locator('[data-testid=distribution-form]');
    await form.waitFor();
    await form.locator('select[name=fundId]').selectOption('bj-ic-2019');
    await form.locator('input[name=code]').fill('688001');
    await form.locator('input[name=name]').fill('华芯微电子');
    await form.locator('input[name=market]').fill('SSE STAR');
    await form.locator('input[name=shares]').fill('100001');
    await form.locator('input[name=referencePrice]').fill('58.70');
    await form.locator('input[name=recordDate]').fill('2026-03-01');
    await form.locator('button[data-do=propose]').click();
    await gp.page.locator('[data-testid=distribution][data-state=proposed]').waitFor();

    const op = await suite.open('operator2');
    await op.page.goto(`${suite.ex.baseUrl}/#/distributions`);
    await op.page.locator('[data-testid=distribution] button[data-distribution-action=approve]').click();
    await op.page.locator('[data-testid=distribution][data-state=approved]').waitFor();

    const lp = await suite.open('lp');
    await lp.page.goto(`${suite.ex.baseUrl}/#/distributions`);
    await lp.page.locator('[data-testid=statement-link]').waitFor();
    expect(await lp.page.locator('[data-testid=distribution] tbody tr').count()).to.equal(1); // its own row only
    await shot(lp.page, 'distributions-lp');
  });
});
