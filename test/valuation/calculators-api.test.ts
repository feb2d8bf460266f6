import { expect } from 'chai';
import { sqliteKind } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';

describe('valuation calculators over HTTP', () => {
  let t: TestExchange;
  let token: string;
  before(async () => {
    t = await startTestExchange(sqliteKind);
    token = await t.login('buyer1');
  });
  after(async () => {
    await t?.stop();
  });

  it('answers the lock-up discount check value (σ = 0.45, T = 5 → 0.20955289) with decimals as strings', async () => {
    const r = await t.call('POST', '/api/valuation/lockup-discount', {
      token,
      body: { price: '100.00', volatility: '0.45', years: '5', dividendYield: '0' },
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body.discount).to.equal('0.20955289');
    expect(r.body.fairValue).to.be.a('string');
  });

  it('projects the Takahashi–Alexander example and prices a buyer at 15% at 93.662283% of NAV', async () => {
    const r = await t.call('POST', '/api/valuation/projection', {
      token,
      body: {
        commitment: '100',
        callRates: ['0.25', '0.333333333333', '0.5', '1'],
        lifeYears: 12,
        bow: '2.5',
        growth: '0.13',
        yield: '0',
        purchaseYear: 4,
        targetIrrs: ['0.15'],
      },
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body.years).to.have.length(12);
    expect(Number(r.body.prices[0].pctOfNav)).to.be.closeTo(93.662283, 1e-4);
  });

  it(
    'refuses a target IRR whose price overflows (−99.9999% over 99 years) ' + 'with 400 VALIDATION_FAILED naming the IRR, never a 500',
    async () => {
      const r = await t.call('POST', '/api/valuation/projection', {
        token,
        body: {
          commitment: '100',
          callRates: ['0.25'],
          lifeYears: 100,
          bow: '2.5',
          growth: '0.13',
          yield: '0',
          purchaseYear: 1,
          targetIrrs: ['-0.999999'],
        },
      });
      expectProblem(r, 400, 'VALIDATION_FAILED');
      expect(r.body.detail).to.contain('targetIrrs[0] = -0.999999');
    },
  );

  it('refuses a JSON number where a decimal string belongs, and an invalid volatility, with 400 VALIDATION_FAILED', async () => {
    expectProblem(
      await t.call('POST', '/api/valuation/lockup-discount', {
        token,
        body: { price: 100, volatility: '0.45', years: '5', dividendYield: '0' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.call('POST', '/api/valuation/lockup-discount', {
        token,
        body: { price: '100', volatility: '-0.45', years: '5', dividendYield: '0' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await t.call('POST', '/api/valuation/waterfall', { token, body: { kind: 'american' } }), 400, 'VALIDATION_FAILED');
  });
});
