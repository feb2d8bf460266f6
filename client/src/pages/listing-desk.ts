/**
 * The listing desk, under the auction room for the listing's seller and operators: the seller's
 * state-owned documents, the actions the listing allows now (review, approve, reject with a reason,
 * withdraw, extend, reprice with the 90% gate, end, negotiated award, award and its confirmation),
 * who registered (qualify, refuse, confirm the deposit with its bank reference: no ids typed), the
 * history with reasons, and after the close the winner and the award.
 */
import { Dec } from '../../../shared/decimal';
import { field, h, onClick, replace, unbindAll } from '../dom';
import type { Ctx } from '../data';
import { calendarDate, dateTime, money, pct } from '../format';
import type { AppState, Lang } from '../state';
import type { Listing, Registration } from '../types';
import { t } from '../i18n';
import { badge, deadlineNote, table } from './common';
import { bindHandshake, handshakeCell, handshakeHeading, handshakeWord } from './listing-handshake';

const S = {
  zh: {
    desk: '挂牌项目办理',
    documents: '转让方提交的国资文件',
    resolutionRef: '内部决议文号',
    approvalRef: '批准文号',
    appraisalRef: '评估备案号',
    appraisalValue: '评估值',
    appraisalBaseDate: '评估基准日',
    belowNinetyApprovalRef: '低于评估值90%的批准文号',
    registrants: '报名的意向受让方',
    org: '机构',
    alias: '代号',
    registeredAt: '报名时间',
    qualification: '资格',
    deposit: '保证金',
    dueDate: '缴纳/退还期限',
    bankRef: '银行流水号',
    qualify: '资格确认',
    refuse: '不予确认',
    confirmDeposit: '确认保证金',
    depositByAnother: '四眼原则：保证金须由另一位操作员确认',
    q_null: '待确认',
    q_true: '已确认',
    q_false: '不予确认',
    d_null: '—',
    d_due: '待缴纳',
    d_confirmed: '已到账',
    d_refund_due: '待退还',
    d_refunded: '已退还',
    d_forfeited: '已没收',
    d_applied: '已转为价款',
    history: '办理记录',
    action: '事项',
    by: '经办人',
    at: '时间',
    reason: '理由',
    award: '成交结果',
    winner: '受让方',
    amount: '成交价',
    pctNav: '占净值%',
    awardedAt: '成交时间',
    actions: '可办理事项',
    review: '审核通过',
    approve: '批准',
    reject: '驳回',
    withdraw: '撤回挂牌',
    extend: '延期',
    workingDays: '延长工作日数',
    reprice: '调整挂牌价',
    askPrice: '新挂牌价（元）',
    depositAmount: '保证金（元）',
    end: '终结挂牌',
    negotiate: '协议成交',
    negotiatedPrice: '协议价格（元，不低于挂牌价）',
    awardAuction: '确认竞价结果',
    confirmAward: '复核成交（另一位操作员）',
    submit: '提交审核',
    gate: '低于评估值90%（{t}）须填写批准文号',
    noneNeeded: '当前没有可办理的事项',
    refusalCode: '原因',
    NOT_QUALIFIED_INVESTOR: '非合格投资者',
    INVESTOR_CAP: '投资者人数已达上限',
    CONDITIONS_NOT_MET: '不符合受让条件',
    rejected: '驳回理由',
    h_create: '创建草稿',
    h_submit: '提交审核',
    h_review: '审核通过',
    h_approve: '批准披露',
    h_reject: '驳回',
    h_withdraw: '撤回',
    h_extend: '延期',
    h_reprice: '调价',
    h_end: '终结',
    h_register: '报名',
    h_qualify: '资格确认',
    h_confirm_deposit: '确认保证金',
    h_award: '成交',
    h_confirm_award: '复核成交',
    h_suspend: '中止',
    h_resume: '恢复',
    h_record_default: '记录违约',
  },
  en: {
    desk: 'Listing desk',
    documents: "The seller's state-owned documents",
    resolutionRef: 'Resolution ref.',
    approvalRef: 'Approval ref.',
    appraisalRef: 'Appraisal filing ref.',
    appraisalValue: 'Appraisal value',
    appraisalBaseDate: 'Appraisal base date',
    belowNinetyApprovalRef: 'Approval below 90% of appraisal',
    registrants: 'Registered buyers',
    org: 'Organisation',
    alias: 'Alias',
    registeredAt: 'Registered',
    qualification: 'Qualification',
    deposit: 'Deposit',
    dueDate: 'Due / refund by',
    bankRef: 'Bank reference',
    qualify: 'Qualify',
    refuse: 'Refuse',
    confirmDeposit: 'Confirm deposit',
    depositByAnother: 'Four eyes: another operator confirms this deposit',
    q_null: 'pending',
    q_true: 'qualified',
    q_false: 'refused',
    d_null: '—',
    d_due: 'due',
    d_confirmed: 'received',
    d_refund_due: 'refund due',
    d_refunded: 'refunded',
    d_forfeited: 'forfeited',
    d_applied: 'applied to price',
    history: 'History',
    action: 'Action',
    by: 'By',
    at: 'Time',
    reason: 'Reason',
    award: 'Award',
    winner: 'Buyer',
    amount: 'Price',
    pctNav: '% of NAV',
    awardedAt: 'Awarded',
    actions: 'Actions',
    review: 'Review',
    approve: 'Approve',
    reject: 'Reject',
    withdraw: 'Withdraw',
    extend: 'Extend',
    workingDays: 'Working days',
    reprice: 'Reprice',
    askPrice: 'New ask (RMB)',
    depositAmount: 'Deposit (RMB)',
    end: 'End listing',
    negotiate: 'Negotiated award',
    negotiatedPrice: 'Price (RMB, at least the ask)',
    awardAuction: 'Award to the highest bid',
    confirmAward: 'Confirm award (second operator)',
    submit: 'Submit for review',
    gate: 'Below 90% of the appraisal ({t}) needs the approval reference',
    noneNeeded: 'Nothing to do now',
    refusalCode: 'Reason',
    NOT_QUALIFIED_INVESTOR: 'not a qualified investor',
    INVESTOR_CAP: 'investor cap reached',
    CONDITIONS_NOT_MET: 'conditions not met',
    rejected: 'Rejection reason',
    h_create: 'Draft created',
    h_submit: 'Submitted',
    h_review: 'Reviewed',
    h_approve: 'Approved',
    h_reject: 'Rejected',
    h_withdraw: 'Withdrawn',
    h_extend: 'Extended',
    h_reprice: 'Repriced',
    h_end: 'Ended',
    h_register: 'Registered',
    h_qualify: 'Qualification',
    h_confirm_deposit: 'Deposit confirmed',
    h_award: 'Awarded',
    h_confirm_award: 'Award confirmed',
    h_suspend: 'Suspended',
    h_resume: 'Resumed',
    h_record_default: 'Default recorded',
  },
} as const;
type Word = keyof typeof S.zh;
const w = (lang: Lang, k: Word | string): string => (S[lang] as Record<string, string>)[k] ?? handshakeWord(lang, k) ?? k;

