/**
 * The browser client end to end: two people trade on one fund's book and each sees the other's
 * order and the trade without reloading; then the GP consents and two operators take the transfer
 * to completion through the pages, and the confirmation link appears.
 */
import { expect } from 'chai';
import { browserSuite, shot, type Session } from './harness';

const FUND = 'bj-ai-2021'; // no ROFR, GP consent required: the full workflow without a 30-day wait
const SEEN_MS = 15_000;

describe('browser client: trading and the transfer workflow through the pages', function () {
  this.timeout(120_000);
  const suite = browserSuite();
  const open = (username: string) => suite.open(username);

  let seller: Session;
  let buyer: Session;

  it('shows the market with every fund and its NAV reference date', async () => {
    seller = await open('lp');
    const rows = seller.page.locator('[data-testid=funds] tbody tr');
    await rows.nth(5).waitFor();
    expect(await rows.count()).to.equal(6);
    await shot(seller.page, '01-market-zh');
  });

  it('a seller places an order by keyboard; the buyer in another context sees the book change without reloading', async () => {
    buyer = await open('buyer1');
    await buyer.page.goto(`${suite.ex.baseUrl}/#/fund/${FUND}`);
    await buyer.page.locator('[data-testid=ladder]').waitFor();
    await seller.page.goto(`${suite.ex.baseUrl}/#/fund/${FUND}`);
    const ticket = seller.page.locator('[data-testid=ticket]');
    await ticket.locator('#side-buy').focus();
    await seller.page.keyboard.press('s');
    expect(await ticket.locator('#side-sell').isChecked()).to.equal(true);
    await ticket.locator('input[name=pricePct]').fill('92.49');
    await ticket.locator('input[name=pricePct]').press('ArrowUp');
    expect(await ticket.locator('input[name=pricePct]').inputValue()).to.equal('92.50');
    await ticket.locator('input[name=quantity]').fill('2000000');
    await seller.page.locator('[data-testid=ticket-consideration]').filter({ hasText: '195.36万元' }).waitFor();
    await ticket.locator('input[name=quantity]').press('Enter');
    await seller.page.locator('[data-testid=ladder] tr.ask').filter({ hasText: '92.50%' }).waitFor({ timeout: SEEN_MS });
    const urlBefore = buyer.page.url();
    await buyer.page.locator('[data-testid=ladder] tr.ask').filter({ hasText: '92.50%' }).waitFor({ timeout: SEEN_MS });
    expect(buyer.page.url()).to.equal(urlBefore);
    await shot(buyer.page, '02-fund-buyer-sees-ask');
  });

  it("the buyer's order crosses and both see the trade", async () => {
    const ticket = buyer.page.locator('[data-testid=ticket]');
    await buyer.page.locator('[data-testid=ladder] button.level').first().click(); // fills price and side from the ask
    expect(await ticket.locator('#side-buy').isChecked()).to.equal(true);
    await ticket.locator('input[name=quantity]').fill('1000000');
    await ticket.getByRole('button', { name: '提交委托' }).click();
    for (const s of [buyer, seller]) {
      await s.page.locator('[data-testid=tape] tbody tr').filter({ hasText: '92.50%' }).first().waitFor({ timeout: SEEN_MS });
    }
    await shot(buyer.page, '03-fund-trade-buyer');
    await shot(seller.page, '04-fund-trade-seller');
    await seller.page.goto(`${suite.ex.baseUrl}/#/account`);
    await seller.page.locator('[data-testid=orders] tbody tr').filter({ hasText: '92.50%' }).first().waitFor();
    await shot(seller.page, '05-account-seller');
  });

  it('an order the exchange closed says why on the account page (an IOC bid that met no ask)', async () => {
    const ticket = buyer.page.locator('[data-testid=ticket]');
    await ticket.locator('#side-buy').check();
    await ticket.locator('input[name=pricePct]').fill('92.00'); // below the 92.50 ask left: nothing trades
    await ticket.locator('input[name=quantity]').fill('1000000');
    await ticket.locator('select[name=timeInForce]').selectOption('IOC');
    await ticket.getByRole('button', { name: '提交委托' }).click();
    await buyer.page.goto(`${suite.ex.baseUrl}/#/account`);
    const row = buyer.page.locator('[data-testid=orders] tbody tr').filter({ hasText: '92.00%' }).first();
    await row.filter({ hasText: '未即时成交部分已撤销' }).waitFor({ timeout: SEEN_MS });
    expect(await row.innerText()).to.contain('已撤销');
    await shot(buyer.page, '05b-account-buyer-status-reason');
  });

  it('cancelling an order asks first: declined, the order stays open; confirmed, it is cancelled', async () => {
    await seller.page.goto(`${suite.ex.baseUrl}/#/account`);
    const open = seller.page.locator('[data-testid=orders] tbody tr').filter({ hasText: '92.50%' }).filter({ hasText: '撤单' }).first();
    await open.waitFor();
    seller.confirmWith = 'no';
    await open.getByRole('button', { name: '撤单' }).click();
    expect(seller.confirmations.at(-1)).to.equal('确定要“撤单”吗？');
    await seller.page.waitForTimeout(300);
    const rows = seller.page.locator('[data-testid=orders] tbody tr').filter({ hasText: '92.50%' });
    expect(await rows.filter({ hasText: '撤单' }).count(), 'declined: still open').to.equal(1);
    seller.confirmWith = 'yes';
    await open.getByRole('button', { name: '撤单' }).click();
    await rows.filter({ hasText: '已撤销' }).first().waitFor({ timeout: SEEN_MS });
    expect(await rows.filter({ hasText: '撤单' }).count()).to.equal(0);
  });

  it('the GP consents and two operators complete the transfer through the pages; the confirmation link appears', async () => {
    const act = async (s: Session, action: string, inputs: Record<string, string> = {}): Promise<void> => {
      await s.page.locator('header nav a[href="#/inbox"]').click(); // on the inbox already: reloads it
      const button = s.page.locator(`[data-testid=inbox-transfer] button[data-action=${action}]`);
      await button.waitFor({ timeout: SEEN_MS });
      for (const [name, value] of Object.entries(inputs))
        await s.page.locator(`[data-testid=inbox-transfer] input[data-input=${name}]`).fill(value);
      await button.click();
      await s.page.locator('.banner.notice:not([hidden])').waitFor({ timeout: SEEN_MS });
      expect(await s.page.locator('.banner.error').isHidden()).to.equal(true);
    };
    const gp = await open('gp');
    await act(gp, 'gp_consent');
    await shot(gp.page, '06-gp-inbox-after-consent');
    const op1 = await open('operator1');
    const op2 = await open('operator2');
    await act(op1, 'review');
    // Four eyes: the reviewer is shown the rule and gets no approve button.
    await op1.page.locator('[data-testid=inbox-transfer] .four-eyes').waitFor({ timeout: SEEN_MS });
    expect(await op1.page.locator('button[data-action=approve]').count()).to.equal(0);
    await shot(op1.page, '07-operator-queue-four-eyes');
    await act(op2, 'approve');
    await act(op1, 'confirm_payment', { bankRef: 'ICBC-20261128-0001' });
    // Four eyes: the operator who confirmed the payment gets no button to record the registration.
    await op1.page.locator('header nav a[href="#/inbox"]').click();
    await op1.page
      .locator('[data-testid=inbox-transfer]')
      .filter({ hasText: '不得由以下人员办理：operator1' })
      .waitFor({ timeout: SEEN_MS });
    expect(await op1.page.locator('button[data-action=record_registration]').count()).to.equal(0);
    await act(op2, 'record_registration', { registrationRef: 'BJ-SAMR-2026-0001', amacRef: 'AMAC-2026-0001' });

    await seller.page.goto(`${suite.ex.baseUrl}/#/transfers`);
    await seller.page.locator('[data-testid=open-transfer]').first().click();
    const link = seller.page.locator('[data-testid=confirmation-link]');
    await link.waitFor({ timeout: SEEN_MS });
    expect(await seller.page.locator('[data-testid=transfer]').getAttribute('data-state')).to.equal('completed');
    const href = await link.getAttribute('href');
    const pdf = await suite.ex.call('GET', href ?? '', { token: await suite.ex.login('lp') });
    expect(pdf.status).to.equal(200);
    expect(pdf.headers.get('content-type')).to.match(/application\/pdf/);
    await shot(seller.page, '08-transfer-completed-confirmation');
  });

  it('with the quote socket down, shows the stale banner and still renders book changes by REST polling', async () => {
    const offline = await suite.open('buyer2', { socketDown: true });
    await offline.page.goto(`${suite.ex.baseUrl}/#/fund/${FUND}`);
    await offline.page.locator('[data-testid=stale-banner]:not([hidden])').waitFor({ timeout: SEEN_MS });
    const placed = await suite.ex.call('POST', '/api/orders', {
      token: await suite.ex.login('lp'),
      body: { fundId: FUND, side: 'sell', pricePct: '97.00', quantity: '1000000', timeInForce: 'GTC' },
    });
    expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
    await offline.page.locator('[data-testid=ladder] tr.ask').filter({ hasText: '97.00%' }).waitFor({ timeout: SEEN_MS });
    await shot(offline.page, '10-fund-stale-banner-polling');
    // The connected buyer's page is not stale.
    expect(await buyer.page.locator('[data-testid=stale-banner]').isHidden()).to.equal(true);
  });

  it(
    "a state-owned seller's listing form suggests an ask and checks the " + 'state-owned rules; the draft opens in the auction room',
    async () => {
      const soe = await open('lp-soe');
      await soe.page.goto(`${suite.ex.baseUrl}/#/listings`);
      const form = soe.page.locator('[data-testid=listing-form]');
      await form.locator('select[name=fundId] option').first().waitFor({ state: 'attached' });
      await form.locator('input[name=quantity]').fill('10000000');
      await form.locator('.suggest-row').filter({ hasText: '建议挂牌价' }).filter({ hasText: '万元' }).waitFor();
      await form.getByLabel('建议挂牌价').click(); // copies the suggestion into the ask
      const ask = await form.locator('input[name=askPrice]').inputValue();
      expect(ask).to.match(/^\d+\.\d{2}$/);
      await form.getByLabel('内部决议文号').fill('京科创决〔2026〕12号');
      await form.getByLabel('批准文号').fill('京国资批〔2026〕34号');
      await form.getByLabel('评估备案号').fill('京评备〔2026〕56号');
      await form.getByLabel('评估值（元）').fill('1000000.00');
      await form.getByLabel('评估基准日').fill('2026-09-30');
      await form.locator('input[name=depositAmount]').fill('999999999.00');
      await form.locator('.check.bad').filter({ hasText: '30%' }).waitFor();
      await form.locator('input[name=depositAmount]').fill('100000.00');
      await form.locator('.check.ok').filter({ hasText: '30%' }).waitFor();
      expect(await form.locator('.check.bad').count()).to.equal(0);
      await shot(soe.page, '11-listing-form-state-owned');
      await form.getByRole('button', { name: '创建草稿' }).click();
      const row = soe.page.locator('[data-testid=listings] tbody tr').filter({ hasText: '草稿' });
      await row.waitFor({ timeout: SEEN_MS });
      await row.getByRole('link', { name: '竞价室' }).click();
      await soe.page.locator('.countdown').waitFor();
      await soe.page.locator('dl.facts').filter({ hasText: '草稿' }).waitFor();
      await shot(soe.page, '12-auction-room');
    },
  );

  it('switches to English with RMB amounts and to the green-up convention', async () => {
    await buyer.page.goto(`${suite.ex.baseUrl}/#/fund/${FUND}`);
    await buyer.page.getByRole('button', { name: 'English' }).click();
    await buyer.page.locator('[data-testid=tape]').filter({ hasText: 'RMB' }).waitFor();
    await buyer.page.waitForFunction(() => document.documentElement.lang === 'en');
    await buyer.page.getByRole('button', { name: /Switch up\/down colours/ }).click();
    await buyer.page.waitForFunction(() => document.body.classList.contains('green-up'));
    await shot(buyer.page, '09-fund-english-green-up');
  });

  it('signing out ends the session on the server too: the old token is refused afterwards', async () => {
    const leaving = await open('buyer2');
    // The page's scripts cannot read the session: it is an httpOnly cookie, and nothing is in localStorage.
    expect(await leaving.page.evaluate(() => localStorage.getItem('sfund.prefs') ?? '')).to.not.match(/eyJ/);
    expect(await leaving.page.evaluate(() => document.cookie)).to.not.contain('sfund_session');
    const cookie = (await leaving.page.context().cookies()).find((c) => c.name === 'sfund_session');
    expect(cookie).to.include({ httpOnly: true, sameSite: 'Strict' });
    const token = cookie!.value;
    const me = () => fetch(`${suite.ex.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await me()).to.equal(200);
    await leaving.page.getByRole('button', { name: '退出' }).click();
    await leaving.page.locator('input[name=username]').waitFor();
    const deadline = Date.now() + 5000;
    while ((await me()) === 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await me()).to.equal(401);
  });

  it('an administrator suspends a user on the users page, with a reason, and reinstates it', async () => {
    const admin = await open('admin');
    await admin.page.getByRole('link', { name: '用户管理' }).click();
    const row = admin.page.locator('tr[data-username="lp-soe"]');
    await row.waitFor();
    const signInAsSoe = () =>
      fetch(`${suite.ex.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'lp-soe', password: 'demo-pass' }),
      }).then((r) => r.status);
    await row.getByRole('button', { name: '停用' }).click();
    await admin.page.locator('[role=alert]').filter({ hasText: '请填写理由' }).waitFor(); // no reason: nothing sent
    expect(await signInAsSoe()).to.equal(200);
    await row.getByLabel('理由').fill('离职 left the firm');
    await row.getByRole('button', { name: '停用' }).click();
    await row.filter({ hasText: '已停用' }).waitFor();
    expect(await signInAsSoe(), 'suspended').to.equal(403);
    await shot(admin.page, '14-users-suspended');
    await row.getByLabel('理由').fill('返聘 rehired');
    await row.getByRole('button', { name: '恢复' }).click();
    await row.filter({ hasText: '正常' }).waitFor();
    expect(await signInAsSoe(), 'reinstated').to.equal(200);
  });

  // The socket's 4401 close signs the page out at once; failing that, the next REST answer (401) would.
  it("an administrator's revocation signs an open page out within seconds, without the user doing anything", async () => {
    const cutOff = await open('gp');
    await cutOff.page.locator('input[name=username]').waitFor({ state: 'detached' });
    const login = await fetch(`${suite.ex.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'demo-pass' }),
    });
    const admin = ((await login.json()) as { token: string }).token;
    const me = await fetch(`${suite.ex.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'gp', password: 'demo-pass' }),
    });
    const gpUserId = ((await me.json()) as { user: { id: string } }).user.id;
    const r = await fetch(`${suite.ex.baseUrl}/api/admin/users/${gpUserId}/sessions/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'idempotency-key': 'browser-revoke-gp-1' },
      body: JSON.stringify({ reason: 'lost laptop' }),
    });
    expect(r.status).to.equal(200);
    await cutOff.page.locator('input[name=username]').waitFor({ timeout: 10_000 });
    await shot(cutOff.page, '13-signed-out-by-revocation');
  });
});
