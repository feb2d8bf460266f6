/**
 * PostgreSQL ends an exchange's connections (a restart, an administrator, a failed network), idle or in
 * the middle of a batch: the pools drop them and open new ones. Before, pg raised the lost connection as
 * an uncaught error and the process (or its matching thread) ended: mocha reports such an error as a
 * failure of this suite, and the orders after it would find no exchange.
 */
import { expect } from 'chai';
import { Client } from 'pg';
import { postgresKind } from '../support/databases';
import { startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';

describe('PostgreSQL ending the exchange’s connections', function () {
  this.timeout(60_000);
  let t: TestExchange;
  before(async function () {
    if (await postgresKind.unavailable()) this.skip();
    t = await startTestExchange(postgresKind);
  });
  after(async () => t?.stop());

  const order = (token: string, key: string) =>
    t.call('POST', '/api/orders', {
      token,
      headers: { 'idempotency-key': key },
      body: { fundId: 'bj-ai-2021', side: 'buy', pricePct: '50.00', quantity: '1000000', timeInForce: 'IOC' },
    });

  /** Ends the database's other backends (those in `states`), returning how many. */
  async function endBackends(states: string[]): Promise<number> {
    const admin = new Client({ connectionString: t.exchange.config.databaseUrl });
    await admin.connect();
    try {
      const ended = await admin.query<{ n: number }>(
        `select count(*)::int as n from (
           select pg_terminate_backend(pid) from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and state = any($1)) s`,
        [states],
      );
      return ended.rows[0]!.n;
    } finally {
      await admin.end();
    }
  }

  /** The pools hear of a loss asynchronously; then reads and a durable order must work on new connections. */
  async function stillServing(token: string, key: string): Promise<void> {
    await new Promise((r) => setTimeout(r, 300));
    expect(ok(await t.call('GET', '/api/funds', { token })).length).to.be.greaterThan(0);
    expect(ok(await order(token, key), 201).order.status).to.equal('cancelled');
  }

  it('leaves the exchange serving reads and durable orders after its idle connections are ended', async () => {
    const token = await t.login('buyer1');
    ok(await order(token, 'before-the-loss'), 201);
    expect(await endBackends(['idle']), 'idle connections ended').to.be.greaterThan(0);
    await stillServing(token, 'after-the-loss');
  });

  it('survives losing every connection while orders are in flight: each answered, none acknowledged and lost', async () => {
    const token = await t.login('buyer2');
    const inFlight = Array.from({ length: 200 }, (_, i) => order(token, `in-flight-${i}`));
    // Several times while they run, so that some batch is mid-transaction at one of them.
    for (const wait of [5, 15, 30, 60]) {
      await new Promise((r) => setTimeout(r, wait));
      await endBackends(['idle', 'active', 'idle in transaction']);
    }
    const answers = await Promise.all(inFlight);
    // An order in a batch whose connection died is refused (its batch rolled back); every other one is placed.
    for (const a of answers) expect([201, 500, 503], JSON.stringify(a.body)).to.include(a.status);
    const placed = answers.filter((a) => a.status === 201).map((a) => a.body.order.id as string);
    await stillServing(token, 'after-the-second-loss');
    const stored = ok(await t.call('GET', '/api/orders?status=cancelled', { token })).map((o: { id: string }) => o.id);
    expect(stored, 'every acknowledged order is stored').to.include.members(placed);
  });
});
