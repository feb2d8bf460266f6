/**
 * Journey 1 in English, by clicks and typing: a continuous-book trade (the fill and its transfer
 * link), GP consent, four-eyes review and approval, payment and registration, to the downloaded
 * confirmation; every page in English, amounts in RMB, refusals in English without status words.
 */
import { expect } from 'chai';
import { browserSuite, shot, type Session } from './harness';

const FUND = 'bj-ai-2021'; // GP consent, no ROFR
const SEEN_MS = 15_000;

describe(
  'browser journey in English: a book trade through GP consent, four ' + 'eyes, payment and registration to the confirmation',
  function () {
    this.timeout(120_000);
    const suite = browserSuite();
    const english = async (username: string): Promise<Session> => {
      const s = await suite.open(username);
      await s.page.getByRole('button', { name: 'English' }).click();
      await s.page.waitForFunction(() => document.documentElement.lang === 'en');
      return s;
    };
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

    let seller: Session, buyer: Session;

    it('the seller is refused an order larger than its holding, in English with RMB figures, then offers a lot', async () => {
      seller = await english('lp');
      await seller.page.goto(`${suite.ex.baseUrl}/#/fund/${FUND}`);
      const ticket = seller.page.locator('[data-testid=ticket]');
      await ticket.locator('#side-sell').check();
      await ticket.locator('input[name=pricePct]').fill('93.00');
      await ticket.locator('input[name=quantity]').fill('900000000');
      await ticket.getByRole('button', { name: 'Place order' }).click();
      const refusal = seller.page.locator('[data-testid=near-error]');
      await refusal.waitFor({ timeout: SEEN_MS });
      expect(await refusal.textContent()).to.match(
        /^Insufficient position: Your unencumbered commitment is RMB [\d,]+, less than the RMB 900,000,000 offered\.$/,
      );
      await shot(seller.page, 'j4-01-en-insufficient-position');
      await ticket.locator('input[name=quantity]').fill('2000000');
      await ticket.getByRole('button', { name: 'Place order' }).click();
      await seller.page.locator('[data-testid=ladder] tr.ask').filter({ hasText: '93.00%' }).waitFor({ timeout: SEEN_MS });
    });

    it('the buyer takes it: the fill is shown with a link to the transfer, in English', async () => {
      buyer = await english('buyer1');
      await buyer.page.goto(`${suite.ex.baseUrl}/#/fund/${FUND}`);
      await buyer.page.locator('[data-testid=ladder] tr.ask').filter({ hasText: '93.00%' }).locator('button.level').click();
      const ticket = buyer.page.locator('[data-testid=ticket]');
      await ticket.locator('input[name=quantity]').fill('2000000');
      await ticket.getByRole('button', { name: 'Place order' }).click();
      const fill = buyer.page.locator('[data-testid=fill-notice]');
      await fill.filter({ hasText: 'Traded' }).filter({ hasText: 'RMB' }).waitFor({ timeout: SEEN_MS });
      await buyer.page.locator('[data-testid=tape] tbody tr').filter({ hasText: '93.00%' }).first().waitFor({ timeout: SEEN_MS });
      await shot(buyer.page, 'j4-02-en-fill-notice');
      await fill.locator('[data-testid=fill-transfer]').click();
      await buyer.page.locator('[data-testid=transfer]').waitFor({ timeout: SEEN_MS });
      // Who acts next, composed in English: the step, the role and the deadline as a date, no internal ids.
      expect(await buyer.page.locator('[data-testid=transfer] p.next').textContent()).to.match(
        /^Next: GP consent — GP \(Deadline \d{1,2} [A-Z][a-z]+ \d{4}\)$/,
      );
      await shot(buyer.page, 'j4-03-en-transfer-buyer');
    });

    it('the GP consents, two operators review and approve, one confirms payment and the other records registration', async () => {
      const gp = await english('gp');
      await act(gp, 'gp_consent');
      await shot(gp.page, 'j4-04-en-gp-inbox');
      const op1 = await english('operator1');
      const op2 = await english('operator2');
      await act(op1, 'review');
      // Four eyes: the reviewer gets no approve button.
      expect(await op1.page.locator('[data-testid=inbox-transfer] button[data-action=approve]').count()).to.equal(0);
      await act(op2, 'approve');
      // The buyer now sees the amount due, the escrow account and the due date.
      await buyer.page.reload();
      const money = buyer.page.locator('[data-testid=transfer-money]');
      await money.filter({ hasText: 'Amount due' }).filter({ hasText: 'escrow' }).waitFor({ timeout: SEEN_MS });
      expect(
        await money
          .locator('dd')
          .filter({ hasText: /^\d{1,2} [A-Z][a-z]+ \d{4}$/ })
          .count(),
      ).to.be.greaterThan(0);
      await shot(buyer.page, 'j4-05-en-amount-due');
      await act(op1, 'confirm_payment', { bankRef: 'ICBC-20261201-0042' });
      await shot(op1.page, 'j4-06-en-payment-confirmed');
      await act(op2, 'record_registration', { registrationRef: 'BJ-SAMR-2026-0042', amacRef: 'AMAC-2026-0042' });
    });

    it('the seller opens the completed transfer, reads its proceeds and downloads the confirmation', async () => {
      await seller.page.locator('header nav a[href="#/transfers"]').click();
      await seller.page.locator('[data-testid=open-transfer]').first().click();
      await seller.page
        .locator('[data-testid=seller-money]')
        .filter({ hasText: "Seller's proceeds" })
        .filter({ hasText: 'RMB' })
        .waitFor({ timeout: SEEN_MS });
      const link = seller.page.locator('[data-testid=confirmation-link]');
      await link.waitFor({ timeout: SEEN_MS });
      expect(await seller.page.locator('[data-testid=transfer]').getAttribute('data-state')).to.equal('completed');
      const pdf = await suite.ex.call('GET', (await link.getAttribute('href')) ?? '', { token: await suite.ex.login('lp') });
      expect(pdf.status).to.equal(200);
      expect(pdf.headers.get('content-type')).to.match(/application\/pdf/);
      await shot(seller.page, 'j4-07-en-transfer-completed');
    });
  },
);
