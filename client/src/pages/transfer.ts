/**
 * One transfer: a timeline of its six steps (who acts, when, the deadline), who acts next and why,
 * the caller's available actions with their inputs, the four-eyes rule, and the confirmation PDF.
 */
import { field, h, on, onClick, replace, unbindAll } from '../dom';
import type { Ctx } from '../data';
import { loadFunds, loadTransfer } from '../data';
import { calendarDate, dateTime, money, orgLabel, pct, quantity } from '../format';
import { t } from '../i18n';
import type { AppState, Lang } from '../state';
import type { Allocation, InstalmentLeg, Step, Transfer } from '../types';
import { totalYuan } from '../money';
import { badge, deadlineNote, fundLabel, nextActorWhy } from './common';
import { contractCard, contractWaits } from './transfer-contract';
import { choiceBody, instalmentsCard } from './transfer-instalments';
import type { Page } from './page';

const INPUTS: Record<string, string[]> = {
  gp_refuse: ['reason'],
  reject: ['reason'],
  confirm_payment: ['bankRef'],
  record_registration: ['registrationRef', 'amacRef', 'stateEquityRef'],
};

function stepItem(st: Step, tr: Transfer, lang: Lang): HTMLElement {
  const current = tr.nextActor?.step === st.name;
  const actor = t(lang, `role_${st.actor.role}`) + (st.by ? ` · ${t(lang, 'by')} ${who(st.by.userId)}` : '');
  return h(
    'li',
    { class: `step s-${st.state}${current ? ' current' : ''}`, 'aria-current': current ? 'step' : null, 'data-step': st.name },
    h('span', { class: 'dot', 'aria-hidden': 'true' }),
    h(
      'div',
      {},
      h('strong', {}, t(lang, `step_${st.name}`)),
      ' ',
      badge(lang, st.state),
      h(
        'div',
        { class: 'meta' },
        `${actor}${st.at ? ` · ${dateTime(st.at, lang)}` : ''}` +
          (st.deadline
            ? ` · ${t(lang, 'deadline')} ${calendarDate(st.deadline, lang)}${st.deadlineProvisional ? t(lang, 'provisional') : ''}`
            : ''),
      ),
      st.name === 'approval' && st.state !== 'skipped'
        ? h(
            'div',
            { class: 'meta four-eyes' },
            `${t(lang, 'fourEyes')}${reviewer(tr) ? ` · ${t(lang, 'reviewedBy')} ${reviewer(tr)}` : ''}`,
          )
        : null,
    ),
  );
}

function reviewer(tr: Transfer): string | null {
  const by = tr.steps.find((x) => x.name === 'review')?.by;
  return by ? who(by.userId) : null;
}

/** A user id as shown: "user-operator1" → "operator1". */
export function who(userId: string): string {
  return userId.replace(/^user-/, '');
}

