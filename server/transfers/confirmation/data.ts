/**
 * Builds the confirmation's content (domain.md "The transfer workflow" item 6) from a completed
 * transfer, its ownership-change event and names from the database. Pure formatting of values the
 * workflow already decided: nothing is recomputed except display forms (thousands separators, the NAV
 * attributable to the quantity for the valuation line).
 */
import { Dec, Rounding, formatYuan, sum } from '../../../shared/decimal';
import { beijingMinute } from '../../../shared/calendar';
import type { Db, Tx } from '../../../db/database';
import { unsupportedCharacters } from '../../pdf';
import { confirmationVerifyUrl, type ConfirmationData, type ConfirmationStep } from './layout';
import { instalmentLeg, navOfQuantity as navOfTransferred, type Step, type StepName, type Transfer, type TransferEvent } from '../domain';
import { instalmentRows, paymentMethodText } from './payment-terms';
import { findListing } from '../../listings/listings.repository';
import type { Listing } from '../../listings/domain';

export type OwnershipChanged = Extract<TransferEvent, { type: 'ownership_changed' }>;

export const EXCHANGE_NAME = '北京股权交易中心 S基金份额转让平台 / Beijing Equity Exchange Center — S-Fund Transfer Platform';

const STEP_NAMES: Record<StepName, string> = {
  rofr: '优先购买权通知 / Notice and right of first refusal',
  gp_consent: '普通合伙人同意 / GP consent',
  review: '交易所审核 / Exchange review',
  approval: '交易所复核批准（合同日） / Exchange approval (contract date)',
  payment: '价款支付至结算账户 / Payment into escrow',
  registration: '变更登记 / Registration of the change',
};

