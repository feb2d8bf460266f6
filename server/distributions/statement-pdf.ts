/**
 * An LP's statement of an in-kind distribution (实物分配对账单), bilingual (Chinese, with English), A4,
 * one page: the fund, the LP, the security, the record date and reference price, what the LP
 * received (whole shares, shares paid in cash, cash in lieu), the allocation rule and the approval.
 * Uses the confirmation's CJK font, parsed once per worker (server/confirmations/fonts.ts), and is
 * rendered in the PDF worker pool like the valuation report.
 */
import { FONT_REGULAR, openDocument, registerConfirmationFonts } from '../confirmations';

export interface InKindStatementData {
  distributionId: string;
  fundId: string;
  fundName: string;
  fundNameEn: string;
  lp: { orgId: string; name: string; nameEn: string };
  security: { code: string; name: string; market: string };
  recordDate: string;
  referencePrice: string;
  totalShares: string;
  allocation: { eligible: boolean; entitlement: string; shares: string; sharesInLieu: string; cashInLieu: string };
  approvedAt: string;
  approvedBy: string;
}

const MARGIN = 50;
const WIDTH = 595.28 - 2 * MARGIN;

export async function renderInKindStatementPdf(s: InKindStatementData): Promise<Buffer> {
  const { doc, bytes } = openDocument({
    size: 'A4',
    margin: MARGIN,
    autoFirstPage: true,
    info: {
      Title: `实物分配对账单 In-kind Distribution Statement — ${s.distributionId}`,
      Author: 'S-fund exchange',
      CreationDate: new Date(s.approvedAt),
    },
  });
  registerConfirmationFonts(doc);
  doc.font(FONT_REGULAR);
  let y = MARGIN;
  const line = (text: string, size = 9.5, color = '#000') => {
    doc.fontSize(size).fillColor(color);
    const h = doc.heightOfString(text, { width: WIDTH });
    doc.text(text, MARGIN, y, { width: WIDTH });
    y += h + 4;
  };
  const heading = (text: string) => {
    y += 6;
    line(text, 11, '#1a3d7c');
  };

  line('基金实物分配股票对账单', 16);
  line('Statement of In-kind Distribution of Listed Shares', 11, '#444');
  line(`分配编号 Distribution: ${s.distributionId}`, 8.5, '#444');
  heading('基金 Fund');
  line(`${s.fundName}  ${s.fundNameEn} (${s.fundId})`);
  heading('投资人 Limited partner');
  line(`${s.lp.name}  ${s.lp.nameEn} (${s.lp.orgId})`);
  heading('证券 Security');
  line(`${s.security.name}  代码 Code ${s.security.code}  市场 Market ${s.security.market}`);
  line(
    `权益登记日 Record date: ${s.recordDate}    参考价格 Reference price: ${s.referencePrice} 元/股 yuan per share    ` +
      `分配总股数 Shares distributed: ${s.totalShares}`,
  );
  heading('本投资人所得 What you receive');
  const a = s.allocation;
  line(`按实缴出资比例应得 Entitlement pro rata to paid-in capital: ${a.entitlement} 股 shares`);
  line(`实物分配股数 Shares delivered: ${a.shares} 股 shares`);
  line(`以现金替代的股数 Shares paid in cash: ${a.sharesInLieu} 股 shares`);
  line(`现金替代金额 Cash in lieu: ${a.cashInLieu} 元 yuan`);
  if (!a.eligible)
    line(
      '贵方不得接收该证券（公司控制人、董事、监事、高级管理人员或不能持有上市股票），全部以现金替代。' +
        'You may not receive the shares (an insider of the company, or unable to hold listed shares): your entitlement is paid in cash.',
      8.5,
      '#8a1c1c',
    );
  heading('分配规则 Allocation rule');
  line(
    '按权益登记日实缴出资比例分配整数股（向下取整）；零碎股及不得接收者的份额按参考价格以现金替代（四舍五入至分）；各方所得股数与现金替代股数之和等于分配总股数。' +
      ' Whole shares pro rata to paid-in capital at the record date, rounded down; fractions and the entitlements of recipients ' +
      'who may not receive shares are paid in cash at the reference price (half-up to the fen); ' +
      'shares delivered plus shares paid in cash add up to the shares distributed exactly.',
    8.5,
    '#333',
  );
  heading('审批 Approval');
  line(`交易所批准 Approved by the exchange: ${s.approvedBy}, ${s.approvedAt}`);
  doc.end();
  return bytes;
}