/** The confirmation, fetched with the session cookie and opened as a blob. */
async function openPdf(_ctx: Ctx, id: string): Promise<void> {
  const res = await fetch(`/api/transfers/${encodeURIComponent(id)}/confirmation.pdf`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`confirmation.pdf: HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The caller's available actions on a transfer, with the inputs they need (reason, bank and registration references). */
export function actionsForm(tr: Transfer, lang: Lang): HTMLElement | null {
  // The payment choice has its own form on the instalments card.
  const actions = (tr.availableActions ?? []).filter((a) => a !== 'choose_payment');
  if (!actions.length) return null;
  return h(
    'form',
    { class: 'card actions', 'data-transfer': tr.id, 'aria-label': t(lang, 'action') },
    ...[...new Set(actions.flatMap((a) => INPUTS[a] ?? []))].map((name) =>
      field(t(lang, name), h('input', { name, 'data-input': name, id: `${name}-${tr.id}` })),
    ),
    h(
      'div',
      { class: 'buttons' },
      actions.map((a) =>
        h(
          'button',
          { type: 'button', 'data-action': a, class: a.includes('refuse') || a === 'reject' ? 'danger' : 'primary' },
          t(lang, `act_${a}`),
        ),
      ),
    ),
  );
}

const M = {
  zh: {
    money: '应付与应收',
    buyer: '受让方',
    consideration: '转让对价',
    depositApplied: '已缴保证金抵扣',
    buyerFee: '受让方手续费',
    amountDue: '应付金额',
    dueDate: '付款截止日',
    escrow: '收款账户（交易资金监管专户）',
    paid: '付款',
    notPaid: '未到账',
    sellerFee: '转让方手续费',
    sellerProceeds: '转让方应收净额',
    refused: 'GP 拒绝理由',
    rejected: '驳回理由',
    failed: '失败原因',
    youWaived: '贵机构已放弃优先购买权',
    youExercised: '贵机构已行使优先购买权',
    totalDue: '分期应付合计（含利息）',
    paidSoFar: '已确认到账',
    nextInstalment: '下一期',
    instalmentsPaid: (paid: number, all: number) => `分期付款：已确认 ${paid} / ${all} 期`,
  },
  en: {
    money: 'What each side pays and receives',
    buyer: 'Buyer',
    consideration: 'Consideration',
    depositApplied: 'Deposit applied',
    buyerFee: "Buyer's fee",
    amountDue: 'Amount due',
    dueDate: 'Pay by',
    escrow: 'Pay into (escrow account)',
    paid: 'Payment',
    notPaid: 'not received',
    sellerFee: "Seller's fee",
    sellerProceeds: "Seller's proceeds",
    refused: "GP's reason for refusing",
    rejected: 'Reason for rejection',
    failed: 'Why it failed',
    youWaived: 'Your organisation waived its right of first refusal',
    youExercised: 'Your organisation exercised its right of first refusal',
    totalDue: 'Instalments in all (with interest)',
    paidSoFar: 'Confirmed received',
    nextInstalment: 'Next instalment',
    instalmentsPaid: (paid: number, all: number) => `By instalments: ${paid} of ${all} confirmed`,
  },
} as const;

/** Each buyer's amount due (consideration − deposit applied + fee), the escrow account and the due date; the seller's fee and proceeds. */
function moneyCard(tr: Transfer, s: AppState): HTMLElement | null {
  const lang = s.lang;
  const m = M[lang];
  const legs = tr.allocations ?? [];
  if (!legs.length && !tr.sellerFee) return null;
  const dl = (k: string, v: Node | string): Node[] => [h('dt', {}, k), h('dd', { class: 'num' }, v)];
  // The seller's fee and proceeds are for the seller and the exchange, not for the buyers.
  return h(
    'section',
    { class: 'card money', 'data-testid': 'transfer-money' },
    h('h2', {}, m.money),
    legs.map((a) =>
      h(
        'dl',
        { class: 'facts', 'data-buyer': a.buyerOrgId },
        dl(m.buyer, orgLabel(a, lang)),
        dl(m.consideration, money(a.consideration, lang)),
        dl(m.depositApplied, money(a.depositApplied, lang)),
        dl(m.buyerFee, money(a.buyerFee, lang)),
        a.instalments?.length ? instalmentLines(a.instalments, lang, dl) : lumpSumLines(a, lang, dl),
        dl(m.escrow, `${a.escrowAccount.bank} · ${a.escrowAccount.accountName} · ${a.escrowAccount.accountNumber}`),
      ),
    ),
    tr.sellerFee && (tr.seller.orgId === s.session?.user.orgId || s.session?.user.roles.includes('operator'))
      ? h(
          'dl',
          { class: 'facts', 'data-testid': 'seller-money' },
          dl(m.sellerFee, money(tr.sellerFee, lang)),
          dl(m.sellerProceeds, h('strong', {}, money(tr.sellerProceeds ?? null, lang))),
        )
      : null,
  );
}

type Line = (k: string, v: Node | string) => Node[];

/** A leg paid at once: what is due, by when, and whether it arrived. */
function lumpSumLines(a: Allocation, lang: Lang, dl: Line): Node[] {
  const m = M[lang];
  return [
    ...dl(m.amountDue, h('strong', {}, money(a.amountDue, lang))),
    ...dl(m.dueDate, calendarDate(a.dueDate, lang)),
    ...dl(m.paid, a.payment ? `${a.payment.bankRef} · ${dateTime(a.payment.at, lang)}` : m.notPaid),
  ];
}

/**
 * A leg paid by instalments: what its instalments wire in all, with interest, what the exchange has confirmed received,
 * and the next instalment with its date (the leg's own amount due and date, the whole with the fee and the next date,
 * alone read as "all of it, by the next date, nothing paid").
 */
function instalmentLines(instalments: readonly InstalmentLeg[], lang: Lang, dl: Line): Node[] {
  const m = M[lang];
  const confirmed = instalments.filter((i) => i.state === 'confirmed');
  const next = instalments.find((i) => i.state !== 'confirmed');
  return [
    // What the instalments wire in all: the buyer's fee (shown above) is charged at settlement, not wired with them.
    ...dl(m.totalDue, money(totalYuan(instalments.map((i) => i.amountDue)), lang)),
    ...dl(m.paidSoFar, money(totalYuan(confirmed.map((i) => i.amountDue)), lang)),
    ...(next
      ? dl(
          m.nextInstalment,
          h('strong', {}, `#${next.instalment.number} · ${money(next.amountDue, lang)} · ${calendarDate(next.instalment.dueDate, lang)}`),
        )
      : []),
    ...dl(m.paid, m.instalmentsPaid(confirmed.length, instalments.length)),
  ];
}

