/**
 * The state-owned qualification handshake over HTTP, on each database: seller_answer, resolve_objection and
 * confirm_resolution as listing actions, SELLER_ANSWER_PENDING for an early deposit (nothing booked), the
 * scheduler deeming silence at 00:00 Beijing after the answer date and deciding the branch at the deposit
 * deadline, and who sees which part of it. lp-soe's listing is approved 2026-09-14: disclosure ends 2026-10-15,
 * answers are due 2026-10-22, deposits close 2026-11-03.
 */
import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { stateOwnedListingBody } from '../support/listing-body';

describeEachDatabase('the qualification handshake over HTTP', (kind) => {
  let t: TestExchange;
  let soe: string, op1: string, op2: string, b1: string, b2: string;
  beforeEach(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z', QUOTES_POLL_MS: '600000' });
    [soe, op1, op2, b1, b2] = [
      await t.login('lp-soe'),
      await t.login('operator1'),
      await t.login('operator2'),
      await t.login('buyer1'),
      await t.login('buyer2'),
    ];
  });
  afterEach(async () => {
    await t?.stop();
  });

  const act = (token: string, id: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    t.call('POST', `/api/listings/${id}/actions`, { token, body, ...(headers ? { headers } : {}) });
  const get = async (token: string, id: string) => ok(await t.call('GET', `/api/listings/${id}`, { token }));
  const rows = async (token: string, id: string) => ok(await t.call('GET', `/api/listings/${id}/registrations`, { token }));
  const setClock = async (at: string) => ok(await t.call('POST', '/api/admin/clock', { token: op1, body: { set: at } }));
  const depositsBooked = async () =>
    (await t.exchange.handle.db.selectFrom('cashLedger').select('amount').where('account', '=', 'deposits').execute()).map((d) => d.amount);

  /** Approved, both buyers registered and given the exchange's positive opinion by operator1. */
  async function withOpinions(): Promise<string> {
    const l = ok(await t.call('POST', '/api/listings', { token: soe, body: stateOwnedListingBody() }), 201);
    ok(await act(soe, l.id, { action: 'submit' }));
    ok(await act(op1, l.id, { action: 'review' }));
    ok(await act(op2, l.id, { action: 'approve' }));
    for (const b of [b1, b2]) ok(await t.call('POST', `/api/listings/${l.id}/registrations`, { token: b }), 201);
    for (const orgId of ['org-buyer1', 'org-buyer2']) ok(await act(op1, l.id, { action: 'qualify', orgId }));
    return l.id;
  }

  it('refuses a deposit before the answer (SELLER_ANSWER_PENDING); silence agrees; branch at the deposit deadline', async () => {
    const id = await withOpinions();
    const before = await get(op1, id);
    const early = await act(
      op2,
      id,
      { action: 'confirm_deposit', orgId: 'org-buyer1', bankRef: 'BANK-B1' },
      { 'Accept-Language': 'zh-CN' },
    );
    expectProblem(early, 409, 'SELLER_ANSWER_PENDING');
    expect(early.body.params).to.deep.include({ reason: 'answer_pending', answerDueDate: '2026-10-22' });
    expect(early.body.detail).to.contain('逾期视为同意');
    expect(await depositsBooked()).to.deep.equal([]);
    expect((await get(op1, id)).handshakes).to.deep.equal(before.handshakes);

    // Disclosure ends: the qualification phase, with its deadlines public and the handshake for the seller and operators only.
    await setClock('2026-10-16T02:00:00Z');
    const phase = await get(b1, id);
    expect(phase).to.include({ state: 'qualification', handshakes: null });
    expect(phase.qualificationPhase).to.deep.equal({
      opinionDeadline: '2026-10-22',
      depositDeadline: '2026-11-03',
      depositDeadlineHeld: false,
      provisional: false,
    });
    expect(phase.you.handshake).to.deep.equal({ status: 'answer_pending', answerDueDate: '2026-10-22' });
    expect((await get(soe, id)).handshakes.map((h: { alias: string; status: string }) => [h.alias, h.status])).to.deep.equal([
      ['竞买人A / Bidder A', 'answer_pending'],
      ['竞买人B / Bidder B', 'answer_pending'],
    ]);
    expect(JSON.stringify(await get(b2, id))).not.to.contain('org-buyer1');
    // The transferor's inbox: what it must answer, and by when; the list of listings carries it too.
    const due = [
      { alias: '竞买人A / Bidder A', answerDueDate: '2026-10-22', provisional: false },
      { alias: '竞买人B / Bidder B', answerDueDate: '2026-10-22', provisional: false },
    ];
    const mine = ok(await t.call('GET', '/api/listings', { token: soe })).find((x: { id: string }) => x.id === id);
    expect(mine.sellerAnswersDue).to.deep.equal(due);
    expect((await get(op2, id)).sellerAnswersDue).to.deep.equal(due);
    expect(phase.sellerAnswersDue).to.equal(null);

    // 00:00 Beijing after the answer date: the scheduler deems both agreed.
    await setClock('2026-10-22T16:00:01Z');
    expect(
      (await rows(op1, id)).map((r: { qualified: boolean; handshake: { status: string } }) => [r.qualified, r.handshake.status]),
    ).to.deep.equal([
      [true, 'deemed_agreed'],
      [true, 'deemed_agreed'],
    ]);
    ok(await act(op2, id, { action: 'confirm_deposit', orgId: 'org-buyer1', bankRef: 'BANK-B1' }));
    expect(await depositsBooked()).to.deep.equal(['30000000.00']);
    expect((await get(op1, id)).state).to.equal('qualification');

    // buyer2 never pays: at 00:00 Beijing after the deposit deadline only buyer1 is in — negotiation.
    await setClock('2026-11-03T15:59:00Z');
    expect((await get(op1, id)).state).to.equal('qualification');
    await setClock('2026-11-03T16:00:00Z');
    expect(await get(op1, id)).to.include({ state: 'closed', branch: 'negotiation' });
    const ticks = await t.exchange.handle.db
      .selectFrom('auditLog')
      .select('payload')
      .where('entityId', '=', id)
      .where('action', '=', 'listing.tick')
      .orderBy('seq')
      .execute();
    const events = ticks.flatMap((r) => (JSON.parse(r.payload) as { events: { type: string }[] }).events.map((e) => e.type));
    expect(events).to.include.members(['qualification_started', 'seller_answer_deemed', 'qualification_closed']);
  });

  it('a suspension in the qualification phase stops its timers; resumption moves its deadlines by the working days lost', async () => {
    const id = await withOpinions();
    await setClock('2026-10-19T02:00:00Z'); // Mon 19 October, 10:00 Beijing: in the phase, answers due 22 October
    ok(await act(op1, id, { action: 'suspend', reason: '投诉核查 / a complaint under review' }));
    expectProblem(await act(soe, id, { action: 'seller_answer', orgId: 'org-buyer1', answer: 'agree' }), 409, 'INVALID_STATE');
    await setClock('2026-10-26T01:00:00Z'); // past the answer date: nothing was deemed while suspended
    expect((await rows(op1, id)).map((r: { handshake: { status: string } }) => r.handshake.status)).to.deep.equal([
      'answer_pending',
      'answer_pending',
    ]);
    const resumed = ok(await act(op2, id, { action: 'resume' }));
    expect(resumed.state).to.equal('qualification');
    expect(resumed.qualificationPhase).to.include({ opinionDeadline: '2026-10-29', depositDeadline: '2026-11-10' });
    expect((await rows(op1, id))[0].handshake).to.include({ answerDueDate: '2026-10-29' });
    await setClock('2026-10-29T16:00:00Z');
    expect((await rows(op1, id))[0].handshake.status).to.equal('deemed_agreed');
  });

  it('records an objection for the regulator; two operators settle it: upheld refuses the buyer, dismissed qualifies it', async () => {
    const id = await withOpinions();
    expectProblem(await act(soe, id, { action: 'seller_answer', orgId: 'org-buyer1', answer: 'object' }), 400, 'VALIDATION_FAILED');
    expectProblem(await act(soe, id, { action: 'seller_answer', orgId: 'org-buyer1', answer: 'maybe' }), 400, 'VALIDATION_FAILED');
    expectProblem(await act(b1, id, { action: 'seller_answer', orgId: 'org-buyer1', answer: 'agree' }), 403, 'FORBIDDEN');
    const reason = '受让方为转让方关联方 / a related party of the transferor';
    for (const orgId of ['org-buyer1', 'org-buyer2']) ok(await act(soe, id, { action: 'seller_answer', orgId, answer: 'object', reason }));
    const open = await act(op2, id, { action: 'confirm_deposit', orgId: 'org-buyer1', bankRef: 'BANK-B1' });
    expectProblem(open, 409, 'SELLER_ANSWER_PENDING');
    expect(open.body.params.reason).to.equal('objection_open');

    // The objection and its reason: the seller and operators see them; the buyer only its own status.
    expect((await rows(op1, id))[0].handshake).to.include({ status: 'objection_open', objectionReason: reason });
    expect((await rows(b1, id))[0].handshake).to.deep.equal({ status: 'objection_open', answerDueDate: '2026-10-22' });
    expect(JSON.stringify(await get(b1, id))).not.to.contain('related party');

    ok(await act(op2, id, { action: 'resolve_objection', orgId: 'org-buyer1', outcome: 'uphold', regulatorRef: 'BJ-SASAC-2026-301' }));
    expectProblem(await act(op2, id, { action: 'confirm_resolution', orgId: 'org-buyer1' }), 409, 'FOUR_EYES');
    ok(await act(op1, id, { action: 'confirm_resolution', orgId: 'org-buyer1' }));
    expect((await rows(soe, id))[0]).to.include({ qualified: false, refusalCode: 'TRANSFEROR_OBJECTION', depositStatus: null });
    expectProblem(await act(op2, id, { action: 'confirm_deposit', orgId: 'org-buyer1', bankRef: 'BANK-B1' }), 422, 'BUYER_NOT_QUALIFIED');

    ok(await act(op2, id, { action: 'resolve_objection', orgId: 'org-buyer2', outcome: 'dismiss', regulatorRef: 'BJ-SASAC-2026-302' }));
    ok(await act(op1, id, { action: 'confirm_resolution', orgId: 'org-buyer2' }));
    expect((await rows(b2, id))[0]).to.include({ qualified: true, depositStatus: 'due' });
    // Four eyes on the deposit still: operator1 gave buyer2's opinion.
    expectProblem(await act(op1, id, { action: 'confirm_deposit', orgId: 'org-buyer2', bankRef: 'BANK-B2' }), 409, 'FOUR_EYES');
    ok(await act(op2, id, { action: 'confirm_deposit', orgId: 'org-buyer2', bankRef: 'BANK-B2' }));

    // Everything settled during disclosure: it closes at its end straight into negotiation.
    await setClock('2026-10-16T02:00:00Z');
    expect(await get(op1, id)).to.include({ state: 'closed', branch: 'negotiation' });
    const history = (await get(soe, id)).history as { action: string; reason?: string }[];
    expect(history.filter((h) => h.action !== 'register').map((h) => [h.action, h.reason])).to.deep.include.members([
      ['seller_answer', reason],
      ['resolve_objection', 'uphold'],
      ['confirm_resolution', 'dismiss'],
    ]);
  });

  it("keeps two operators enough: the opinion's operator may not record the decision (FOUR_EYES), in the reader's language", async () => {
    const id = await withOpinions();
    const reason = '受让方为转让方关联方 / a related party of the transferor';
    ok(await act(soe, id, { action: 'seller_answer', orgId: 'org-buyer2', answer: 'object', reason }));
    const before = await rows(op1, id);
    // The desk's four-eyes hints, for operators only: who may not record the decision, and (none recorded yet) confirm it.
    expect(before[1].decisionNotBy).to.deep.equal({ record: ['user-operator1'], confirm: [] });
    expect(before[0]).not.to.have.property('decisionNotBy'); // buyer1: no objection
    expect((await rows(soe, id))[1]).not.to.have.property('decisionNotBy');
    expect((await rows(b2, id))[0]).not.to.have.property('decisionNotBy');
    // operator1 gave the opinion: had it recorded the decision and operator2 confirmed it, neither could take the deposit.
    const resolve = { action: 'resolve_objection', orgId: 'org-buyer2', outcome: 'dismiss', regulatorRef: 'BJ-SASAC-2026-303' };
    const zh = await act(op1, id, resolve, { 'Accept-Language': 'zh-CN' });
    expectProblem(zh, 409, 'FOUR_EYES');
    expect(zh.body.params).to.deep.equal({ reason: 'record_by_qualifier' });
    expect(zh.body.detail).to.contain('出具资格确认意见的操作员不能录入');
    const en = await act(op1, id, resolve, { 'Accept-Language': 'en' });
    expect(en.body.detail).to.contain("gave the qualification opinion may not record the regulator's decision");
    expect(await rows(op1, id)).to.deep.equal(before);
    // operator2 records, operator1 confirms, and operator2 takes the deposit.
    ok(await act(op2, id, resolve));
    expect((await rows(op1, id))[1].decisionNotBy).to.deep.equal({ record: ['user-operator1'], confirm: ['user-operator2'] });
    ok(await act(op1, id, { action: 'confirm_resolution', orgId: 'org-buyer2' }));
    expect((await rows(op2, id))[1].depositNotBy).to.deep.equal(['user-operator1']);
    expect((await rows(op2, id))[1], 'the objection settled').not.to.have.property('decisionNotBy');
    expect((await rows(b2, id))[0]).not.to.have.property('depositNotBy');
    expectProblem(await act(op1, id, { action: 'confirm_deposit', orgId: 'org-buyer2', bankRef: 'BANK-B2' }), 409, 'FOUR_EYES');
    expect(await depositsBooked()).to.deep.equal([]);
    ok(await act(op2, id, { action: 'confirm_deposit', orgId: 'org-buyer2', bankRef: 'BANK-B2' }));
  });
});
