import { expect } from 'chai';
import fc from 'fast-check';
import { Dec, ZERO, sum, type Decimal } from '../../shared/decimal';
import { solveIrr } from '../../shared/valuation/irr';
import { toDouble } from '../../shared/valuation/numeric';
import { allocateProRata } from '../../shared/valuation/allocation';
import {
  americanLiquidation,
  europeanLiquidation,
  runAmericanWaterfall,
  runEuropeanWaterfall,
  type FundFlow,
  type WaterfallTerms,
} from '../../shared/valuation/waterfall';
import { d } from './helpers';

const flow = (year: number, call: string, distribution: string): FundFlow => ({ year, call: d(call), distribution: d(distribution) });
const STANDARD: WaterfallTerms = { hurdle: d('0.08'), catchUp: d('1'), carry: d('0.2') };
// valuation.md's European example: calls 40, 30, 20 in years 1–3; distributions 30, 50, 60, 40 in years 4–7.
const EXAMPLE = [
  flow(1, '40', '0'),
  flow(2, '30', '0'),
  flow(3, '20', '0'),
  flow(4, '0', '30'),
  flow(5, '0', '50'),
  flow(6, '0', '60'),
  flow(7, '0', '40'),
];
const six = (x: Decimal) => x.round(6, 1).toFixed(6);

/** Random year-end flows: calls in the first years, distributions after; amounts with 2 decimals. */
const flowsArbitrary = fc
  .record({
    calls: fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 5 }),
    distributions: fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 8 }),
  })
  .map(({ calls, distributions }) => [
    ...calls.map((c, i) => ({ year: i + 1, call: new Dec(String(c)).div(new Dec('100')), distribution: ZERO })),
    ...distributions.map((x, i) => ({ year: calls.length + 1 + i, call: ZERO, distribution: new Dec(String(x)).div(new Dec('100')) })),
  ]);
const termsArbitrary = fc
  .record({ hurdle: fc.integer({ min: 0, max: 15 }), carry: fc.integer({ min: 0, max: 30 }), catchUp: fc.constantFrom(0, 50, 80, 100) })
  .filter((t) => t.catchUp === 0 || t.catchUp > t.carry)
  .map((t) => ({
    hurdle: new Dec(String(t.hurdle)).div(new Dec('100')),
    carry: new Dec(String(t.carry)).div(new Dec('100')),
    catchUp: new Dec(String(t.catchUp)).div(new Dec('100')),
  }));

