/**
 * The valuation report as a bilingual PDF (Chinese, with English) for a state-owned seller's file:
 * A4, 1–3 pages: inputs summary, fair value range, IRR grid, sensitivity, holdings with their
 * methods, the state-owned floor and suggested ask when present, and the content hash.
 * Uses the confirmation's CJK font, parsed once per process (server/pdf/fonts.ts).
 */
import { FONT_REGULAR, openDocument, registerConfirmationFonts, type Doc, type PdfWorkerPool } from '../pdf';
import type { ValuationReport } from '../../shared/valuation/report';
import type { ReportPricing } from './pricing';

const MARGIN = 40;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const WIDTH = PAGE_W - 2 * MARGIN;
const ROW = 12;

const METHOD_LABEL: Record<string, string> = {
  listed: '上市流通 Listed',
  'listed-locked': '限售股(亚式期权) Locked-up',
  'recent-financing': '近期融资 Recent round',
  multiple: '市场乘数 Multiple',
  dcf: '现金流折现 DCF',
  'net-assets': '净资产 Net assets',
};

/** Why the suggested ask is what it is (ReportPricing.suggestedAskBasis), for the reader. */
const BASIS_LABEL: Record<ReportPricing['suggestedAskBasis'], string> = {
  'model-price': '模型价格 the model price',
  'state-owned-appraisal': '首次挂牌不低于评估值 raised to the filed appraisal (a first listing may not be below it)',
  none: '无 no model price',
};

const pctOrDash = (s: string | null | undefined) => (s === null || s === undefined ? '—' : `${s}%`);
const rate = (s: string) => `${(Number(s) * 100).toFixed(1)}%`; // display only

class Writer {
  y = MARGIN;
  constructor(readonly doc: Doc) {}

  ensure(height: number): void {
    if (this.y + height > PAGE_H - MARGIN) {
      this.doc.addPage();
      this.y = MARGIN;
    }
  }

  text(s: string, size = 8.5, opts: { indent?: number; color?: string } = {}): void {
    const w = WIDTH - (opts.indent ?? 0);
    this.doc.fontSize(size).fillColor(opts.color ?? '#000');
    const h = this.doc.heightOfString(s, { width: w });
    this.ensure(h);
    this.doc.text(s, MARGIN + (opts.indent ?? 0), this.y, { width: w, lineBreak: true });
    this.y += h + 2;
  }

  heading(s: string): void {
    this.ensure(ROW * 3);
    this.y += 2;
    this.doc.fontSize(10).fillColor('#1a3d7c').text(s, MARGIN, this.y, { width: WIDTH, lineBreak: false });
    this.y += 13;
    this.doc
      .moveTo(MARGIN, this.y - 2)
      .lineTo(MARGIN + WIDTH, this.y - 2)
      .lineWidth(0.5)
      .strokeColor('#1a3d7c')
      .stroke();
  }

  /** A table row: cells at the given column widths (fractions of the width), left or right aligned. */
  row(cells: readonly string[], widths: readonly number[], opts: { header?: boolean; align?: readonly ('left' | 'right')[] } = {}): void {
    this.ensure(ROW);
    this.doc.fontSize(opts.header ? 7.5 : 7.5).fillColor(opts.header ? '#555' : '#000');
    let x = MARGIN;
    cells.forEach((c, i) => {
      const w = widths[i]! * WIDTH;
      this.doc.text(c, x + 2, this.y + 2, {
        width: w - 4,
        height: ROW - 2,
        align: opts.align?.[i] ?? 'left',
        lineBreak: false,
        ellipsis: true,
      });
      x += w;
    });
    this.y += ROW;
    if (opts.header)
      this.doc
        .moveTo(MARGIN, this.y - 1)
        .lineTo(MARGIN + WIDTH, this.y - 1)
        .lineWidth(0.3)
        .strokeColor('#999')
        .stroke();
  }
}

export interface PdfContext {
  fundNameEn?: string;
  shareDescription?: string;
  pricing?: ReportPricing;
}

