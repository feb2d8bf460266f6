/**
 * A fund's admission in the browser: operator1 proposes it and loads its partner register as CSV,
 * is refused its approval (four eyes), operator2 approves it, and an LP then finds it on the market
 * with its position; an administrator's credit-code check says at once when a check character is wrong.
 */
import { expect } from 'chai';
import { DEMO_ORGS } from '../../server/seed/demo-market';
import { browserSuite, shot } from './harness';

const uscc = (id: string) => DEMO_ORGS.find((o) => o.id === id)!.uscc;

describe('browser client: admitting a fund with two operators', function () {
  this.timeout(120_000);
  const suite = browserSuite();

  it('operator1 proposes and loads the register, operator2 opens the fund, the LP sees it and its position', async () => {
    const a = await suite.open('operator1');
    await a.page.goto(`${suite.ex.baseUrl}/#/admission`);
    const form = a.page.locator('[data-testid=propose-fund]');
    await form.getByLabel('基金编号').fill('zgc-browser-2025');
    await form.getByLabel('基金名称').fill('中关村浏览器测试基金（有限合伙）');
    await form.getByLabel('设立年份').fill('2025');
    await form.getByLabel('认缴总额（元）').fill('50000000');
    await form.getByRole('button', { name: '提交申报' }).click();
    const card = a.page.locator('[data-pending-fund=zgc-browser-2025]');
    await card.waitFor();
    expect(await card.textContent()).to.contain('50');
    await card
      .locator('textarea')
      .fill(`uscc,commitment,paidIn\n${uscc('org-lp')},30000000,15000000.00\n${uscc('org-lp-others')},20000000,10000000.00`);
    await card.getByRole('button', { name: '导入名册' }).click();
    await a.page.locator('[data-testid=partners-zgc-browser-2025] tbody tr').nth(1).waitFor();
    await card.getByRole('button', { name: /批准上线/ }).click();
    await a.page.locator('.banner.error').getByText('需由另一位操作员办理').waitFor(); // FOUR_EYES, in the reader's language
    await shot(a.page, 'fund-admission-proposed');

    const b = await suite.open('operator2');
    await b.page.goto(`${suite.ex.baseUrl}/#/admission`);
    await b.page
      .locator('[data-pending-fund=zgc-browser-2025]')
      .getByRole('button', { name: /批准上线/ })
      .click();
    await b.page.locator('[data-pending-fund=zgc-browser-2025]').waitFor({ state: 'detached' });

    const lp = await suite.open('lp');
    await lp.page.goto(`${suite.ex.baseUrl}/#/account`);
    await lp.page.locator('[data-testid=positions]').getByText('中关村浏览器测试基金（有限合伙）').waitFor();
    await lp.page.goto(`${suite.ex.baseUrl}/#/market`);
    await lp.page.locator('[data-testid=funds]').getByText('中关村浏览器测试基金（有限合伙）').waitFor();
    await shot(lp.page, 'fund-admission-opened');
  });

  it("the members page checks a credit code's check character as it is typed", async () => {
    const admin = await suite.open('admin');
    await admin.page.goto(`${suite.ex.baseUrl}/#/members`);
    const code = admin.page.locator('[data-testid=new-organisation]').getByLabel('统一社会信用代码');
    await code.fill('91350100M000100Y43');
    await admin.page.locator('#uscc-check').getByText('校验码正确').waitFor();
    await code.fill('91350100M000100Y44');
    await admin.page.locator('#uscc-check').getByText('校验码不符').waitFor();
  });
});
