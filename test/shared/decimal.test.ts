import { expect } from 'chai';
import fc from 'fast-check';
import {
  Dec,
  Rounding,
  formatYuan,
  parsePct,
  parseQuantity,
  parseYuan,
  pctToTicks,
  quantityToLots,
  ticksToPct,
  proRata,
  basisPoints,
} from '../../shared/decimal';

describe('decimal module', () => {
  it('refuses JavaScript numbers outright (strict mode)', () => {
    expect(() => new Dec(0.1 as unknown as string)).to.throw();
    expect(() => parseYuan(100)).to.throw(/not a valid yuan amount/);
  });

  it('parses yuan with at most 2 decimals, percent of NAV with at most 2, and whole-yuan quantities', () => {
    expect(parseYuan('12500000.00').toFixed(2)).to.equal('12500000.00');
    for (const bad of ['1.234', '01', '1e5', ' 1', '', '1.', '.5']) expect(() => parseYuan(bad), bad).to.throw();
    expect(parsePct('87.5').toFixed(2)).to.equal('87.50');
    expect(() => parsePct('-1')).to.throw();
    expect(parseQuantity('5000000').toFixed(0)).to.equal('5000000');
    for (const bad of ['0', '-1000000', '1000000.5', '1e6']) expect(() => parseQuantity(bad), bad).to.throw();
  });

  it('rounds half-up to the fen by default and says so when another mode is used', () => {
    expect(formatYuan(new Dec('0.005'))).to.equal('0.01');
    expect(formatYuan(new Dec('0.005'), Rounding.HALF_EVEN)).to.equal('0.00');
    expect(formatYuan(new Dec('-0.005'))).to.equal('-0.01');
  });

  it('converts percent to ticks of 0.01 pp and back exactly, and quantities to whole lots', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99999 }), (t) => {
        const pct = ticksToPct(t as never);
        expect(pctToTicks(new Dec(pct))).to.equal(t);
      }),
    );
    expect(quantityToLots(new Dec('5000000'), new Dec('1000000'))).to.equal(5);
    expect(quantityToLots(new Dec('5500000'), new Dec('1000000'))).to.equal(null);
  });

  it('charges basis points rounded up to the fen and splits pro rata at a named scale', () => {
    expect(basisPoints(new Dec('1000000.01'), new Dec('5')).toFixed(2)).to.equal('500.01');
    expect(proRata(new Dec('100.00'), new Dec('1'), new Dec('3'), 2, Rounding.DOWN).toFixed(2)).to.equal('33.33');
  });
});
