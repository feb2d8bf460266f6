/**
 * The state-owned qualification handshake (资格确认意见征询) on the listing desk and in the auction room:
 * each registrant's status (the exchange's opinion, the transferor's answer or its silence, an objection
 * and its settlement), the transferor's agree / object (with a reason), the operators' record and confirm
 * of the state-asset regulator's decision, and the phase's deadlines. Every command names its organisation
 * from the row clicked; four eyes and deadlines are the server's to refuse, shown beside the button.
 */
import { h, onClick, unbindAll, type Unbind } from '../dom';
import { calendarDate } from '../format';
import { t } from '../i18n';
import type { Lang } from '../state';
import type { Listing, Registration } from '../types';

const S = {
  zh: {
    handshake: '资格确认意见征询',
    hs_opinion_pending: '待出具资格意见',
    hs_answer_pending: '待转让方答复',
    hs_objection_open: '转让方有异议，待国资监管机构处理',
    hs_resolution_pending: '处理意见待另一位操作员复核',
    hs_agreed: '转让方同意',
    hs_deemed_agreed: '逾期未答复，视为同意',
    hs_objection_dismissed: '异议未获支持，资格确认',
    hs_objection_upheld: '异议成立，不予确认',
    hs_refused: '交易所不予确认',
    hs_no_opinion: '期限内未出具意见',
    answerBy: '答复期限',
    agree: '同意',
    object: '提出异议',
    objectionReason: '异议理由',
    regulatorRef: '国资监管机构文号',
    uphold: '异议成立',
    dismiss: '异议不成立',
    recordDecision: '录入处理意见',
    recordByAnother: '四眼原则：您出具了资格意见，处理意见须由另一位操作员录入',
    confirmByAnother: '四眼原则：您录入了处理意见，须由另一位操作员复核',
    confirmDecision: '复核处理意见',
    opinionDeadline: '资格意见截止',
    depositDeadline: '保证金截止',
    held: '异议处理期间暂停',
    yourHandshake: '转让方对您资格的确认',
    NO_QUALIFICATION_OPINION: '期限内未出具资格意见',
    TRANSFEROR_OBJECTION: '转让方异议成立',
    h_seller_answer: '转让方答复',
    h_resolve_objection: '录入异议处理意见',
    h_confirm_resolution: '复核异议处理意见',
  },
  en: {
    handshake: 'Qualification handshake',
    hs_opinion_pending: 'opinion pending',
    hs_answer_pending: "awaiting the transferor's answer",
    hs_objection_open: "transferor objects; awaiting the regulator's decision",
    hs_resolution_pending: 'decision recorded; a second operator confirms it',
    hs_agreed: 'transferor agreed',
    hs_deemed_agreed: 'no answer in time: agreed',
    hs_objection_dismissed: 'objection dismissed: qualified',
    hs_objection_upheld: 'objection upheld: refused',
    hs_refused: 'refused by the exchange',
    hs_no_opinion: 'no opinion in time',
    answerBy: 'answer by',
    agree: 'Agree',
    object: 'Object',
    objectionReason: 'Reason for the objection',
    regulatorRef: "Regulator's decision ref.",
    uphold: 'objection upheld',
    dismiss: 'objection dismissed',
    recordDecision: 'Record the decision',
    recordByAnother: "Four eyes: you gave the opinion, so another operator records the regulator's decision",
    confirmByAnother: 'Four eyes: you recorded the decision, so another operator confirms it',
    confirmDecision: 'Confirm the decision',
    opinionDeadline: 'Opinions by',
    depositDeadline: 'Deposits by',
    held: 'held while an objection is open',
    yourHandshake: "The transferor's confirmation of your qualification",
    NO_QUALIFICATION_OPINION: 'no opinion by the deadline',
    TRANSFEROR_OBJECTION: "transferor's objection upheld",
    h_seller_answer: "Transferor's answer",
    h_resolve_objection: "Regulator's decision recorded",
    h_confirm_resolution: "Regulator's decision confirmed",
  },
} as const;

/** The handshake's words, for the desk's own lookup (history actions, refusal codes, outcomes); undefined when it has none. */
export const handshakeWord = (lang: Lang, key: string): string | undefined => (S[lang] as Record<string, string>)[key];
const w = (lang: Lang, key: string): string => handshakeWord(lang, key) ?? key;

export const statusText = (lang: Lang, status: string): string => w(lang, `hs_${status}`);

const open = (l: Listing): boolean => l.state === 'disclosure' || l.state === 'qualification';

/** The phase's deadlines, once disclosure has closed into it. */
export function phaseText(l: Listing, lang: Lang): string | null {
  const p = l.qualificationPhase;
  if (!p) return null;
  const provisional = p.provisional ? t(lang, 'provisional') : '';
  const [open, close] = lang === 'zh' ? ['（', '）'] : [' (', ')'];
  const depositDate = calendarDate(p.depositDeadline, lang) + provisional;
  const deposit = p.depositDeadlineHeld ? `${depositDate}${open}${w(lang, 'held')}${close}` : depositDate;
  return `${w(lang, 'opinionDeadline')} ${calendarDate(p.opinionDeadline, lang)}${provisional} · ${w(lang, 'depositDeadline')} ${deposit}`;
}

/** A buyer's own line in the auction room: its status and the transferor's answer date. */
export function ownHandshakeText(l: Listing, lang: Lang): string | null {
  const own = l.you?.handshake;
  if (!own) return null;
  return own.status === 'answer_pending' && own.answerDueDate
    ? `${statusText(lang, own.status)} · ${w(lang, 'answerBy')} ${calendarDate(own.answerDueDate, lang)}`
    : statusText(lang, own.status);
}