/** "1869120.00" → "1,869,120.00" (display only; the digits are the ledger's). */
export function grouped(amount: string): string {
  const [int, frac] = amount.split('.');
  const sign = int!.startsWith('-') ? '-' : '';
  const digits = int!.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${frac !== undefined ? `.${frac}` : ''}`;
}

const yuanText = (amount: string) => `人民币 ${grouped(amount)} 元 / CNY ${grouped(amount)}`;

export interface Names {
  orgs: Map<string, { name: string; nameEn: string }>;
  users: Map<string, string>;
  fund: { name: string; nameEn: string };
}

async function namesFor(db: Db | Tx, t: Transfer): Promise<Names> {
  const orgIds = [
    ...new Set([
      t.sellerOrgId,
      t.buyerOrgId,
      t.gpOrgId,
      ...t.allocations.map((a) => a.buyerOrgId),
      ...(t.rofr?.holders.map((h) => h.orgId) ?? []),
      'org-exchange',
    ]),
  ];
  const instalmentUsers = (t.paymentPlan?.instalments ?? [])
    .flatMap((i) => [i.recorded?.by, i.confirmed?.by])
    .filter((u) => u !== undefined);
  const userIds = [...new Set([...t.steps.flatMap((s) => (s.by ? [s.by.userId] : [])), ...paymentConfirmers(t), ...instalmentUsers])];
  const orgs = await db.selectFrom('organisations').select(['id', 'name', 'nameEn']).where('id', 'in', orgIds).execute();
  const users = userIds.length ? await db.selectFrom('users').select(['id', 'displayName']).where('id', 'in', userIds).execute() : [];
  const fund = await db.selectFrom('funds').select(['name', 'nameEn']).where('id', '=', t.fundId).executeTakeFirstOrThrow();
  return {
    orgs: new Map(orgs.map((o) => [o.id, { name: o.name, nameEn: o.nameEn }])),
    users: new Map(users.map((u) => [u.id, u.displayName])),
    fund,
  };
}

function stepResult(t: Transfer, s: Step, n: Names): string {
  if (s.state === 'skipped') return '不适用 / Not applicable';
  switch (s.name) {
    case 'rofr': {
      const exercised = (t.rofr?.holders ?? []).filter((h) => h.answer === 'exercised').map((h) => n.orgs.get(h.orgId)?.name ?? h.orgId);
      return exercised.length ? `行使 / Exercised: ${exercised.join('、')}` : '均放弃或逾期未答复 / All waived or lapsed';
    }
    case 'gp_consent':
      return '同意 / Consented';
    case 'review':
      return '资格审核通过 / Eligibility confirmed';
    case 'approval':
      return '批准 / Approved';
    case 'payment':
      return t.allocations
        .map((a) =>
          a === instalmentLeg(t)
            ? `分期付款 / Instalments: ${t.paymentPlan!.instalments.map((i) => printable(i.recorded?.bankRef ?? '—')).join(', ')}`
            : `银行流水 / Bank ref. ${printable(a.payment?.bankRef ?? '—')}`,
        )
        .join('; ');
    case 'registration':
      return `登记编号 / Ref. ${printable(t.registration?.registrationRef ?? '—')}`;
  }
}

/**
 * The operators who confirmed the legs' payments, in order of confirmation, each once; for instalments
 * also the operators who recorded them (each instalment is recorded by one and confirmed by another).
 */
function paymentConfirmers(t: Transfer): string[] {
  const paid = [
    ...t.allocations.flatMap((a) => (a.payment ? [a.payment] : [])),
    ...(t.paymentPlan?.instalments ?? []).flatMap((i) => [i.recorded, i.confirmed].filter((m) => m !== null)),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return [...new Set(paid.map((p) => p.by))];
}

function stepActor(t: Transfer, s: Step, n: Names): string {
  if (s.state === 'skipped') return '—';
  if (!s.by) return '交易所系统 / Exchange (automatic)';
  const org = n.orgs.get(s.by.orgId)?.name ?? s.by.orgId;
  // Each leg's payment is confirmed on its own, possibly by different operators: all of them are named.
  const confirmers = s.name === 'payment' ? paymentConfirmers(t) : [];
  const users = confirmers.length ? confirmers : [s.by.userId];
  return `${users.map((u) => n.users.get(u) ?? u).join('、')}（${org}）`;
}

/** The confirmation's workflow record: the trade, then each completed or skipped step with its date, actor and result. */
export function steps(t: Transfer, n: Names): ConfirmationStep[] {
  const trade: ConfirmationStep = {
    name: t.venue === 'book' ? '成交（连续竞价） / Trade on the continuous book' : '成交（挂牌竞价） / Listing awarded',
    date: beijingMinute(t.tradeExecutedAt),
    actor: `${n.orgs.get(t.sellerOrgId)?.name ?? t.sellerOrgId} → ${n.orgs.get(t.buyerOrgId)?.name ?? t.buyerOrgId}`,
    result: '成交 / Executed',
  };
  const done = t.steps.filter((s) => s.state === 'done' || s.state === 'skipped');
  return [
    trade,
    ...done.map((s) => ({
      name: STEP_NAMES[s.name],
      date: s.at ? beijingMinute(s.at) : '',
      actor: stepActor(t, s, n),
      result: stepResult(t, s, n),
    })),
  ];
}

function reviewConclusion(t: Transfer, n: Names): string {
  const reviewer = t.steps.find((s) => s.name === 'review')?.by;
  const approver = t.steps.find((s) => s.name === 'approval')?.by;
  const person = (id: string | undefined) => (id ? (n.users.get(id) ?? id) : '—');
  const refs = printable(
    [t.registration?.registrationRef, t.registration?.amacRef, t.registration?.stateEquityRef].filter(Boolean).join('; '),
  );
  return [
    `经审核（审核人 ${person(reviewer?.userId)}，复核批准人 ${person(approver?.userId)}` +
      `），受让方均为合格投资者，转让后基金投资者人数未超过上限，符合往返交易间隔规定；交易价款已通过交易所结算账户结算，份额变更登记已完成（${refs}` +
      `）。本所予以确认。`,
    `Reviewed by ${person(reviewer?.userId)} and approved by ${person(approver?.userId)}` +
      ` (four eyes): every buyer is a qualified investor, the fund stays ` +
      `within its investor cap and the round-trip rule is met; the ` +
      `consideration was settled through the exchange's escrow account and ` +
      `the change is registered (${refs}). The exchange confirms this transfer.`,
  ].join('\n');
}

/**
 * The valuation line: the NAV attributable to the transferred commitment, and for a state-owned
 * listing first the filed appraisal it was listed against (the figure the state-owned rules price
 * from: below 90% of it needs the approving unit's consent).
 */
export function valuationResult(t: Transfer, navOfQuantity: string, navReferenceDate: string | null, listing: Listing | null): string {
  const nav =
    `基金份额净值 ${yuanText(navOfQuantity)}（净值基准日 ${navReferenceDate ?? '—'}，每元认缴出资净值 ${t.pricing.navPerCommitment}` +
    `） / NAV attributable (reference date ${navReferenceDate ?? '—'}` +
    `, NAV per yuan of commitment ${t.pricing.navPerCommitment})`;
  const so = listing?.stateOwned;
  if (!so) return nav;
  // Typed by the seller; listings made before creation checked it may hold a character the font lacks,
  // which must not stop the confirmation (and with it the registration step) from being issued.
  const ref = printable(so.appraisalRef);
  const date = printable(so.appraisalBaseDate);
  return `经备案的评估值 ${yuanText(so.appraisalValue)}（评估报告 ${ref}，评估基准日 ${date}） / Filed appraisal (report ${ref}, base date ${date})\n${nav}`;
}