/** Which listing actions this viewer may take now, with the fields each needs. */
function actionsFor(l: Listing, s: AppState): string[] {
  const roles = s.session?.user.roles ?? [];
  const operator = roles.includes('operator');
  // The history is served only to the listing's seller and operators: a seller user who gets it is this listing's seller.
  const seller = roles.includes('seller') && l.history !== undefined;
  const out: string[] = [];
  const noBuyer = l.state === 'closed' && l.branch === 'no_buyer';
  if (seller && !operator) {
    if (l.state === 'draft') out.push('submit');
    if (['draft', 'submitted', 'reviewed', 'approved', 'disclosure', 'qualification'].includes(l.state)) out.push('withdraw');
    if (noBuyer) out.push('extend', 'reprice', 'end');
  }
  if (operator) {
    if (l.state === 'submitted') out.push('review', 'reject');
    if (l.state === 'reviewed') out.push('approve', 'reject');
    if (noBuyer) out.push('extend', 'end');
    if (l.state === 'closed' && l.branch === 'negotiation') out.push('negotiate');
    if (l.state === 'bidding_closed') out.push('awardAuction');
    if (l.state === 'award_pending') out.push('confirmAward');
  }
  return out;
}

const FIELDS: Record<string, string[]> = {
  reject: ['reason'],
  extend: ['workingDays'],
  reprice: ['askPrice', 'depositAmount', 'belowNinetyApprovalRef'],
  end: ['reason'],
  negotiate: ['negotiatedPrice'],
};

