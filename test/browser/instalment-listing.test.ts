/**
 * A state-owned seller allows payment by instalments on the listing form: the interest rate starts at the
 * one-year Loan Prime Rate in force, a lower one shows the check failing and is refused in Chinese beside the
 * button (INTEREST_BELOW_LPR), a rate at or above it creates the draft with its instalment terms.
 */
import { expect } from 'chai';
import { browserSuite, browserUnavailable, fillStateOwnedListingForm, shot } from './harness';

const SEEN_MS = 15_000;
const FUND = 'bj-sci-fof-2022';

describe('browser client: an instalment listing and the Loan Prime Rate', function () {
  this.timeout(120_000);
  const suite = browserSuite({ CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z', QUOTES_POLL_MS: '600000' });

  before(function () {
    if (browserUnavailable()) this.skip();
  });

  it('prefills the LPR, refuses a rate below it with the figures, and creates the draft at a rate above it', async () => {
    const soe = await suite.open('lp-soe');
    const form = await fillStateOwnedListingForm(soe.page, FUND, {
      resolution: '京科创决〔2026〕22号',
      approval: '京国资批〔2026〕46号',
      appraisal: '京评备〔2026〕68号',
    });
    await form.locator('input[name=allowInstalments]').check();
    const rate = form.locator('input[name=interestRatePct]');
    await soe.page.waitForFunction(
      () => (document.querySelector('input[name=interestRatePct]') as HTMLInputElement | null)?.value === '3.00',
    );
    const check = form.locator('li.check').filter({ hasText: '贷款市场报价利率' });
    expect(await check.textContent()).to.contain('一年期贷款市场报价利率（LPR）3.00%（2025年5月20日起执行）');
    await rate.fill('2.50');
    await form.locator('li.check.bad').filter({ hasText: '贷款市场报价利率' }).waitFor({ timeout: SEEN_MS });
    await form.getByRole('button', { name: '创建草稿' }).click();
    const refusal = soe.page.locator('[data-testid=near-error]');
    await refusal.waitFor({ timeout: SEEN_MS });
    expect(await refusal.textContent()).to.contain('年利率2.50%低于2025年5月20日起执行的一年期贷款市场报价利率（LPR）3.00%');
    await shot(soe.page, 'lpr-01-refused');

    await rate.fill('3.45');
    await form.locator('li.check.ok').filter({ hasText: '贷款市场报价利率' }).waitFor({ timeout: SEEN_MS });
    await form.getByRole('button', { name: '创建草稿' }).click();
    await soe.page.locator('.banner.notice:not([hidden])').waitFor({ timeout: SEEN_MS });
    const mine = await suite.ex.call('GET', '/api/listings', { token: await suite.ex.login('lp-soe') });
    const created = (mine.body as { fundId: string; state: string; instalments: { interestRatePct: string } | null }[]).find(
      (l) => l.fundId === FUND && l.state === 'draft',
    );
    expect(created?.instalments).to.deep.equal({ interestRatePct: '3.45' });
  });
});
