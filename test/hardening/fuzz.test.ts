/** The short CI version of the OpenAPI-driven fuzzer (scripts/fuzz-core.ts; long runs: `npm run fuzz -- --requests N`). */
import { expect } from 'chai';
import { DEMO_USERS } from '../../server/seed/demo-market';
import { runFuzz } from '../../scripts/fuzz-core';
import { sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';

describe('fuzzing the API and the socket from the OpenAPI document', () => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(sqliteKind, { CLOCK: 'simulated', WS_UNAUTHENTICATED_PER_ADDRESS: '1000' });
  });
  after(async () => {
    await t?.stop();
  });

  it('2,000 requests and 500 socket messages: no 5xx, nothing changed by a refused request, the server still serves', async function () {
    this.timeout(90_000);
    const tokens: Record<string, string> = { '': '' };
    for (const u of DEMO_USERS) tokens[u.username] = await t.login(u.username);
    const r = await runFuzz({
      baseUrl: t.baseUrl,
      db: t.exchange.handle.db,
      tokens,
      requests: 2000,
      wsMessages: 500,
      seed: 1919,
      budgetMs: 55_000,
    });
    expect(r.serverErrors, r.serverErrors.slice(0, 5).join('\n')).to.deep.equal([]);
    expect(r.stateChangedOnRefusal, r.stateChangedOnRefusal.slice(0, 5).join('\n')).to.deep.equal([]);
    expect(r.requests).to.be.greaterThan(1000);
    expect(
      Object.keys(r.byStatus).some((s) => s.startsWith('2')),
      'some requests were accepted',
    ).to.equal(true);
    expect(r.wsMessages).to.be.greaterThan(200);
  });
});