function input(name: string, l: Listing): HTMLInputElement {
  const value = name === 'depositAmount' ? l.depositAmount : name === 'negotiatedPrice' ? l.askPrice : name === 'workingDays' ? '5' : '';
  return h('input', { name, 'data-desk-input': name, value, inputmode: name === 'reason' || name.endsWith('Ref') ? null : 'decimal' });
}

/** "下一步：待转让方答复 — 竞买人A（截止 2026年10月22日）": what waits on the transferor, for the seller and operators. */
function nextForSeller(l: Listing, lang: Lang): HTMLElement | null {
  const due = l.sellerAnswersDue ?? [];
  if (!due.length) return null;
  const list = due
    .map((a) => `${a.alias}${deadlineNote(a.answerDueDate, lang)}${a.provisional ? t(lang, 'provisional') : ''}`)
    .join(lang === 'zh' ? '；' : '; ');
  return h(
    'p',
    { class: 'next-actor', 'data-testid': 'desk-next' },
    h('strong', {}, `${t(lang, 'nextActor')}${lang === 'zh' ? '：' : ': '}`),
    `${t(lang, 'waitingOnTransferor')} — ${list}`,
  );
}

function actionsCard(l: Listing, s: AppState): HTMLElement {
  const lang = s.lang;
  const actions = actionsFor(l, s);
  const threshold = l.stateOwnedDocuments ? new Dec(l.stateOwnedDocuments.appraisalValue).times('0.9').toFixed(2) : null;
  return h(
    'section',
    { class: 'card', 'data-testid': 'listing-actions' },
    h('h2', {}, w(lang, 'actions')),
    nextForSeller(l, lang),
    actions.length === 0 ? h('p', {}, w(lang, 'noneNeeded')) : null,
    actions.map((a) =>
      h(
        'form',
        { class: 'desk-action', 'data-desk-action': a },
        (FIELDS[a] ?? []).map((f) =>
          field(
            w(lang, f === 'reason' && a === 'reject' ? 'rejected' : f),
            input(f, l),
            f === 'belowNinetyApprovalRef' && threshold ? w(lang, 'gate').replace('{t}', money(threshold, lang)) : undefined,
          ),
        ),
        h('button', { type: 'submit', class: a === 'reject' || a === 'end' || a === 'withdraw' ? 'danger' : 'primary' }, w(lang, a)),
      ),
    ),
  );
}

