/**
 * PostgreSQL ends an exchange's idle connections (a restart, an administrator, a failed network): the
 * pools drop them and open new ones. Before, pg raised the lost connection as an uncaught error and
 * the process (or its matching thread) ended: mocha reports such an error as a failure of this suite.
 */
import { expect } from 'chai';
import { Client } from 'pg';
import { postgresKind } from '../support/databases';
import { startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';

describe('PostgreSQL ending the exchange’s idle connections', function () {
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

  it('leaves the exchange serving reads and durable orders on new connections', async () => {
    const token = await t.login('buyer1');
    ok(await order(token, 'before-the-loss'), 201);
    const admin = new Client({ connectionString: t.exchange.config.databaseUrl });
    await admin.connect();
    try {
      const ended = await admin.query<{ n: number }>(
        `select count(*)::int as n from (
           select pg_terminate_backend(pid) from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and state = 'idle') s`,
      );
      expect(ended.rows[0]!.n, 'idle connections ended').to.be.greaterThan(0);
    } finally {
      await admin.end();
    }
    // The pools hear of the loss asynchronously; what matters is that nothing crashed meanwhile.
    await new Promise((r) => setTimeout(r, 300));
    expect(ok(await t.call('GET', '/api/funds', { token })).length).to.be.greaterThan(0);
    const after = ok(await order(token, 'after-the-loss'), 201);
    expect(after.order.status).to.equal('cancelled');
  });
});
