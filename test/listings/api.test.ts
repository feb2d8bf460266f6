import { expect } from 'chai';
import crypto from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import { SealedBidVault, resolveSealedBidKey } from '../../server/listings/sealed-bid-vault';
import { Dec } from '../../shared/decimal';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { TestClient } from '../quotes/ws-client';
import { sellerAgrees, stateOwnedListingBody } from '../support/listing-body';

const FUND = 'bj-ic-2019';

describeEachDatabase('listings and bidding over HTTP', (kind) => {
  let t: TestExchange;
  let soe: string, op1: string, op2: string, b1: string, b2: string, lp: string;
  beforeEach(async () => {
    // The quote feed's poll is set to 10 minutes: an auction update within the test comes only from
    // the command that caused it telling the feed.
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z', QUOTES_POLL_MS: '600000' });
    [soe, op1, op2] = [await t.login('lp-soe'), await t.login('operator1'), await t.login('operator2')];
    [b1, b2, lp] = [await t.login('buyer1'), await t.login('buyer2'), await t.login('lp')];
  });
  afterEach(async () => {
    await t?.stop();
  });

  const act = (token: string, id: string, body: Record<string, unknown>) => t.call('POST', `/api/listings/${id}/actions`, { token, body });
  const setClock = async (at: string) => ok(await t.call('POST', '/api/admin/clock', { token: op1, body: { set: at } }));
  /** Four eyes on the award: operator1 awards (award_pending, nothing traded yet), operator2 confirms it. */
  const award = async (id: string) => {
    const proposed = ok(await act(op1, id, { action: 'award' }));
    expect(proposed.state).to.equal('award_pending');
    expect(await t.exchange.handle.db.selectFrom('trades').select('id').where('listingId', '=', id).execute()).to.deep.equal([]);
    expectProblem(await act(op1, id, { action: 'confirm_award' }), 409, 'FOUR_EYES');
    return ok(await act(op2, id, { action: 'confirm_award' }));
  };
  const created = async () => ok(await t.call('POST', '/api/listings', { token: soe, body: stateOwnedListingBody() }), 201);

  it('refuses an ask below the appraisal (PRICE_BELOW_APPRAISAL) and a state-owned listing without the overlay', async () => {
    expectProblem(
      await t.call('POST', '/api/listings', { token: soe, body: stateOwnedListingBody({ askPrice: '140000000.00' }) }),
      422,
      'PRICE_BELOW_APPRAISAL',
    );
    // The reference is printed on the transfer confirmation: a character its font lacks is refused now, not at registration.
    const odd = stateOwnedListingBody();
    const unprintable = await t.call('POST', '/api/listings', {
      token: soe,
      body: { ...odd, stateOwned: { ...odd.stateOwned, appraisalRef: 'APR-😀-031' } },
    });
    expectProblem(unprintable, 400, 'VALIDATION_FAILED');
    expect(unprintable.body.detail).to.contain('😀');
    const { stateOwned: _s, ...plain } = stateOwnedListingBody();
    expectProblem(await t.call('POST', '/api/listings', { token: soe, body: plain }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('POST', '/api/listings', { token: b1, body: stateOwnedListingBody() }), 403, 'FORBIDDEN');
    expect(ok(await t.call('GET', '/api/listings', { token: b1 }))).to.deep.equal([]);
  });

  it('needs two different operators to review and approve (FOUR_EYES)', async () => {
    const l = await created();
    expect(l).to.include({ state: 'draft', fundId: FUND, askPrice: '150000000.00' });
    ok(await act(soe, l.id, { action: 'submit' }));
    ok(await act(op1, l.id, { action: 'review' }));
    expectProblem(await act(op1, l.id, { action: 'approve' }), 409, 'FOUR_EYES');
    expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: op1 })).state).to.equal('reviewed');
  });

  it("shows a listing before disclosure only to the seller's organisation and the exchange", async () => {
    const l = await created();
    const seen = async (token: string) => (await t.call('GET', `/api/listings/${l.id}`, { token })).status;
    const listed = async (token: string) =>
      (ok(await t.call('GET', '/api/listings', { token })) as { id: string }[]).some((x) => x.id === l.id);
    const hidden = async () => {
      for (const token of [b1, lp]) {
        expectProblem(await t.call('GET', `/api/listings/${l.id}`, { token }), 404, 'NOT_FOUND');
        expect(await listed(token)).to.equal(false);
        // Commands answer as if it did not exist too: a refusal by rule (403, 409) would tell it does.
        expectProblem(await t.call('POST', `/api/listings/${l.id}/registrations`, { token }), 404, 'NOT_FOUND');
        expectProblem(await t.call('POST', `/api/listings/${l.id}/bids`, { token, body: { amount: '150000000.00' } }), 404, 'NOT_FOUND');
        expectProblem(await act(token, l.id, { action: 'withdraw' }), 404, 'NOT_FOUND');
      }
      for (const token of [soe, op1, await t.login('admin')]) {
        expect(await seen(token)).to.equal(200);
        expect(await listed(token)).to.equal(true);
      }
    };
    await hidden();
    // The auction:<listingId> channel asks the same question (ListingsService.get) before it subscribes anyone.
    const [outsider, seller] = [await TestClient.authed(t.baseUrl, b1), await TestClient.authed(t.baseUrl, soe)];
    try {
      expect(await outsider.subscribe(`auction:${l.id}`)).to.include({ type: 'error', code: 'NOT_FOUND' });
      expect(await seller.subscribe(`auction:${l.id}`)).to.include({ type: 'snapshot' });
    } finally {
      outsider.close();
      seller.close();
    }
    ok(await act(soe, l.id, { action: 'submit' }));
    await hidden();
    ok(await act(op1, l.id, { action: 'review' }));
    await hidden();
    ok(await act(op2, l.id, { action: 'approve' })); // a working day: disclosure starts at once
    expect(await seen(b1)).to.equal(200);
    expect(await listed(lp)).to.equal(true);
  });

  it('keeps a listing withdrawn before its disclosure started hidden; one withdrawn during disclosure stays public', async () => {
    // 2026-09-26 (a Saturday in the National Day holidays): an approval then waits for Monday 2026-09-28.
    await setClock('2026-09-26T01:00:00Z');
    const approvedOnHoliday = async () => {
      const l = await created();
      for (const [token, action] of [
        [soe, 'submit'],
        [op1, 'review'],
        [op2, 'approve'],
      ] as const)
        ok(await act(token, l.id, { action }));
      expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: soe }))).to.include({
        state: 'approved',
        disclosureStartDate: '2026-09-28',
      });
      return l.id;
    };
    const listed = async (token: string, id: string) =>
      (ok(await t.call('GET', '/api/listings', { token })) as { id: string }[]).some((x) => x.id === id);

    const never = await approvedOnHoliday();
    ok(await act(soe, never, { action: 'withdraw' }));
    for (const token of [b1, lp]) {
      expectProblem(await t.call('GET', `/api/listings/${never}`, { token }), 404, 'NOT_FOUND');
      expect(await listed(token, never)).to.equal(false);
    }
    for (const token of [soe, op1]) expect(ok(await t.call('GET', `/api/listings/${never}`, { token })).state).to.equal('withdrawn');

    const disclosed = await approvedOnHoliday(); // the withdrawal released the units
    await setClock('2026-09-28T01:00:00Z');
    expect(ok(await t.call('GET', `/api/listings/${disclosed}`, { token: b1 })).state).to.equal('disclosure');
    ok(await act(soe, disclosed, { action: 'withdraw' }));
    expect(ok(await t.call('GET', `/api/listings/${disclosed}`, { token: b1 })).state).to.equal('withdrawn');
    expect(await listed(lp, disclosed)).to.equal(true);
  });

  it("honours an operator's refusal of a buyer with its reason; the automatic checks only veto an operator's yes", async () => {
    const l = await created();
    for (const [token, action] of [
      [soe, 'submit'],
      [op1, 'review'],
      [op2, 'approve'],
    ] as const)
      ok(await act(token, l.id, { action }));
    for (const token of [b1, b2, lp]) ok(await t.call('POST', `/api/listings/${l.id}/registrations`, { token }), 201);
    const stored = async () =>
      JSON.parse((await t.exchange.handle.db.selectFrom('listings').select('data').where('id', '=', l.id).executeTakeFirstOrThrow()).data);
    const qualificationOf = async (orgId: string) => {
      const b = (await stored()).buyers.find((x: { orgId: string }) => x.orgId === orgId);
      return [b.qualification, b.qualificationCode];
    };

    // buyer1 passes every automatic check, but the operator finds the listing's conditions not met.
    expectProblem(await act(op1, l.id, { action: 'qualify', orgId: 'org-buyer1', eligible: false }), 400, 'VALIDATION_FAILED');
    ok(await act(op1, l.id, { action: 'qualify', orgId: 'org-buyer1', eligible: false, reasonCode: 'CONDITIONS_NOT_MET' }));
    expect(await qualificationOf('org-buyer1')).to.deep.equal(['refused', 'CONDITIONS_NOT_MET']);
    expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: b1 })).you).to.include({ qualification: 'refused', deposit: 'none' });
    expectProblem(await act(op2, l.id, { action: 'confirm_deposit', orgId: 'org-buyer1', bankRef: 'BANK-B1' }), 422, 'BUYER_NOT_QUALIFIED');

    // buyer2's qualified-investor record has lapsed: the operator's yes is vetoed with the automatic reason.
    await t.exchange.handle.db
      .updateTable('qualifications')
      .set({ expiresAt: '2026-09-01T00:00:00.000Z' })
      .where('orgId', '=', 'org-buyer2')
      .execute();
    ok(await act(op1, l.id, { action: 'qualify', orgId: 'org-buyer2', eligible: true }));
    expect(await qualificationOf('org-buyer2')).to.deep.equal(['refused', 'BUYER_NOT_QUALIFIED']);
    expectProblem(await act(op2, l.id, { action: 'confirm_deposit', orgId: 'org-buyer2', bankRef: 'BANK-B2' }), 422, 'BUYER_NOT_QUALIFIED');

    // An operator's yes that the automatic checks confirm qualifies the buyer.
    ok(await act(op1, l.id, { action: 'qualify', orgId: 'org-lp', eligible: true }));
    // State-owned: the exchange's opinion waits for the transferor's answer (the qualification handshake).
    expect(await qualificationOf('org-lp')).to.deep.equal(['pending', null]);
    await sellerAgrees(act, soe, l.id, 'org-lp');
    expect(await qualificationOf('org-lp')).to.deep.equal(['qualified', null]);
    ok(await act(op2, l.id, { action: 'confirm_deposit', orgId: 'org-lp', bankRef: 'BANK-LP' }));
    const deposits = await t.exchange.handle.db.selectFrom('cashLedger').select('amount').where('account', '=', 'deposits').execute();
    expect(deposits.map((d) => d.amount)).to.deep.equal(['30000000.00']);
  });

  it('refuses reveals from a caller and tick from a user: the server opens sealed bids and runs the timers', async () => {
    const l = ok(await t.call('POST', '/api/listings', { token: soe, body: stateOwnedListingBody({ method: 'sealed' }) }), 201);
    expectProblem(await act(soe, l.id, { action: 'tick' }), 400, 'VALIDATION_FAILED');
    expectProblem(await act(op1, l.id, { action: 'tick' }), 400, 'VALIDATION_FAILED');
    await toBidding(l.id);
    for (const [b, amount] of [
      [b1, '155000000.00'],
      [b2, '153000000.00'],
    ] as const)
      ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b, body: { amount } }), 201);
    await setClock('2026-10-16T04:00:00Z');
    // An operator sending no (or forged) reveals would void every sealed bid and forfeit its deposit.
    expectProblem(await act(op1, l.id, { action: 'award', reveals: [] }), 400, 'VALIDATION_FAILED');
    expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: op1 })).state).to.equal('bidding_closed');
    const awarded = await award(l.id);
    expect(awarded.result).to.include({ price: '155000000.00' });
  });

  it('runs a state-owned listing from approval through disclosure and an open auction to the award and its trade', async () => {
    const l = await created();
    ok(await act(soe, l.id, { action: 'submit' }));
    ok(await act(op1, l.id, { action: 'review' }));
    const approved = ok(await act(op2, l.id, { action: 'approve' }));
    expect(approved).to.include({ state: 'disclosure', disclosureStartDate: '2026-09-14', disclosureEndDate: '2026-10-15' });
    expect(approved.impliedPctOfNav).to.match(/^\d+\.\d{2}$/);

    for (const b of [b1, b2]) ok(await t.call('POST', `/api/listings/${l.id}/registrations`, { token: b }), 201);
    expectProblem(await t.call('POST', `/api/listings/${l.id}/registrations`, { token: b1 }), 409, 'ALREADY_REGISTERED');
    for (const orgId of ['org-buyer1', 'org-buyer2']) {
      ok(await act(op1, l.id, { action: 'qualify', orgId }));
      await sellerAgrees(act, soe, l.id, orgId);
      ok(await act(op2, l.id, { action: 'confirm_deposit', orgId, bankRef: `BANK-${orgId}` }));
    }
    expectProblem(
      await act(op2, l.id, { action: 'confirm_deposit', orgId: 'org-buyer1', bankRef: 'AGAIN' }),
      409,
      'DEPOSIT_ALREADY_CONFIRMED',
    );
    const ledger = t.exchange.handle.db;
    const deposits = await ledger.selectFrom('cashLedger').select('amount').where('account', '=', 'deposits').execute();
    expect(deposits.map((d) => d.amount)).to.deep.equal(['30000000.00', '30000000.00']);

    // Registration closes at 00:00 Beijing after 2026-10-15; bidding opens 10:00 Beijing on 2026-10-16.
    await setClock('2026-10-15T20:00:00Z');
    const closed = ok(await t.call('GET', `/api/listings/${l.id}`, { token: b1 }));
    expect(closed).to.include({ state: 'closed', branch: 'auction' });
    // The scheduler task persisted the disclosure close as the clock passed it (not only the view).
    expect(
      (await t.exchange.handle.db.selectFrom('listings').select('state').where('id', '=', l.id).executeTakeFirstOrThrow()).state,
    ).to.equal('closed');
    await setClock('2026-10-16T02:10:00Z');
    expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: b1 })).state).to.equal('bidding');

    expectProblem(
      await t.call('POST', `/api/listings/${l.id}/bids`, { token: lp, body: { amount: '150000000.00' } }),
      422,
      'BUYER_NOT_QUALIFIED',
    );
    const first = ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b1, body: { amount: '150000000.00' } }), 201);
    expect(first.bid).to.have.all.keys('id', 'amount', 'alias', 'at');
    expectProblem(
      await t.call('POST', `/api/listings/${l.id}/bids`, { token: b2, body: { amount: '150500000.00' } }),
      422,
      'BID_NOT_ON_INCREMENT',
    );
    ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b2, body: { amount: '151000000.00' } }), 201);

    const seen = ok(await t.call('GET', `/api/listings/${l.id}`, { token: b1 }));
    expect(seen).to.include({ currentPrice: '151000000.00', registeredBidders: 2 });
    expect(JSON.stringify(seen)).not.to.contain('org-buyer2');
    expect(JSON.stringify(ok(await t.call('GET', '/api/listings', { token: b2 })))).not.to.contain('org-buyer1');

    await setClock('2026-10-16T04:00:00Z');
    expectProblem(
      await t.call('POST', `/api/listings/${l.id}/bids`, { token: b1, body: { amount: '152000000.00' } }),
      409,
      'AUCTION_CLOSED',
    );
    expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: op1 })).state).to.equal('bidding_closed');
    const awarded = await award(l.id);
    expect(awarded.state).to.equal('awarded');
    expect(awarded.result).to.include({ price: '151000000.00' });

    const trade = await ledger.selectFrom('trades').selectAll().where('listingId', '=', l.id).executeTakeFirstOrThrow();
    expect(trade).to.include({
      venue: 'listing',
      fundId: FUND,
      consideration: '151000000.00',
      quantity: '100000000',
      buyerOrgId: 'org-buyer2',
      sellerOrgId: 'org-lp-soe',
    });
    expect(trade.pricePct).to.equal(awarded.impliedPctOfNav);
    expect(trade.transferId).to.be.a('string');
    const seller = await ledger
      .selectFrom('positions')
      .select('reserved')
      .where('fundId', '=', FUND)
      .where('orgId', '=', 'org-lp-soe')
      .executeTakeFirstOrThrow();
    expect(seller.reserved).to.equal('100000000.00'); // reserved for the transfer, which releases it on completion
    // The loser's deposit is refunded from the deposits account; the winner's stays held for the
    // transfer, which counts it first towards the exact award amount.
    const balance = async (account: string) =>
      (await ledger.selectFrom('cashLedger').select('amount').where('account', '=', account).execute())
        .reduce((s, r) => s.plus(r.amount), new Dec('0'))
        .toFixed(2);
    expect(await balance('deposits')).to.equal('30000000.00');
    expect(await balance('bank:org-buyer1')).to.equal('0.00');
    expect(await balance('bank:org-buyer2')).to.equal('-30000000.00');
    const transfer = JSON.parse(
      (await ledger.selectFrom('transfers').select('data').where('id', '=', trade.transferId!).executeTakeFirstOrThrow()).data,
    );
    expect(transfer).to.include({ consideration: '151000000.00', depositHeld: '30000000.00' });
    const audit = await ledger.selectFrom('auditLog').select('action').where('entityType', '=', 'listing').execute();
    expect(audit.map((a) => a.action)).to.include.members(['listing.create', 'listing.approve', 'listing.award']);
  });

  it('shows an auction subscriber each bid and the close at once, not at the next poll', async () => {
    const l = ok(await t.call('POST', '/api/listings', { token: soe, body: stateOwnedListingBody() }), 201);
    await toBidding(l.id);
    const watcher = await TestClient.authed(t.baseUrl, lp);
    try {
      const snap = await watcher.subscribe(`auction:${l.id}`);
      expect(snap).to.include({ type: 'snapshot' });
      ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b1, body: { amount: '150000000.00' } }), 201);
      const first = await watcher.next((m) => m.type === 'update' && m.data.currentPrice === '150000000.00', 3000);
      expect(first.seq).to.equal(snap.seq! + 1);
      ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b2, body: { amount: '151000000.00' } }), 201);
      const second = await watcher.next((m) => m.type === 'update' && m.data.currentPrice === '151000000.00', 3000);
      expect(JSON.stringify(second.data)).to.not.contain('org-buyer2');
      // The close is a timer (the clock moves past it), not a command: the scheduler's pass tells the feed too.
      await setClock('2026-10-16T04:00:00Z');
      await watcher.next((m) => m.type === 'update' && m.data.state === 'bidding_closed', 3000);
    } finally {
      watcher.close();
    }
  });

  it('keeps a sealed amount out of every answer until the award opens it', async () => {
    const l = ok(await t.call('POST', '/api/listings', { token: soe, body: stateOwnedListingBody({ method: 'sealed' }) }), 201);
    await toBidding(l.id);
    const bid = ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b1, body: { amount: '155000000.00' } }), 201);
    expect(bid.bid).to.have.all.keys('id', 'alias', 'at', 'commitment');
    ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b2, body: { amount: '153000000.00' } }), 201);
    const seen = JSON.stringify(ok(await t.call('GET', `/api/listings/${l.id}`, { token: b2 })));
    expect(seen).not.to.contain('155000000').and.not.to.contain('org-buyer1');
    await setClock('2026-10-16T04:00:00Z');
    const awarded = await award(l.id);
    expect(awarded).to.deep.include({ state: 'awarded' });
    expect(awarded.result).to.include({ price: '155000000.00' });
  });

  it('refuses a sealed bid below the ask or off the increment at once (422), storing nothing, as an open auction does', async () => {
    const l = ok(await t.call('POST', '/api/listings', { token: soe, body: stateOwnedListingBody({ method: 'sealed' }) }), 201);
    await toBidding(l.id);
    const bid = (token: string, amount: string) => t.call('POST', `/api/listings/${l.id}/bids`, { token, body: { amount } });
    expectProblem(await bid(b1, '149000000.00'), 422, 'BID_TOO_LOW');
    expectProblem(await bid(b2, '150500000.00'), 422, 'BID_NOT_ON_INCREMENT');
    const db = t.exchange.handle.db;
    expect(await db.selectFrom('sealedBidBoxes').selectAll().where('listingId', '=', l.id).execute()).to.deep.equal([]);
    expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: op1 }))).to.include({ sealedBidsReceived: 0 });
    // A refused bid uses up nothing: each bidder still places its one sealed bid, and the award opens them.
    ok(await bid(b1, '150000000.00'), 201);
    ok(await bid(b2, '152000000.00'), 201);
    await setClock('2026-10-16T04:00:00Z');
    const awarded = await award(l.id);
    expect(awarded.result).to.include({ price: '152000000.00' });
    // Both bids were valid: the loser's deposit is refunded, never forfeited as an invalid sealed bid.
    const balance = async (account: string) =>
      (await db.selectFrom('cashLedger').select('amount').where('account', '=', account).execute())
        .reduce((s, r) => s.plus(r.amount), new Dec('0'))
        .toFixed(2);
    expect(await balance('bank:org-buyer1')).to.equal('0.00');
  });

  it('stores no sealed amount, salt or plain hash of it anywhere in the database before the award', async () => {
    const l = ok(await t.call('POST', '/api/listings', { token: soe, body: stateOwnedListingBody({ method: 'sealed' }) }), 201);
    await toBidding(l.id);
    const amount = '157000000.00';
    const sent = await t.call('POST', `/api/listings/${l.id}/bids`, {
      token: b1,
      body: { amount },
      headers: { 'idempotency-key': 'sealed-bid-1' },
    });
    ok(sent, 201);
    // The same key and amount replay; the same key with another amount is refused — without the amount being stored.
    expect(
      ok(
        await t.call('POST', `/api/listings/${l.id}/bids`, { token: b1, body: { amount }, headers: { 'idempotency-key': 'sealed-bid-1' } }),
        201,
      ),
    ).to.deep.equal(sent.body);
    expectProblem(
      await t.call('POST', `/api/listings/${l.id}/bids`, {
        token: b1,
        body: { amount: '158000000.00' },
        headers: { 'idempotency-key': 'sealed-bid-1' },
      }),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
    const db = t.exchange.handle.db;
    const everything = JSON.stringify([
      await db.selectFrom('sealedBidBoxes').selectAll().execute(),
      await db.selectFrom('sealedBids').selectAll().execute(),
      await db.selectFrom('idempotencyKeys').selectAll().execute(),
      await db.selectFrom('listings').selectAll().execute(),
      await db.selectFrom('auditLog').selectAll().execute(),
    ]);
    expect(everything).to.not.contain('157000000');
    expect(everything).to.not.contain(
      crypto
        .createHash('sha256')
        .update(canonicalJson({ m: 'POST', p: `/api/listings/${l.id}/bids`, body: { amount } }))
        .digest('hex'),
    );
    await setClock('2026-10-16T04:00:00Z');
    expect((await award(l.id)).result).to.include({ price: amount });
  });

  it('seals bids an older exchange kept in plain text when it starts, and still awards them', async () => {
    const l = ok(await t.call('POST', '/api/listings', { token: soe, body: stateOwnedListingBody({ method: 'sealed' }) }), 201);
    await toBidding(l.id);
    const placed = ok(
      await t.call('POST', `/api/listings/${l.id}/bids`, {
        token: b1,
        body: { amount: '156000000.00' },
        headers: { 'idempotency-key': 'legacy-bid-1' },
      }),
      201,
    );
    ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b2, body: { amount: '154000000.00' } }), 201);
    // Put the bids back the way an exchange before the vault stored them, with a plain request hash under the key.
    const db = t.exchange.handle.db;
    const plainHash = crypto
      .createHash('sha256')
      .update(canonicalJson({ m: 'POST', p: `/api/listings/${l.id}/bids`, body: { amount: '156000000.00' } }))
      .digest('hex');
    await db.updateTable('idempotencyKeys').set({ requestHash: plainHash }).where('key', '=', 'legacy-bid-1').execute();
    const vault = new SealedBidVault(resolveSealedBidKey(undefined, t.exchange.config.dataDir));
    for (const b of await db.selectFrom('sealedBidBoxes').selectAll().execute()) {
      const { amount, salt } = vault.open(b.listingId, b.bidId, b.box);
      await db
        .insertInto('sealedBids')
        .values({ bidId: b.bidId, listingId: b.listingId, orgId: b.orgId, amount, salt, commitment: b.commitment, createdAt: b.createdAt })
        .execute();
    }
    await db.deleteFrom('sealedBidBoxes').execute();
    await t.restart();
    const after = t.exchange.handle.db;
    expect(await after.selectFrom('sealedBids').selectAll().execute()).to.deep.equal([]);
    expect(await after.selectFrom('sealedBidBoxes').selectAll().execute()).to.have.length(2);
    expect((await after.selectFrom('auditLog').select('action').where('entityId', '=', l.id).execute()).map((a) => a.action)).to.include(
      'listing.sealed_bids_sealed',
    );
    expect(JSON.stringify(await after.selectFrom('idempotencyKeys').selectAll().execute())).to.not.contain(plainHash);
    // The bid's retry with its key still replays its first answer.
    expect(
      ok(
        await t.call('POST', `/api/listings/${l.id}/bids`, {
          token: b1,
          body: { amount: '156000000.00' },
          headers: { 'idempotency-key': 'legacy-bid-1' },
        }),
        201,
      ),
    ).to.deep.equal(placed);
    await setClock('2026-10-16T04:00:00Z');
    expect((await award(l.id)).result).to.include({ price: '156000000.00' });
  });

  it(
    're-seals every box under a new key when started with ' + 'SEALED_BID_KEY_PREVIOUS: retries still replay, the award opens them',
    async () => {
      const l = ok(await t.call('POST', '/api/listings', { token: soe, body: stateOwnedListingBody({ method: 'sealed' }) }), 201);
      await toBidding(l.id);
      const placed = ok(
        await t.call('POST', `/api/listings/${l.id}/bids`, {
          token: b1,
          body: { amount: '156000000.00' },
          headers: { 'idempotency-key': 'rotate-bid-1' },
        }),
        201,
      );
      ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b2, body: { amount: '154000000.00' } }), 201);
      const oldKey = resolveSealedBidKey(undefined, t.exchange.config.dataDir);
      const newKey = crypto.randomBytes(32).toString('base64url');
      const boxesOf = async () =>
        t.exchange.handle.db.selectFrom('sealedBidBoxes').selectAll().where('listingId', '=', l.id).orderBy('bidId').execute();
      const before = await boxesOf();
      await t.restart({ SEALED_BID_KEY: newKey, SEALED_BID_KEY_PREVIOUS: oldKey });
      const after = await boxesOf();
      expect(after.map((b) => b.bidId)).to.deep.equal(before.map((b) => b.bidId));
      for (const b of after) {
        expect(b.box).to.not.equal(before.find((x) => x.bidId === b.bidId)!.box);
        expect(() => new SealedBidVault(oldKey).open(b.listingId, b.bidId, b.box), 'the old key no longer opens it').to.throw();
        expect(new SealedBidVault(newKey).open(b.listingId, b.bidId, b.box).amount).to.match(/^15[46]000000\.00$/);
      }
      expect(
        (await t.exchange.handle.db.selectFrom('auditLog').select('action').where('entityId', '=', l.id).execute()).map((a) => a.action),
      ).to.include('listing.sealed_bids_resealed');
      expect(
        ok(
          await t.call('POST', `/api/listings/${l.id}/bids`, {
            token: b1,
            body: { amount: '156000000.00' },
            headers: { 'idempotency-key': 'rotate-bid-1' },
          }),
          201,
        ),
        'a retry replays',
      ).to.deep.equal(placed);
      await t.restart({ SEALED_BID_KEY: newKey }); // the previous key dropped
      await setClock('2026-10-16T04:00:00Z');
      expect((await award(l.id)).result).to.include({ price: '156000000.00' });
      await t.restart({ SEALED_BID_KEY: oldKey, SEALED_BID_KEY_PREVIOUS: newKey }); // back to the demo key for the tests after this one
      for (const b of await boxesOf())
        expect(new SealedBidVault(oldKey).open(b.listingId, b.bidId, b.box).amount).to.match(/^15[46]000000\.00$/);
    },
  );

  it(
    'replays an open-auction bid retried with its Idempotency-Key after a ' + 'sealed-bid key rotation, however its amount was spelled',
    async () => {
      const l = await created();
      await toBidding(l.id);
      const bid = (token: string, amount: string, key: string) =>
        t.call('POST', `/api/listings/${l.id}/bids`, { token, body: { amount }, headers: { 'idempotency-key': key } });
      // The open bid's request fingerprint is a MAC under the sealed-bid key, like a sealed bid's.
      const first = ok(await bid(b1, '150000000.00', 'open-rotate-1'), 201);
      const second = ok(await bid(b2, '151000000', 'open-rotate-2'), 201);
      const oldKey = resolveSealedBidKey(undefined, t.exchange.config.dataDir);
      await t.restart({ SEALED_BID_KEY: crypto.randomBytes(32).toString('base64url'), SEALED_BID_KEY_PREVIOUS: oldKey });
      expect(ok(await bid(b1, '150000000.00', 'open-rotate-1'), 201), 'a retry replays').to.deep.equal(first);
      expect(ok(await bid(b2, '151000000', 'open-rotate-2'), 201), 'also when sent without decimals').to.deep.equal(second);
      expectProblem(await bid(b1, '152000000.00', 'open-rotate-1'), 409, 'IDEMPOTENCY_KEY_REUSED');
      expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: b1 })).bids).to.have.length(2);
    },
  );

  const toBidding = async (id: string) => {
    ok(await act(soe, id, { action: 'submit' }));
    ok(await act(op1, id, { action: 'review' }));
    ok(await act(op2, id, { action: 'approve' }));
    for (const [b, orgId] of [
      [b1, 'org-buyer1'],
      [b2, 'org-buyer2'],
    ] as const) {
      ok(await t.call('POST', `/api/listings/${id}/registrations`, { token: b }), 201);
      ok(await act(op1, id, { action: 'qualify', orgId }));
      await sellerAgrees(act, soe, id, orgId);
      ok(await act(op2, id, { action: 'confirm_deposit', orgId, bankRef: `BANK-${orgId}` }));
    }
    await setClock('2026-10-16T02:10:00Z');
  };

  it(
    'closes an auction that was in timed bidding across a restart by the ' + 'rule (last bid + countdown), not by the restart time',
    async () => {
      const l = await created();
      await toBidding(l.id);
      // Free bidding runs 10:00–11:00 Beijing (02:00–03:00Z); bids in timed bidding restart a 5-minute countdown.
      await setClock('2026-10-16T03:01:00Z');
      ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b1, body: { amount: '150000000.00' } }), 201);
      await setClock('2026-10-16T03:03:00Z');
      const last = ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b2, body: { amount: '151000000.00' } }), 201);
      const open = ok(await t.call('GET', `/api/listings/${l.id}`, { token: op1 }));
      expect(open.state).to.equal('bidding');
      expect(open.closesAt).to.equal('2026-10-16T03:08:00.000Z');
      // Down for an hour: the close passed while no process was running (the simulated clock resumes
      // from its stored position, which stands in for the time that passed).
      await t.exchange.handle.db
        .updateTable('settings')
        .set({ value: '2026-10-16T04:00:00.000Z' })
        .where('key', '=', 'clock.simulatedNow')
        .execute();
      await t.restart();
      const stored = async () =>
        JSON.parse(
          (await t.exchange.handle.db.selectFrom('listings').select('data').where('id', '=', l.id).executeTakeFirstOrThrow()).data,
        );
      for (let i = 0; i < 50 && (await stored()).state !== 'bidding_closed'; i++) await new Promise((r) => setTimeout(r, 100));
      const closed = await stored();
      expect(closed.state, 'closed on recovery, in the database, without anyone asking').to.equal('bidding_closed');
      expect(new Date(closed.bidding.closedAt).toISOString(), 'at the last bid + 5 minutes, not at the restart').to.equal(
        '2026-10-16T03:08:00.000Z',
      );
      const after = ok(await t.call('GET', `/api/listings/${l.id}`, { token: op1 }));
      expect(after.state).to.equal('bidding_closed');
      expect(after.currentPrice).to.equal('151000000.00');
      const awarded = await award(l.id);
      expect(awarded.result).to.include({ price: '151000000.00' });
      expect(last.bid.alias).to.be.a('string');
    },
  );

  it('refuses a bid from a buyer that never registered', async () => {
    const l = await created();
    await toBidding(l.id);
    expectProblem(
      await t.call('POST', `/api/listings/${l.id}/bids`, { token: lp, body: { amount: '150000000.00' } }),
      422,
      'BUYER_NOT_QUALIFIED',
    );
    expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: b1 })).bids).to.deep.equal([]);
  });

  const balance = async (account: string) =>
    (await t.exchange.handle.db.selectFrom('cashLedger').select('amount').where('account', '=', account).execute())
      .reduce((s, r) => s.plus(r.amount), new Dec('0'))
      .toFixed(2);
  const sellerPosition = async (orgId: string, fundId: string) =>
    t.exchange.handle.db
      .selectFrom('positions')
      .select(['onOffer', 'reserved'])
      .where('fundId', '=', fundId)
      .where('orgId', '=', orgId)
      .executeTakeFirstOrThrow();

  it("leaves the winner's deposit to the transfer: no record_default while it runs; its failure reopens the listing once", async () => {
    const l = await created();
    await toBidding(l.id);
    ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b1, body: { amount: '150000000.00' } }), 201);
    await setClock('2026-10-16T04:00:00Z');
    await award(l.id);
    expect(await sellerPosition('org-lp-soe', FUND)).to.include({ onOffer: '0.00', reserved: '100000000.00' });
    expect(await balance('deposits')).to.equal('30000000.00');
    expectProblem(await act(op1, l.id, { action: 'record_default', reason: 'not_signed' }), 409, 'INVALID_STATE');
    expect(await balance('deposits')).to.equal('30000000.00');

    // Months later every transfer deadline has passed: the transfer fails and reopens the listing.
    await setClock('2027-03-01T02:00:00Z');
    const trade = await t.exchange.handle.db
      .selectFrom('trades')
      .select('transferId')
      .where('listingId', '=', l.id)
      .executeTakeFirstOrThrow();
    const transfer = await t.exchange.handle.db
      .selectFrom('transfers')
      .select('state')
      .where('id', '=', trade.transferId!)
      .executeTakeFirstOrThrow();
    expect(transfer.state).to.equal('failed');
    const reopened = ok(await t.call('GET', `/api/listings/${l.id}`, { token: soe }));
    expect(reopened).to.include({ state: 'closed', branch: 'no_buyer', result: null });
    expect(await balance('deposits')).to.equal('0.00'); // refunded once by the transfer, never forfeited again by the listing
    expect(await sellerPosition('org-lp-soe', FUND)).to.include({ onOffer: '100000000.00', reserved: '0.00' });
    const audit = await t.exchange.handle.db.selectFrom('auditLog').select('action').where('entityId', '=', l.id).execute();
    expect(audit.map((a) => a.action)).to.include('listing.reopened');
    expectProblem(await act(op1, l.id, { action: 'record_default', reason: 'not_signed' }), 409, 'INVALID_STATE');
    ok(await act(soe, l.id, { action: 'end' }));
    expect(await sellerPosition('org-lp-soe', FUND)).to.include({ onOffer: '0.00', reserved: '0.00' });
  });

  it('holds the listed units from submission: the book cannot sell them until the listing is withdrawn', async () => {
    const FOF = 'bj-sci-fof-2022';
    const body = {
      fundId: FOF,
      quantity: '50000000',
      method: 'auction',
      askPrice: '40000000.00',
      increment: '100000.00',
      depositAmount: '4000000.00',
      buyerConditions: ['A qualified investor'],
    };
    const sell = { fundId: FOF, side: 'sell', pricePct: '95.00', quantity: '1000000', timeInForce: 'GTC' };
    const l = ok(await t.call('POST', '/api/listings', { token: lp, body }), 201);
    ok(await t.call('POST', '/api/orders', { token: lp, body: sell }), 201); // a draft holds nothing
    const open = (
      await t.exchange.handle.db
        .selectFrom('orders')
        .select('id')
        .where('fundId', '=', FOF)
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow()
    ).id;
    expectProblem(await act(lp, l.id, { action: 'submit' }), 422, 'INSUFFICIENT_POSITION');
    ok(await t.call('DELETE', `/api/orders/${open}`, { token: lp }));
    ok(await act(lp, l.id, { action: 'submit' }));
    expect(await sellerPosition('org-lp', FOF)).to.include({ onOffer: '50000000.00' });
    expectProblem(await t.call('POST', '/api/orders', { token: lp, body: sell }), 422, 'INSUFFICIENT_POSITION');
    expectProblem(
      await t.call('POST', '/api/listings', { token: lp, body: { ...body, quantity: '1000000' } }),
      422,
      'INSUFFICIENT_POSITION',
    );
    ok(await act(lp, l.id, { action: 'withdraw' }));
    expect(await sellerPosition('org-lp', FOF)).to.include({ onOffer: '0.00' });
    ok(await t.call('POST', '/api/orders', { token: lp, body: sell }), 201);
  });
});