function registrantsCard(l: Listing, regs: Registration[], s: AppState): HTMLElement {
  const lang = s.lang;
  const operator = s.session?.user.roles.includes('operator') ?? false;
  const seller = !operator && (s.session?.user.roles.includes('seller') ?? false);
  // With the qualification handshake (state-owned) opinions and deposits go on after disclosure, until their deadlines.
  const open = l.state === 'disclosure' || l.state === 'qualification';
  const handshake = regs.some((r) => r.handshake);
  const me = s.session?.user.id;
  const rows = regs.map((r) => {
    const buttons: (Node | string)[] = [];
    const noOpinion = r.qualified === null && (!r.handshake || r.handshake.status === 'opinion_pending');
    if (operator && open && noOpinion && !r.withdrawn) {
      buttons.push(
        h('button', { type: 'button', class: 'primary', 'data-qualify': r.orgId }, w(lang, 'qualify')),
        h('button', { type: 'button', class: 'danger', 'data-refuse': r.orgId }, w(lang, 'refuse')),
      );
    }
    if (operator && open && r.depositStatus === 'due' && me && r.depositNotBy?.includes(me)) {
      // Four eyes: this operator qualified the buyer or confirmed the regulator's decision on it; another takes the deposit.
      buttons.push(h('span', { class: 'hint four-eyes', 'data-deposit-not-by': r.orgId }, w(lang, 'depositByAnother')));
    } else if (operator && open && r.depositStatus === 'due') {
      buttons.push(
        h(
          'span',
          { class: 'deposit-form' },
          h('input', { 'data-bankref': r.orgId, 'aria-label': `${w(lang, 'bankRef')} ${r.orgName}`, placeholder: w(lang, 'bankRef') }),
          h('button', { type: 'button', class: 'primary', 'data-deposit': r.orgId }, w(lang, 'confirmDeposit')),
        ),
      );
    }
    const q = w(lang, `q_${String(r.qualified)}`) + (r.refusalCode ? `（${w(lang, r.refusalCode)}）` : '');
    return [
      r.orgName,
      r.alias,
      dateTime(r.registeredAt, lang),
      q,
      `${w(lang, `d_${String(r.depositStatus)}`)} · ${money(r.depositAmount, lang)}`,
      calendarDate(r.depositDueDate ?? null, lang),
      r.depositBankRef ?? '—',
      ...(handshake ? [handshakeCell(l, r, { seller, operator, ...(me ? { me } : {}) }, lang)] : []),
      h('span', { class: 'buttons' }, buttons),
    ];
  });
  return h(
    'section',
    { class: 'card', 'data-testid': 'registrants' },
    table(
      w(lang, 'registrants'),
      [
        w(lang, 'org'),
        w(lang, 'alias'),
        w(lang, 'registeredAt'),
        w(lang, 'qualification'),
        w(lang, 'deposit'),
        w(lang, 'dueDate'),
        w(lang, 'bankRef'),
        ...(handshake ? [handshakeHeading(lang)] : []),
        '',
      ],
      rows,
    ),
  );
}

function documentsCard(l: Listing, lang: Lang): HTMLElement | null {
  const d = l.stateOwnedDocuments;
  if (!d) return null;
  const dl = (k: Word, v: string): Node[] => [h('dt', {}, w(lang, k)), h('dd', {}, v)];
  return h(
    'section',
    { class: 'card', 'data-testid': 'documents' },
    h('h2', {}, w(lang, 'documents')),
    h(
      'dl',
      { class: 'facts' },
      dl('resolutionRef', d.resolutionRef),
      dl('approvalRef', d.approvalRef),
      dl('appraisalRef', d.appraisalRef),
      dl('appraisalValue', money(d.appraisalValue, lang)),
      dl('appraisalBaseDate', calendarDate(d.appraisalBaseDate, lang)),
      d.belowNinetyApprovalRef ? dl('belowNinetyApprovalRef', d.belowNinetyApprovalRef) : [],
    ),
  );
}

function historyCard(l: Listing, regs: Registration[], lang: Lang): HTMLElement | null {
  if (!l.history) return null;
  const orgName = (id?: string) => (id ? (regs.find((r) => r.orgId === id)?.orgName ?? '') : '');
  return h(
    'section',
    { class: 'card', 'data-testid': 'history' },
    table(
      w(lang, 'history'),
      [w(lang, 'at'), w(lang, 'action'), w(lang, 'by'), w(lang, 'reason')],
      [...l.history]
        .reverse()
        .map((e) => [
          dateTime(e.at, lang),
          `${w(lang, `h_${e.action}`)}${e.orgId ? ` · ${orgName(e.orgId)}` : ''}`,
          e.by.name,
          e.reason ? w(lang, e.reason) : '—',
        ]),
    ),
  );
}

export function awardCard(l: Listing, lang: Lang): HTMLElement | null {
  const a = l.award;
  if (!a) return null;
  const dl = (k: Word, v: string): Node[] => [h('dt', {}, w(lang, k)), h('dd', {}, v)];
  return h(
    'section',
    { class: 'card', 'data-testid': 'award' },
    h('h2', {}, w(lang, 'award')),
    h(
      'dl',
      { class: 'facts' },
      a.orgName ? dl('winner', a.orgName) : [],
      dl('amount', money(a.amount, lang)),
      dl('pctNav', a.pctOfNav ? pct(a.pctOfNav) : '—'),
      dl('awardedAt', dateTime(a.at, lang)),
    ),
  );
}

