/** Fixed bilingual wording of the confirmation. Chinese first; the Chinese text prevails. */
export interface Label {
  zh: string;
  en: string;
}

export const TITLE: Label = { zh: '交易凭证', en: 'TRANSFER CONFIRMATION' };
export const SUBTITLE: Label = {
  zh: '私募股权投资基金份额转让',
  en: 'Transfer of an interest in a private equity / venture capital fund',
};

export const PREVAILS: Label = {
  zh: '本凭证以中文和英文书就，英文仅供参考；两种文本如有不一致，以中文文本为准。',
  en:
    'This confirmation is made in Chinese with an English version for ' +
    'reference only; in case of any discrepancy, the Chinese text prevails.',
};

export const VERIFY: Label = {
  zh: '核验方法：扫描二维码或访问下列网址，核对凭证编号、状态及本文件的 SHA-256 值。',
  en: 'To verify: scan the QR code or open the URL below and compare the number, status and the SHA-256 of this file.',
};
export const SCAN: Label = { zh: '扫码核验', en: 'Scan to verify' };
export const URL_LABEL: Label = { zh: '核验网址', en: 'Verification URL' };
export const AUDIT_HEAD_LABEL: Label = { zh: '签发时审计锚点', en: 'Audit anchor at issue' };

export const SECTIONS = {
  general: { zh: '一、基本信息', en: '1. General' },
  parties: { zh: '二、交易双方', en: '2. Parties' },
  subject: { zh: '三、转让标的', en: '3. Interest transferred' },
  terms: { zh: '四、交易条件', en: '4. Terms' },
  instalments: { zh: '四之一、分期付款', en: '4a. Payment by instalments' },
  steps: { zh: '五、流程记录', en: '5. Workflow record' },
  review: { zh: '六、交易所审核结论', en: "6. The exchange's review conclusion" },
} satisfies Record<string, Label>;

export const FIELDS = {
  confirmationNumber: { zh: '凭证编号', en: 'Confirmation No.' },
  projectNumber: { zh: '项目（挂牌）编号', en: 'Project / listing No.' },
  contractDate: { zh: '合同签订日期', en: 'Contract date' },
  issuedAt: { zh: '凭证签发时间', en: 'Issued at' },
  listingStartDate: { zh: '挂牌起始日期', en: 'Listing start date' },
  listingEndDate: { zh: '挂牌截止日期', en: 'Listing end date' },
  sellerName: { zh: '转让方（全称）', en: 'Seller (full name)' },
  buyerName: { zh: '受让方（全称）', en: 'Buyer (full name)' },
  fundName: { zh: '标的基金', en: 'Fund' },
  commitment: { zh: '转让认缴出资额（元）', en: 'Commitment (CNY)' },
  paidIn: { zh: '其中：实缴出资额（元）', en: 'Paid-in (CNY)' },
  unfunded: { zh: '其中：未缴出资额（元）', en: 'Unfunded (CNY)' },
  tradingMethod: { zh: '交易方式', en: 'Trading method' },
  paymentMethod: { zh: '价款支付方式', en: 'Payment method' },
  valuationResult: { zh: '评估 / 估值结果', en: 'Appraisal / valuation result' },
  price: { zh: '成交价格', en: 'Price' },
  pctOfNav: { zh: '成交价格占净值比例', en: 'Price as % of NAV' },
  consideration: { zh: '交易价款（元）', en: 'Consideration (CNY)' },
  sellerFee: { zh: '转让方交易费用（元）', en: "Seller's fees (CNY)" },
  buyerFee: { zh: '受让方交易费用（元）', en: "Buyer's fees (CNY)" },
} satisfies Record<string, Label>;

export const INSTALMENT_COLUMNS = {
  number: { zh: '期数', en: 'No.' },
  dueDate: { zh: '到期日', en: 'Due date' },
  amount: { zh: '本金（元）', en: 'Principal (CNY)' },
  interest: { zh: '利息（元）', en: 'Interest (CNY)' },
  paid: { zh: '支付情况', en: 'Paid' },
} satisfies Record<string, Label>;

export const STEP_COLUMNS = {
  index: { zh: '序号', en: 'No.' },
  name: { zh: '流程环节', en: 'Step' },
  date: { zh: '完成日期', en: 'Date' },
  actor: { zh: '经办方', en: 'Actor' },
  result: { zh: '结果', en: 'Result' },
} satisfies Record<string, Label>;

export const CONTINUED: Label = { zh: '（续）', en: '(continued)' };
export const NO_STEPS: Label = { zh: '无流程记录', en: 'No workflow steps recorded' };
export const ISSUER: Label = { zh: '签发机构', en: 'Issued by' };
export const CLOSING: Label = {
  zh: '特此确认。本凭证由交易系统生成，一经签发不再重复签发；如被撤销，以核验网址所示状态为准。',
  en:
    'This is to confirm the above transfer. This confirmation is ' +
    'system-generated and issued once only; if revoked, the status shown at ' +
    'the verification URL prevails.',
};
export const DEFAULT_ISSUER = 'S基金份额转让交易平台 / S-Fund Exchange';

/** Footer: "第 1 页 共 2 页 · Page 1 of 2". */
export function pageOf(page: number, total: number): string {
  return `第 ${page} 页 共 ${total} 页 · Page ${page} of ${total}`;
}

/** Printed in place of a field left empty (e.g. listing dates of a book trade). */
export const EMPTY_VALUE = '—';
