/**
 * A refused field in the reader's words: the field by the label its form shows (client/src/i18n; not its JSON name), and what is wrong
 * with it, in Simplified Chinese and English. A VALIDATION_FAILED naming a field carries `params.field` (its path in the
 * request), `params.kind` (what is wrong: server/http/mount.ts reads it off the schema's issue) with `params.limit` for
 * a bound, and `params.problem` (the schema's own English words, kept for API clients). A field or a problem without an
 * entry here falls back to its JSON name and a general sentence, never to nothing.
 */
import type { Lang } from './figures';
import type { Text } from './messages';

const t = (zh: string, en: string): Text => ({ zh, en });

/** Labels of the fields people type into the exchange's forms, by their path in the request body. */
const FIELD_LABELS: Readonly<Record<string, Text>> = {
  pricePct: t('价格（占净值%）', 'Price (% of NAV)'),
  quantity: t('认缴额（元）', 'Commitment (RMB)'),
  remainingQuantity: t('剩余认缴额（元）', 'Remaining commitment (RMB)'),
  minQuantity: t('最小成交认缴额（元）', 'Minimum fill (RMB)'),
  timeInForce: t('有效期', 'Time in force'),
  expiresAt: t('到期时间', 'Expiry time'),
  side: t('方向', 'Side'),
  fundId: t('基金', 'Fund'),
  method: t('交易方式', 'Method'),
  askPrice: t('挂牌价（元）', 'Ask (RMB)'),
  increment: t('加价幅度（元）', 'Increment (RMB)'),
  depositAmount: t('保证金（元）', 'Deposit (RMB)'),
  amount: t('金额（元）', 'Amount (RMB)'),
  buyerConditions: t('受让方条件', 'Buyer conditions'),
  disclosureWorkingDays: t('信息披露期（工作日）', 'Disclosure period (working days)'),
  stateOwned: t('国有资产信息', 'State-owned details'),
  'stateOwned.resolutionRef': t('内部决议文号', 'Resolution ref.'),
  'stateOwned.approvalRef': t('批准文号', 'Approval ref.'),
  'stateOwned.appraisalRef': t('评估备案号', 'Appraisal filing ref.'),
  'stateOwned.appraisalValue': t('评估值（元）', 'Appraisal value (RMB)'),
  'stateOwned.appraisalBaseDate': t('评估基准日', 'Appraisal base date'),
  'stateOwned.belowNinetyApprovalRef': t('低于评估值90%的批准文件编号', 'Approval reference for an ask below 90% of the appraisal'),
  'instalments.interestRatePct': t('分期利率（年化%）', 'Instalment interest (% a year)'),
  referenceDate: t('基准日', 'Reference date'),
  nav: t('净值', 'NAV'),
  paidIn: t('实缴', 'Paid-in'),
  cumulativeDistributions: t('累计分配（元）', 'Cumulative distributions (RMB)'),
  reason: t('理由', 'Reason'),
  bankRef: t('银行流水号', 'Bank reference'),
  contractRef: t('合同编号', 'Contract reference'),
  id: t('编号', 'Id'),
  name: t('名称', 'Name'),
  nameEn: t('英文名称', 'English name'),
  strategy: t('策略', 'Strategy'),
  vintage: t('设立年份', 'Vintage'),
  lotSize: t('最小单位', 'Lot'),
  totalCommitment: t('认缴总额（元）', 'Total commitment (RMB)'),
  investorCap: t('投资者人数上限', 'Investor cap'),
  gpOrgId: t('管理人', 'GP'),
  orgId: t('机构', 'Organisation'),
  uscc: t('统一社会信用代码', 'Unified social credit code'),
  legalForm: t('组织形式', 'Legal form'),
  netAssets: t('净资产（元）', 'Net assets (RMB)'),
  financialAssets: t('金融资产（元）', 'Financial assets (RMB)'),
  validUntil: t('有效期至', 'Valid until'),
  evidenceRef: t('证明文件编号', 'Evidence reference'),
  username: t('用户名', 'User name'),
  displayName: t('姓名', 'Name'),
  password: t('密码', 'Password'),
  initialPassword: t('初始密码', 'Initial password'),
  roles: t('角色', 'Roles'),
  pledgeeOrgId: t('质权人', 'Pledgee'),
  securedAmount: t('担保债务金额（元）', 'Secured amount (RMB)'),
  recordDate: t('权益登记日', 'Record date'),
  code: t('证券代码', 'Security code'),
  shares: t('股数', 'Shares'),
  referencePrice: t('参考价（元）', 'Reference price (RMB)'),
  guaranteeRef: t('保函编号', 'Guarantee reference'),
};

/** What can be wrong with a field, as server/http/mount.ts classifies a schema's issue. */
export type FieldProblemKind = 'required' | 'type' | 'min' | 'max' | 'too_short' | 'too_long' | 'choice' | 'unknown_field' | 'format';