/** Why a transfer ended without completing, in the words of whoever ended it. */
function outcomeNote(tr: Transfer, lang: Lang): HTMLElement | null {
  const o = tr.outcome;
  if (!o || !o.reason) return null;
  const label = o.kind === 'refused' ? M[lang].refused : o.kind === 'rejected' ? M[lang].rejected : M[lang].failed;
  return h('p', { class: 'banner error', 'data-testid': 'outcome-reason' }, `${label}：${o.reason}`);
}

/** After a ROFR holder answered: what it answered. */
function rofrNote(tr: Transfer, s: AppState): HTMLElement | null {
  const own = tr.rofr?.holders.find((x) => x.orgId === s.session?.user.orgId);
  if (!own || own.answer === 'pending') return null;
  return h(
    'p',
    { class: 'banner notice', 'data-testid': 'rofr-answer' },
    own.answer === 'exercised' ? M[s.lang].youExercised : M[s.lang].youWaived,
  );
}

export function transferView(tr: Transfer, s: AppState): HTMLElement {
  const lang = s.lang;
  const excluded = tr.nextActor?.waitingOn.some((w) => s.session && w.excludedUserIds.includes(s.session.user.id)) ?? false;
  return h(
    'div',
    { class: 'transfer', 'data-testid': 'transfer', 'data-state': tr.state },
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t(lang, 'fund')),
      h('dd', {}, fundLabel(s, tr.fundId, tr.fundName)),
      h('dt', {}, t(lang, 'state')),
      h('dd', {}, badge(lang, tr.state)),
      h('dt', {}, t(lang, 'seller')),
      h('dd', {}, orgLabel(tr.seller, lang)),
      h('dt', {}, t(lang, 'buyer')),
      h('dd', {}, tr.buyer ? orgLabel(tr.buyer, lang) : '—'),
      h('dt', {}, t(lang, 'quantity')),
      h('dd', {}, quantity(tr.quantity, lang)),
      h('dt', {}, t(lang, 'price')),
      h('dd', {}, tr.pricePct ? pct(tr.pricePct) : '—'),
      h('dt', {}, t(lang, 'consideration')),
      h('dd', { class: 'num' }, money(tr.consideration, lang)),
    ),
    tr.nextActor
      ? h(
          'p',
          { class: 'next' },
          h('strong', {}, `${t(lang, 'nextActor')}: `),
          nextActorWhy(tr, lang),
          tr.nextActor.deadline && !contractWaits(tr) ? deadlineNote(tr.nextActor.deadline, lang) : '',
        )
      : null,
    excluded ? h('p', { class: 'banner notice' }, t(lang, 'fourEyes')) : null,
    outcomeNote(tr, lang),
    rofrNote(tr, s),
    contractCard(tr, lang),
    instalmentsCard(tr, lang),
    moneyCard(tr, s),
    h('h2', {}, t(lang, 'timeline')),
    h(
      'ol',
      { class: 'timeline' },
      tr.steps.map((st) => stepItem(st, tr, lang)),
    ),
    actionsForm(tr, lang),
    tr.confirmationNumber
      ? h(
          'p',
          { class: 'confirmation' },
          h(
            'a',
            { href: `/api/transfers/${encodeURIComponent(tr.id)}/confirmation.pdf`, 'data-pdf': tr.id, 'data-testid': 'confirmation-link' },
            `${t(lang, 'confirmation')} ${tr.confirmationNumber}`,
          ),
          ' · ',
          h(
            'a',
            { href: `/api/confirmations/${encodeURIComponent(tr.confirmationNumber)}/verify`, target: '_blank', rel: 'noopener' },
            lang === 'zh' ? '验证' : 'Verify',
          ),
        )
      : null,
  );
}

