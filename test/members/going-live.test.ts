/**
 * From an empty database in production mode to a first trade, through the command line and the API
 * only (api.md "Running for real"): the first administrator, organisations, users with their forced
 * first password change, a fund proposed and opened by two operators, its register loaded from CSV,
 * a NAV report, a buyer qualified, a trade that opens a transfer. Each bad input is refused with
 * nothing changed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { beijingDate, addCalendarDays } from '../../shared/calendar';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';

const ROOT = path.join(__dirname, '..', '..');
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  JWT_SECRET: 'going-live-test-signing-key-0123456789abcdef',
  SEALED_BID_KEY: 'going-live-test-sealed-bid-key-0123456789abc',
};

/** Runs `npm run admin:create` against the database, the password on standard input. */
export function adminCreate(databaseUrl: string, args: string[], password: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'admin:create', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...PRODUCTION_ENV, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(`${password}\n`);
  });
}

const USCC = {
  exchange: '12110000MB0160001W',
  gp: '91110108MA01G0002Y',
  lpA: '91110105MA01J00036',
  lpB: '91110000MA01K0004K',
  buyer: '91110108MA01L00057',
  unused: '91110108MA01Q0009J',
};

describeEachDatabase('going live: from an empty production database to a first trade', (kind) => {
  let t: TestExchange;
  let databaseUrl: string;
  const tokens: Record<string, string> = {};
  const orgs: Record<string, string> = {};
  const today = () => beijingDate(Date.now());

  before(async function () {
    this.timeout(60_000);
    t = await startTestExchange(kind, PRODUCTION_ENV);
    databaseUrl = t.exchange.config.databaseUrl;
  });
  after(async () => {
    await t?.stop();
  });

  const db = () => t.exchange.handle.db;
  const count = async (
    table: 'organisations' | 'users' | 'funds' | 'fundPartners' | 'navReports' | 'qualifications' | 'auditLog' | 'unitLedger' | 'positions',
  ) =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const TABLES = [
    'organisations',
    'users',
    'funds',
    'fundPartners',
    'navReports',
    'qualifications',
    'auditLog',
    'unitLedger',
    'positions',
  ] as const;
  const snapshot = async () => Object.fromEntries(await Promise.all(TABLES.map(async (n) => [n, await count(n)] as const)));
  /** Runs a refused request and asserts that no table it could touch changed. */
  async function refusedWithNothingChanged(
    status: number,
    code: string,
    send: () => Promise<{ status: number; body: any; headers: Headers }>,
  ) {
    const before = await snapshot();
    const r = await send();
    expectProblem(r, status, code);
    expect(await snapshot()).to.deep.equal(before);
    return r.body;
  }

  async function firstSignIn(username: string, initial: string): Promise<string> {
    const first = await t.call('POST', '/api/auth/login', { body: { username, password: initial } });
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body.user.mustChangePassword).to.equal(true);
    const changed = await t.call('POST', '/api/auth/password', {
      token: first.body.token,
      body: { current: initial, new: `${username}-own-password` },
    });
    expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
    expect(changed.body.user.mustChangePassword).to.equal(false);
    return (tokens[username] = changed.body.token as string);
  }

  it('seeds nothing: the database is empty and the demo users do not exist', async () => {
    expect(await count('organisations')).to.equal(0);
    expectProblem(await t.call('POST', '/api/auth/login', { body: { username: 'admin', password: 'demo-pass' } }), 401, 'UNAUTHENTICATED');
  });

  it('creates the first administrator from the command line, and refuses a second', async function () {
    this.timeout(60_000);
    const made = await adminCreate(
      databaseUrl,
      ['--username', 'chief', '--org', '北京股权交易中心', '--org-en', 'Beijing Equity Exchange Center', '--uscc', USCC.exchange],
      'chief-initial-password',
    );
    expect(made.code, made.output).to.equal(0);
    const before = await snapshot();
    const again = await adminCreate(databaseUrl, ['--username', 'deputy', '--org', 'another'], 'deputy-initial-password');
    expect(again.code, again.output).to.equal(1);
    expect(again.output).to.match(/administrator exists/);
    expect(await snapshot()).to.deep.equal(before);
    const login = await t.call('POST', '/api/auth/login', { body: { username: 'chief', password: 'chief-initial-password' } });
    expect(login.status).to.equal(200);
    expect(login.body.user.mustChangePassword).to.equal(false);
    tokens.chief = login.body.token;
    const audit = await db().selectFrom('auditLog').select(['action', 'entityId']).orderBy('id').execute();
    expect(audit.slice(0, 2)).to.deep.equal([
      { action: 'organisation.create', entityId: 'org-exchange' },
      { action: 'user.create', entityId: 'user-chief' },
    ]);
  });

  it('admits organisations with verified credit codes; a duplicate or a wrong check character changes nothing', async () => {
    for (const [key, kindOf, name] of [
      ['gp', 'gp', '海淀前沿基金管理有限公司'],
      ['lpA', 'lp', '京华长青投资有限公司'],
      ['lpB', 'lp', '京津冀协同投资有限公司'],
      ['buyer', 'buyer', '中关村S基金一期'],
    ] as const) {
      const r = await t.call('POST', '/api/admin/organisations', { token: tokens.chief, body: { name, kind: kindOf, uscc: USCC[key] } });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      expect(r.body).to.include({ kind: kindOf, uscc: USCC[key], stateOwned: false });
      orgs[key] = r.body.id;
    }
    const dup = await refusedWithNothingChanged(409, 'DUPLICATE_USCC', () =>
      t.call('POST', '/api/admin/organisations', { token: tokens.chief, body: { name: 'copy', kind: 'lp', uscc: USCC.lpA } }),
    );
    expect(dup.orgId ?? dup.params?.orgId).to.equal(orgs.lpA);
    const badCheck = `${USCC.unused.slice(0, 17)}K`;
    const bad = await refusedWithNothingChanged(400, 'VALIDATION_FAILED', () =>
      t.call('POST', '/api/admin/organisations', { token: tokens.chief, body: { name: 'typo', kind: 'lp', uscc: badCheck } }),
    );
    expect(bad.params.reason).to.equal('CHECK_CHARACTER');
    const list = await t.call('GET', '/api/admin/organisations', { token: tokens.chief });
    expect(list.body.map((o: { uscc: string }) => o.uscc).sort()).to.deep.equal(
      Object.values(USCC)
        .filter((u) => u !== USCC.unused)
        .sort(),
    );
  });

  it('creates users who must replace their initial password before anything else', async function () {
    this.timeout(60_000);
    const users = [
      ['op-a', 'exchange', ['operator']],
      ['op-b', 'exchange', ['operator']],
      ['gp-user', 'gp', ['gp']],
      ['seller', 'lpA', ['seller', 'buyer']],
      ['buyer', 'buyer', ['buyer']],
    ] as const;
    for (const [username, org, roles] of users) {
      const r = await t.call('POST', '/api/admin/users', {
        token: tokens.chief,
        body: { username, orgId: org === 'exchange' ? 'org-exchange' : orgs[org], roles, initialPassword: `${username}-initial-pw` },
      });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      expect(r.body.mustChangePassword).to.equal(true);
    }
    await refusedWithNothingChanged(400, 'VALIDATION_FAILED', () =>
      t.call('POST', '/api/admin/users', {
        token: tokens.chief,
        body: { username: 'rogue', orgId: orgs.buyer, roles: ['operator'], initialPassword: 'rogue-initial-pw' },
      }),
    );
    await refusedWithNothingChanged(409, 'USERNAME_TAKEN', () =>
      t.call('POST', '/api/admin/users', {
        token: tokens.chief,
        body: { username: 'seller', orgId: orgs.lpB, roles: ['seller'], initialPassword: 'seller-initial-pw' },
      }),
    );

    const first = await t.call('POST', '/api/auth/login', { body: { username: 'seller', password: 'seller-initial-pw' } });
    expectProblem(await t.call('GET', '/api/funds', { token: first.body.token }), 403, 'PASSWORD_CHANGE_REQUIRED');
    expectProblem(await t.call('GET', '/api/positions', { token: first.body.token }), 403, 'PASSWORD_CHANGE_REQUIRED');
    expectProblem(
      await t.call('POST', '/api/auth/password', {
        token: first.body.token,
        body: { current: 'wrong-password', new: 'seller-own-password' },
      }),
      403,
      'FORBIDDEN',
    );
    expect((await t.call('GET', '/api/auth/me', { token: first.body.token })).body.mustChangePassword).to.equal(true);
    for (const [username] of users) await firstSignIn(username, `${username}-initial-pw`);
    // The initial password's session ended with the change.
    expectProblem(await t.call('GET', '/api/auth/me', { token: first.body.token }), 401, 'UNAUTHENTICATED');
    expect((await t.call('GET', '/api/funds', { token: tokens.seller })).status).to.equal(200);
  });

  it(
    'a fund proposed by one operator stays invisible until a second opens ' + 'it; its register, loaded from CSV, becomes the positions',
    async () => {
      const proposal = {
        id: 'zgc-live-2024',
        name: '中关村前沿科技契约型基金',
        gpOrgId: orgs.gp,
        strategy: 'venture',
        vintage: 2024,
        legalForm: 'contractual',
        totalCommitment: '100000000',
        lotSize: '1000000',
        terms: { rofr: false, gpConsent: false, pledgeAllowed: true },
      };
      const proposed = await t.call('POST', '/api/admin/funds', { token: tokens['op-a'], body: proposal });
      expect(proposed.status, JSON.stringify(proposed.body)).to.equal(201);
      expect(proposed.body).to.include({ state: 'pending', legalForm: 'contractual' });
      expect(proposed.body.terms.investorCap).to.equal(200);
      expect((await t.call('GET', '/api/funds', { token: tokens.seller })).body).to.deep.equal([]);
      for (const path of ['', '/book', '/trades', '/valuation'])
        expectProblem(await t.call('GET', `/api/funds/zgc-live-2024${path}`, { token: tokens.seller }), 404, 'NOT_FOUND');
      expectProblem(
        await t.call('POST', '/api/orders', {
          token: tokens.buyer,
          body: { fundId: 'zgc-live-2024', side: 'buy', pricePct: '90.00', quantity: '1000000', timeInForce: 'GTC' },
        }),
        404,
        'NOT_FOUND',
      );

      const csv = (rows: string[]) => ({
        token: tokens['op-a'],
        rawBody: ['uscc,commitment,paidIn', ...rows].join('\n'),
        headers: { 'content-type': 'text/csv' },
      });
      const wrong = await refusedWithNothingChanged(400, 'VALIDATION_FAILED', () =>
        t.call(
          'PUT',
          '/api/admin/funds/zgc-live-2024/partners',
          csv([`${USCC.lpA},60000000,48000000.00`, `${USCC.lpB},39500000,50000000.00`, `${USCC.unused},1000000,0.00`]),
        ),
      );
      expect(wrong.params.problems.map((p: { row: number; reason: string }) => [p.row, p.reason])).to.deep.equal([
        [2, 'COMMITMENT_NOT_WHOLE_LOTS'],
        [2, 'PAID_IN_ABOVE_COMMITMENT'],
        [3, 'UNKNOWN_ORGANISATION'],
        [0, 'TOTAL_MISMATCH'],
      ]);
      await refusedWithNothingChanged(400, 'VALIDATION_FAILED', () =>
        t.call('PUT', '/api/admin/funds/zgc-live-2024/partners', csv([`${USCC.lpA},60000000,48000000.00`])),
      );
      const loaded = await t.call(
        'PUT',
        '/api/admin/funds/zgc-live-2024/partners',
        csv([`${USCC.lpA},60000000,48000000.00`, `${USCC.lpB},40000000,32000000.00`]),
      );
      expect(loaded.status, JSON.stringify(loaded.body)).to.equal(200);
      expect(loaded.body.partners).to.have.length(2);
      expect(await count('positions')).to.equal(0);

      await refusedWithNothingChanged(409, 'FOUR_EYES', () =>
        t.call('POST', '/api/admin/funds/zgc-live-2024/approve', { token: tokens['op-a'] }),
      );
      const opened = await t.call('POST', '/api/admin/funds/zgc-live-2024/approve', { token: tokens['op-b'] });
      expect(opened.status, JSON.stringify(opened.body)).to.equal(200);
      expect(opened.body.state).to.equal('open');
      const positions = await t.call('GET', '/api/positions', { token: tokens.seller });
      expect(positions.body).to.have.length(1);
      expect(positions.body[0]).to.include({
        fundId: 'zgc-live-2024',
        commitment: '60000000',
        paidIn: '48000000.00',
        available: '60000000',
      });
      const ledger = await db().selectFrom('unitLedger').select(['commitment']).where('fundId', '=', 'zgc-live-2024').execute();
      expect(ledger.reduce((s, r) => s + Number(r.commitment), 0)).to.equal(0);
      await refusedWithNothingChanged(409, 'INVALID_STATE', () =>
        t.call('PUT', '/api/admin/funds/zgc-live-2024/partners', csv([`${USCC.lpA},100000000,0.00`])),
      );
    },
  );

  it("the GP's NAV report is used at once; one dated in the future or not after the last is refused with nothing changed", async () => {
    const report = (referenceDate: string, nav: string) => ({
      token: tokens['gp-user'],
      body: { referenceDate, nav, paidIn: '80000000.00', cumulativeDistributions: '0.00' },
    });
    await refusedWithNothingChanged(400, 'VALIDATION_FAILED', () =>
      t.call('POST', '/api/funds/zgc-live-2024/nav-reports', report(addCalendarDays(today(), 2), '90000000.00')),
    );
    await refusedWithNothingChanged(403, 'FORBIDDEN', () =>
      t.call('POST', '/api/funds/zgc-live-2024/nav-reports', {
        ...report(addCalendarDays(today(), -30), '90000000.00'),
        token: tokens.seller,
      }),
    );
    const first = await t.call('POST', '/api/funds/zgc-live-2024/nav-reports', report(addCalendarDays(today(), -30), '90000000.00'));
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    for (const date of [addCalendarDays(today(), -30), addCalendarDays(today(), -40)]) {
      const body = await refusedWithNothingChanged(400, 'VALIDATION_FAILED', () =>
        t.call('POST', '/api/funds/zgc-live-2024/nav-reports', report(date, '91000000.00')),
      );
      expect(body.params.reason).to.equal('NOT_AFTER_LAST_REPORT');
    }
    const second = await t.call('POST', '/api/funds/zgc-live-2024/nav-reports', report(addCalendarDays(today(), -5), '120000000.00'));
    expect(second.status).to.equal(201);
    for (const nav of ['0.00', '0']) {
      const zero = await refusedWithNothingChanged(400, 'VALIDATION_FAILED', () =>
        t.call('POST', '/api/funds/zgc-live-2024/nav-reports', report(addCalendarDays(today(), -2), nav)),
      );
      expect(zero.params).to.include({ reason: 'NAV_NOT_POSITIVE', field: 'nav' });
    }
    const fund = await t.call('GET', '/api/funds/zgc-live-2024', { token: tokens.seller });
    expect(fund.body.latestNav).to.include({ referenceDate: addCalendarDays(today(), -5), nav: '120000000.00' });
    expect(fund.body.navPerCommitment).to.equal('1.20000000');
    expect((await t.call('GET', '/api/positions', { token: tokens.seller })).body[0].nav).to.equal('72000000.00');
  });

  it('qualifies a buyer at or above the thresholds, refuses one below with nothing changed, and shows the buyer its status', async () => {
    const q = (netAssets: string, financialAssets: string) => ({
      token: tokens['op-a'],
      body: { orgId: orgs.buyer, netAssets, financialAssets, validUntil: addCalendarDays(today(), 365), evidenceRef: 'QI-2026-001' },
    });
    const below = await refusedWithNothingChanged(422, 'NOT_QUALIFIED', () =>
      t.call('POST', '/api/admin/qualifications', q('19999999.99', '50000000.00')),
    );
    expect(below.params).to.include({ netAssets: '19999999.99', minNetAssets: '20000000.00', missed: 'netAssets' });
    await refusedWithNothingChanged(422, 'NOT_QUALIFIED', () =>
      t.call('POST', '/api/admin/qualifications', q('50000000.00', '9999999.99')),
    );
    const ok = await t.call('POST', '/api/admin/qualifications', q('20000000.00', '10000000.00'));
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    expect(ok.body.status).to.equal('valid');
    const mine = await t.call('GET', '/api/qualifications', { token: tokens.buyer });
    expect(mine.body.records.map((r: { status: string }) => r.status)).to.deep.equal(['valid']);
    const all = await t.call('GET', '/api/admin/qualifications', { token: tokens['op-b'] });
    expect(all.body).to.have.length(1);
  });

  it('the first trade opens a transfer, priced on the latest NAV report', async () => {
    const sell = await t.call('POST', '/api/orders', {
      token: tokens.seller,
      body: { fundId: 'zgc-live-2024', side: 'sell', pricePct: '95.00', quantity: '5000000', timeInForce: 'GTC' },
    });
    expect(sell.status, JSON.stringify(sell.body)).to.equal(201);
    const buy = await t.call('POST', '/api/orders', {
      token: tokens.buyer,
      body: { fundId: 'zgc-live-2024', side: 'buy', pricePct: '95.00', quantity: '5000000', timeInForce: 'IOC' },
    });
    expect(buy.status, JSON.stringify(buy.body)).to.equal(201);
    expect(buy.body.trades).to.have.length(1);
    const trade = buy.body.trades[0];
    // 95% × NAV 120,000,000 × 5,000,000 ÷ 100,000,000
    expect(trade.consideration).to.equal('5700000.00');
    expect(trade.transferId).to.be.a('string');
    const transfer = await t.call('GET', `/api/transfers/${trade.transferId}`, { token: tokens['op-a'] });
    expect(transfer.status).to.equal(200);
    expect(transfer.body.state).to.equal('review_pending');
  });
});
