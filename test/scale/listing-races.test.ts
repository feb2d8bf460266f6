/**
 * Two exchanges on one PostgreSQL database (docs scale.md), each with its own connection pool and
 * scheduler: different buyers registering for, and bidding on, one listing at the same moment through
 * the two are each decided on the listing as the other left it (both accepted, or refused by a rule
 * such as BID_TOO_LOW), never refused with a 409 CONFLICT "the listing changed meanwhile" that only
 * says they arrived together. Timers both schedulers see (disclosure end, bidding open and close)
 * act once, and one award makes one trade.
 */
import { expect } from 'chai';
import pino from 'pino';
import { postgresKind } from '../support/databases';
import { startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { createExchange, type Exchange } from '../../server/app';
import { loadConfig } from '../../server/config';
import { expectConservation } from '../transfers/http-helpers';
import { stateOwnedListingBody } from '../support/listing-body';

const CLOCK_START = '2026-09-14T01:00:00Z';
const listingBody = stateOwnedListingBody();

describe('one listing raced through two exchanges on one PostgreSQL database', function () {
  this.timeout(120_000);
  let t: TestExchange;
  let other: Exchange | null = null;
  let urls: [string, string];
  before(async function () {
    if (await postgresKind.unavailable()) this.skip();
    t = await startTestExchange(postgresKind, { CLOCK: 'simulated', CLOCK_START, QUOTES_POLL_MS: '600000' });
    const c = t.exchange.config;
    other = await createExchange(
      loadConfig({
        PORT: '0',
        DATABASE_URL: c.databaseUrl,
        DATA_DIR: c.dataDir,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        CLOCK: 'simulated',
        CLOCK_START,
        QUOTES_POLL_MS: '600000',
      }),
      pino({ level: 'silent' }),
    );
    urls = [t.baseUrl, `http://127.0.0.1:${await other.listen()}`];
  });
  after(async () => {
    await other?.close();
    await t?.stop();
  });

  const post = async (base: string, user: string, p: string, body?: unknown) => {
    const r = await fetch(base + p, {
      method: 'POST',
      headers: { authorization: `Bearer ${await t.login(user)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    return { status: r.status, body: (await r.json()) as any };
  };
  /** Each exchange's simulated clock is its own: both are moved, at once. */
  const setClocks = async (at: string) => {
    for (const r of await Promise.all(urls.map((u) => post(u, 'operator1', '/api/admin/clock', { set: at })))) ok(r);
    await new Promise((res) => setTimeout(res, 300));
  };
  const audits = async (action: string, entityId: string) =>
    (
      await t.exchange.handle.db
        .selectFrom('auditLog')
        .select('seq')
        .where('action', '=', action)
        .where('entityId', '=', entityId)
        .execute()
    ).length;

  it("accepts two buyers' registrations and bids sent at once through both, and runs each timer and the award once", async () => {
    const [a, b] = urls;
    const l = ok(await post(a, 'lp-soe', '/api/listings', listingBody), 201);
    const actions = `/api/listings/${l.id}/actions`;
    ok(await post(a, 'lp-soe', actions, { action: 'submit' }));
    ok(await post(a, 'operator1', actions, { action: 'review' }));
    ok(await post(b, 'operator2', actions, { action: 'approve' }));

    const regs = await Promise.all([
      post(a, 'buyer1', `/api/listings/${l.id}/registrations`),
      post(b, 'buyer2', `/api/listings/${l.id}/registrations`),
    ]);
    expect(
      regs.map((r) => r.status),
      JSON.stringify(regs.map((r) => r.body)),
    ).to.deep.equal([201, 201]);
    for (const orgId of ['org-buyer1', 'org-buyer2']) {
      ok(await post(a, 'operator1', actions, { action: 'qualify', orgId }));
      ok(await post(b, 'lp-soe', actions, { action: 'seller_answer', orgId, answer: 'agree' }));
      ok(await post(b, 'operator2', actions, { action: 'confirm_deposit', orgId, bankRef: `BANK-${orgId}` }));
    }
    // Disclosure ends at 00:00 Beijing after 2026-10-15; free bidding runs 10:00–11:00 Beijing on 2026-10-16.
    await setClocks('2026-10-15T20:00:00Z');
    await setClocks('2026-10-16T02:10:00Z');
    expect(await audits('listing.tick', l.id), 'disclosure end and bidding open, once each').to.equal(2);

    // Rounds of two bids at once, one through each exchange, each above the price before the round.
    let price = 149_000_000;
    let accepted = 0;
    let highest = 0;
    for (let round = 0; round < 6; round++) {
      const amounts = [price + 1_000_000, price + 2_000_000].map((n) => `${n}.00`);
      const bids = await Promise.all([
        post(a, 'buyer1', `/api/listings/${l.id}/bids`, { amount: amounts[0] }),
        post(b, 'buyer2', `/api/listings/${l.id}/bids`, { amount: amounts[1] }),
      ]);
      const outcomes = bids.map((r) => (r.status === 201 ? 201 : `${r.status} ${String(r.body.code)}`));
      // Each is decided on the listing as the other left it: accepted, or refused by a bidding rule (the
      // other's bid came first), never a 409 CONFLICT for having arrived together. The first decided is accepted.
      for (const o of outcomes)
        expect(o, JSON.stringify(bids.map((r) => r.body))).to.be.oneOf([201, '422 BID_TOO_LOW', '422 ALREADY_HIGHEST_BIDDER']);
      expect(outcomes, 'at least one bid of the round accepted').to.include(201);
      accepted += bids.filter((r) => r.status === 201).length;
      highest = Math.max(highest, ...bids.map((r, i) => (r.status === 201 ? Number(amounts[i]) : 0)));
      price += 2_000_000;
    }
    expect(await audits('listing.bid', l.id)).to.equal(accepted);

    await setClocks('2026-10-16T04:00:00Z');
    expect(await audits('listing.tick', l.id), 'and the bidding close once').to.equal(3);
    const awards = await Promise.all([
      post(a, 'operator1', actions, { action: 'award' }),
      post(b, 'operator1', actions, { action: 'award' }),
    ]);
    expect(awards.map((r) => r.status).sort(), JSON.stringify(awards.map((r) => r.body))).to.deep.equal([200, 409]);
    expect(awards.find((r) => r.status === 200)!.body.pendingAward).to.include({ price: `${highest}.00` });
    expect(await audits('listing.award', l.id)).to.equal(1);
    // Four eyes: a second operator confirms, twice at once on two processes: one confirmation, one trade.
    const confirms = await Promise.all([
      post(a, 'operator2', actions, { action: 'confirm_award' }),
      post(b, 'operator2', actions, { action: 'confirm_award' }),
    ]);
    expect(confirms.map((r) => r.status).sort(), JSON.stringify(confirms.map((r) => r.body))).to.deep.equal([200, 409]);
    expect(confirms.find((r) => r.status === 200)!.body.result).to.include({ price: `${highest}.00` });
    expect(await audits('listing.confirm_award', l.id)).to.equal(1);
    expect(await t.exchange.handle.db.selectFrom('trades').select('id').where('listingId', '=', l.id).execute()).to.have.length(1);
    await expectConservation(t.exchange.handle.db);
  });
});