export async function renderValuationPdf(report: ValuationReport, ctx: PdfContext = {}): Promise<Buffer> {
  const { doc, bytes } = openDocument({
    size: 'A4',
    margin: MARGIN,
    autoFirstPage: true,
    info: {
      Title: `基金份额估值报告 Fund Share Valuation Report — ${report.fundId}`,
      Author: 'S-fund exchange',
      CreationDate: new Date(`${report.valuationDate}T00:00:00Z`),
    },
  });
  registerConfirmationFonts(doc);
  doc.font(FONT_REGULAR);
  const w = new Writer(doc);
  const m = report.inputs.model;
  const s = report.inputs.settings;

  w.text('基金份额估值报告', 16);
  w.text('Fund Share Valuation Report', 11, { color: '#444' });
  w.text(`${report.fundName}${ctx.fundNameEn ? `  ${ctx.fundNameEn}` : ''}`, 9.5);
  w.text(
    `估值基准日 Valuation date: ${report.valuationDate}    净值报告日 NAV reference date: ${m.navReport.referenceDate}` +
      `    基金编号 Fund id: ${report.fundId}`,
  );
  w.text(
    `估值份额 Share valued: 认缴 commitment ${report.share.commitment} 元, 实缴 paid in ${report.share.paidIn}` +
      ` 元, 未缴 unfunded ${report.share.unfunded} 元 (占基金 fraction ${report.share.fraction}` +
      `)`,
  );
  if (ctx.shareDescription) w.text(`份额依据 Basis: ${ctx.shareDescription}`, 7.5, { color: '#444' });

  w.heading('一、输入摘要 Inputs summary');
  w.text(
    `基金认缴总额 Total commitment ${m.totalCommitment} 元; 报告净值 Reported NAV ${m.navReport.nav}` +
      ` 元; 实缴 Paid in ${m.navReport.paidIn} 元; 累计分配 Distributions ${m.navReport.cumulativeDistributions}` +
      ` 元`,
  );
  w.text(
    `现金 Cash ${m.cash} 元; 负债 Liabilities ${m.liabilities} 元; 报告后出资/分配 ` +
      `Calls/distributions since report ${m.sinceReport.calls} / ${m.sinceReport.distributions}` +
      ` 元`,
  );
  w.text(
    `分配瀑布 Waterfall: ${m.waterfall.kind === 'european' ? '整体基金（欧式）European' : '逐项目（美式）American'}` +
      `, 门槛收益 hurdle ${rate(m.waterfall.hurdle)}, 追补 catch-up ${rate(m.waterfall.catchUp)}` +
      `, 业绩报酬 carry ${rate(m.waterfall.carry)}`,
  );
  w.text(
    `现金流预测 Projection (Takahashi–Alexander): 基金年龄 age ${m.projection.ageYears}` +
      ` 年, 存续期 life ${m.projection.lifeYears} 年, 增长 G ${rate(m.projection.growth)}` +
      `, 弯曲 B ${m.projection.bow}, 收益下限 Y ${rate(m.projection.yield)}, 出资比例 call rates ${m.projection.callRates.join(' / ')}`,
  );
  w.text(
    `设置 Settings: 净值基础 NAV basis ${s.navBasis}; 限售期年天数 lock-up days/year ${s.lockupDaysPerYear}` +
      `; 区间冲击 range shocks 上市价格 listed ±${rate(s.range.listedPriceShock)}` +
      `, 非上市价值 unlisted ±${rate(s.range.unlistedValueShock)}, 波动率 volatility ±${rate(s.range.volatilityShock)}`,
  );

  w.heading('二、公允价值区间 Fair value range');
  const fv = report.share.fairValue;
  const fp = report.share.fairValuePctOfNav;
  const cols3 = [0.34, 0.22, 0.22, 0.22];
  w.row(['', '低 Low', '基准 Base', '高 High'], cols3, { header: true, align: ['left', 'right', 'right', 'right'] });
  w.row(['份额公允价值 Fair value of the share (元)', fv.low, fv.base, fv.high], cols3, { align: ['left', 'right', 'right', 'right'] });
  w.row(['占净值 % of reference NAV', pctOrDash(fp.low), pctOrDash(fp.base), pctOrDash(fp.high)], cols3, {
    align: ['left', 'right', 'right', 'right'],
  });
  const n = report.fundNav;
  w.text(
    `基金净值 Fund NAV: 报告 reported ${n.reported}, 估值调整 mark changes ${n.markChanges}` +
      `, 滚动调整后 rolled forward ${n.rolledForward}, 自下而上 bottom-up ${n.bottomUp}` +
      `, 差异 reconciliation difference ${n.reconciliationDifference}, 采用 adjusted ${n.adjusted}` +
      ` 元`,
  );
  w.text(
    `假设清算 Hypothetical liquidation: LP 价值 LP value ${report.waterfall.lpValue}` +
      ` 元, 计提业绩报酬 accrued carry ${report.waterfall.accruedCarry} 元; 份额参考净值 ` +
      `reference NAV ${report.share.referenceNav} 元; 按净值买入的IRR buyer IRR at ` +
      `100% of NAV ${report.share.irrAtReferenceNav === null ? '—' : rate(report.share.irrAtReferenceNav)}`,
  );

  w.heading('三、目标收益率价格表 IRR grid (price as % of NAV and discount)');
  const gridCols = [0.25, 0.25, 0.25, 0.25];
  w.row(['买方目标IRR Buyer IRR', '价格 Price (元)', '占净值 % of NAV', '折价 Discount'], gridCols, {
    header: true,
    align: ['left', 'right', 'right', 'right'],
  });
  for (const p of report.irrGrid)
    w.row([rate(p.irr), p.price, pctOrDash(p.pctOfNav), pctOrDash(p.discountPct)], gridCols, {
      align: ['left', 'right', 'right', 'right'],
    });

  w.heading('四、敏感性分析 Sensitivity: price as % of NAV by NAV change (rows) and buyer IRR (columns)');
  const sens = report.sensitivity;
  const sensCols = [0.2, ...sens.irrs.map(() => 0.8 / sens.irrs.length)];
  const right = sensCols.map((_, i) => (i === 0 ? 'left' : 'right') as 'left' | 'right');
  w.row(['净值变动 NAV change', ...sens.irrs.map(rate)], sensCols, { header: true, align: right });
  sens.navChanges.forEach((c, i) =>
    w.row([`${Number(c) > 0 ? '+' : ''}${rate(c)}`, ...(sens.pctOfNav[i] ?? []).map(pctOrDash)], sensCols, { align: right }),
  );

  w.heading('五、投资组合及估值方法 Holdings and valuation methods');
  const hCols = [0.3, 0.25, 0.09, 0.18, 0.18];
  const hAlign = ['left', 'left', 'right', 'right', 'right'] as const;
  w.row(['企业 Company', '方法 Method', '折扣 Disc.', '公允价值 Fair value', '报告值 Reported'], hCols, { header: true, align: hAlign });
  for (const h of report.holdings) {
    w.row(
      [h.name, METHOD_LABEL[h.method] ?? h.method, `${(Number(h.discount) * 100).toFixed(2)}%`, h.fairValue, h.reportedValue ?? '—'],
      hCols,
      { align: hAlign },
    );
  }
  w.text(`持仓公允价值合计 Holdings at fair value: ${n.holdingsFairValue} 元`, 8);

  if (report.stateOwnedFloor || ctx.pricing) w.heading('六、国有底价与建议挂牌价 State-owned floor and suggested ask');
  const f = report.stateOwnedFloor;
  if (f?.ok) {
    w.text(
      `评估值 Filed appraisal ${f.appraisalValue} 元 (首次挂牌价不得低于评估值 a first ` +
        `listing may not be priced below it); 评估有效期至 appraisal valid through ${f.validThrough}`,
    );
    w.text(
      `国有底价 Floor (最低调价 lowest reprice) = 评估值 × ${f.ratio} = ${f.floor} 元${f.approvalRef ? `; 批准文件 approval ${f.approvalRef}` : ''}`,
    );
  } else if (f) w.text(`国有底价无法确定 No floor: ${f.code} — ${f.detail}`);
  if (ctx.pricing) {
    const p = ctx.pricing;
    w.text(
      `模型价格 Model price (buyer IRR ${rate(p.modelIrr)}): ${pctOrDash(p.modelPct)}` +
        `; 建议挂牌价 Suggested ask: ${pctOrDash(p.suggestedAskPct)} = ${p.suggestedAskPrice ?? '—'}` +
        ` 元 (${BASIS_LABEL[p.suggestedAskBasis]})`,
    );
  }
  for (const warning of report.warnings) w.text(`注意 Warning: ${warning}`, 7.5, { color: '#8a1c1c' });

  w.heading('七、内容哈希 Content hash');
  w.text(`${report.contentHash.algorithm}: ${report.contentHash.hex}`, 8);
  w.text(
    '同一输入得出同一报告；哈希覆盖报告全部内容（含全部输入与设置）。The same inputs give the same report; ' +
      'the hash covers its whole content, every input and setting included.',
    7,
    { color: '#444' },
  );
  doc.end();
  return bytes;
}

/** The module a PDF worker loads to render valuation reports (server/pdf/registry.ts). */
export const VALUATION_RENDERER_MODULE = require.resolve('./valuation-pdf-renderer');

/** Same bytes as renderValuationPdf, computed in one of the pool's workers. */
export function renderValuationInWorker(pool: PdfWorkerPool, report: ValuationReport, context: PdfContext = {}): Promise<Buffer> {
  return pool.render('valuation', { report, context });
}