/**
 * The text with each character the confirmation cannot print (missing from its font, or a control
 * character) replaced by '?'. For text typed before it was checked on entry (references are refused
 * there now): a confirmation must not fail to issue over one character of a reference.
 */
function printable(text: string): string {
  const missing = new Set(unsupportedCharacters(text));
  const control = (ch: string) => {
    const cp = ch.codePointAt(0)!;
    return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
  };
  return [...text].map((ch) => (missing.has(ch) || control(ch) ? '?' : ch)).join('');
}

/** The instalment table's rows, only when the buyer paid by instalments (a lump sum prints no table). */
function instalmentsOf(t: Transfer, n: Names): { instalments?: ConfirmationData['instalments'] } {
  const rows = instalmentRows(t, { grouped, beijingMinute, printable, userName: (id) => n.users.get(id) ?? id });
  return rows.length ? { instalments: rows } : {};
}

export interface ConfirmationInput {
  transfer: Transfer;
  ownership: OwnershipChanged;
  number: string;
  issuedAt: string;
  navReferenceDate: string | null;
  baseUrl: string;
  /** The audit anchor current at issue, `count:headHash`, or null before the first anchor. */
  auditHead: string | null;
}

export async function buildConfirmationData(db: Db | Tx, x: ConfirmationInput): Promise<ConfirmationData> {
  const t = x.transfer;
  const n = await namesFor(db, t);
  const listing = t.listingId ? ((await findListing(db, t.listingId))?.listing ?? null) : null;
  // The registered Chinese name is the full legal name (an English rendering would wrap it mid-name).
  const full = (orgId: string) => n.orgs.get(orgId)?.name ?? orgId;
  const legs = x.ownership.legs;
  const paidIn = sum(legs.map((l) => new Dec(l.paidInMoved)));
  const unfunded = sum(legs.map((l) => new Dec(l.unfundedMoved)));
  const buyerFee = sum(legs.map((l) => new Dec(l.buyerFee)));
  const pct = (t.pricing.basis === 'pct_of_nav' ? t.pricing.pricePct : null) ?? '';
  const navOfQuantity = formatYuan(navOfTransferred(t.pricing, t.quantity));
  const pctOfNav =
    t.pricing.basis === 'pct_of_nav'
      ? t.pricing.pricePct
      : new Dec(t.pricing.amount).times(new Dec('100')).div(new Dec(navOfQuantity)).round(2, Rounding.HALF_UP).toFixed(2);
  return {
    confirmationNumber: x.number,
    projectNumber: t.listingId ?? `BOOK-${t.tradeId}`,
    contractDate: t.contractDate ?? '',
    listingStartDate: listing?.disclosure?.startDate ?? '',
    listingEndDate: listing?.disclosure?.endDate ?? '',
    issuedAt: x.issuedAt,
    sellerName: full(t.sellerOrgId),
    buyerName: t.allocations.map((a) => full(a.buyerOrgId)).join('；'),
    fundName: `${n.fund.name} / ${n.fund.nameEn}`,
    commitment: yuanText(new Dec(t.quantity).toFixed(2)),
    paidIn: yuanText(paidIn.toFixed(2)),
    unfunded: yuanText(unfunded.toFixed(2)),
    tradingMethod:
      t.venue === 'book'
        ? '连续竞价（按基金份额净值百分比报价） / Continuous order book (percent of NAV)'
        : '挂牌竞价 / Listing with disclosure and bidding',
    valuationResult: valuationResult(t, navOfQuantity, x.navReferenceDate, listing),
    price: pct ? `基金份额净值的 ${pct}% / ${pct}% of NAV` : yuanText(t.consideration),
    pctOfNav,
    consideration: grouped(t.consideration),
    paymentMethod: paymentMethodText(t, printable),
    ...instalmentsOf(t, n),
    sellerFee: grouped(x.ownership.sellerFee),
    buyerFee: grouped(buyerFee.toFixed(2)),
    steps: steps(t, n),
    reviewConclusion: reviewConclusion(t, n),
    verificationUrl: confirmationVerifyUrl(x.baseUrl, x.number),
    exchangeName: EXCHANGE_NAME,
    ...(x.auditHead ? { auditHead: x.auditHead } : {}),
  };
}