/** The desk's cards for this viewer (empty for a buyer, who sees only the auction room). */
export function listingDesk(l: Listing, s: AppState): HTMLElement {
  const regs = s.registrations[l.id] ?? [];
  const staff = l.history !== undefined;
  return h(
    'div',
    { class: 'desk', 'data-testid': 'listing-desk' },
    staff ? h('h2', {}, w(s.lang, 'desk'), ' ', badge(s.lang, l.state)) : null,
    staff ? actionsCard(l, s) : null,
    awardCard(l, s.lang),
    staff ? documentsCard(l, s.lang) : null,
    staff && regs.length ? registrantsCard(l, regs, s) : null,
    historyCard(l, regs, s.lang),
  );
}

/** Binds the desk's buttons: every command names its organisation from the row clicked, never a typed id. */
export function bindDesk(root: HTMLElement, ctx: Ctx, listingId: string): () => void {
  const post = (body: Record<string, unknown>, near: HTMLElement) => {
    const lang = ctx.store.get().lang;
    void ctx.act(
      () => ctx.api.post(`/api/listings/${encodeURIComponent(listingId)}/actions`, body),
      lang === 'zh' ? '已办理' : 'Done',
      near,
    );
  };
  const deskSubmit = (e: Event) => {
    const form = (e.target as HTMLElement).closest('form[data-desk-action]') as HTMLFormElement | null;
    if (!form) return;
    e.preventDefault();
    const a = form.dataset.deskAction ?? '';
    const v = (name: string) => (form.querySelector(`[data-desk-input=${name}]`) as HTMLInputElement | null)?.value.trim() ?? '';
    const button = form.querySelector('button') as HTMLElement;
    if (a === 'reject' || a === 'end') return post({ action: a, reason: v('reason') }, button);
    if (a === 'extend') return post({ action: 'extend', workingDays: Number(v('workingDays')) }, button);
    if (a === 'reprice') {
      const ref = v('belowNinetyApprovalRef');
      return post(
        { action: 'reprice', askPrice: v('askPrice'), depositAmount: v('depositAmount'), ...(ref ? { belowNinetyApprovalRef: ref } : {}) },
        button,
      );
    }
    if (a === 'negotiate') return post({ action: 'award', amount: v('negotiatedPrice') }, button);
    if (a === 'awardAuction') return post({ action: 'award' }, button);
    if (a === 'confirmAward') return post({ action: 'confirm_award' }, button);
    return post({ action: a }, button);
  };
  root.addEventListener('submit', deskSubmit);
  return unbindAll([
    () => root.removeEventListener('submit', deskSubmit),
    bindHandshake(root, post),
    onClick(root, 'button[data-qualify]', (el) => post({ action: 'qualify', orgId: el.dataset.qualify }, el)),
    onClick(root, 'button[data-refuse]', (el) =>
      post({ action: 'qualify', orgId: el.dataset.refuse, eligible: false, reasonCode: 'CONDITIONS_NOT_MET' }, el),
    ),
    onClick(root, 'button[data-deposit]', (el) => {
      const orgId = el.dataset.deposit ?? '';
      const ref = (root.querySelector(`input[data-bankref="${orgId}"]`) as HTMLInputElement | null)?.value.trim() ?? '';
      post({ action: 'confirm_deposit', orgId, bankRef: ref }, el);
    }),
  ]);
}

/** A key of what the desk shows, so typed inputs survive re-renders that change nothing. */
export function deskKey(l: Listing | undefined, s: AppState): string {
  if (!l) return '';
  return JSON.stringify([l.state, l.branch, l.history?.length, l.award, l.sellerAnswersDue, s.registrations[l.id], s.lang]);
}

export function renderDesk(el: HTMLElement, l: Listing | undefined, s: AppState): void {
  const key = deskKey(l, s);
  if (el.dataset.key === key) return;
  el.dataset.key = key;
  replace(el, l ? listingDesk(l, s) : null);
}
