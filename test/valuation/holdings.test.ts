import { expect } from 'chai';
import { Dec } from '../../shared/decimal';
import type { HoldingInput } from '../../shared/valuation/fund-model';
import { NO_SHOCK, valueHolding, valueHoldings, type HoldingContext } from '../../shared/valuation/holdings';
import { ValuationError } from '../../shared/valuation/numeric';
import { d, expectDecimalClose } from './helpers';

const ctx: HoldingContext = { valuationDate: '2025-06-30', lockupDaysPerYear: 365, shock: NO_SHOCK };
const none = { model: 'none' } as const;

describe('valuation / L1 holding fair values', () => {
  it('values a freely tradable listed stake at closing price × shares, exactly', () => {
    const v = valueHolding({ id: 'h1', name: 'A', method: 'listed', closePrice: '12.34', shares: '1000000' }, ctx);
    expect(v.fairValue.toString()).to.equal('12340000');
    expect(v.method).to.equal('listed');
    expect(v.discountModel).to.equal('none');
    expect(v.ownership).to.equal(null);
  });

  it('discounts a locked-up listed stake by the Asian-option LoMD over the remaining lock-up', () => {
    // Lock-up ends 5 × 365 days after the valuation date: T = 5, σ = 0.45 → LoMD 0.20955289.
    const v = valueHolding(
      {
        id: 'h2',
        name: 'B',
        method: 'listed-locked',
        closePrice: '10.00',
        shares: '1000',
        volatility: '0.45',
        lockupEndDate: '2030-06-29',
      },
      ctx,
    );
    expect(v.discountModel).to.equal('asian-lockup');
    expectDecimalClose(v.discount, '0.20955289', '0.000000005');
    expectDecimalClose(v.fairValue, '7904.4711', '0.0001');
    expect(v.details['lockupYears']).to.equal('5');
  });

  it('applies no lock-up discount once the lock-up end has passed', () => {
    const v = valueHolding(
      { id: 'h3', name: 'C', method: 'listed-locked', closePrice: '10', shares: '100', volatility: '0.45', lockupEndDate: '2025-01-01' },
      ctx,
    );
    expect(v.discount.toString()).to.equal('0');
    expect(v.fairValue.toString()).to.equal('1000');
  });

  it('values an unlisted stake as equity × ownership × (1 − DLOM) with a manual, documented DLOM', () => {
    const v = valueHolding(
      {
        id: 'u1',
        name: 'D',
        method: 'recent-financing',
        postMoneyValue: '500000000',
        calibrationFactor: '0.9',
        ownership: '0.05',
        dlom: { model: 'manual', discount: '0.15', reference: 'IC memo 2025-06' },
      },
      ctx,
    );
    expect(v.equityValue.toString()).to.equal('450000000');
    expect(v.fairValue.toString()).to.equal('19125000'); // 450m × 5% × 85%
    expect(v.discountModel).to.equal('manual');
  });

  it('refuses a manual DLOM without its supporting document', () => {
    const h: HoldingInput = {
      id: 'u2',
      name: 'E',
      method: 'net-assets',
      netAssets: '100',
      ownership: '0.1',
      dlom: { model: 'manual', discount: '0.1', reference: ' ' },
    };
    expect(() => valueHolding(h, ctx)).to.throw(ValuationError, /supporting document/);
  });

  it('uses the Chaffe at-the-money put as DLOM when chosen (σ = 20%, 1 year, r = 5% → 5.5735%)', () => {
    const v = valueHolding(
      {
        id: 'u3',
        name: 'F',
        method: 'net-assets',
        netAssets: '1000000',
        ownership: '1',
        dlom: { model: 'chaffe', volatility: '0.2', yearsToLiquidity: '1', riskFreeRate: '0.05' },
      },
      ctx,
    );
    expectDecimalClose(v.discount, '0.055735260223', '0.000000000001');
    expect(v.discountModel).to.equal('chaffe');
  });

  it('uses the Asian-option model with T = expected time to liquidity when chosen', () => {
    const v = valueHolding(
      {
        id: 'u4',
        name: 'G',
        method: 'net-assets',
        netAssets: '1000',
        ownership: '1',
        dlom: { model: 'asian', volatility: '0.2', yearsToLiquidity: '2' },
      },
      ctx,
    );
    expectDecimalClose(v.discount, '0.06464116', '0.000000005');
  });

  it('prices equity directly with P/E and P/B, and subtracts net debt from enterprise value for EV multiples', () => {
    const pe = valueHolding(
      {
        id: 'm1',
        name: 'H',
        method: 'multiple',
        multipleKind: 'P/E',
        metric: '20000000',
        multiple: '15',
        adjustmentFactor: '0.8',
        ownership: '0.1',
        dlom: none,
      },
      ctx,
    );
    expect(pe.equityValue.toString()).to.equal('240000000');
    expect(pe.fairValue.toString()).to.equal('24000000');
    const ev = valueHolding(
      {
        id: 'm2',
        name: 'I',
        method: 'multiple',
        multipleKind: 'EV/EBITDA',
        metric: '30000000',
        multiple: '10',
        netDebt: '50000000',
        ownership: '0.2',
        dlom: none,
      },
      ctx,
    );
    expect(ev.equityValue.toString()).to.equal('250000000');
    expect(ev.details['enterpriseValue']).to.equal('300000000.00');
    expect(ev.fairValue.toString()).to.equal('50000000');
  });

  it('refuses net debt on an equity multiple, where it would be counted twice', () => {
    const h: HoldingInput = {
      id: 'm3',
      name: 'J',
      method: 'multiple',
      multipleKind: 'P/B',
      metric: '1',
      multiple: '1',
      netDebt: '1',
      ownership: '1',
      dlom: none,
    };
    expect(() => valueHolding(h, ctx)).to.throw(/EV multiples only/);
  });

  it('floors equity at zero when net debt exceeds enterprise value', () => {
    const v = valueHolding(
      {
        id: 'm4',
        name: 'K',
        method: 'multiple',
        multipleKind: 'EV/Sales',
        metric: '10',
        multiple: '1',
        netDebt: '50',
        ownership: '0.5',
        dlom: none,
      },
      ctx,
    );
    expect(v.fairValue.toString()).to.equal('0');
  });

  it('discounts explicit cash flows and a Gordon terminal value in a DCF', () => {
    // FCF 100, 110 at 10%, g = 2%: 100/1.1 + 110/1.21 + 110·1.02/0.08/1.21 = 90.909… + 90.909… + 1159.09…
    const v = valueHolding(
      {
        id: 'c1',
        name: 'L',
        method: 'dcf',
        cashFlows: ['100', '110'],
        discountRate: '0.10',
        terminalGrowth: '0.02',
        netDebt: '41',
        ownership: '1',
        dlom: none,
      },
      ctx,
    );
    const expected = new Dec('100')
      .div('1.1')
      .plus(new Dec('110').div('1.21'))
      .plus(new Dec('110').times('1.02').div('0.08').div('1.21'))
      .minus('41');
    expectDecimalClose(v.fairValue, expected.toFixed(12), '0.000000001');
  });

  it('refuses a DCF whose discount rate does not exceed the terminal growth', () => {
    const h: HoldingInput = {
      id: 'c2',
      name: 'M',
      method: 'dcf',
      cashFlows: ['1'],
      discountRate: '0.02',
      terminalGrowth: '0.02',
      ownership: '1',
      dlom: none,
    };
    expect(() => valueHolding(h, ctx)).to.throw(/must exceed terminalGrowth/);
  });

  it('applies range shocks: prices and equity values move, and a higher volatility raises the discount', () => {
    const locked: HoldingInput = {
      id: 'l',
      name: 'N',
      method: 'listed-locked',
      closePrice: '10',
      shares: '100',
      volatility: '0.4',
      lockupEndDate: '2026-06-30',
    };
    const base = valueHolding(locked, ctx);
    const low = valueHolding(locked, {
      ...ctx,
      shock: { listedPriceFactor: d('0.9'), unlistedValueFactor: d('0.8'), volatilityFactor: 1.25 },
    });
    expect(low.equityValue.toString()).to.equal('900');
    expect(low.discount.gt(base.discount)).to.equal(true);
    expect(low.fairValue.lt(base.fairValue)).to.equal(true);
  });

  it('records each holding with its method, in input order, and refuses duplicate ids', () => {
    const hs: HoldingInput[] = [
      { id: 'a', name: 'A', method: 'listed', closePrice: '1', shares: '1' },
      { id: 'b', name: 'B', method: 'net-assets', netAssets: '10', ownership: '0.5', dlom: none },
    ];
    expect(valueHoldings(hs, ctx).map((v) => [v.id, v.method])).to.deep.equal([
      ['a', 'listed'],
      ['b', 'net-assets'],
    ]);
    expect(() => valueHoldings([...hs, hs[0]!], ctx)).to.throw(/appears twice/);
  });

  it('refuses a JavaScript-number-shaped or malformed decimal, naming the field', () => {
    const h = { id: 'x', name: 'X', method: 'listed', closePrice: '1e3', shares: '10' } as const;
    expect(() => valueHolding(h, ctx)).to.throw(/holding x.closePrice/);
  });
});
