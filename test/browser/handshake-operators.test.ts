/**
 * The qualification handshake's operator side in the browser (state-owned listing, simulated clock): the
 * transferor finds the exchange's opinion in its inbox with the date its silence agrees and objects on its
 * desk; one operator records the state-asset regulator's decision, is refused confirming it himself (four
 * eyes, in Chinese beside the button), and another confirms it; the buyer's status follows on the operators'
 * desk and on the buyer's own page, and the deposit is then taken by the operator who did not confirm.
 */
import { expect } from 'chai';
import { stateOwnedListingBody } from '../support/listing-body';
import { browserSuite, browserUnavailable, shot, type Session } from './harness';

const SEEN_MS = 15_000;

describe('browser client: the qualification handshake, operator side', function () {
  this.timeout(120_000);
  const suite = browserSuite({ CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z', QUOTES_POLL_MS: '600000' });
  let listingId = '';

  const call = async (user: string, method: 'GET' | 'POST', path: string, body?: Record<string, unknown>) => {
    const r = await suite.ex.call(method, path, { token: await suite.ex.login(user), ...(body ? { body } : {}) });
    expect(r.status, `${user} ${path} ${JSON.stringify(r.body)}`).to.be.oneOf([200, 201]);
    return r.body;
  };
  const listing = (user: string, body: Record<string, unknown>) => call(user, 'POST', `/api/listings/${listingId}/actions`, body);
  const openDesk = async (s: Session) => {
    await s.page.goto(`${suite.ex.baseUrl}/#/listing/${listingId}`);
    await s.page.locator('dl.facts').first().waitFor();
  };
  const status = (s: Session) => s.page.locator('[data-testid=registrants] [data-hs-status="org-buyer1"]');

  before(async function () {
    if (browserUnavailable()) return this.skip();
    listingId = (await call('lp-soe', 'POST', '/api/listings', stateOwnedListingBody({ fundId: 'bj-sci-fof-2022' }))).id;
    await listing('lp-soe', { action: 'submit' });
    await listing('operator1', { action: 'review' });
    await listing('operator2', { action: 'approve' });
    await call('buyer1', 'POST', `/api/listings/${listingId}/registrations`);
    await listing('operator1', { action: 'qualify', orgId: 'org-buyer1' });
  });

  it('the transferor finds the opinion in its inbox with the answer date, and objects on its desk with a reason', async () => {
    const soe = await suite.open('lp-soe');
    await soe.page.locator('header nav a[href="#/inbox"]').click();
    const card = soe.page.locator(`[data-testid=seller-answers] [data-testid=inbox-seller-answer][data-listing-id="${listingId}"]`);
    await card.waitFor({ timeout: SEEN_MS });
    expect(await card.locator('[data-testid=answers-due]').textContent()).to.equal('竞买人A / Bidder A（截止 2026年10月22日）');
    await card.locator('a[data-open-desk]').click();
    await soe.page.locator('[data-testid=desk-next]').filter({ hasText: '待转让方答复' }).waitFor({ timeout: SEEN_MS });
    await status(soe).filter({ hasText: '待转让方答复' }).waitFor({ timeout: SEEN_MS });
    expect(await soe.page.locator('[data-testid=registrants]').innerText()).to.contain('答复期限 2026年10月22日');
    await soe.page.locator('input[data-hs-reason="org-buyer1"]').fill('受让方为转让方关联方');
    await soe.page.locator('button[data-hs-object="org-buyer1"]').click();
    await status(soe).filter({ hasText: '转让方有异议，待国资监管机构处理' }).waitFor({ timeout: SEEN_MS });
    await soe.page.locator('[data-testid=desk-next]').waitFor({ state: 'detached', timeout: SEEN_MS });
    await shot(soe.page, 'handshake-01-objection');
  });

  it("one operator records the regulator's decision, is not offered its confirmation, and another confirms it", async () => {
    const buyer = await suite.open('buyer1');
    await openDesk(buyer);
    await buyer.page.locator('dl.facts').filter({ hasText: '转让方有异议，待国资监管机构处理' }).waitFor({ timeout: SEEN_MS });
    expect(await buyer.page.locator('dl.facts').innerText()).not.to.contain('关联方');

    const op2 = await suite.open('operator2');
    await openDesk(op2);
    await status(op2).filter({ hasText: '转让方有异议' }).waitFor({ timeout: SEEN_MS });
    expect(await op2.page.locator('[data-testid=registrants]').innerText()).to.contain('受让方为转让方关联方');
    await op2.page.locator('select[data-hs-outcome="org-buyer1"]').selectOption('dismiss');
    await op2.page.locator('input[data-hs-ref="org-buyer1"]').fill('京国资产权〔2026〕301号');
    await op2.page.locator('button[data-hs-resolve="org-buyer1"]').click();
    await status(op2).filter({ hasText: '处理意见待另一位操作员复核' }).waitFor({ timeout: SEEN_MS });
    // Four eyes on the desk: the operator who recorded the decision is not offered its confirmation (the server refuses it too).
    const confirmHint = op2.page.locator('[data-hs-confirm-not-by="org-buyer1"]');
    await confirmHint.waitFor({ timeout: SEEN_MS });
    expect(await confirmHint.textContent()).to.equal('四眼原则：您录入了处理意见，须由另一位操作员复核');
    expect(await op2.page.locator('button[data-hs-confirm="org-buyer1"]').count()).to.equal(0);
    await shot(op2.page, 'handshake-02-four-eyes');

    const op1 = await suite.open('operator1');
    await openDesk(op1);
    await status(op1).filter({ hasText: '处理意见待另一位操作员复核' }).waitFor({ timeout: SEEN_MS });
    expect(await op1.page.locator('[data-testid=registrants]').innerText()).to.contain('京国资产权〔2026〕301号');
    // operator1 gave the opinion: it may confirm the decision, never record one.
    expect(await op1.page.locator('[data-hs-record-not-by="org-buyer1"]').textContent()).to.equal(
      '四眼原则：您出具了资格意见，处理意见须由另一位操作员录入',
    );
    expect(await op1.page.locator('button[data-hs-resolve="org-buyer1"]').count()).to.equal(0);
    await op1.page.locator('button[data-hs-confirm="org-buyer1"]').click();
    await status(op1).filter({ hasText: '异议未获支持，资格确认' }).waitFor({ timeout: SEEN_MS });
    const row = op1.page.locator('[data-testid=registrants] tbody tr').filter({ hasText: '竞买人A' });
    await row.filter({ hasText: '待缴纳' }).waitFor({ timeout: SEEN_MS });
    // operator1 gave the opinion and confirmed the decision: the desk offers the deposit to the other operator only.
    expect(await row.locator('[data-deposit-not-by="org-buyer1"]').textContent()).to.equal('四眼原则：保证金须由另一位操作员确认');
    expect(await row.locator('button[data-deposit]').count()).to.equal(0);
    await op1.page.locator('[data-testid=history]').filter({ hasText: '复核异议处理意见' }).waitFor({ timeout: SEEN_MS });
    await shot(op1.page, 'handshake-03-confirmed');

    // The buyer sees its own status; the operator who recorded (not the one who confirmed) takes the deposit.
    await buyer.page.reload();
    await buyer.page.locator('dl.facts').filter({ hasText: '异议未获支持，资格确认' }).waitFor({ timeout: SEEN_MS });
    await op2.page.reload();
    await op2.page.locator('input[data-bankref="org-buyer1"]').fill('ICBC-DEP-0301');
    await op2.page.locator('button[data-deposit="org-buyer1"]').click();
    await op2.page.locator('[data-testid=registrants] tbody tr').filter({ hasText: 'ICBC-DEP-0301' }).waitFor({ timeout: SEEN_MS });
    expect(await op2.page.locator('[data-testid=registrants] tbody tr').filter({ hasText: '已到账' }).count()).to.equal(1);
  });
});