const PROBLEMS: Readonly<Record<FieldProblemKind, Text>> = {
  required: t('请填写“{label}”。', '{label} is required.'),
  type: t('“{label}”的格式不对，请检查后重试。', '{label} has the wrong type.'),
  min: t('“{label}”不能小于 {limit}。', '{label} must be at least {limit}.'),
  max: t('“{label}”不能大于 {limit}。', '{label} must be at most {limit}.'),
  too_short: t('“{label}”至少需要 {limit} 个字符。', '{label} needs at least {limit} characters.'),
  too_long: t('“{label}”最多 {limit} 个字符。', '{label} takes at most {limit} characters.'),
  choice: t('“{label}”不是可选的值。', '{label} is not one of the choices.'),
  unknown_field: t('请求中有无法识别的字段“{label}”。', 'The request has a field the exchange does not know: {label}.'),
  // When the schema's rule is not known (below): a format rule that is is said with it.
  format: t('“{label}”填写有误，请检查后重试。', '{label} is not valid.'),
};

/** The schemas' own format rules (shared/wire.ts and the routes), by their English words, said in Chinese. */
const FORMATS_ZH: Readonly<Record<string, string>> = {
  'must be a yuan amount as a string with at most 2 decimals, e.g. "12500000.00"': '须为金额（元），最多两位小数，例如 12500000.00。',
  'must be yuan with 2 decimals, e.g. "1000.00"': '须为金额（元），两位小数，例如 1000.00。',
  'must be a percent of NAV as a string with at most 2 decimals, e.g. "87.50"': '须为净值百分比，最多两位小数，例如 87.50。',
  'must be a percent of NAV as a decimal string, e.g. "87.50"': '须为净值百分比，例如 87.50。',
  'must be a whole-yuan commitment quantity as a string, e.g. "5000000"': '须为整数元的认缴额，例如 5000000。',
  'must be a decimal number as a string, e.g. "0.45"': '须为数字，例如 0.45。',
  'must be a date YYYY-MM-DD': '须为日期，格式 YYYY-MM-DD。',
  'must be a calendar date YYYY-MM-DD': '须为有效日期，格式 YYYY-MM-DD。',
  'must be an id': '只能包含字母、数字、下划线和连字符。',
  'must be a year, e.g. "2020"': '须为年份，例如 2020。',
  'must be a security code, e.g. "688001"': '须为证券代码，例如 688001。',
  'must be a percent per year as a string with at most 2 decimals, e.g. "3.00"': '须为年化百分比，最多两位小数，例如 3.00。',
  'must be a confirmation number such as SFX-2026-000001': '须为成交确认书编号，例如 SFX-2026-000001。',
  'lower-case letters, digits, . _ - (2–32)': '须为 2 至 32 个小写字母、数字或 . _ -。',
  // The listing form's own checks (server/listings/domain/create.ts).
  'must be a positive whole number of yuan as a string': '须为大于零的整数元金额。',
  'must be "auction" or "sealed"': '须为公开竞价或密封报价。',
  'must be a positive yuan amount string': '须为大于零的金额（元），最多两位小数，例如 12500000.00。',
  'must be up to 20 non-empty texts of at most 500 characters': '最多 20 条，每条不能为空且不超过 500 个字符。',
  'must be an object': '格式不对。',
  'is in the future': '不能晚于今天。',
  'must be a non-empty text when given': '填写时不能为空。',
};

/** The field's label in `lang`: its own, else that of its last segment, else its path as sent. */
export function labelOf(field: string, lang: Lang): string {
  const own = FIELD_LABELS[field] ?? FIELD_LABELS[field.split('.').at(-1) ?? ''];
  return own ? own[lang] : field;
}

const KINDS = new Set<string>(Object.keys(PROBLEMS));

/** The detail of a VALIDATION_FAILED naming `params.field`, or null when the params name no field. */
export function describeFieldProblem(params: Record<string, unknown>, lang: Lang): string | null {
  const { field, kind, limit, problem } = params;
  if (typeof field !== 'string') return null;
  // An unknown field has no form, so no label: it is named as sent.
  const label = kind === 'unknown_field' ? field : labelOf(field, lang);
  const k = typeof kind === 'string' && KINDS.has(kind) ? (kind as FieldProblemKind) : 'format';
  const words = typeof problem === 'string' ? problem : '';
  if (k === 'format') {
    // The schema's own words are English; Chinese says the rules it knows.
    const rule = lang === 'zh' ? FORMATS_ZH[words] : words;
    if (rule) return lang === 'zh' ? `“${label}”${rule}` : `${label}: ${rule}`;
  }
  return PROBLEMS[k][lang].replace('{label}', label).replace('{limit}', String(limit ?? ''));
}
