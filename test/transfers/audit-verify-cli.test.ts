import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { sql } from 'kysely';
import { sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { CLOCK_START, actOk, bookTrade } from './http-helpers';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `npm run audit:verify` against a database, as an operator would. */
function auditVerify(databaseUrl: string, args: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'audit:verify', '--', ...args], {
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

describe('npm run audit:verify after transfers [sqlite]', function () {
  this.timeout(60_000);
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(sqliteKind, { CLOCK: 'simulated', CLOCK_START });
  });
  after(async () => {
    await t?.stop();
  });

  it('passes on the untouched chain, then finds a tampered transfer entry and names its stream and seq', async () => {
    const id = await bookTrade(t, 'bj-ai-2021', '1000000', '90.00', 'lp', 'buyer2');
    await actOk(t, 'gp', id, { action: 'gp_consent' });
    await actOk(t, 'operator1', id, { action: 'reject', reason: 'documents incomplete' });
    const url = t.exchange.config.databaseUrl;

    const intact = await auditVerify(url);
    expect(intact.code, intact.output).to.equal(0);
    expect(intact.output).to.match(/audit chain intact: \d+ entries in \d+ streams, \d+ anchors/);

    const db = t.exchange.handle.db;
    const entry = await db
      .selectFrom('auditLog')
      .select(['id', 'stream', 'seq', 'payload'])
      .where('entityId', '=', id)
      .where('action', '=', 'transfer.gp_consent')
      .executeTakeFirstOrThrow();
    expect(entry.stream).to.equal('fund:bj-ai-2021');
    await db
      .updateTable('auditLog')
      .set({ payload: entry.payload.replace('gp_consent_pending', 'review_pending') })
      .where('id', '=', entry.id)
      .execute();
    const broken = await auditVerify(url);
    expect(broken.code, broken.output).to.equal(1);
    expect(broken.output).to.include(`BROKEN in stream fund:bj-ai-2021 at entry ${entry.seq}`);
  });
});

describe('npm run audit:verify --against a published anchor [sqlite]', function () {
  this.timeout(60_000);
  let t: TestExchange;
  beforeEach(async () => {
    t = await startTestExchange(sqliteKind, { CLOCK: 'simulated', CLOCK_START });
  });
  afterEach(async () => {
    await t?.stop();
  });

  /** Trades on one fund, then publishes an anchor and returns it as the public sees it. */
  async function tradeAndAnchor(): Promise<{ at: string; count: number; headHash: string }> {
    await bookTrade(t, 'bj-ai-2021', '1000000', '90.00', 'lp', 'buyer2');
    await t.exchange.anchorAudit();
    const anchors = await t.call('GET', '/api/public/audit/anchors');
    expect(anchors.status).to.equal(200);
    return anchors.body[0];
  }

  it('proves the history before the anchor intact, given as JSON or as count:hash; refuses a malformed anchor', async () => {
    const held = await tradeAndAnchor();
    await bookTrade(t, 'bj-bio-2020', '1000000', '90.00', 'lp', 'buyer2');
    const url = t.exchange.config.databaseUrl;
    for (const form of [JSON.stringify(held), `${held.count}:${held.headHash}`]) {
      const r = await auditVerify(url, ['--against', form]);
      expect(r.code, r.output).to.equal(0);
      expect(r.output).to.include(`history before anchor ${held.count}:${held.headHash} intact`);
    }
    expect((await auditVerify(url, ['--against', 'yesterday'])).code).to.equal(2);
  });

  it('finds entries cut from the end of a stream, and the anchors after them deleted, against the anchor held before', async () => {
    const held = await tradeAndAnchor();
    const db = t.exchange.handle.db;
    const last = await db
      .selectFrom('auditLog')
      .select(['seq'])
      .where('stream', '=', 'fund:bj-ai-2021')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    await sql`delete from audit_log where stream = 'fund:bj-ai-2021' and seq = ${last.seq}`.execute(db);
    const cut = await auditVerify(t.exchange.config.databaseUrl, ['--against', `${held.count}:${held.headHash}`]);
    expect(cut.code, cut.output).to.equal(1);
    expect(cut.output).to.match(/anchors BROKEN .* entries were cut/);
    await sql`delete from audit_anchors where count >= ${held.count}`.execute(db);
    const hidden = await auditVerify(t.exchange.config.databaseUrl, ['--against', `${held.count}:${held.headHash}`]);
    expect(hidden.code, hidden.output).to.equal(1);
    expect(hidden.output).to.match(/history BROKEN against anchor .*no anchor of \d+ entries/);
  });
});
