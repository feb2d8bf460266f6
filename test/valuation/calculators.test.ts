import { expect } from 'chai';
import { lockupDiscountRequest, projectionRequest, waterfallRequest } from '../../shared/valuation/calculator-schemas';
import { lockupDiscountCalculator, projectionCalculator, waterfallCalculator } from '../../shared/valuation/calculators';
import { ValuationError } from '../../shared/valuation/numeric';
import { d } from './helpers';

/** The messages of a refused body, keyed by field path. */
function refusals(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[] {
  expect(result.success, 'expected the body to be refused').to.equal(false);
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const PROJECTION_BODY = {
  commitment: '100',
  callRates: ['0.25', '0.333333333333', '0.5', '1'],
  lifeYears: 12,
  bow: '2.5',
  growth: '0.13',
  yield: '0',
  purchaseYear: 4,
  targetIrrs: ['0.15', '0.13'],
};
const WATERFALL_BODY = {
  kind: 'european',
  hurdle: '0.08',
  catchUp: '1',
  carry: '0.20',
  commitments: { lpA: '60', lpB: '40' },
  flows: [
    { year: 1, call: '40' },
    { year: 2, call: '30' },
    { year: 3, call: '20' },
    { year: 4, distribution: '30' },
    { year: 5, distribution: '50' },
    { year: 6, distribution: '60' },
    { year: 7, distribution: '40' },
  ],
};

describe('valuation / POST /api/valuation/lockup-discount', () => {
  it('answers {discount, fairValue} as decimal strings: σ 45%, 5 years on a 10.00 share → 0.20955289, 7.904471', () => {
    const body = lockupDiscountRequest.parse({ price: '10.00', volatility: '0.45', years: '5', dividendYield: '0' });
    expect(lockupDiscountCalculator(body)).to.deep.equal({ discount: '0.20955289', fairValue: '7.904471' });
  });

  it('takes dividendYield as optional, 0 when absent', () => {
    const body = lockupDiscountRequest.parse({ price: '10', volatility: '0.45', years: '5' });
    expect(lockupDiscountCalculator(body).discount).to.equal('0.20955289');
  });

  it('refuses JSON numbers where decimal strings belong, saying why', () => {
    const messages = refusals(lockupDiscountRequest.safeParse({ price: 10, volatility: '0.45', years: '5' }));
    expect(messages).to.deep.equal([
      'price: price must be a decimal string such as "0.25", not a JSON number (numbers may already have lost precision)',
    ]);
  });

  it('refuses a negative volatility, exponent notation, missing and unknown fields', () => {
    const messages = refusals(lockupDiscountRequest.safeParse({ price: '1e2', volatility: '-0.1', dividend: '0' }));
    expect(messages).to.include('volatility: volatility must be at least 0');
    expect(messages.some((m) => m.startsWith('price: price must be a plain decimal string'))).to.equal(true);
    expect(messages).to.include('years: years is required');
    expect(messages.some((m) => m.includes('Unrecognized key') && m.includes('dividend'))).to.equal(true);
  });
});

describe('valuation / POST /api/valuation/projection', () => {
  it('answers the year table and prices: year 4 NAV 112.711413; at 15% 105.568082 = 93.662283% of NAV', () => {
    const res = projectionCalculator(projectionRequest.parse(PROJECTION_BODY));
    expect(res.years).to.have.length(12);
    expect(res.years[3]).to.deep.equal({ year: 4, call: '25.000000', distribution: '6.012384', nav: '112.711413', paidIn: '100.000000' });
    expect(res.prices).to.deep.equal([
      { irr: '0.15', price: '105.568082', pctOfNav: '93.662283' },
      { irr: '0.13', price: '112.711413', pctOfNav: '100.000000' },
    ]);
    const total = res.years.reduce((acc, y) => acc.plus(d(y.distribution)), d('0'));
    expect(total.minus(d('190.798186')).abs().lte(d('0.000003'))).to.equal(true);
  });

  it('repeats the last call rate when the list is shorter than the life', () => {
    const res = projectionCalculator(projectionRequest.parse({ ...PROJECTION_BODY, callRates: ['0.5'] }));
    expect(res.years.slice(0, 3).map((y) => y.call)).to.deep.equal(['50.000000', '25.000000', '12.500000']);
  });

  it('accepts whole years as JSON integers or digit strings', () => {
    expect(projectionRequest.parse({ ...PROJECTION_BODY, lifeYears: '12', purchaseYear: '4' }).lifeYears).to.equal(12);
  });

  it('gives pctOfNav null when nothing is invested at the purchase year', () => {
    const res = projectionCalculator(projectionRequest.parse({ ...PROJECTION_BODY, purchaseYear: 0 }));
    expect(res.prices[0]!.pctOfNav).to.equal(null);
  });

  it(
    'refuses a target IRR whose price overflows a double (−99.9999% over 99 ' +
      'years) as INVALID_INPUT naming the IRR, not an invariant failure',
    () => {
      const req = projectionRequest.parse({ ...PROJECTION_BODY, lifeYears: 100, purchaseYear: 1, targetIrrs: ['0.15', '-0.999999'] });
      expect(() => projectionCalculator(req)).to.throw(ValuationError, /^targetIrrs\[1\] = -0\.999999: the price at this IRR is too large/);
      try {
        projectionCalculator(req);
      } catch (e) {
        expect((e as ValuationError).code).to.equal('INVALID_INPUT');
      }
      // Close to −100% but finite is still answered.
      expect(projectionCalculator(projectionRequest.parse({ ...PROJECTION_BODY, targetIrrs: ['-0.999999'] })).prices[0]!.price).to.match(
        /^\d+\.\d{6}$/,
      );
    },
  );

  it('refuses an empty call-rate list, a life over 100 years, a purchase at or after the end of life and rates ≤ −100%', () => {
    expect(refusals(projectionRequest.safeParse({ ...PROJECTION_BODY, callRates: [] }))[0]).to.match(
      /^callRates: callRates must list at least one rate/,
    );
    expect(refusals(projectionRequest.safeParse({ ...PROJECTION_BODY, lifeYears: 101 }))[0]).to.match(
      /lifeYears must be a whole number of years from 1 to 100/,
    );
    expect(refusals(projectionRequest.safeParse({ ...PROJECTION_BODY, purchaseYear: 12 }))[0]).to.match(
      /^purchaseYear: purchaseYear must be before the end/,
    );
    expect(refusals(projectionRequest.safeParse({ ...PROJECTION_BODY, targetIrrs: ['-1'] }))[0]).to.match(/greater than -1/);
    expect(refusals(projectionRequest.safeParse({ ...PROJECTION_BODY, callRates: ['1.5'] }))[0]).to.match(/call rate must be at most 1/);
    expect(refusals(projectionRequest.safeParse({ ...PROJECTION_BODY, lifeYears: 12.5 }))[0]).to.match(/whole number/);
  });
});

describe('valuation / POST /api/valuation/waterfall', () => {
  it('answers the check example: LPs 162.000000, GP 18.000000; year 6 preference 25.790032 and catch-up 6.447508', () => {
    const res = waterfallCalculator(waterfallRequest.parse(WATERFALL_BODY));
    expect(res.lpTotal).to.equal('162.000000');
    expect(res.gpTotal).to.equal('18.000000');
    expect(res.byYear.find((y) => y.year === 6)).to.deep.equal({
      year: 6,
      returnOfCapital: '10.000000',
      preferred: '25.790032',
      catchUp: '6.447508',
      lpCatchUp: '0.000000',
      lpSplit: '14.209968',
      gpSplit: '3.552492',
    });
  });

  it('splits contributions and receipts between LPs pro rata to commitment, adding up to the totals', () => {
    const res = waterfallCalculator(waterfallRequest.parse({ ...WATERFALL_BODY, commitments: { a: '1', b: '1', c: '1' } }));
    const received = Object.values(res.perLp).reduce((acc, p) => acc.plus(d(p.received)), d('0'));
    expect(received.toFixed(6)).to.equal(res.lpTotal);
    expect(res.perLp['a']).to.deep.equal({ contributed: '30.000000', received: '54.000000' });
  });

  it('adds up flows given for the same year and accepts them in any order', () => {
    const shuffled = { ...WATERFALL_BODY, flows: [...WATERFALL_BODY.flows].reverse().concat([{ year: 7, distribution: '0' }]) };
    expect(waterfallCalculator(waterfallRequest.parse(shuffled)).lpTotal).to.equal('162.000000');
  });

  it('refuses another kind, a catch-up that can never complete, empty commitments and flows without amounts', () => {
    expect(refusals(waterfallRequest.safeParse({ ...WATERFALL_BODY, kind: 'american' }))[0]).to.match(/kind must be "european"/);
    expect(refusals(waterfallRequest.safeParse({ ...WATERFALL_BODY, catchUp: '0.1' }))[0]).to.match(
      /^catchUp: catchUp must be 0 \(no catch-up\) or greater than carry/,
    );
    expect(refusals(waterfallRequest.safeParse({ ...WATERFALL_BODY, commitments: {} }))[0]).to.match(/commitments must name 1 to 200 LPs/);
    expect(refusals(waterfallRequest.safeParse({ ...WATERFALL_BODY, flows: [{ year: 1 }] }))[0]).to.match(
      /each flow needs a call or a distribution/,
    );
    expect(refusals(waterfallRequest.safeParse({ ...WATERFALL_BODY, carry: 0.2 }))[0]).to.match(/carry must be a decimal string/);
    const proto = JSON.parse('{"__proto__": "60", "b": "40"}');
    expect(refusals(waterfallRequest.safeParse({ ...WATERFALL_BODY, commitments: proto })).join()).to.match(/may not be named "__proto__"/);
  });
});
