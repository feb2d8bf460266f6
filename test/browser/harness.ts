/**
 * Browser-test harness: Debian's Chromium driven by playwright-core against a real exchange
 * (startTestExchange, SQLite) serving the built client. Without /usr/bin/chromium the suite is
 * skipped with a plain message; REQUIRE_BROWSER=1 (as .ci/run sets) turns that into a failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { buildClient } from '../../client/build';
import { sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');

/** Null when the browser can run, otherwise why not (throws under REQUIRE_BROWSER=1). */
export function browserUnavailable(): string | null {
  if (fs.existsSync(CHROMIUM)) return null;
  const why = `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${why}`);
  console.log(`\n  NOTE: browser suites SKIPPED — ${why}.\n`);
  return why;
}

export async function ensureClientBuilt(): Promise<void> {
  if (!fs.existsSync(path.join(__dirname, '..', '..', 'client', 'dist', 'index.html'))) await buildClient({ quiet: true });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--headless'],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  errors: string[];
  /** The confirmations the page asked for (window.confirm), answered as `confirmWith` says. */
  confirmations: string[];
  /** How the next confirmations are answered: yes (the default, as a person going on would) or no. */
  confirmWith: 'yes' | 'no';
}

/** A fresh browser context (its own storage: another person), signed in through the sign-in page. */
export async function signIn(browser: Browser, baseUrl: string, username: string, opts: { socketDown?: boolean } = {}): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  if (opts.socketDown) {
    // A quote socket that can never connect: every attempt closes at once (as when /ws is down).
    // A string, not a function: the test runner's transpiler would add helpers the page lacks.
    await context.addInitScript(`window.WebSocket = class DeadSocket {
      static OPEN = 1;
      constructor() { this.readyState = 3; this.onclose = null; setTimeout(() => this.onclose && this.onclose({ code: 1006 }), 5); }
      send() {}
      close() {}
    };`);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  const session = { context, page, errors, confirmations: [] as string[], confirmWith: 'yes' as 'yes' | 'no' };
  page.on('dialog', (dialog) => {
    session.confirmations.push(dialog.message());
    void (session.confirmWith === 'yes' ? dialog.accept() : dialog.dismiss());
  });
  await page.goto(`${baseUrl}/#/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo-pass');
  await page.getByLabel('密码').press('Enter');
  await page.locator('header nav a').first().waitFor();
  return session;
}

export interface BrowserSuite {
  /** The exchange of the suite (SQLite), started before its first test. */
  readonly ex: TestExchange;
  /** Signs a user in in a new browser context, closed with the suite. */
  open(username: string, opts?: { socketDown?: boolean }): Promise<Session>;
}

/**
 * Registers, in the calling describe block, the hooks every browser suite needs: an exchange with
 * `env` and a browser before the first test (or the suite is skipped without Chromium), every
 * session, the browser and the exchange closed after the last, and no uncaught page error after each.
 */
export function browserSuite(env: Record<string, string> = {}): BrowserSuite {
  let exchange: TestExchange | undefined;
  let browser: Browser | undefined;
  const sessions: Session[] = [];
  before(async function () {
    if (browserUnavailable()) return this.skip();
    await ensureClientBuilt();
    exchange = await startTestExchange(sqliteKind, env);
    browser = await launchBrowser();
  });
  after(async () => {
    for (const s of sessions) await s.context.close();
    await browser?.close();
    await exchange?.stop();
  });
  afterEach(() => {
    for (const s of sessions) expect(s.errors, 'uncaught page errors').to.deep.equal([]);
  });
  return {
    get ex() {
      if (!exchange) throw new Error('the browser suite has not started');
      return exchange;
    },
    async open(username, opts) {
      const s = await signIn(browser!, this.ex.baseUrl, username, opts);
      sessions.push(s);
      return s;
    },
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Opens the listings page and fills the seller's form (in Chinese) for a state-owned listing of `fundId`:
 * 100,000,000 at 50,000,000.00, increment 500,000.00, deposit 10,000,000.00, appraised at the ask on
 * 2026-06-30, with the overlay's references numbered `refs`. Returns the form, not yet sent.
 */
export async function fillStateOwnedListingForm(
  page: Page,
  fundId: string,
  refs: { resolution: string; approval: string; appraisal: string },
): Promise<Locator> {
  await page.locator('header nav a[href="#/listings"]').click();
  const form = page.locator('[data-testid=listing-form]');
  await form.locator(`select[name=fundId] option[value=${fundId}]`).waitFor({ state: 'attached' });
  await form.locator('select[name=fundId]').selectOption(fundId);
  await form.locator('input[name=quantity]').fill('100000000');
  await form.locator('input[name=askPrice]').fill('50000000.00');
  await form.locator('input[name=increment]').fill('500000.00');
  await form.locator('input[name=depositAmount]').fill('10000000.00');
  await form.getByLabel('内部决议文号').fill(refs.resolution);
  await form.getByLabel('批准文号').fill(refs.approval);
  await form.getByLabel('评估备案号').fill(refs.appraisal);
  await form.getByLabel('评估值（元）').fill('50000000.00');
  await form.getByLabel('评估基准日').fill('2026-06-30');
  return form;
}
