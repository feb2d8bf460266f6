/**
 * Input of the transfer confirmation (交易凭证) PDF, domain.md "The transfer workflow" item 6.
 *
 * Every value is a string that the caller has already formatted for print: money as a decimal
 * string (e.g. "12,500,000.00" or "12500000.00" — never a JS number), dates as the calendar
 * string to show (e.g. "2025-03-14"), enumerations already turned into their bilingual wording
 * (e.g. tradingMethod "网络竞价 / Online auction"). The renderer prints values verbatim; it does
 * no arithmetic and no formatting of its own, so the PDF says exactly what the ledger says.
 *
 * Fields marked "may be empty" print as "—" (e.g. listing dates for a trade on the continuous
 * book, which has no listing). All others must be non-empty.
 */
export interface ConfirmationData {
  /** 凭证编号: the confirmation number, also the key of the public verification URL. */
  confirmationNumber: string;
  /** 项目编号 / 挂牌编号: project or listing number (may be empty for a book trade). */
  projectNumber: string;
  /** 合同签订日期 (may be empty). */
  contractDate: string;
  /** 挂牌起始日期 (may be empty). */
  listingStartDate: string;
  /** 挂牌截止日期 (may be empty). */
  listingEndDate: string;
  /**
   * ISO-8601 instant the confirmation was issued (e.g. "2025-04-01T08:30:00Z"). It is printed in
   * Beijing time (render.ts beijingIssueTime, like the steps' dates) and it is the PDF's
   * CreationDate/ModDate, which keeps the bytes deterministic.
   */
  issuedAt: string;
  /** 转让方全称: seller's full legal name. */
  sellerName: string;
  /** 受让方全称: buyer's full legal name. */
  buyerName: string;
  /** 基金名称: the fund whose share is transferred (full name). */
  fundName: string;
  /** 转让认缴出资额 (yuan, formatted). */
  commitment: string;
  /** 转让实缴出资额 (yuan, formatted). */
  paidIn: string;
  /** 转让未缴出资额 (yuan, formatted). */
  unfunded: string;
  /** 交易方式, bilingual wording, e.g. "网络竞价 / Online auction", "连续竞价 / Continuous book". */
  tradingMethod: string;
  /** 评估或估值结果: appraisal (state-owned) or valuation result, as a sentence or an amount. */
  valuationResult: string;
  /** 成交价格 (formatted, units as the caller prints them). */
  price: string;
  /** 成交价格占基金份额净值比例, percent with 2 decimals, e.g. "87.50" (printed with "%"). */
  pctOfNav: string;
  /** 交易价款 (yuan, formatted). */
  consideration: string;
  /** 支付方式, e.g. "交易所结算账户一次性支付 / Lump sum via the exchange's escrow account". */
  paymentMethod: string;
  /** 分期付款: each instalment of a plan, printed as a table after the terms (absent or empty: no table). */
  instalments?: ConfirmationInstalment[];
  /** 转让方交易服务费 (yuan, formatted). */
  sellerFee: string;
  /** 受让方交易服务费 (yuan, formatted). */
  buyerFee: string;
  /** 流程记录: each workflow step with its date and actor, in order. */
  steps: ConfirmationStep[];
  /** 交易所审核结论: the exchange's review conclusion (free text, may span lines). */
  reviewConclusion: string;
  /**
   * Public verification URL printed and encoded in the QR code, normally
   * `confirmationVerifyUrl(baseUrl, confirmationNumber)`.
   */
  verificationUrl: string;
  /** Issuer shown at the top, e.g. "某某股权交易中心 / XX Equity Exchange". Optional. */
  exchangeName?: string;
  /**
   * The audit anchor current at issue, as `count:headHash` (server/audit/anchors.ts): whoever holds the
   * confirmation can check the exchange's history before it with `audit:verify --against`. Optional.
   */
  auditHead?: string;
}

export interface ConfirmationInstalment {
  /** 期数, e.g. "1". */
  number: string;
  /** 到期日 (date as printed). */
  dueDate: string;
  /** 本金 (yuan, formatted). */
  amount: string;
  /** 利息 (yuan, formatted). */
  interest: string;
  /** 支付情况: when and with which bank reference it was paid, and by whom it was recorded and confirmed. */
  paid: string;
}

export interface ConfirmationStep {
  /** Step name, bilingual, e.g. "优先购买权通知 / ROFR notice". */
  name: string;
  /** Date (or date-time) the step completed, as printed. */
  date: string;
  /** Who acted: organisation and/or person, e.g. "operator1（交易所）". */
  actor: string;
  /** Outcome, e.g. "已放弃 / Waived" (optional; may be empty). */
  result?: string;
}
