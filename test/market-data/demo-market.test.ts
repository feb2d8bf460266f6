import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { Dec, sum } from '../../shared/decimal';
import { DEMO_ORGS } from '../../server/seed/demo-market';
import { orgAccount } from '../../server/ledger/ledger';
import { describeEachDatabase, sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';

const ROOT = path.resolve(__dirname, '..', '..');
// Monday 14:00 in Beijing: the listing made ready for bidding opened at 10:00 and its bids are in.
const CLOCK_START = '2026-09-14T06:00:00.000Z';
const DAY_MS = 86_400_000;

function auditVerify(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'audit:verify'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describeEachDatabase('the full demo market (DEMO_MARKET=full)', (kind) => {
  let t: TestExchange;
  let seedMs = 0;
  before(async function () {
    this.timeout(180_000);
    const began = Date.now();
    t = await startTestExchange(kind, { DEMO_MARKET: 'full', CLOCK: 'simulated', CLOCK_START });
    seedMs = Date.now() - began;
  });
  after(async () => {
    await t?.stop();
  });
  const ok = (r: { status: number; body: any }) => {
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return r.body;
  };

  it('passes audit verification, with every unit and cash journal balanced and positions equal to their ledgers', async function () {
    this.timeout(60_000);
    console.log(`      (seeded and started in ${seedMs} ms on ${kind.name})`);
    const verdict = await auditVerify(t.exchange.config.databaseUrl);
    expect(verdict.code, verdict.output).to.equal(0);
    const db = t.exchange.handle.db;
    const units = await db.selectFrom('unitLedger').select(['journalId', 'fundId', 'account', 'commitment', 'paidIn']).execute();
    const byJournal = new Map<string, typeof units>();
    for (const u of units) byJournal.set(u.journalId, [...(byJournal.get(u.journalId) ?? []), u]);
    for (const [journal, legs] of byJournal) {
      expect(sum(legs.map((l) => new Dec(l.commitment))).toFixed(2), journal).to.equal('0.00');
      expect(sum(legs.map((l) => new Dec(l.paidIn))).toFixed(2), journal).to.equal('0.00');
    }
    for (const p of await db.selectFrom('positions').selectAll().execute()) {
      const legs = units.filter((u) => u.fundId === p.fundId && u.account === orgAccount(p.orgId));
      expect(sum(legs.map((l) => new Dec(l.commitment))).toFixed(2), `${p.orgId} ${p.fundId}`).to.equal(p.commitment);
    }
    const cash = await db.selectFrom('cashLedger').select(['journalId', 'amount']).execute();
    const cashByJournal = new Map<string, string[]>();
    for (const c of cash) cashByJournal.set(c.journalId, [...(cashByJournal.get(c.journalId) ?? []), c.amount]);
    expect(cashByJournal.size).to.be.greaterThan(0);
    for (const [journal, amounts] of cashByJournal) expect(sum(amounts.map((a) => new Dec(a))).toFixed(2), journal).to.equal('0.00');
  });

  it('has trades of both venues over at least 180 days before the clock in every fund, and bids and asks in every book', async () => {
    const db = t.exchange.handle.db;
    const funds = await db.selectFrom('funds').select('id').execute();
    const start = Date.parse(CLOCK_START);
    const token = await t.login('buyer1');
    for (const { id } of funds) {
      const trades = await db.selectFrom('trades').select(['executedAt', 'venue']).where('fundId', '=', id).orderBy('executedAt').execute();
      expect(trades.length, id).to.be.greaterThan(2);
      expect(Date.parse(trades[0]!.executedAt), id).to.be.at.most(start - 180 * DAY_MS);
      expect(Date.parse(trades.at(-1)!.executedAt), id).to.be.below(start);
      const book = ok(await t.call('GET', `/api/funds/${id}/book?depth=5`, { token }));
      expect(book.bids.length, id).to.be.greaterThan(0);
      expect(book.asks.length, id).to.be.greaterThan(0);
      expect(Number(book.bids[0].pricePct)).to.be.below(Number(book.asks[0].pricePct));
    }
    const venues = await db.selectFrom('trades').select('venue').distinct().execute();
    expect(venues.map((v) => v.venue).sort()).to.deep.equal(['book', 'listing']);
  });

  it(
    'has listings in disclosure, at or in bidding, and awarded; transfers ' + 'at every step and completed ones with confirmations',
    async () => {
      const listings = ok(await t.call('GET', '/api/listings', { token: await t.login('operator1') })) as { state: string }[];
      const states = listings.map((l) => l.state);
      expect(states).to.include('disclosure');
      expect(states).to.include('awarded');
      expect(
        states.some((s) => ['closed', 'bidding', 'bidding_closed'].includes(s)),
        states.join(),
      ).to.equal(true);
      const db = t.exchange.handle.db;
      const transfers = await db.selectFrom('transfers').select(['id', 'state']).execute();
      const waiting = new Set(transfers.map((x) => x.state));
      for (const s of ['gp_consent_pending', 'review_pending', 'payment_pending', 'registration_pending', 'completed'])
        expect(waiting, s).to.include(s);
      // One state-owned award is paid by instalments: the first recorded and confirmed by two operators, the second due next.
      const plans: { method: string; next: { number: number } | null }[] = [];
      for (const x of transfers.filter((x) => x.state === 'payment_pending')) {
        const view = ok(await t.call('GET', `/api/transfers/${x.id}`, { token: await t.login('operator1') })) as any;
        if (view.paymentPlan) plans.push(view.paymentPlan);
      }
      expect(plans.filter((p) => p.method === 'instalments').map((p) => p.next?.number)).to.deep.equal([2]);
      const completed = transfers.filter((x) => x.state === 'completed').map((x) => x.id);
      const confirmations = await db.selectFrom('confirmations').select('transferId').execute();
      expect(confirmations.map((c) => c.transferId).sort()).to.deep.equal([...completed].sort());
    },
  );

  it('publishes announcements, the index and statistics without a token, naming no party', async () => {
    const listed = ok(await t.call('GET', '/api/public/announcements?kind=listing'));
    const results = ok(await t.call('GET', '/api/public/announcements?kind=result'));
    const index = ok(await t.call('GET', '/api/public/market/index'));
    const stats = ok(await t.call('GET', '/api/public/market/stats'));
    expect(listed.length).to.be.greaterThan(0);
    expect(results.length).to.be.greaterThan(0);
    expect(index.points.length).to.be.at.least(7);
    expect(index.points.at(-1).month).to.equal('2026-09');
    expect(stats.deals).to.be.greaterThan(20);
    expect(stats.medianDaysToComplete).to.be.a('number');
    expect(stats.byVenue.listing.deals).to.be.greaterThan(0);
    const published = JSON.stringify([listed, results, index, stats]);
    for (const org of DEMO_ORGS) {
      for (const name of [org.id, org.name, org.nameEn]) expect(published, name).not.to.contain(name);
    }
    for (const alias of ['竞买人', 'Bidder']) expect(published).not.to.contain(alias);
  });

  it('starts again on the seeded database with the same books', async function () {
    this.timeout(60_000);
    const token = await t.login('buyer2');
    const before = ok(await t.call('GET', '/api/funds/bj-ai-2021/book?depth=10', { token }));
    await t.restart();
    expect(ok(await t.call('GET', '/api/funds/bj-ai-2021/book?depth=10', { token }))).to.deep.equal(before);
  });
});

describe('DEMO_MARKET=empty [sqlite]', () => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(sqliteKind, { DEMO_MARKET: 'empty' });
  });
  after(async () => {
    await t?.stop();
  });

  it('seeds only users, funds, positions and NAV reports: no orders, trades, listings or transfers', async () => {
    const db = t.exchange.handle.db;
    for (const table of ['orders', 'trades', 'listings', 'transfers'] as const) {
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(row.n), table).to.equal(0);
    }
    expect((await db.selectFrom('funds').select('id').execute()).length).to.equal(6);
  });
});
