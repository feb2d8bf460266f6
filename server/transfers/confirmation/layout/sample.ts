/**
 * A realistic sample confirmation (state-owned seller, listed auction) used by the tests, the
 * benchmark and for previewing the layout. Not demo-market data.
 */
import type { ConfirmationData } from './types.js';
import { confirmationVerifyUrl } from './verify-url.js';

export function sampleConfirmationData(overrides: Partial<ConfirmationData> = {}): ConfirmationData {
  const confirmationNumber = overrides.confirmationNumber ?? 'JZ-2025-000123';
  return {
    confirmationNumber,
    projectNumber: 'GQ2025BJ000045',
    contractDate: '2025-03-21',
    listingStartDate: '2025-02-10',
    listingEndDate: '2025-03-10',
    issuedAt: '2025-04-02T07:30:00Z',
    sellerName: '北京某某国有资本投资有限公司',
    buyerName: '某某S基金合伙企业（有限合伙）',
    fundName: '北京某某创业投资基金合伙企业（有限合伙）',
    commitment: '50,000,000.00',
    paidIn: '40,000,000.00',
    unfunded: '10,000,000.00',
    tradingMethod: '网络竞价（多次报价） / Online auction (multiple rounds)',
    valuationResult:
      '资产评估值人民币 41,200,000.00 元（评估基准日 2024-12-31，评估报告备案号 京国资评备〔2025〕第 018 号） ' +
      '/ Appraised value CNY 41,200,000.00 (base date 2024-12-31, filing No. 018/2025)',
    price: '人民币 36,050,000.00 元 / CNY 36,050,000.00',
    pctOfNav: '87.50',
    consideration: '36,050,000.00',
    paymentMethod: '交易所结算账户一次性支付（保证金抵作价款） / Lump sum via the exchange escrow account (deposit applied first)',
    sellerFee: '36,050.00',
    buyerFee: '36,050.00',
    steps: [
      { name: '挂牌公告 / Listing published', date: '2025-02-10', actor: '北京某某国有资本投资有限公司', result: '已公告 / Published' },
      { name: '优先购买权通知 / ROFR notice to other LPs', date: '2025-03-12', actor: '交易所 operator1', result: '已放弃 / Waived' },
      { name: '普通合伙人同意 / GP consent', date: '2025-03-14', actor: '某某私募基金管理有限公司', result: '同意 / Consented' },
      { name: '交易所审核 / Operator review', date: '2025-03-17', actor: 'operator1', result: '通过 / Passed' },
      { name: '交易所复核批准 / Operator approval', date: '2025-03-18', actor: 'operator2', result: '批准 / Approved' },
      { name: '签订转让合同 / Contract signed', date: '2025-03-21', actor: '转让方、受让方 / Seller, buyer', result: '已签署 / Signed' },
      {
        name: '价款结算 / Consideration paid',
        date: '2025-03-25',
        actor: '某某S基金合伙企业（有限合伙）',
        result: '银行流水 BR20250325001',
      },
      {
        name: '变更登记 / Registration recorded',
        date: '2025-04-01',
        actor: '市场监督管理局、中国证券投资基金业协会',
        result: '已登记 / Recorded',
      },
    ],
    reviewConclusion:
      '经审核，本次基金份额转让符合法律法规及交易规则的规定，交易双方已履行相关程序，交易价款已结算完毕，份额变更登记已完成。本所予以确认。\nUpon ' +
      'review, this transfer complies with the applicable laws and the ' +
      'exchange rules; both parties completed the required procedures, the ' +
      'consideration has been settled and the change of registration is ' +
      'complete. The exchange hereby confirms the transfer.',
    verificationUrl: confirmationVerifyUrl('https://exchange.example.cn', confirmationNumber),
    exchangeName: '某某股权交易中心 S基金份额转让平台 / XX Equity Exchange — S-Fund Platform',
    ...overrides,
  };
}
