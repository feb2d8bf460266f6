/**
 * Journeys through the browser, in Chinese, by clicks and typing (the API is used only to set the
 * simulated clock to an exact minute, which the header's control moves in coarse steps):
 *  - a state-owned listing from draft through review, approval and disclosure, two registrants
 *    qualified on the operator's desk, the transferor's agreement on its own desk, their deposits,
 *    an open auction with a late bid that extends the close, the award, and its transfer to the
 *    confirmation, with the money each side sees;
 *  - refusals with their figures in Chinese beside what caused them, and reasons shown to the other
 *    party: the reviewer tries to approve, a bid below the floor, selling more than is held, the GP
 *    refuses, an operator rejects a listing.
 */
import { expect } from 'chai';
import { browserSuite, fillStateOwnedListingForm, shot, type Session } from './harness';

const FUND = 'bj-sci-fof-2022'; // no ROFR, no GP consent: lp-soe holds 800,000,000 of it
const BOOK_FUND = 'bj-ai-2021'; // GP consent required: the GP's refusal path
const SEEN_MS = 15_000;

describe('browser journeys in Chinese: a state-owned listing to its confirmation, and refusals people understand', function () {
  this.timeout(180_000);
  const suite = browserSuite({ CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z' });
  let soe: Session, op1: Session, op2: Session, b1: Session, b2: Session;
  let listingUrl = '';

  const setClock = async (iso: string) => {
    const r = await suite.ex.call('POST', '/api/admin/clock', { token: await suite.ex.login('operator1'), body: { set: iso } });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
  };
  const desk = (s: Session, action: string) => s.page.locator(`form[data-desk-action=${action}] button`);
  const deskDone = async (s: Session, action: string) => {
    await desk(s, action).click();
    await s.page.locator('.banner.notice:not([hidden])').waitFor({ timeout: SEEN_MS });
  };
  const openListing = async (s: Session) => {
    // Going to the URL a page is already on changes no hash and loads nothing: reload it instead.
    if (s.page.url() === listingUrl) await s.page.reload();
    else await s.page.goto(listingUrl);
    await s.page.locator('dl.facts').first().waitFor();
  };

  it('a state-owned seller drafts a listing and submits it from the listing desk', async () => {
    soe = await suite.open('lp-soe');
    const form = await fillStateOwnedListingForm(soe.page, FUND, {
      resolution: '京科创决〔2026〕21号',
      approval: '京国资批〔2026〕45号',
      appraisal: '京评备〔2026〕67号',
    });
    await form.getByRole('button', { name: '创建草稿' }).click();
    const row = soe.page.locator('[data-testid=listings] tbody tr').filter({ hasText: '草稿' }).first();
    await row.waitFor({ timeout: SEEN_MS });
    await row.getByRole('link', { name: '竞价室' }).click();
    await soe.page.locator('[data-testid=documents]').filter({ hasText: '京评备〔2026〕67号' }).waitFor();
    listingUrl = soe.page.url();
    await shot(soe.page, 'j2-01-draft-desk');
    await deskDone(soe, 'submit');
    await soe.page.locator('[data-testid=history]').filter({ hasText: '提交审核' }).waitFor({ timeout: SEEN_MS });
  });

  it('operator 1 reviews it; trying to approve it too is refused in Chinese beside the button (four eyes)', async () => {
    op1 = await suite.open('operator1');
    await op1.page.locator('header nav a[href="#/inbox"]').click();
    await op1.page.locator('[data-testid=inbox-listing] a[data-open-desk]').first().click();
    await op1.page.locator('[data-testid=documents]').filter({ hasText: '5,000.00万元' }).waitFor();
    await shot(op1.page, 'j2-02-operator-desk-review');
    await deskDone(op1, 'review');
    await desk(op1, 'approve').waitFor({ timeout: SEEN_MS });
    await desk(op1, 'approve').click();
    const refusal = op1.page.locator('[data-testid=near-error]');
    await refusal.waitFor({ timeout: SEEN_MS });
    expect(await refusal.textContent()).to.contain('审核人不能同时批准');
    expect(await refusal.textContent()).not.to.match(/409|Conflict|FOUR_EYES/);
    await shot(op1.page, 'j3-01-reviewer-cannot-approve');
  });

  it('operator 2 approves; disclosure starts and both buyers register', async () => {
    op2 = await suite.open('operator2');
    await openListing(op2);
    await deskDone(op2, 'approve');
    await op2.page.locator('dl.facts').filter({ hasText: '披露中' }).waitFor({ timeout: SEEN_MS });
    b1 = await suite.open('buyer1');
    b2 = await suite.open('buyer2');
    for (const b of [b1, b2]) {
      await openListing(b);
      await b.page.getByRole('button', { name: '报名' }).click();
      await b.page
        .locator('dl.facts')
        .filter({ hasText: '竞买人' })
        .filter({ hasText: /代号|竞买人[A-Z]/ })
        .first()
        .waitFor({ timeout: SEEN_MS });
      await b.page.getByRole('button', { name: '报名' }).waitFor({ state: 'hidden', timeout: SEEN_MS });
    }
    await shot(b2.page, 'j2-03-buyer-registered');
  });

  it('operator 1 qualifies both registrants, the transferor agrees, operator 2 confirms their deposits by bank reference', async () => {
    await openListing(op1);
    const regs = op1.page.locator('[data-testid=registrants]');
    await regs.locator('tbody tr').nth(1).waitFor({ timeout: SEEN_MS });
    for (const org of ['org-buyer1', 'org-buyer2']) {
      await regs.locator(`button[data-qualify="${org}"]`).click();
      await regs.locator(`button[data-qualify="${org}"]`).waitFor({ state: 'detached', timeout: SEEN_MS });
    }
    await shot(op1.page, 'j2-04-registrants-qualified');
    // The qualification handshake: the transferor agrees to each opinion on its desk before a deposit falls due.
    await openListing(soe);
    const own = soe.page.locator('[data-testid=registrants]');
    for (const org of ['org-buyer1', 'org-buyer2']) {
      await own.locator(`[data-hs-status="${org}"]`).filter({ hasText: '待转让方答复' }).waitFor({ timeout: SEEN_MS });
      await own.locator(`button[data-hs-agree="${org}"]`).click();
      await own.locator(`[data-hs-status="${org}"]`).filter({ hasText: '转让方同意' }).waitFor({ timeout: SEEN_MS });
    }
    await shot(soe.page, 'j2-04b-transferor-agrees');
    await openListing(op2);
    const regs2 = op2.page.locator('[data-testid=registrants]');
    for (const [org, ref] of [
      ['org-buyer1', 'ICBC-20260915-0001'],
      ['org-buyer2', 'CCB-20260915-0002'],
    ] as const) {
      await regs2.locator(`input[data-bankref="${org}"]`).fill(ref);
      await regs2.locator(`button[data-deposit="${org}"]`).click();
      await regs2.locator('tbody tr').filter({ hasText: ref }).waitFor({ timeout: SEEN_MS });
    }
    expect(await regs2.locator('tbody tr').filter({ hasText: '已到账' }).count()).to.equal(2);
    await op2.page.locator('[data-testid=history]').filter({ hasText: '确认保证金' }).waitFor();
    await shot(op2.page, 'j2-05-deposits-confirmed');
  });

  it(
    'an operator moves the simulated clock from the header; bidding opens ' + 'and a bid below the floor is refused with the figure',
    async () => {
      await expectClockLabel(op1, '模拟');
      await op1.page.locator('select[data-clock-step]').selectOption('P30D');
      await op1.page.locator('[data-do=advance-clock]').click();
      await op1.page.locator('[data-testid=exchange-clock]').filter({ hasText: '2026/10/14' }).waitFor({ timeout: SEEN_MS });
      await shot(op1.page, 'j2-06-clock-moved');
      // Bidding opens at 10:00 Beijing on the day after disclosure ends (2026-10-16).
      await setClock('2026-10-16T02:05:00Z');
      await b1.page.reload();
      await b1.page.locator('[data-testid=phase]').filter({ hasText: '自由报价期' }).waitFor({ timeout: SEEN_MS });
      expect(await b1.page.getByRole('button', { name: '报名' }).isHidden()).to.equal(true);
      const amount = b1.page.locator('input[name=amount]');
      expect(await amount.inputValue()).to.equal('50000000.00');
      await amount.fill('49000000.00');
      await b1.page.locator('form').filter({ has: amount }).getByRole('button', { name: '出价' }).click();
      const refusal = b1.page.locator('[data-testid=near-error]');
      await refusal.waitFor({ timeout: SEEN_MS });
      expect(await refusal.textContent()).to.contain('报价须不低于5,000万元');
      await shot(b1.page, 'j3-02-bid-below-floor');
      await amount.fill('50000000.00');
      await b1.page.locator('form').filter({ has: amount }).getByRole('button', { name: '出价' }).click();
      await b1.page.locator('[data-testid=bids] tbody tr').filter({ hasText: '5,000.00万元' }).waitFor({ timeout: SEEN_MS });
    },
  );

  it('the bid box follows the price; a late bid in the countdown extends the close; bids newest first', async () => {
    await b2.page.reload();
    const amount = b2.page.locator('input[name=amount]');
    await b2.page.waitForFunction(() => (document.querySelector('input[name=amount]') as HTMLInputElement | null)?.value === '50500000.00');
    await b2.page.locator('form').filter({ has: amount }).getByRole('button', { name: '出价' }).click();
    await b2.page.locator('[data-testid=bids] tbody tr').first().filter({ hasText: '5,050.00万元' }).waitFor({ timeout: SEEN_MS });
    // Free bidding ends at 11:00 Beijing; the countdown closes 5 minutes later unless a bid restarts it.
    await setClock('2026-10-16T03:04:00Z');
    await b1.page.reload();
    await b1.page.locator('[data-testid=phase]').filter({ hasText: '限时报价期' }).waitFor({ timeout: SEEN_MS });
    const before = await suite.ex.call('GET', listingUrl.replace(/.*#\/listing\//, '/api/listings/'), {
      token: await suite.ex.login('buyer1'),
    });
    const amount1 = b1.page.locator('input[name=amount]');
    expect(await amount1.inputValue()).to.equal('51000000.00');
    await b1.page.locator('form').filter({ has: amount1 }).getByRole('button', { name: '出价' }).click();
    await b1.page.locator('[data-testid=bids] tbody tr').first().filter({ hasText: '5,100.00万元' }).waitFor({ timeout: SEEN_MS });
    const after = await suite.ex.call('GET', listingUrl.replace(/.*#\/listing\//, '/api/listings/'), {
      token: await suite.ex.login('buyer1'),
    });
    expect(Date.parse(after.body.closesAt)).to.be.greaterThan(Date.parse(before.body.closesAt));
    await shot(b1.page, 'j2-07-late-bid-extends-close');
  });

  it('after the close operator 1 awards it; the desk shows the winner and the award', async () => {
    await setClock('2026-10-16T03:20:00Z');
    await openListing(op1);
    await op1.page.reload();
    await desk(op1, 'awardAuction').waitFor({ timeout: SEEN_MS });
    await deskDone(op1, 'awardAuction');
    // Four eyes on every award: a second operator confirms it before anything is traded.
    await openListing(op2);
    await desk(op2, 'confirmAward').waitFor({ timeout: SEEN_MS });
    await deskDone(op2, 'confirmAward');
    await op1.page.reload();
    const award = op1.page.locator('[data-testid=award]');
    await award.filter({ hasText: '中关村' }).filter({ hasText: '5,100.00万元' }).waitFor({ timeout: SEEN_MS });
    await shot(op1.page, 'j2-08-awarded');
  });

  it('the transfer goes through review, approval, payment and registration; each side sees what it pays and receives', async () => {
    const act = async (s: Session, action: string, inputs: Record<string, string> = {}) => {
      await s.page.locator('header nav a[href="#/inbox"]').click();
      const card = s.page
        .locator('[data-testid=inbox-transfer]')
        .filter({ has: s.page.locator(`button[data-action=${action}]`) })
        .first();
      await card.waitFor({ timeout: SEEN_MS });
      for (const [name, value] of Object.entries(inputs)) await card.locator(`input[data-input=${name}]`).fill(value);
      await card.locator(`button[data-action=${action}]`).click();
      await s.page.locator('.banner.notice:not([hidden])').waitFor({ timeout: SEEN_MS });
    };
    // The award's contract: the seller and the winning buyer each sign it on the transfer page before the review.
    const sign = async (s: Session, party: 'seller' | 'buyer') => {
      await s.page.locator('header nav a[href="#/transfers"]').click();
      await s.page.locator('[data-testid=open-transfer]').first().click();
      const contract = s.page.locator('[data-testid=transfer-contract]');
      await contract.waitFor({ timeout: SEEN_MS });
      expect(await contract.locator(`dd[data-signature=${party}]`).textContent()).to.equal('未签署');
      expect(await s.page.locator('p.next').textContent()).to.contain('签署合同');
      await s.page.getByRole('button', { name: '签署合同' }).click();
      await s.page.locator('.banner.notice:not([hidden])').waitFor({ timeout: SEEN_MS });
      const signature = contract.locator(`dd[data-signature=${party}][data-signed=yes]`);
      await signature.filter({ hasText: /^已签署 · 2026\/10\/16 11:20/ }).waitFor({ timeout: SEEN_MS });
      await s.page.getByRole('button', { name: '签署合同' }).waitFor({ state: 'detached', timeout: SEEN_MS });
      // Awarded on Friday 2026-10-16: five working days later (the National Day holiday is over) is Friday 2026-10-23.
      expect(await contract.locator('[data-testid=contract-due]').textContent()).to.equal('2026年10月23日');
    };
    await sign(soe, 'seller');
    await shot(soe.page, 'j2-09a-seller-signed-contract');
    await sign(b1, 'buyer');
    const signatures = b1.page.locator('[data-testid=transfer-contract] dd[data-signed=yes]');
    expect(await signatures.count()).to.equal(2);
    await shot(b1.page, 'j2-09b-both-signed-contract');
    await act(op1, 'review');
    await act(op2, 'approve');
    // The buyer sees what to pay, into which account, by when.
    await b1.page.locator('header nav a[href="#/transfers"]').click();
    await b1.page.locator('[data-testid=open-transfer]').first().click();
    const money = b1.page.locator('[data-testid=transfer-money]');
    await money.filter({ hasText: '应付金额' }).waitFor({ timeout: SEEN_MS });
    // 51,000,000 − 10,000,000 deposit + 25,500 fee (5 bp) = 41,025,500.
    expect(await money.textContent()).to.contain('4,102.55万元');
    expect(await money.textContent()).to.contain('交易资金监管专户');
    expect(
      await money
        .locator('dd')
        .filter({ hasText: /^2026年\d{1,2}月\d{1,2}日$/ })
        .count(),
    ).to.be.greaterThan(0);
    await shot(b1.page, 'j2-09-buyer-amount-due');
    await act(op1, 'confirm_payment', { bankRef: 'ICBC-20261019-0009' });
    await act(op2, 'record_registration', {
      registrationRef: 'BJ-SAMR-2026-0109',
      amacRef: 'AMAC-2026-0109',
      stateEquityRef: 'BJ-SASAC-CQ-2026-0109',
    });
    await soe.page.locator('header nav a[href="#/transfers"]').click();
    await soe.page.locator('[data-testid=open-transfer]').first().click();
    await soe.page.locator('[data-testid=seller-money]').filter({ hasText: '转让方应收净额' }).waitFor({ timeout: SEEN_MS });
    // Proceeds: 51,000,000 − 25,500 seller's fee.
    expect(await soe.page.locator('[data-testid=seller-money]').textContent()).to.contain('5,097.45万元');
    const link = soe.page.locator('[data-testid=confirmation-link]');
    await link.waitFor({ timeout: SEEN_MS });
    const pdf = await suite.ex.call('GET', (await link.getAttribute('href')) ?? '', { token: await suite.ex.login('lp-soe') });
    expect(pdf.status).to.equal(200);
    expect(pdf.headers.get('content-type')).to.match(/application\/pdf/);
    await shot(soe.page, 'j2-10-transfer-confirmation');
  });

  it('selling more than is held is refused in Chinese with both figures', async () => {
    const lp = await suite.open('lp');
    await lp.page.goto(`${suite.ex.baseUrl}/#/fund/${BOOK_FUND}`);
    const ticket = lp.page.locator('[data-testid=ticket]');
    await ticket.locator('#side-sell').check();
    await ticket.locator('input[name=pricePct]').fill('95.00');
    await ticket.locator('input[name=quantity]').fill('900000000');
    await ticket.getByRole('button', { name: '提交委托' }).click();
    const refusal = lp.page.locator('[data-testid=near-error]');
    await refusal.waitFor({ timeout: SEEN_MS });
    const text = (await refusal.textContent()) ?? '';
    expect(text).to.match(/可用（未冻结）份额为[\d,.]+万元，少于申报的9亿元/);
    expect(text).not.to.match(/422|Unprocessable|INSUFFICIENT/);
    await shot(lp.page, 'j3-03-sell-more-than-held');
  });

  it('the GP refuses a transfer with a reason, which the seller then reads on its transfer page', async () => {
    const lp = await suite.open('lp');
    await lp.page.goto(`${suite.ex.baseUrl}/#/fund/${BOOK_FUND}`);
    const ticket = lp.page.locator('[data-testid=ticket]');
    await ticket.locator('#side-sell').check();
    await ticket.locator('input[name=pricePct]').fill('96.00');
    await ticket.locator('input[name=quantity]').fill('1000000');
    await ticket.getByRole('button', { name: '提交委托' }).click();
    await lp.page.locator('[data-testid=ladder] tr.ask').filter({ hasText: '96.00%' }).waitFor({ timeout: SEEN_MS });
    await b2.page.goto(`${suite.ex.baseUrl}/#/fund/${BOOK_FUND}`);
    const buy = b2.page.locator('[data-testid=ticket]');
    await b2.page.locator('[data-testid=ladder] tr.ask').filter({ hasText: '96.00%' }).locator('button.level').click();
    await buy.locator('input[name=quantity]').fill('1000000');
    await buy.getByRole('button', { name: '提交委托' }).click();
    // The fill and a link to its transfer.
    const fill = b2.page.locator('[data-testid=fill-notice]');
    await fill.filter({ hasText: '已成交' }).waitFor({ timeout: SEEN_MS });
    await shot(b2.page, 'j3-04-fill-notice');

    const gp = await suite.open('gp');
    await gp.page.locator('header nav a[href="#/inbox"]').click();
    const card = gp.page
      .locator('[data-testid=inbox-transfer]')
      .filter({ has: gp.page.locator('button[data-action=gp_refuse]') })
      .first();
    await card.waitFor({ timeout: SEEN_MS });
    await card.locator('input[data-input=reason]').fill('受让方不符合合伙协议第12条的要求');
    await card.locator('button[data-action=gp_refuse]').click();
    await gp.page.locator('.banner.notice:not([hidden])').waitFor({ timeout: SEEN_MS });

    await fill.locator('[data-testid=fill-transfer]').first().click();
    const reason = b2.page.locator('[data-testid=outcome-reason]');
    await reason.filter({ hasText: '受让方不符合合伙协议第12条的要求' }).waitFor({ timeout: SEEN_MS });
    expect(await reason.textContent()).to.contain('GP 拒绝理由');
    await lp.page.locator('header nav a[href="#/transfers"]').click();
    await lp.page.locator('[data-testid=open-transfer]').first().click();
    await lp.page.locator('[data-testid=outcome-reason]').filter({ hasText: '合伙协议第12条' }).waitFor({ timeout: SEEN_MS });
    await shot(lp.page, 'j3-05-gp-refusal-reason-seller');
  });

  it('an operator rejects a listing with a reason, which the seller reads in the listing history', async () => {
    await soe.page.locator('header nav a[href="#/listings"]').click();
    const form = soe.page.locator('[data-testid=listing-form]');
    await form.locator(`select[name=fundId] option[value=${FUND}]`).waitFor({ state: 'attached' });
    await form.locator('select[name=fundId]').selectOption(FUND);
    await form.locator('input[name=quantity]').fill('50000000');
    await form.locator('input[name=askPrice]').fill('20000000.00');
    await form.locator('input[name=depositAmount]').fill('2000000.00');
    await form.getByLabel('内部决议文号').fill('京科创决〔2026〕30号');
    await form.getByLabel('批准文号').fill('京国资批〔2026〕50号');
    await form.getByLabel('评估备案号').fill('京评备〔2026〕70号');
    await form.getByLabel('评估值（元）').fill('30000000.00');
    await form.getByLabel('评估基准日').fill('2026-06-30');
    await form.getByRole('button', { name: '创建草稿' }).click();
    // The ask is below the appraisal: refused with both figures, beside the form's button.
    const refusal = soe.page.locator('[data-testid=near-error]');
    await refusal.filter({ hasText: '挂牌价2,000万元低于备案评估值3,000万元' }).waitFor({ timeout: SEEN_MS });
    await shot(soe.page, 'j3-06-price-below-appraisal');
    await form.locator('input[name=askPrice]').fill('30000000.00');
    await form.getByRole('button', { name: '创建草稿' }).click();
    const row = soe.page.locator('[data-testid=listings] tbody tr').filter({ hasText: '草稿' }).first();
    await row.waitFor({ timeout: SEEN_MS });
    await row.getByRole('link', { name: '竞价室' }).click();
    await soe.page.locator('[data-testid=documents]').filter({ hasText: '京评备〔2026〕70号' }).waitFor();
    listingUrl = soe.page.url();
    await deskDone(soe, 'submit');

    await openListing(op2);
    await op2.page.locator('[data-desk-input=reason]').fill('评估报告基准日与决议日期不符，请补充说明');
    await deskDone(op2, 'reject');
    await soe.page.reload();
    const history = soe.page.locator('[data-testid=history]');
    await history.filter({ hasText: '评估报告基准日与决议日期不符' }).waitFor({ timeout: SEEN_MS });
    expect(await history.textContent()).to.contain('驳回');
    await shot(soe.page, 'j3-07-rejection-reason-seller');
  });
});

async function expectClockLabel(s: Session, word: string): Promise<void> {
  await s.page.locator('[data-testid=exchange-clock]').filter({ hasText: word }).waitFor({ timeout: SEEN_MS });
}
