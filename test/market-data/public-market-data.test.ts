import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { summariseTrades } from '../../server/market-data/market-summary';
import { expectProblem, startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { sellerAgrees, stateOwnedListingBody } from '../support/listing-body';

/** Trades of the fixture: fund, venue, pricePct, consideration, executedAt (UTC). */
const FIXTURE: [string, 'book' | 'listing', string, string, string][] = [
  ['bj-ai-2021', 'book', '80.00', '800000.00', '2026-05-10T02:00:00.000Z'], // NAV 1,000,000.00
  ['bj-ai-2021', 'book', '70.00', '100000.00', '2026-05-20T03:00:00.000Z'], // NAV 142,857.142857… → 142,857.14
  ['bj-bio-2020', 'listing', '90.00', '450000.00', '2026-05-31T17:00:00.000Z'], // 01:00 on 1 June in Beijing; NAV 500,000.00
  ['bj-ai-2021', 'book', '85.00', '170000.00', '2026-08-02T01:00:00.000Z'], // NAV 200,000.00
];

describeEachDatabase('public market data over HTTP (no sign-in)', (kind) => {
  let t: TestExchange;
  beforeEach(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z' });
  });
  afterEach(async () => {
    await t?.stop();
  });

  // Written around the services, so the fixture adds itself to the market summary as the trade writers do.
  const insertFixture = async () => {
    const rows = FIXTURE.map(([fundId, venue, pricePct, consideration, executedAt], i) => ({
      id: `fixture-${i}`,
      fundId,
      venue,
      pricePct,
      quantity: '1000000',
      consideration,
      navPerCommitment: '1.00000000',
      navReferenceDate: '2026-03-31',
      buyOrderId: null,
      sellOrderId: null,
      buyerOrgId: 'org-buyer1',
      sellerOrgId: 'org-lp',
      listingId: null,
      transferId: null,
      fundSeq: null,
      executedAt,
    }));
    await t.exchange.handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('trades').values(rows).execute();
      await summariseTrades(trx, rows);
    });
  };

  it('computes the monthly %NAV index of a fixture as by hand, carrying months without deals forward, without a token', async () => {
    expect(ok(await t.call('GET', '/api/public/market/index')).points).to.deep.equal([]);
    await insertFixture();
    const all = ok(await t.call('GET', '/api/public/market/index'));
    expect(all.asOf).to.equal('2026-09-14T01:00:00.000Z');
    // May: 100 × 900,000.00 ÷ 1,142,857.14 = 78.750000… ; June: the Beijing-time trade of 1 June alone, 90.00.
    expect(all.points).to.deep.equal([
      { month: '2026-05', pctOfNav: '78.75', deals: 2, volume: '900000.00', daysSinceLastDeal: 11 },
      { month: '2026-06', pctOfNav: '90.00', deals: 1, volume: '450000.00', daysSinceLastDeal: 29 },
      { month: '2026-07', pctOfNav: '90.00', deals: 0, volume: '0.00', daysSinceLastDeal: 60 },
      { month: '2026-08', pctOfNav: '85.00', deals: 1, volume: '170000.00', daysSinceLastDeal: 29 },
      { month: '2026-09', pctOfNav: '85.00', deals: 0, volume: '0.00', daysSinceLastDeal: 43 },
    ]);
    const venture = ok(await t.call('GET', '/api/public/market/index?strategy=venture'));
    expect(venture.points.map((p: any) => [p.month, p.pctOfNav, p.deals, p.daysSinceLastDeal])).to.deep.equal([
      ['2026-06', '90.00', 1, 29],
      ['2026-07', '90.00', 0, 60],
      ['2026-08', '90.00', 0, 91],
      ['2026-09', '90.00', 0, 105],
    ]);
    const ai = ok(await t.call('GET', '/api/public/market/index?vintageFrom=2021&vintageTo=2021'));
    expect(ai.points.map((p: any) => [p.month, p.pctOfNav, p.deals])).to.deep.equal([
      ['2026-05', '78.75', 2],
      ['2026-06', '78.75', 0],
      ['2026-07', '78.75', 0],
      ['2026-08', '85.00', 1],
      ['2026-09', '85.00', 0],
    ]);
    expect(ok(await t.call('GET', '/api/public/market/index?strategy=buyout')).points).to.deep.equal([]);
  });

  it('sums deals and volume by venue and strategy over a period of Beijing dates', async () => {
    await insertFixture();
    expect(ok(await t.call('GET', '/api/public/market/stats?from=2026-05-01&to=2026-06-01'))).to.deep.equal({
      deals: 3,
      volume: '1350000.00',
      medianDaysToComplete: null,
      byVenue: { book: { deals: 2, volume: '900000.00' }, listing: { deals: 1, volume: '450000.00' } },
      byStrategy: {
        growth: { deals: 2, volume: '900000.00', pctOfNav: '78.75' },
        venture: { deals: 1, volume: '450000.00', pctOfNav: '90.00' },
      },
    });
    // 31 May in Beijing ends before the 17:00 UTC trade.
    expect(ok(await t.call('GET', '/api/public/market/stats?from=2026-05-01&to=2026-05-31')).byVenue.listing).to.deep.equal({
      deals: 0,
      volume: '0.00',
    });
    expect(ok(await t.call('GET', '/api/public/market/stats')).deals).to.equal(4);
  });

  it('answers text/csv for Accept: text/csv', async () => {
    await insertFixture();
    const ix = await fetch(`${t.baseUrl}/api/public/market/index?strategy=venture`, { headers: { accept: 'text/csv' } });
    expect(ix.headers.get('content-type')).to.match(/^text\/csv/);
    expect((await ix.text()).split('\r\n').slice(0, 3)).to.deep.equal([
      'month,pctOfNav,deals,volume,daysSinceLastDeal',
      '2026-06,90.00,1,450000.00,29',
      '2026-07,90.00,0,0.00,60',
    ]);
    const st = await fetch(`${t.baseUrl}/api/public/market/stats?to=2026-06-30`, { headers: { accept: 'text/csv' } });
    expect(st.headers.get('content-type')).to.match(/^text\/csv/);
    const rows = (await st.text()).trim().split('\r\n');
    expect(rows[0]).to.equal('group,name,deals,volume,pctOfNav,medianDaysToComplete');
    expect(rows).to.include.members(['all,all,3,1350000.00,,', 'venue,book,2,900000.00,,', 'strategy,growth,2,900000.00,78.75,']);
  });

  it('refuses bad input with 400 and a code', async () => {
    expectProblem(await t.call('GET', '/api/public/market/index?strategy=crypto'), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('GET', '/api/public/market/index?vintageFrom=20x1'), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('GET', '/api/public/market/index?vintageFrom=1850'), 400, 'INVALID_RANGE');
    expectProblem(await t.call('GET', '/api/public/market/index?vintageTo=2031'), 400, 'INVALID_RANGE');
    expectProblem(await t.call('GET', '/api/public/market/index?vintageFrom=2022&vintageTo=2020'), 400, 'INVALID_RANGE');
    expectProblem(await t.call('GET', '/api/public/market/stats?from=2026-07-01&to=2026-06-30'), 400, 'INVALID_RANGE');
    expectProblem(await t.call('GET', '/api/public/market/stats?from=2026-02-30'), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('GET', '/api/public/announcements?kind=bids'), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('GET', '/api/public/announcements'), 400, 'VALIDATION_FAILED');
  });

  it('announces a listing during disclosure and its result for 5 working days, naming no bidder, on the simulated clock', async () => {
    const [soe, op1, op2, b1, b2] = [
      await t.login('lp-soe'),
      await t.login('operator1'),
      await t.login('operator2'),
      await t.login('buyer1'),
      await t.login('buyer2'),
    ];
    const act = (token: string, id: string, body: Record<string, unknown>) =>
      t.call('POST', `/api/listings/${id}/actions`, { token, body });
    const setClock = async (at: string) => ok(await t.call('POST', '/api/admin/clock', { token: op1, body: { set: at } }));
    const announced = async (kind: 'listing' | 'result') => ok(await t.call('GET', `/api/public/announcements?kind=${kind}`)) as any[];
    const l = ok(
      await t.call('POST', '/api/listings', {
        token: soe,
        body: stateOwnedListingBody({ buyerConditions: ['A qualified investor'] }),
      }),
      201,
    );
    ok(await act(soe, l.id, { action: 'submit' }));
    ok(await act(op1, l.id, { action: 'review' }));
    expect(await announced('listing')).to.deep.equal([]);
    ok(await act(op2, l.id, { action: 'approve' }));
    const [a] = await announced('listing');
    expect(a).to.deep.equal({
      listingId: l.id,
      fundName: '北京集成电路设计创业投资基金（有限合伙）',
      fundNameEn: 'Beijing Integrated Circuit Design Venture Fund LP',
      quantity: '100000000',
      askPrice: '150000000.00',
      impliedPctOfNav: a.impliedPctOfNav,
      method: 'auction',
      disclosureStartDate: '2026-09-14',
      disclosureEndDate: '2026-10-15',
      buyerConditions: ['A qualified investor'],
      stateOwned: true,
      appraisalValue: '150000000.00',
    });
    expect(a.impliedPctOfNav).to.match(/^\d+\.\d{2}$/);
    for (const b of [b1, b2]) ok(await t.call('POST', `/api/listings/${l.id}/registrations`, { token: b }), 201);
    for (const orgId of ['org-buyer1', 'org-buyer2']) {
      ok(await act(op1, l.id, { action: 'qualify', orgId }));
      await sellerAgrees(act, soe, l.id, orgId);
      ok(await act(op2, l.id, { action: 'confirm_deposit', orgId, bankRef: `BANK-${orgId}` }));
    }
    await setClock('2026-10-15T15:59:00Z'); // 23:59 on the last disclosure day in Beijing
    expect((await announced('listing')).map((x) => x.listingId)).to.deep.equal([l.id]);
    await setClock('2026-10-15T16:00:00Z'); // registration closed
    expect(await announced('listing')).to.deep.equal([]);
    await setClock('2026-10-16T02:10:00Z');
    ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b1, body: { amount: '150000000.00' } }), 201);
    ok(await t.call('POST', `/api/listings/${l.id}/bids`, { token: b2, body: { amount: '151000000.00' } }), 201);
    await setClock('2026-10-16T04:00:00Z');
    expect(await announced('result')).to.deep.equal([]);
    ok(await act(op1, l.id, { action: 'award' }));
    expect(await announced('result'), 'no result while the award waits for its second operator').to.deep.equal([]);
    ok(await act(op2, l.id, { action: 'confirm_award' }));
    const results = await announced('result');
    expect(results).to.have.length(1);
    expect(results[0]).to.deep.include({
      listingId: l.id,
      quantity: '100000000',
      askPrice: '150000000.00',
      appraisalValue: '150000000.00',
      dealPrice: '151000000.00',
      publishedFrom: '2026-10-16',
      publishedUntil: '2026-10-23',
      awardedAt: '2026-10-16T04:00:00.000Z',
    });
    const text = JSON.stringify(results);
    for (const secret of ['org-buyer', '中关村科创S基金', '燕山人寿', 'org-lp-soe', '北京市科创国有资本', '竞买人', 'Bidder'])
      expect(text).not.to.contain(secret);
    // Friday 16 October + 5 working days (the weekend does not count) = Friday 23 October, through 23:59 Beijing.
    await setClock('2026-10-22T04:00:00Z');
    expect(await announced('result')).to.have.length(1);
    await setClock('2026-10-23T15:59:00Z');
    expect(await announced('result')).to.have.length(1);
    await setClock('2026-10-23T16:00:00Z');
    expect(await announced('result')).to.deep.equal([]);
  });

  it('announces the qualification phase of a state-owned listing in both languages while it runs, naming no registrant', async () => {
    const [soe, op1, op2, b1] = [await t.login('lp-soe'), await t.login('operator1'), await t.login('operator2'), await t.login('buyer1')];
    const act = (token: string, id: string, body: Record<string, unknown>) =>
      t.call('POST', `/api/listings/${id}/actions`, { token, body });
    const setClock = async (at: string) => ok(await t.call('POST', '/api/admin/clock', { token: op1, body: { set: at } }));
    const announced = async () => ok(await t.call('GET', '/api/public/announcements?kind=qualification')) as any[];
    const l = ok(await t.call('POST', '/api/listings', { token: soe, body: stateOwnedListingBody() }), 201);
    ok(await act(soe, l.id, { action: 'submit' }));
    ok(await act(op1, l.id, { action: 'review' }));
    ok(await act(op2, l.id, { action: 'approve' }));
    ok(await t.call('POST', `/api/listings/${l.id}/registrations`, { token: b1 }), 201);
    ok(await act(op1, l.id, { action: 'qualify', orgId: 'org-buyer1' }));
    expect(await announced(), 'not during disclosure').to.deep.equal([]);

    await setClock('2026-10-15T16:00:00Z'); // 00:00 Beijing after the last disclosure day: the phase starts
    expect(await announced()).to.deep.equal([
      {
        listingId: l.id,
        fundName: '北京集成电路设计创业投资基金（有限合伙）',
        fundNameEn: 'Beijing Integrated Circuit Design Venture Fund LP',
        quantity: '100000000',
        askPrice: '150000000.00',
        method: 'auction',
        stateOwned: true,
        appraisalValue: '150000000.00',
        disclosureStartDate: '2026-09-14',
        disclosureEndDate: '2026-10-15',
        startedAt: '2026-10-15T16:00:00.000Z',
        opinionDeadline: '2026-10-22',
        depositDeadline: '2026-11-03',
        depositDeadlineHeld: false,
        provisional: false,
        notice: {
          zh:
            `北京集成电路设计创业投资基金（有限合伙）份额转让项目（${l.id}）信息披露期已于2026年10月15日届满，` +
            '现进入意向受让方资格确认阶段：交易所于2026年10月22日前出具资格确认意见，转让方逾期未答复视为同意，' +
            '经确认的意向受让方于2026年11月3日前缴纳保证金。',
          en:
            `The disclosure of the share listing ${l.id} in Beijing Integrated Circuit Design Venture Fund LP ended on ` +
            "15 October 2026; its registrants' qualification is now being confirmed: the exchange gives its opinions by " +
            "22 October 2026, the transferor's silence counts as agreement, and confirmed registrants pay their deposits " +
            'by 3 November 2026.',
        },
      },
    ]);
    // An objection holds the deposit deadline: the announcement says the date may move, not why (nothing of a registrant).
    const reason = '关联方 / a related party';
    ok(await act(soe, l.id, { action: 'seller_answer', orgId: 'org-buyer1', answer: 'object', reason }));
    const [held] = await announced();
    expect(held.depositDeadlineHeld).to.equal(true);
    expect(held.notice.zh).to.contain('保证金截止日可能顺延，以交易所后续公告为准');
    expect(held.notice.en).to.contain('the deposit deadline may move; a later announcement gives the final date');
    const text = JSON.stringify(held);
    for (const secret of ['org-buyer', '中关村科创S基金', '竞买人', 'Bidder', 'related party', '北京市科创国有资本', '异议', 'objection'])
      expect(text).not.to.contain(secret);
    // Upheld: nobody is left to settle, the phase closes and the announcement ends.
    ok(await act(op2, l.id, { action: 'resolve_objection', orgId: 'org-buyer1', outcome: 'uphold', regulatorRef: 'BJ-SASAC-9' }));
    ok(await act(op1, l.id, { action: 'confirm_resolution', orgId: 'org-buyer1' }));
    expect(ok(await t.call('GET', `/api/listings/${l.id}`, { token: op1 })).state).to.equal('closed');
    expect(await announced()).to.deep.equal([]);
  });
});