describe('valuation / L3 the European waterfall', () => {
  it('reproduces the check example: LPs 162, GP 18; year 6 pays preference 25.790032 and catch-up 6.447508', () => {
    const r = runEuropeanWaterfall(STANDARD, EXAMPLE);
    expect(six(r.lpTotal)).to.equal('162.000000');
    expect(six(r.gpTotal)).to.equal('18.000000');
    const year6 = r.years.find((y) => y.year === 6)!;
    expect(six(year6.returnOfCapital)).to.equal('10.000000');
    expect(six(year6.preferred)).to.equal('25.790032');
    expect(six(year6.catchUp)).to.equal('6.447508');
  });

  it('returns capital first: nothing goes to the GP before paid-in capital and preference are paid', () => {
    const r = runEuropeanWaterfall(STANDARD, EXAMPLE);
    for (const y of r.years.filter((y) => y.year <= 5)) expect(y.gpReceived.toString()).to.equal('0');
  });

  it('without a catch-up gives the GP k of what is left after the preference', () => {
    const r = runEuropeanWaterfall({ ...STANDARD, catchUp: d('0') }, [flow(1, '100', '0'), flow(2, '0', '158')]);
    // Capital 100, preference 8, then 50 split: GP 10.
    expect(r.gpTotal.toString()).to.equal('10');
  });

  it('with a partial catch-up (c = 50%) shares the catch-up tier and still ends at k of the profit', () => {
    const r = runEuropeanWaterfall({ ...STANDARD, catchUp: d('0.5') }, [flow(1, '100', '0'), flow(2, '0', '300')]);
    expect(r.gpTotal.toString()).to.equal('40'); // 20% of the 200 profit
    // Catch-up tier (0.2 × 8)/(0.5 − 0.2) = 5.333…, half each (to the internal 12 decimals).
    expect(r.years[1]!.lpCatchUp.minus(r.years[1]!.catchUp).abs().lte(new Dec('1e-12'))).to.equal(true);
    expect(r.years[1]!.catchUp.toFixed(6)).to.equal('2.666667');
  });

  it('compounds the preference over years without flows', () => {
    const r = runEuropeanWaterfall(STANDARD, [flow(1, '100', '0'), flow(4, '0', '100')]);
    expect(r.unpaidPreference.toString()).to.equal('25.9712'); // 100 × (1.08³ − 1)
  });

  it('refuses a catch-up that could never complete (0 < c ≤ k) and flows out of year order', () => {
    expect(() => runEuropeanWaterfall({ ...STANDARD, catchUp: d('0.2') }, EXAMPLE)).to.throw(/greater than carry/);
    expect(() => runEuropeanWaterfall(STANDARD, [flow(2, '1', '0'), flow(1, '1', '0')])).to.throw(/year order/);
  });

  it('property: LP + GP = distributions, exactly, each year and in total', () => {
    fc.assert(
      fc.property(termsArbitrary, flowsArbitrary, (terms, flows) => {
        const r = runEuropeanWaterfall(terms, flows);
        for (const y of r.years) expect(y.lpReceived.plus(y.gpReceived).eq(y.distribution)).to.equal(true);
        expect(r.lpTotal.plus(r.gpTotal).eq(r.distributed)).to.equal(true);
      }),
      { numRuns: 200 },
    );
  });

  it('property: the GP never receives more than k of the total profit', () => {
    fc.assert(
      fc.property(termsArbitrary, flowsArbitrary, (terms, flows) => {
        const r = runEuropeanWaterfall(terms, flows);
        const profit = r.distributed.minus(r.contributed);
        const cap = profit.gt(ZERO) ? terms.carry.times(profit) : ZERO;
        expect(r.gpTotal.lte(cap.plus(new Dec('1e-9'))), `GP ${r.gpTotal} > cap ${cap}`).to.equal(true);
      }),
      { numRuns: 200 },
    );
  });

  it('property: paying exactly capital plus preference (through tier 2) gives the LPs an IRR equal to the hurdle', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 0, maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (hurdlePct, calls, partialPct, gapYears) => {
          const hurdle = new Dec(String(hurdlePct)).div(new Dec('100'));
          const terms = { ...STANDARD, hurdle };
          // Calls, then partial distributions of a few % of the balance, then the exact remaining balance.
          const flows: FundFlow[] = calls.map((c, i) => ({ year: i + 1, call: new Dec(String(c)), distribution: ZERO }));
          let balance = ZERO;
          let year = 0;
          for (const f of flows) {
            balance = balance.times(hurdle.plus(new Dec('1')).pow(f.year - year)).plus(f.call);
            year = f.year;
          }
          for (const p of partialPct) {
            year += 1;
            balance = balance.times(hurdle.plus(new Dec('1')));
            const paid = balance
              .times(new Dec(String(p)))
              .div(new Dec('100'))
              .round(6, 1);
            balance = balance.minus(paid);
            flows.push({ year, call: ZERO, distribution: paid });
          }
          year += gapYears;
          flows.push({ year, call: ZERO, distribution: balance.times(hurdle.plus(new Dec('1')).pow(gapYears)).round(9, 1) });
          const r = runEuropeanWaterfall(terms, flows);
          expect(r.gpTotal.lt(new Dec('1e-6'))).to.equal(true);
          const cash = new Array<number>(year + 1).fill(0);
          for (const y of r.years) cash[y.year] = cash[y.year]! + toDouble(y.lpReceived.minus(y.call));
          const irr = solveIrr(cash);
          expect(irr.ok && Math.abs(irr.irr - hurdlePct / 100)).to.be.below(1e-9);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('valuation / L3 the American waterfall with clawback', () => {
  const dealA = { id: 'A', flows: [flow(1, '50', '0'), flow(2, '0', '150')] }; // a winner: carry paid early
  const dealB = { id: 'B', flows: [flow(1, '50', '0'), flow(3, '0', '10')] }; // a loser

  it('pays carry deal by deal, then claws back what exceeds the whole-fund carry', () => {
    const r = runAmericanWaterfall(STANDARD, [dealA, dealB]);
    expect(r.gpBeforeClawback.toString()).to.equal('20'); // deal A: 100 profit → GP 20
    // Whole fund: 100 paid in, 160 out, profit 60 → GP 12; clawback 8.
    expect(r.wholeFundGp.toString()).to.equal('12');
    expect(r.clawback.toString()).to.equal('8');
    expect(r.lpTotal.plus(r.gpTotal).eq(r.distributed)).to.equal(true);
  });

  it('needs no clawback when the deal-by-deal carry is below the whole-fund carry', () => {
    const r = runAmericanWaterfall(STANDARD, [dealA]);
    expect(r.clawback.toString()).to.equal('0');
    expect(r.gpTotal.toString()).to.equal('20');
  });

  it('in a hypothetical liquidation, the GP keeps at most the whole-fund carry', () => {
    const history = [flow(1, '100', '0'), flow(2, '0', '150')];
    const deals = [
      { ...dealA, nav: d('0') },
      { id: 'B', flows: [flow(1, '50', '0')], nav: d('10') },
    ];
    const h = americanLiquidation(STANDARD, history, deals, d('10'), 3);
    // The GP already has 20 but is entitled to 12: the liquidation value of 10 goes to the LPs plus an 8 clawback.
    expect(h.accruedCarry.toString()).to.equal('-8');
    expect(h.lpValue.toString()).to.equal('18');
  });
});

describe('valuation / L3 hypothetical liquidation (European)', () => {
  it('values the LPs as the NAV less the carry that a distribution of the NAV today would pay', () => {
    const history = EXAMPLE.slice(0, 5); // years 1–5: 90 called, 80 returned
    const h = europeanLiquidation(STANDARD, history, d('100'), 6);
    const full = runEuropeanWaterfall(STANDARD, [...history, flow(6, '0', '100')]);
    expect(h.accruedCarry.eq(full.gpTotal)).to.equal(true);
    expect(h.lpValue.plus(h.accruedCarry).toString()).to.equal('100');
  });

  it('distributes nothing for a negative NAV (the LPs are not liable beyond it)', () => {
    const h = europeanLiquidation(STANDARD, EXAMPLE.slice(0, 3), d('-5'), 3);
    expect(h.lpValue.toString()).to.equal('0');
  });
});

describe('valuation / pro-rata allocation', () => {
  it('splits a total by weights so that the parts add up exactly (largest remainder)', () => {
    const parts = allocateProRata(
      d('100'),
      [
        ['a', d('1')],
        ['b', d('1')],
        ['c', d('1')],
      ],
      6,
    );
    expect([...parts.values()].map((v) => v.toFixed(6))).to.deep.equal(['33.333334', '33.333333', '33.333333']);
    expect(sum(parts.values()).toString()).to.equal('100');
  });
});