/** Click handling for action buttons and the PDF link inside `root`. */
export function bindTransferActions(root: HTMLElement, ctx: Ctx): () => void {
  return unbindAll([
    onClick(root, 'button[data-action]', (el) => {
      const form = el.closest('form[data-transfer]') as HTMLFormElement | null;
      if (!form) return;
      const action = el.dataset.action ?? '';
      const body: Record<string, string> = { action };
      for (const name of INPUTS[action] ?? []) {
        const v = (form.querySelector(`[data-input=${name}]`) as HTMLInputElement | null)?.value.trim();
        if (v) body[name] = v;
      }
      void ctx.act(
        () => ctx.api.post(`/api/transfers/${encodeURIComponent(form.dataset.transfer ?? '')}/actions`, body),
        `${t(ctx.store.get().lang, 'actionDone')}: ${t(ctx.store.get().lang, `act_${action}`)}`,
        el.closest('.buttons') as HTMLElement | null,
      );
    }),
    onClick(root, 'button[data-choose]', (el) => {
      const form = el.closest('form[data-choose-payment]') as HTMLFormElement | null;
      if (!form) return;
      const lang = ctx.store.get().lang;
      void ctx.act(
        () =>
          ctx.api.post(
            `/api/transfers/${encodeURIComponent(form.dataset.choosePayment ?? '')}/actions`,
            choiceBody(form, el.dataset.choose ?? ''),
          ),
        `${t(lang, 'actionDone')}: ${t(lang, 'act_choose_payment')}`,
        el.closest('.buttons') as HTMLElement | null,
      );
    }),
    onClick(root, 'a[data-pdf]', (el, e) => {
      e.preventDefault();
      void ctx.act(() => openPdf(ctx, el.dataset.pdf ?? ''));
    }),
  ]);
}

export const transferPage: Page = {
  title: 'transferOne',
  load: async (ctx, p) => {
    await Promise.all([loadTransfer(ctx, p.id ?? ''), loadFunds(ctx)]);
  },
  channels: () => [],
  mount(root, ctx, params) {
    const id = params.id ?? '';
    const body = h('div', {});
    root.append(
      h('p', {}, h('a', { href: '#/transfers' }, `← ${t(ctx.store.get().lang, 'transfers')}`)),
      h('h1', {}, t(ctx.store.get().lang, 'transferOne')),
      body,
    );
    const unbinds = [bindTransferActions(body, ctx), on(body, 'submit', (e) => e.preventDefault())];
    return {
      unbind: unbindAll(unbinds),
      render(s) {
        const tr = s.transfer[id];
        // Keep typed-in references while the same actions are offered.
        const key = tr
          ? `${tr.state}|${tr.version ?? ''}|${(tr.availableActions ?? []).join()}|${tr.confirmationNumber}|${s.lang}|${s.funds.length}`
          : 'loading';
        if (body.dataset.key === key) return;
        body.dataset.key = key;
        replace(body, tr ? transferView(tr, s) : t(s.lang, 'loading'));
      },
    };
  },
};