export const yourHandshakeLabel = (lang: Lang): string => w(lang, 'yourHandshake');
export const handshakeHeading = (lang: Lang): string => w(lang, 'handshake');

/** One registrant's cell on the desk: the status with its details, and the actions this viewer may take on it now. */
export function handshakeCell(l: Listing, r: Registration, who: Viewer, lang: Lang): HTMLElement {
  const hs = r.handshake;
  if (!hs) return h('span', {}, '—');
  const lines: (Node | string)[] = [h('span', { 'data-hs-status': r.orgId }, statusText(lang, hs.status))];
  if (hs.status === 'answer_pending' && hs.answerDueDate) {
    const provisional = hs.answerDueProvisional ? t(lang, 'provisional') : '';
    lines.push(h('small', {}, ` ${w(lang, 'answerBy')} ${calendarDate(hs.answerDueDate, lang)}${provisional}`));
  }
  if (hs.objectionReason) lines.push(h('p', { class: 'meta' }, `${w(lang, 'objectionReason')}: ${hs.objectionReason}`));
  if (hs.resolution) lines.push(h('p', { class: 'meta' }, `${w(lang, hs.resolution.outcome)} · ${hs.resolution.regulatorRef}`));
  if (open(l) && !r.withdrawn) lines.push(...buttons(r, hs.status, who, lang));
  return h('div', { class: 'handshake' }, lines);
}

/** Who looks at the desk: the seller's member, an operator (with their user id, for the four-eyes steps) or neither. */
type Viewer = { seller: boolean; operator: boolean; me?: string };

function buttons(r: Registration, status: string, who: Viewer, lang: Lang): Node[] {
  const org = r.orgId;
  if (who.seller && status === 'answer_pending') {
    return [
      h('button', { type: 'button', class: 'primary', 'data-hs-agree': org }, w(lang, 'agree')),
      h(
        'span',
        { class: 'deposit-form' },
        h('input', {
          'data-hs-reason': org,
          'aria-label': `${w(lang, 'objectionReason')} ${r.orgName}`,
          placeholder: w(lang, 'objectionReason'),
        }),
        h('button', { type: 'button', class: 'danger', 'data-hs-object': org }, w(lang, 'object')),
      ),
    ];
  }
  if (!who.operator || (status !== 'objection_open' && status !== 'resolution_pending')) return [];
  // Four eyes, as the server refuses it: the desk offers each step only to an operator who may take it.
  const notBy = (ids: string[] | undefined) => who.me !== undefined && (ids ?? []).includes(who.me);
  const out: Node[] = notBy(r.decisionNotBy?.record)
    ? [h('span', { class: 'hint four-eyes', 'data-hs-record-not-by': org }, w(lang, 'recordByAnother'))]
    : [recordForm(r, lang)];
  if (status === 'resolution_pending')
    out.push(
      notBy(r.decisionNotBy?.confirm)
        ? h('span', { class: 'hint four-eyes', 'data-hs-confirm-not-by': org }, w(lang, 'confirmByAnother'))
        : h('button', { type: 'button', class: 'primary', 'data-hs-confirm': org }, w(lang, 'confirmDecision')),
    );
  return out;
}

/** The operator's form recording the regulator's decision on an objection: its outcome and reference. */
function recordForm(r: Registration, lang: Lang): Node {
  const org = r.orgId;
  return h(
    'span',
    { class: 'deposit-form' },
    h(
      'select',
      { 'data-hs-outcome': org, 'aria-label': `${w(lang, 'uphold')} / ${w(lang, 'dismiss')}` },
      h('option', { value: 'uphold' }, w(lang, 'uphold')),
      h('option', { value: 'dismiss' }, w(lang, 'dismiss')),
    ),
    h('input', { 'data-hs-ref': org, 'aria-label': `${w(lang, 'regulatorRef')} ${r.orgName}`, placeholder: w(lang, 'regulatorRef') }),
    h('button', { type: 'button', class: 'primary', 'data-hs-resolve': org }, w(lang, 'recordDecision')),
  );
}

/** Binds the handshake's buttons on the desk; `post` sends one listing action and shows its refusal beside the button. */
export function bindHandshake(root: HTMLElement, post: (body: Record<string, unknown>, near: HTMLElement) => void): Unbind {
  const value = (selector: string): string =>
    (root.querySelector(selector) as HTMLInputElement | HTMLSelectElement | null)?.value.trim() ?? '';
  return unbindAll([
    onClick(root, 'button[data-hs-agree]', (el) => post({ action: 'seller_answer', orgId: el.dataset.hsAgree, answer: 'agree' }, el)),
    onClick(root, 'button[data-hs-object]', (el) => {
      const orgId = el.dataset.hsObject ?? '';
      post({ action: 'seller_answer', orgId, answer: 'object', reason: value(`input[data-hs-reason="${orgId}"]`) }, el);
    }),
    onClick(root, 'button[data-hs-resolve]', (el) => {
      const orgId = el.dataset.hsResolve ?? '';
      const outcome = value(`select[data-hs-outcome="${orgId}"]`);
      post({ action: 'resolve_objection', orgId, outcome, regulatorRef: value(`input[data-hs-ref="${orgId}"]`) }, el);
    }),
    onClick(root, 'button[data-hs-confirm]', (el) => post({ action: 'confirm_resolution', orgId: el.dataset.hsConfirm }, el)),
  ]);
}
