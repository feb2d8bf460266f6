/** POST /api/admin/clock (api.md "Demo mode and the simulated clock") under the Idempotency-Key rule of "Conventions". */
import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';

describeEachDatabase('the simulated clock over HTTP', (kind) => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2025-03-03T01:00:00Z' });
  });
  after(async () => {
    await t?.stop();
  });

  const now = async (token: string) => (await t.call('GET', '/api/clock', { token })).body.now as string;
  const move = (token: string, body: unknown, key?: string) =>
    t.call('POST', '/api/admin/clock', { token, body, headers: key ? { 'idempotency-key': key } : {} });

  it('replays an advance sent again with the same Idempotency-Key without advancing again', async () => {
    const admin = await t.login('admin');
    const start = Date.parse(await now(admin));
    const first = await move(admin, { advance: 'PT1H' }, 'clock-advance-replay-1');
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body).to.deep.equal({ now: new Date(start + 3600_000).toISOString() });
    const again = await move(admin, { advance: 'PT1H' }, 'clock-advance-replay-1');
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal(first.body);
    expect(await now(admin), 'the replay moved nothing').to.equal(first.body.now);
    expectProblem(await move(admin, { advance: 'PT2H' }, 'clock-advance-replay-1'), 409, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('replays a set with the same Idempotency-Key after the clock moved on, instead of refusing it as backwards', async () => {
    const admin = await t.login('admin');
    const target = new Date(Date.parse(await now(admin)) + 86_400_000).toISOString();
    const first = await move(admin, { set: target }, 'clock-set-replay-1');
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect((await move(admin, { advance: 'PT1H' })).status).to.equal(200);
    const again = await move(admin, { set: target }, 'clock-set-replay-1');
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect(again.body).to.deep.equal(first.body);
    expectProblem(await move(admin, { set: target }, 'clock-set-replay-2'), 409, 'CLOCK_MOVES_FORWARD_ONLY');
  });

  it('refuses a move past the representable range with 400 VALIDATION_FAILED, not a 5xx, and leaves the clock where it was', async () => {
    const admin = await t.login('admin');
    const before = await now(admin);
    expectProblem(await move(admin, { advance: 'P99999999999D' }), 400, 'VALIDATION_FAILED');
    expectProblem(await move(admin, { advance: 'P9999999D' }), 400, 'VALIDATION_FAILED');
    expect(await now(admin)).to.equal(before);
  });
});
