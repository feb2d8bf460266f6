import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Dec, HUNDRED, Rounding, type Decimal } from '../../shared/decimal';
import { DEFAULT_VALUATION_SETTINGS, type FundModel } from '../../shared/valuation/fund-model';
import { ValuationError } from '../../shared/valuation/numeric';
import { priceAt, project } from '../../shared/valuation/projection';
import {
  buildValuationReport,
  reportCanonicalJson,
  verifyReportHash,
  type ReportDigest,
  type ValuationReportInput,
} from '../../shared/valuation/report';
import { parseFlowInputs, runEuropeanWaterfall } from '../../shared/valuation/waterfall';
import { SMALL_FUND, SMALL_SHARE } from './fixtures';

const EXAMPLE: ValuationReportInput = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'examples', 'model.json'), 'utf8'));

const sha256: ReportDigest = { algorithm: 'sha256', digestHex: (s) => createHash('sha256').update(s, 'utf8').digest('hex') };
const num = (s: string | null): number => Number(s);
const build = (model: FundModel = SMALL_FUND, settings = {}) => buildValuationReport({ model, share: SMALL_SHARE, settings }, sha256);

describe('valuation / the fund valuation report', () => {
  it('is reproducible: the same inputs give the same report and the same content hash', () => {
    const a = build();
    const b = build(structuredClone(SMALL_FUND));
    expect(b).to.deep.equal(a);
    expect(a.contentHash.hex).to.match(/^[0-9a-f]{64}$/);
  });

  it('hashes content, not key order: a model written in another key order hashes the same', () => {
    const reordered = Object.fromEntries(Object.entries(SMALL_FUND).reverse()) as unknown as FundModel;
    expect(build(reordered).contentHash.hex).to.equal(build().contentHash.hex);
  });

  it('carries a SHA-256 of its canonical JSON that detects any change', () => {
    const report = build();
    expect(report.contentHash.hex).to.equal(sha256.digestHex(reportCanonicalJson(report)));
    expect(verifyReportHash(report, sha256)).to.equal(true);
    const tampered = { ...report, share: { ...report.share, fairValue: { ...report.share.fairValue, base: '1.00' } } };
    expect(verifyReportHash(tampered, sha256)).to.equal(false);
  });

  it('echoes every input and the resolved settings', () => {
    const report = build();
    expect(report.inputs.model).to.deep.equal(SMALL_FUND);
    expect(report.inputs.share).to.deep.equal(SMALL_SHARE);
    expect(report.inputs.settings).to.deep.equal(DEFAULT_VALUATION_SETTINGS);
  });

  it("states each holding's method, discount model and fair value, in input order", () => {
    const report = build();
    expect(report.holdings.map((h) => [h.id, h.method, h.discountModel])).to.deep.equal([
      ['h-listed', 'listed', 'none'],
      ['h-locked', 'listed-locked', 'asian-lockup'],
      ['h-round', 'recent-financing', 'asian'],
      ['h-multiple', 'multiple', 'chaffe'],
      ['h-dcf', 'dcf', 'manual'],
      ['h-assets', 'net-assets', 'none'],
    ]);
    expect(report.holdings[0]!.fairValue).to.equal('101600000.00');
  });

  it('rolls the reported NAV forward by the mark changes and shows the bottom-up cross-check', () => {
    const { fundNav } = build();
    // Only the two listed holdings carry a reported value: (101.6m − 95m) + (95.727…m − 90m).
    expect(fundNav.markChanges).to.equal('12327131.12');
    expect(fundNav.rolledForward).to.equal('732327131.12');
    expect(fundNav.adjusted).to.equal(fundNav.rolledForward);
    expect(build(SMALL_FUND, { navBasis: 'bottom-up' }).fundNav.adjusted).to.equal(fundNav.bottomUp);
  });

  it("values the share as its fraction of the LPs' hypothetical-liquidation value, net of accrued carry", () => {
    const { waterfall, share } = build();
    expect(share.fraction).to.equal('0.050000000000');
    expect(num(waterfall.lpValue) + num(waterfall.accruedCarry)).to.be.closeTo(num(waterfall.liquidationAmount), 0.011);
    expect(num(share.fairValue.base)).to.be.closeTo(num(waterfall.lpValue) * 0.05, 0.011);
  });

  it('warns when the holdings do not explain the reported NAV', () => {
    expect(build().warnings.some((w) => w.startsWith('the bottom-up NAV differs from the rolled-forward NAV by'))).to.equal(true);
  });

  it('brackets the base fair value: low ≤ base ≤ high', () => {
    const { fairValue } = build().share;
    expect(num(fairValue.low)).to.be.below(num(fairValue.base));
    expect(num(fairValue.base)).to.be.below(num(fairValue.high));
  });

  it('gives the default IRR grid (10/12/15/20%) as % of NAV and discount, prices falling as the IRR rises', () => {
    const { irrGrid } = build();
    expect(irrGrid.map((p) => p.irr)).to.deep.equal(['0.10', '0.12', '0.15', '0.20']);
    for (let i = 1; i < irrGrid.length; i++) expect(num(irrGrid[i]!.pctOfNav)).to.be.below(num(irrGrid[i - 1]!.pctOfNav));
    for (const p of irrGrid) expect(new Dec(p.discountPct!).plus(new Dec(p.pctOfNav!)).toFixed(2)).to.equal('100.00');
  });

  it('prices the share at its base fair value when the target IRR equals the projected growth', () => {
    const report = build(SMALL_FUND, { targetIrrs: ['0.12'] });
    expect(report.irrGrid[0]!.price).to.equal(report.share.fairValue.base);
  });

  it('gives a 5×5 sensitivity of % of NAV to NAV change (rows, rising) and IRR (columns, falling)', () => {
    const { sensitivity } = build();
    expect(sensitivity.navChanges).to.have.length(5);
    expect(sensitivity.irrs).to.have.length(5);
    const grid = sensitivity.pctOfNav.map((row) => row.map(num));
    for (let i = 0; i < 5; i++) {
      for (let j = 1; j < 5; j++) expect(grid[i]![j]).to.be.below(grid[i]![j - 1]!);
      if (i > 0) expect(grid[i]![0]).to.be.above(grid[i - 1]![0]!);
    }
  });

  it('includes the state-owned appraisal and floor (appraisal × ratio), valid through the day before the anniversary', () => {
    const floor = build().stateOwnedFloor;
    expect(floor).to.deep.equal({
      ok: true,
      appraisalValue: '38000000.00',
      floor: '34200000.00',
      ratio: '0.9',
      validThrough: '2026-03-30',
      approvalRef: null,
    });
  });

  it('reports the appraisal as expired from its anniversary on, as the listings do', () => {
    const onAnniversary = buildValuationReport({ model: { ...SMALL_FUND, valuationDate: '2026-03-31' }, share: SMALL_SHARE }, sha256);
    expect(onAnniversary.stateOwnedFloor).to.deep.include({ ok: false, code: 'APPRAISAL_EXPIRED' });
  });

  it('reports an expired appraisal as a coded result rather than a floor', () => {
    const report = buildValuationReport({ model: { ...SMALL_FUND, valuationDate: '2026-06-30' }, share: SMALL_SHARE }, sha256);
    expect(report.stateOwnedFloor).to.deep.include({ ok: false, code: 'APPRAISAL_EXPIRED' });
  });

  it('gives each sensitivity row the price from the waterfall run at the shocked NAV, not the base share value scaled', () => {
    const report = buildValuationReport(EXAMPLE, sha256);
    const m = EXAMPLE.model;
    const terms = { hurdle: new Dec(m.waterfall.hurdle), catchUp: new Dec(m.waterfall.catchUp), carry: new Dec(m.waterfall.carry) };
    const history = parseFlowInputs(m.waterfall.history, 'history');
    const age = m.projection.ageYears;
    const gpOf = (flows: typeof history) => runEuropeanWaterfall(terms, flows).gpTotal;
    const fraction = new Dec(report.share.fraction);
    const referenceNav = new Dec(report.share.referenceNav);
    const params = {
      commitment: Number(EXAMPLE.share.commitment),
      callRates: m.projection.callRates.map(Number),
      lifeYears: m.projection.lifeYears,
      bow: Number(m.projection.bow),
      growth: Number(m.projection.growth),
      yieldFloor: Number(m.projection.yield),
    };
    const pctAt = (shareValue: Decimal, irr: string) => {
      const projection = project(params, { ageYears: age, nav: Number(shareValue.toString()), paidIn: Number(EXAMPLE.share.paidIn) });
      const price = new Dec(String(priceAt(projection, Number(irr)))).round(12, Rounding.HALF_UP);
      return price.times(HUNDRED).div(referenceNav).round(2, Rounding.HALF_UP).toFixed(2);
    };
    const { navChanges, irrs, pctOfNav } = report.sensitivity;
    navChanges.forEach((change, i) => {
      const shockedNav = new Dec(report.fundNav.adjusted).times(new Dec('1').plus(new Dec(change)));
      // Explicitly: the shocked NAV distributed in the valuation year on top of the actual history.
      const carry = gpOf([...history, { year: age, call: new Dec('0'), distribution: shockedNav }]).minus(gpOf(history));
      const shareValue = shockedNav.minus(carry).times(fraction);
      expect(pctOfNav[i], `NAV change ${change}`).to.deep.equal(irrs.map((irr) => pctAt(shareValue, irr)));
      if (change === '0') expect(pctOfNav[i]![1]).to.equal(report.irrGrid[1]!.pctOfNav); // 12%: the grid's model price
    });
    // The carry makes the LP value non-linear in the NAV, so scaling the base value would differ.
    const last = navChanges.length - 1;
    const scaled = new Dec(report.share.fairValue.base).times(new Dec('1').plus(new Dec(navChanges[last]!)));
    expect(pctOfNav[last]![0]).to.not.equal(pctAt(scaled, irrs[0]!));
  });

  it('refuses a target or sensitivity IRR whose price overflows with INVALID_INPUT naming the IRR, never a plain Error', () => {
    const long = { ...SMALL_FUND, projection: { ...SMALL_FUND.projection, lifeYears: 100 } };
    expect(() => build(long, { targetIrrs: ['0.12', '-0.999999'] })).to.throw(ValuationError, /settings\.targetIrrs\[1\] = -0\.999999/);
    expect(() => build(long, { sensitivityIrrs: ['-0.999999'] })).to.throw(ValuationError, /settings\.sensitivityIrrs\[0\] = -0\.999999/);
    try {
      build(long, { targetIrrs: ['-0.999999'] });
      expect.fail('no error');
    } catch (e) {
      expect(e).to.be.instanceOf(ValuationError);
      expect((e as ValuationError).code).to.equal('INVALID_INPUT');
    }
  });

  it('gives no % of NAV or discount when the reference NAV is zero or negative, and says why', () => {
    for (const nav of ['0', '-100']) {
      const model = {
        ...SMALL_FUND,
        holdings: [],
        cash: '0',
        liabilities: nav === '0' ? '0' : '100',
        navReport: { ...SMALL_FUND.navReport, nav },
      };
      const report = build(model, { navBasis: 'bottom-up' });
      expect(report.share.fairValuePctOfNav, nav).to.deep.equal({ low: null, base: null, high: null });
      for (const p of report.irrGrid) expect([p.pctOfNav, p.discountPct], nav).to.deep.equal([null, null]);
      for (const row of report.sensitivity.pctOfNav)
        expect(
          row.every((c) => c === null),
          nav,
        ).to.equal(true);
      expect(report.warnings, nav).to.include('the reference NAV is not positive: no price is given as % of NAV or as a discount');
    }
  });

  it('refuses inconsistent inputs with INVALID_INPUT naming the field', () => {
    const late = {
      ...SMALL_FUND,
      waterfall: { ...SMALL_FUND.waterfall, history: [...SMALL_FUND.waterfall.history, { year: 6, distribution: '1' }] },
    };
    expect(() => build(late)).to.throw(ValuationError, /waterfall.history/);
    expect(() => buildValuationReport({ model: SMALL_FUND, share: { ...SMALL_SHARE, commitment: '2000000000' } }, sha256)).to.throw(
      /share.commitment/,
    );
  });

  it('caps the American accrued carry at the whole-fund carry (the clawback settles on liquidation)', () => {
    const american: FundModel = {
      ...SMALL_FUND,
      waterfall: {
        ...SMALL_FUND.waterfall,
        kind: 'american',
        deals: [
          {
            id: 'd1',
            holdingIds: ['h-listed', 'h-locked'],
            flows: [
              { year: 1, call: '150000000' },
              { year: 4, distribution: '100000000' },
            ],
          },
          {
            id: 'd2',
            holdingIds: ['h-round'],
            flows: [
              { year: 2, call: '100000000' },
              { year: 5, distribution: '150000000' },
            ],
          },
        ],
      },
    };
    const a = build(american);
    expect(num(a.waterfall.accruedCarry)).to.be.at.most(num(build().waterfall.accruedCarry) + 0.01);
  });
});
