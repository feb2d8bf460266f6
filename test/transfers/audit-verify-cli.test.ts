import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { CLOCK_START, actOk, bookTrade } from './http-helpers';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `npm run audit:verify` against a database, as an operator would. */
function auditVerify(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'audit:verify'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run audit:verify after transfers [sqlite]', function () {
  this.timeout(60_000);
  let t: TestExchange;
  before(async () => { t = await startTestExchange(sqliteKind, { CLOCK: 'simulated', CLOCK_START }); });
  after(async () => { await t?.stop(); });

  it('passes on the untouched chain, then finds a tampered transfer entry and names its seq', async () => {
    const id = await bookTrade(t, 'bj-ai-2021', '1000000', '90.00', 'lp', 'buyer2');
    await actOk(t, 'gp', id, { action: 'gp_consent' });
    await actOk(t, 'operator1', id, { action: 'reject', reason: 'documents incomplete' });
    const url = t.exchange.config.databaseUrl;

    const intact = await auditVerify(url);
    expect(intact.code, intact.output).to.equal(0);
    expect(intact.output).to.match(/audit chain intact: \d+ entries/);

    const db = t.exchange.handle.db;
    const entry = await db.selectFrom('auditLog').select(['seq', 'payload']).where('entityId', '=', id).where('action', '=', 'transfer.gp_consent').executeTakeFirstOrThrow();
    await db.updateTable('auditLog').set({ payload: entry.payload.replace('gp_consent_pending', 'review_pending') }).where('seq', '=', entry.seq).execute();
    const broken = await auditVerify(url);
    expect(broken.code, broken.output).to.equal(1);
    expect(broken.output).to.include(`BROKEN at entry ${entry.seq}`);
  });
});
