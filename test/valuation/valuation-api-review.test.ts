/** Regressions from the API review of the valuation endpoints (bad appraisal input, validation messages, stored report bytes). */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildValuationReport } from '../../shared/valuation/report';
import { ValuationError } from '../../shared/valuation/numeric';
import { SHA256 } from '../../server/valuation/digest';
import { sqliteKind } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';

const EXAMPLE = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'examples', 'model.json'), 'utf8'));

describe('valuation endpoints: API review regressions', () => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(sqliteKind);
  });
  after(async () => {
    await t?.stop();
  });

  it(
    'refuses a non-positive appraisal or a non-calendar appraisal date in ' +
      'the report query with 400, never a 200 report (JSON and PDF)',
    async () => {
      const token = await t.login('lp-soe');
      for (const q of [
        'appraisalValue=-1.00&appraisalBaseDate=2025-01-01',
        'appraisalValue=0.00&appraisalBaseDate=2025-01-01',
        'appraisalValue=1.00&appraisalBaseDate=2025-02-30',
        'appraisalValue=1.00&appraisalBaseDate=0000-00-00',
      ]) {
        expectProblem(await t.call('GET', `/api/funds/bj-ai-2021/valuation?${q}`, { token }), 400, 'VALIDATION_FAILED');
        expectProblem(await t.call('GET', `/api/funds/bj-ai-2021/valuation.pdf?${q}`, { token }), 400, 'VALIDATION_FAILED');
      }
      // An expired appraisal is still a coded result inside the report, not an error.
      const expired = await t.call('GET', '/api/funds/bj-ai-2021/valuation?appraisalValue=1.00&appraisalBaseDate=2000-01-01', { token });
      expect(expired.status).to.equal(200);
      expect(expired.body.stateOwnedFloor).to.deep.include({ ok: false, code: 'APPRAISAL_EXPIRED' });
    },
  );

  it('refuses a stored valuation whose state-owned appraisal date is not a calendar date (400), as the pure module does', async () => {
    const token = await t.login('buyer1');
    const bad = structuredClone(EXAMPLE);
    bad.share.stateOwned.appraisalBaseDate = '2025-02-30';
    const r = await t.call('POST', '/api/valuations', { token, body: bad });
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(r.body.detail).to.contain('appraisalBaseDate');
    expect(() => buildValuationReport(bad, SHA256))
      .to.throw(ValuationError)
      .with.property('code', 'INVALID_INPUT');
  });

  it('says a too-long name is too long, not that it is not a string', async () => {
    const token = await t.login('buyer1');
    const long = structuredClone(EXAMPLE);
    long.model.name = '很长的基金名称'.repeat(40);
    const r = await t.call('POST', '/api/valuations', { token, body: long });
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(r.body.detail).to.contain('at most 200 characters');
    expect(r.body.detail).to.not.contain('must be a string');
  });

  it('answers POST /api/valuations, its idempotent replay and GET /api/valuations/:id with byte-identical reports', async () => {
    const token = await t.login('buyer1');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'review-bytes-0001' };
    const post = await fetch(`${t.baseUrl}/api/valuations`, { method: 'POST', headers, body: JSON.stringify(EXAMPLE) });
    expect(post.status).to.equal(201);
    const postText = await post.text();
    const created = JSON.parse(postText);
    const replay = await fetch(`${t.baseUrl}/api/valuations`, { method: 'POST', headers, body: JSON.stringify(EXAMPLE) });
    expect(await replay.text()).to.equal(postText);
    const get = await fetch(`${t.baseUrl}/api/valuations/${created.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(get.status).to.equal(200);
    const got = JSON.parse(await get.text());
    expect(JSON.stringify(got.report)).to.equal(JSON.stringify(created.report));
    expect(got.contentHash).to.equal(created.contentHash);
  });
});
