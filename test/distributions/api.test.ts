import { expect } from 'chai';
import { Dec, sum } from '../../shared/decimal';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { hasTool, pdfText } from '../confirmations/pdf-tools';
import { expectConservation } from '../transfers/http-helpers';

const FUND = 'bj-ic-2019'; // paid in full: lp 40M, lp-soe 400M, guidance 400M, others 1,160M of 2,000M; holds listed ic-01
const proposal = (o: Record<string, unknown> = {}) => ({
  security: { code: 'ic-01', name: '华芯微电子 Huaxin Microelectronics', market: '上交所科创板 SSE STAR' },
  shares: '100001',
  referencePrice: '58.70',
  recordDate: '2026-03-01',
  facts: { fundIsControllingOrLargestShareholder: false, lockedUp: false, pledgedOrFrozen: false },
  ineligibleOrgIds: ['org-lp-soe'],
  ...o,
});

describeEachDatabase('in-kind distributions over HTTP', (kind) => {
  let t: TestExchange;
  let gp: string, op: string, lp: string, soe: string, buyer: string;
  beforeEach(async () => {
    t = await startTestExchange(kind, { CLOCK: 'simulated', CLOCK_START: '2026-03-02T02:00:00.000Z' });
    [gp, op, lp, soe, buyer] = [
      await t.login('gp'),
      await t.login('operator1'),
      await t.login('lp'),
      await t.login('lp-soe'),
      await t.login('buyer1'),
    ];
  });
  afterEach(async () => {
    await t?.stop();
  });

  const submit = (body: unknown, token = gp, fundId = FUND) => t.call('POST', `/api/funds/${fundId}/distributions`, { token, body });
  const act = (id: string, body: unknown, token = op) => t.call('POST', `/api/distributions/${id}/actions`, { token, body });
  const snapshot = async () => ({
    audit: (await t.exchange.handle.db.selectFrom('auditLog').select('seq').execute()).length,
    distributions: (await t.exchange.handle.db.selectFrom('distributions').select('id').execute()).length,
  });

  it('refuses each of the three exclusions with 422 INKIND_NOT_ALLOWED naming it, and changes nothing', async () => {
    const before = await snapshot();
    const reasons = {
      fundIsControllingOrLargestShareholder: 'fund_is_controlling_or_largest_shareholder',
      lockedUp: 'shares_locked_up',
      pledgedOrFrozen: 'shares_pledged_or_frozen',
    };
    for (const [fact, reason] of Object.entries(reasons)) {
      const r = await submit(proposal({ facts: { ...proposal().facts, [fact]: true } }));
      expectProblem(r, 422, 'INKIND_NOT_ALLOWED');
      expect(r.body.params).to.deep.equal({ reason });
    }
    expect(await snapshot()).to.deep.equal(before);
  });

  it('refuses every bad proposal with a 4xx code and changes nothing', async () => {
    const before = await snapshot();
    for (const [body, status, code] of [
      [proposal({ shares: '0' }), 400, 'VALIDATION_FAILED'],
      [proposal({ shares: '1.5' }), 400, 'VALIDATION_FAILED'],
      [proposal({ shares: 100 }), 400, 'VALIDATION_FAILED'],
      [proposal({ recordDate: '2026-03-03' }), 400, 'VALIDATION_FAILED'], // in the future (today is 2 March in Beijing)
      [proposal({ recordDate: '2026-02-30' }), 400, 'VALIDATION_FAILED'],
      [proposal({ security: { ...proposal().security, isin: 'CNE1' } }), 400, 'VALIDATION_FAILED'],
      [proposal({ security: { ...proposal().security, name: '😀' } }), 400, 'VALIDATION_FAILED'],
      [proposal({ referencePrice: '0.00' }), 400, 'VALIDATION_FAILED'],
      [proposal({ referencePrice: 58.7 }), 400, 'VALIDATION_FAILED'],
      [proposal({ ineligibleOrgIds: ['org-buyer1'] }), 400, 'VALIDATION_FAILED'], // not an LP of the fund
      [proposal({ facts: { lockedUp: false } }), 400, 'VALIDATION_FAILED'],
      [proposal({ extra: true }), 400, 'VALIDATION_FAILED'],
    ] as const) {
      expectProblem(await submit(body), status, code);
    }
    expectProblem(await submit(proposal(), lp), 403, 'FORBIDDEN');
    expectProblem(await submit(proposal(), gp, 'no-such-fund'), 404, 'NOT_FOUND');
    expect(await snapshot()).to.deep.equal(before);
  });

  it('allocates pro rata, ineligible in cash; approval records receipts, the statement and the NAV roll-forward', async () => {
    const d = ok(await submit(proposal()), 201);
    expect(d.state).to.equal('proposed');
    const rows = Object.fromEntries(d.allocations.map((a: any) => [a.orgId, [a.shares, a.sharesInLieu, a.cashInLieu]]));
    expect(rows).to.deep.equal({
      'org-lp': ['2000', '0.02000000', '1.17'], // 100001 × 40/2000 = 2000.02
      'org-lp-soe': ['0', '20000.20000000', '1174011.74'], // ineligible: all 20000.2 in cash
      'org-lp-guidance': ['20000', '0.20000000', '11.74'],
      'org-lp-others': ['58000', '0.58000000', '34.05'],
    });
    const total = sum(d.allocations.map((a: any) => new Dec(a.shares).plus(a.sharesInLieu)));
    expect(total.toFixed(8)).to.equal('100001.00000000');

    // An LP sees its own row only; a stranger nothing; no statement before approval.
    expect(ok(await t.call('GET', `/api/distributions/${d.id}`, { token: lp })).allocations.map((a: any) => a.orgId)).to.deep.equal([
      'org-lp',
    ]);
    expectProblem(await t.call('GET', `/api/distributions/${d.id}`, { token: buyer }), 404, 'NOT_FOUND');
    expectProblem(await t.call('GET', `/api/distributions/${d.id}/statement.pdf`, { token: lp }), 409, 'INVALID_STATE');
    expectProblem(await act(d.id, { action: 'approve' }, gp), 403, 'FORBIDDEN');
    expectProblem(await act(d.id, { action: 'reject' }), 400, 'VALIDATION_FAILED');

    const approved = ok(await act(d.id, { action: 'approve' }));
    expect(approved.state).to.equal('approved');
    expect(approved.history.map((h: any) => h.action)).to.deep.equal(['propose', 'approve']);
    expectProblem(await act(d.id, { action: 'reject', reason: 'late' }), 409, 'INVALID_STATE');

    const positions = ok(await t.call('GET', '/api/positions', { token: lp }));
    const receipts = positions.find((p: any) => p.fundId === FUND).inKindReceipts;
    expect(receipts).to.have.length(1);
    expect(receipts[0]).to.include({
      distributionId: d.id,
      shares: '2000',
      sharesInLieu: '0.02000000',
      cashInLieu: '1.17',
      referencePrice: '58.70',
    });
    expect(positions.find((p: any) => p.fundId === 'bj-ai-2021').inKindReceipts).to.deep.equal([]);
    const soeReceipt = ok(await t.call('GET', '/api/positions', { token: soe })).find((p: any) => p.fundId === FUND).inKindReceipts[0];
    expect(soeReceipt).to.include({ shares: '0', cashInLieu: '1174011.74' });

    // The value leaves the fund's NAV roll-forward as a distribution; the delivered shares leave its listed holding.
    const valuation = ok(await t.call('GET', `/api/funds/${FUND}/valuation`, { token: lp }));
    expect(valuation.fundNav.distributionsSinceReport).to.equal(d.totals.distributedValue);
    expect(valuation.inputs.model.sinceReport.distributions).to.equal(d.totals.distributedValue);
    // 80,000 whole shares × 58.70 + cash in lieu 1,174,058.70 (each LP's rounded to the fen)
    expect(d.totals).to.deep.equal({
      shares: '80000',
      sharesInLieu: '20001.00000000',
      cashInLieu: '1174058.70',
      distributedValue: '5870058.70',
    });

    if (hasTool('pdftotext')) {
      const res = await fetch(`${t.baseUrl}/api/distributions/${d.id}/statement.pdf`, { headers: { authorization: `Bearer ${lp}` } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/application\/pdf/);
      const text = pdfText(Buffer.from(await res.arrayBuffer()));
      for (const needle of [
        '京华长青投资有限公司',
        'Jinghua Evergreen Investment',
        '华芯微电子',
        'ic-01',
        '2000 股',
        '0.02000000',
        '1.17',
        '2026-03-01',
      ]) {
        expect(text, needle).to.contain(needle);
      }
    } else {
      console.log('    (pdftotext not installed: the statement was not read back)');
    }
    expectProblem(await t.call('GET', `/api/distributions/${d.id}/statement.pdf`, { token: buyer }), 404, 'NOT_FOUND');
    await expectConservation(t.exchange.handle.db);
  });

  it('lets an operator reject a proposal with a reason, recording nothing for the LPs', async () => {
    const d = ok(await submit(proposal({ ineligibleOrgIds: [] })), 201);
    const rejected = ok(await act(d.id, { action: 'reject', reason: '证券代码有误 wrong code' }));
    expect(rejected.state).to.equal('rejected');
    expect(rejected.history[1]).to.include({ action: 'reject', reason: '证券代码有误 wrong code' });
    expect(ok(await t.call('GET', '/api/positions', { token: lp })).find((p: any) => p.fundId === FUND).inKindReceipts).to.deep.equal([]);
    expect(ok(await t.call('GET', '/api/distributions', { token: gp })).map((x: any) => x.id)).to.deep.equal([d.id]);
  });
});
