/**
 * The browser client against an exchange on a simulated clock (days away from the device's clock):
 * the auction countdown follows the exchange's clock, the skip link stays on the page, the market
 * list is live, transfer steps read in the chosen language, and English shows English fund names.
 */
import { expect } from 'chai';
import { browserSuite, shot } from './harness';

const FUND = 'bj-ai-2021'; // GP consent required, no ROFR
const LIVE_MS = 5_000; // well under the 15 s safety-net poll: only the quote socket can be this quick

describe('browser client: clock, skip link, live market, language', function () {
  this.timeout(120_000);
  // A Monday far from the device's clock: anything computed from Date.now() alone is visibly wrong.
  const suite = browserSuite({ CLOCK: 'simulated', CLOCK_START: '2026-03-02T02:00:00Z' });
  const open = (username: string) => suite.open(username);
  const ok = async (method: string, path: string, username: string, body?: unknown) => {
    const r = await suite.ex.call(method, path, { token: await suite.ex.login(username), body });
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).to.be.oneOf([200, 201]);
    return r.body;
  };

  it('the skip link moves focus to the main content and stays on the page', async () => {
    const s = await open('buyer1');
    await s.page.goto(`${suite.ex.baseUrl}/#/fund/${FUND}`);
    await s.page.locator('[data-testid=ladder]').waitFor();
    await s.page.locator('a.skip').focus();
    await s.page.keyboard.press('Enter');
    await s.page.waitForTimeout(500);
    expect(s.page.url()).to.match(new RegExp(`#/fund/${FUND}$`));
    await s.page.locator('[data-testid=ladder]').waitFor();
    expect(await s.page.evaluate(() => document.activeElement?.id)).to.equal('main');
  });

  it('the market page shows a new best ask within seconds, without waiting for the poll', async () => {
    const s = await open('buyer2');
    const rows = s.page.locator('[data-testid=funds] tbody tr');
    await rows.nth(5).waitFor();
    await s.page.waitForTimeout(1000); // the page's own load is done; what follows can only come live
    await ok('POST', '/api/orders', 'lp', {
      fundId: 'bj-ic-2019',
      side: 'sell',
      pricePct: '97.77',
      quantity: '1000000',
      timeInForce: 'GTC',
    });
    await s.page.locator('[data-testid=funds] tbody tr').filter({ hasText: '97.77%' }).waitFor({ timeout: LIVE_MS });
  });

  it('translates strategies, and in English shows English fund names and an "Unfunded" column on orders & positions', async () => {
    const s = await open('lp');
    await s.page.locator('[data-testid=funds] tbody tr').filter({ hasText: '成长' }).first().waitFor();
    await s.page.getByRole('button', { name: 'English' }).click();
    await s.page.goto(`${suite.ex.baseUrl}/#/account`);
    const positions = s.page.locator('[data-testid=positions]');
    await positions.filter({ hasText: 'Beijing Artificial Intelligence Industry Fund LP' }).waitFor();
    expect(await positions.innerText()).to.not.match(/[\u4e00-\u9fff]/);
    expect(await positions.locator('thead').innerText()).to.not.contain('taken over');
    await shot(s.page, 'fix-account-english');
    await s.page.getByRole('button', { name: '中文' }).click();
  });

  it('says who acts next in Chinese, and shows no raw step key once a transfer has ended', async () => {
    await ok('POST', '/api/orders', 'lp', { fundId: FUND, side: 'sell', pricePct: '92.50', quantity: '1000000', timeInForce: 'GTC' });
    const placed = await ok('POST', '/api/orders', 'buyer1', {
      fundId: FUND,
      side: 'buy',
      pricePct: '92.50',
      quantity: '1000000',
      timeInForce: 'GTC',
    });
    expect(placed.trades).to.have.length(1);
    const [tr] = await ok('GET', '/api/transfers', 'gp');
    const s = await open('lp');
    await s.page.goto(`${suite.ex.baseUrl}/#/transfer/${tr.id}`);
    const next = s.page.locator('[data-testid=transfer] p.next');
    await next.waitFor();
    expect(await next.innerText()).to.contain('GP 同意');
    expect(await next.innerText()).to.not.match(/[A-Za-z]{4,}/); // not the server's English sentence
    await ok('POST', `/api/transfers/${tr.id}/actions`, 'gp', { action: 'gp_refuse', reason: '不同意' });
    await s.page.goto(`${suite.ex.baseUrl}/#/transfers`);
    const row = s.page.locator('[data-testid=transfers] tbody tr').filter({ hasText: '已拒绝' });
    await row.waitFor();
    expect(await row.innerText()).to.not.contain('step_');
    await shot(s.page, 'fix-transfers-ended');
  });

  it("the auction room counts down to the close on the exchange's clock, not the device's", async () => {
    const l = await ok('POST', '/api/listings', 'lp', {
      fundId: 'zgc-hardtech-2018',
      quantity: '10000000',
      method: 'auction',
      askPrice: '11000000.00',
      increment: '100000.00',
      depositAmount: '1000000.00',
      buyerConditions: ['Qualified investor'],
    });
    const act = (u: string, body: Record<string, unknown>) => ok('POST', `/api/listings/${l.id}/actions`, u, body);
    await act('lp', { action: 'submit' });
    await act('operator1', { action: 'review' });
    const approved = await act('operator2', { action: 'approve' });
    expect(approved.state).to.equal('disclosure');
    for (const b of ['buyer1', 'buyer2']) await ok('POST', `/api/listings/${l.id}/registrations`, b);
    for (const orgId of ['org-buyer1', 'org-buyer2']) {
      await act('operator1', { action: 'qualify', orgId });
      await act('operator2', { action: 'confirm_deposit', orgId, bankRef: `BANK-${orgId}` });
    }
    // 10:10 Beijing on the first working day after disclosure: free bidding, closing at 11:05.
    const [y, m, d] = (approved.disclosureEndDate as string).split('-').map(Number) as [number, number, number];
    let day = Date.UTC(y, m - 1, d + 1);
    while ([0, 6].includes(new Date(day).getUTCDay())) day += 86_400_000;
    await ok('POST', '/api/admin/clock', 'operator1', { set: new Date(day + 2 * 3_600_000 + 10 * 60_000).toISOString() });
    const listing = await ok('GET', `/api/listings/${l.id}`, 'buyer1');
    expect(listing.state).to.equal('bidding');
    expect(listing.closesInMs).to.equal(55 * 60_000);
    const s = await open('buyer1');
    await s.page.goto(`${suite.ex.baseUrl}/#/listing/${l.id}`);
    await s.page.locator('dl.facts').filter({ hasText: '竞价中' }).waitFor();
    await s.page.waitForTimeout(1500);
    expect(await s.page.locator('.countdown').innerText()).to.match(/^00:5[45]:\d\d$/);
    await shot(s.page, 'fix-auction-countdown');
  });

  it('reduces and reprices an open order from "my orders", keyboard and labels only', async () => {
    const placed = await ok('POST', '/api/orders', 'lp', {
      fundId: FUND,
      side: 'sell',
      pricePct: '97.00',
      quantity: '3000000',
      timeInForce: 'GTC',
    });
    const s = await open('lp');
    await s.page.goto(`${suite.ex.baseUrl}/#/account`);
    const form = s.page.locator('[data-testid=amend]');
    await form.getByLabel('委托').selectOption(placed.order.id);
    await form.getByLabel('新剩余数量（元，只减不增）').fill('1000000');
    await form.getByLabel('新价格（占净值%）').fill('96.50');
    await form.getByLabel('新价格（占净值%）').press('Enter');
    const deadline = Date.now() + 10_000;
    let order: { remainingQuantity: string; pricePct: string } | undefined;
    while (Date.now() < deadline) {
      order = (await ok('GET', '/api/orders?status=open', 'lp')).find((o: { id: string }) => o.id === placed.order.id);
      if (order?.remainingQuantity === '1000000') break;
      await s.page.waitForTimeout(200);
    }
    expect(order).to.include({ remainingQuantity: '1000000', pricePct: '96.50' });
    await s.page.locator('[data-testid=orders]').filter({ hasText: '96.50' }).waitFor();
    await shot(s.page, 'amend-order');
  });
});
