/** reportPricing: the model price and the listing form's suggested ask derived from a valuation report. */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { Dec, HUNDRED, Rounding, type Decimal } from '../../shared/decimal';
import type { FundModel, LpShareInput } from '../../shared/valuation/fund-model';
import { buildValuationReport, type ReportDigest, type ValuationReport } from '../../shared/valuation/report';
import { reportPricing } from '../../server/valuation/pricing';
// Read-only: the listings' first-ask rule is what a suggestion for a first listing must pass.
import { checkFirstAsk } from '../../server/listings/domain/state-owned';
import { SMALL_FUND, SMALL_SHARE } from './fixtures';

const sha256: ReportDigest = { algorithm: 'sha256', digestHex: (s) => createHash('sha256').update(s, 'utf8').digest('hex') };
const { stateOwned: _stateOwned, ...PLAIN_SHARE } = SMALL_SHARE;
const build = (model: FundModel = SMALL_FUND, share: LpShareInput = SMALL_SHARE) => buildValuationReport({ model, share }, sha256);
const stateOwned = (appraisalValue: string) => ({
  ...SMALL_SHARE,
  stateOwned: { appraisalValue, appraisalBaseDate: '2025-03-31', ratio: '0.90' },
});
const firstAskOk = (appraisalValue: string, ask: string) =>
  checkFirstAsk(
    {
      resolutionRef: 'R',
      approvalRef: 'A',
      appraisalRef: 'P',
      appraisalValue,
      appraisalBaseDate: '2025-03-31',
      belowNinetyApprovalRef: null,
    },
    ask,
  ) === null;
/** The model price's % and price agree: price = % × reference NAV, half-up to the fen. */
const priceOfPct = (report: ValuationReport, pct: string) =>
  new Dec(pct).times(new Dec(report.share.referenceNav)).div(HUNDRED).round(2, Rounding.HALF_UP).toFixed(2);
/** A % that covers a price: the least 2-decimal percent of the reference NAV at or above it. */
const covers = (report: ValuationReport, pct: string, price: string) => {
  const at = (p: Decimal) => p.times(new Dec(report.share.referenceNav)).div(HUNDRED);
  return at(new Dec(pct)).gte(new Dec(price)) && at(new Dec(pct).minus(new Dec('0.01'))).lt(new Dec(price));
};

describe('valuation / report pricing (model price and suggested ask)', () => {
  it('suggests the model price (12% buyer IRR) when no appraisal applies, price and % agreeing', () => {
    const report = build(SMALL_FUND, PLAIN_SHARE);
    const p = reportPricing(report);
    expect(p).to.deep.include({
      modelIrr: '0.12',
      modelPct: '99.35',
      suggestedAskPct: '99.35',
      suggestedAskBasis: 'model-price',
      floorPct: null,
    });
    expect(p.suggestedAskPrice).to.equal(priceOfPct(report, '99.35'));
  });

  it('keeps the model price for a state-owned share when it is at least the appraisal', () => {
    const p = reportPricing(build(SMALL_FUND, stateOwned('35000000.00')));
    expect(p).to.deep.include({ suggestedAskPct: '99.35', suggestedAskBasis: 'model-price' });
    expect(firstAskOk('35000000.00', p.suggestedAskPrice!)).to.equal(true);
  });

  it(
    'raises a state-owned suggestion to the appraisal itself, not merely to ' +
      'the floor (appraisal × 0.90), so a first listing accepts it',
    () => {
      // Model price 35,766,000 lies between the floor (34,200,000) and the appraisal (38,000,000).
      const report = build(SMALL_FUND, stateOwned('38000000.00'));
      const p = reportPricing(report);
      expect(p.suggestedAskBasis).to.equal('state-owned-appraisal');
      expect(p.suggestedAskPct).to.equal('105.56'); // 38,000,000 / 36,000,000 = 105.555…% rounded up
      expect(p.suggestedAskPrice).to.equal('38000000.00');
      expect(covers(report, '105.56', '38000000.00')).to.equal(true);
      expect(firstAskOk('38000000.00', p.suggestedAskPrice!)).to.equal(true);
      expect(p.floorPct).to.equal('95.00'); // the floor stays reported: the lowest reprice without consent
    },
  );

  it('gives no % but the appraisal itself when the reference NAV is not positive, and nothing without an appraisal', () => {
    const model = { ...SMALL_FUND, holdings: [], cash: '0', liabilities: '100', navReport: { ...SMALL_FUND.navReport, nav: '-100' } };
    const so = reportPricing(build(model, stateOwned('38000000.00')));
    expect(so).to.deep.equal({
      modelIrr: '0.12',
      modelPct: null,
      suggestedAskPct: null,
      suggestedAskPrice: '38000000.00',
      suggestedAskBasis: 'state-owned-appraisal',
      floorPct: null,
    });
    const plain = reportPricing(build(model, PLAIN_SHARE));
    expect(plain).to.deep.include({ modelPct: null, suggestedAskPct: null, suggestedAskPrice: null, suggestedAskBasis: 'none' });
  });

  it(
    'never suggests a state-owned ask below the appraisal, and never a % ' +
      'that disagrees with the price (any NAV, model price, appraisal)',
    () => {
      const base = build();
      const money = fc.bigInt({ min: 1n, max: 10n ** 12n }).map((n) => new Dec(n.toString()).div(HUNDRED).toFixed(2));
      fc.assert(
        fc.property(
          fc.oneof(
            money,
            money.map((m) => `-${m}`),
            fc.constant('0.00'),
          ),
          fc.option(fc.integer({ min: -50_000, max: 1_200_000 }).map((n) => new Dec(String(n)).div(HUNDRED).toFixed(2))),
          money,
          (referenceNav, modelPct, appraisal) => {
            const floor = new Dec(appraisal).times(new Dec('0.9')).round(2, Rounding.UP).toFixed(2);
            const report: ValuationReport = {
              ...base,
              share: { ...base.share, referenceNav },
              irrGrid: [{ irr: '0.12', price: '0.00', pctOfNav: modelPct, discountPct: null }],
              stateOwnedFloor: { ok: true, appraisalValue: appraisal, floor, ratio: '0.9', validThrough: '2026-03-30', approvalRef: null },
            };
            const p = reportPricing(report);
            expect(p.suggestedAskBasis).to.not.equal('none');
            expect(firstAskOk(appraisal, p.suggestedAskPrice!), JSON.stringify(p)).to.equal(true);
            if (p.suggestedAskBasis === 'state-owned-appraisal') {
              expect(p.suggestedAskPrice).to.equal(appraisal);
              if (p.suggestedAskPct !== null) expect(covers(report, p.suggestedAskPct, appraisal), JSON.stringify(p)).to.equal(true);
            } else if (p.suggestedAskPct !== null) {
              expect(p.suggestedAskPrice).to.equal(priceOfPct(report, p.suggestedAskPct));
            } else {
              expect(p).to.deep.include({ suggestedAskBasis: 'state-owned-appraisal', suggestedAskPrice: appraisal });
            }
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});
