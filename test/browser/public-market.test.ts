/**
 * The public page on the full demo market: reachable from the sign-in screen without signing in,
 * with the index chart and table, statistics and announcements; the fund page shows the last %NAV,
 * the discount and the volume beside the NAV.
 */
import { expect } from 'chai';
import { browserSuite, launchBrowser } from './harness';

describe('browser client: public market data and the demo market', function () {
  this.timeout(240_000);
  const suite = browserSuite({ DEMO_MARKET: 'full', CLOCK: 'simulated', CLOCK_START: '2026-09-14T06:00:00.000Z' });

  it('opens the public page from the sign-in screen without signing in', async () => {
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext()).newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${suite.ex.baseUrl}/#/login`);
      await page.locator('[data-testid=public-link]').click();
      await page.locator('[data-testid=index] tbody tr').nth(6).waitFor();
      expect(await page.locator('[data-testid=index-chart] canvas').count()).to.be.greaterThan(0);
      expect(await page.locator('[data-testid=listing-announcements] tbody tr').count()).to.be.greaterThan(0);
      expect(await page.locator('[data-testid=result-announcements] tbody tr').count()).to.be.greaterThan(0);
      expect(await page.locator('[data-testid=qualification-announcements] caption').textContent()).to.equal('资格确认公告');
      expect(await page.locator('[data-testid=stats]').textContent()).to.match(/\d/);
      expect(page.url()).to.match(/#\/public$/);
      expect(errors).to.deep.equal([]);
    } finally {
      await browser.close();
    }
  });

  it("shows the fund's NAV, last %NAV, discount and volume on its page", async () => {
    const s = await suite.open('buyer1');
    await s.page.goto(`${suite.ex.baseUrl}/#/fund/bj-bio-2020`);
    const facts = s.page.locator('[data-testid=fund-facts]');
    await s.page.locator('[data-testid=tape] tbody tr').first().waitFor();
    const text = await facts.textContent();
    expect(text).to.match(/\d+\.\d{2}%/);
    expect(text).not.to.contain('—%');
  });
});
