/**
 * Payment by instalments on the transfer page: what the listing allows, the plan the buyer chose (guarantee,
 * rate, day count, total interest, the next instalment due) and each instalment with its due date, amount,
 * interest, what to wire, and who recorded and who confirmed it (four eyes). The buyer chooses its plan
 * here before signing (server/transfers/domain/instalments.ts); the server checks every rule.
 */
import { field, h } from '../dom';
import { calendarDate, dateTime, money } from '../format';
import { totalYuan, yuanDifference } from '../money';
import { t } from '../i18n';
import type { Lang } from '../state';
import type { InstalmentLeg, Transfer } from '../types';

/** `planAllowed` with the terms' figures in place of {name}. */
function allowedText(tr: Transfer, lang: Lang): string {
  const terms = tr.instalmentTerms;
  if (!terms) return '';
  return t(lang, 'planAllowed').replace(/\{(\w+)\}/g, (_, k: string) => String((terms as Record<string, unknown>)[k] ?? ''));
}

/**
 * What of the buyer's deposit an instalment's wire leaves out: its principal and interest less what is due (the
 * deposit is applied to the first instalment). Shown so the columns add up: principal + interest − deposit = to wire.
 */
function depositOffset(i: InstalmentLeg): string {
  return yuanDifference(totalYuan([i.instalment.amount, i.interest ?? '0']), i.amountDue);
}

function row(i: InstalmentLeg, lang: Lang, next: number | null): HTMLElement {
  const state = i.state === 'confirmed' ? 'planStateConfirmed' : i.state === 'recorded' ? 'planStateRecorded' : 'planStateDue';
  const mark = (m: { at: string; name: string } | null) => (m ? `${m.name} · ${dateTime(m.at, lang)}` : '—');
  return h(
    'tr',
    { 'data-instalment': String(i.instalment.number), 'data-state': i.state, class: i.instalment.number === next ? 'next' : '' },
    h('td', {}, String(i.instalment.number)),
    h('td', {}, calendarDate(i.instalment.dueDate, lang)),
    h('td', { class: 'num' }, money(i.instalment.amount, lang)),
    h('td', { class: 'num' }, i.interest === null ? '—' : money(i.interest, lang)),
    h('td', { class: 'num' }, money(depositOffset(i), lang)),
    h('td', { class: 'num' }, money(i.amountDue, lang)),
    h('td', {}, t(lang, state), i.recorded ? ` · ${i.recorded.bankRef}` : ''),
    h('td', {}, mark(i.recorded)),
    h('td', {}, mark(i.confirmed)),
  );
}

/** The buyer's form: a lump sum, or instalments typed one per line as "amount" or "amount@months". */
function chooseForm(tr: Transfer, lang: Lang): HTMLElement | null {
  if (!(tr.availableActions ?? []).includes('choose_payment')) return null;
  return h(
    'form',
    { class: 'choose-payment', 'data-choose-payment': tr.id },
    tr.instalmentTerms
      ? [
          field(
            t(lang, 'planInput'),
            h('textarea', { name: 'instalments', rows: '3', 'data-input': 'planInstalments', id: `plan-${tr.id}` }),
          ),
          field(t(lang, 'planGuarantee'), h('input', { name: 'guaranteeRef', 'data-input': 'planGuarantee', id: `guarantee-${tr.id}` })),
        ]
      : null,
    h('p', { class: 'hint' }, t(lang, 'planChangeClears')),
    h(
      'div',
      { class: 'buttons' },
      tr.instalmentTerms
        ? h('button', { type: 'button', class: 'primary', 'data-choose': 'instalments' }, t(lang, 'planChooseInstalments'))
        : null,
      h('button', { type: 'button', 'data-choose': 'lump_sum' }, t(lang, 'planChooseLumpSum')),
    ),
  );
}

/** The body of `choose_payment` from the form (the server validates amounts, months and the guarantee). */
export function choiceBody(form: HTMLElement, method: string): Record<string, unknown> {
  if (method !== 'instalments') return { action: 'choose_payment', method: 'lump_sum' };
  const text = (form.querySelector('[data-input=planInstalments]') as HTMLTextAreaElement | null)?.value ?? '';
  const instalments = text
    .split(/[\n;]/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [amount = '', months] = line.split('@').map((x) => x.trim());
      return months === undefined ? { amount } : { amount, monthsAfterContract: Number(months) };
    });
  const guaranteeRef = (form.querySelector('[data-input=planGuarantee]') as HTMLInputElement | null)?.value.trim() ?? '';
  return { action: 'choose_payment', method: 'instalments', instalments, ...(guaranteeRef ? { guaranteeRef } : {}) };
}

export function instalmentsCard(tr: Transfer, lang: Lang): HTMLElement | null {
  const plan = tr.paymentPlan;
  const legs = (tr.allocations ?? []).flatMap((a) => a.instalments ?? []);
  const form = chooseForm(tr, lang);
  if (!tr.instalmentTerms && !legs.length && !form) return null;
  const facts = (k: string, v: string): Node[] => [h('dt', {}, t(lang, k)), h('dd', {}, v)];
  const method = plan?.method === 'instalments' ? 'planInstalments' : 'planLumpSum';
  return h(
    'section',
    { class: 'card instalments', 'data-testid': 'transfer-instalments' },
    h('h2', {}, t(lang, 'planTitle')),
    tr.instalmentTerms ? h('p', { class: 'hint' }, allowedText(tr, lang)) : null,
    h(
      'dl',
      { class: 'facts' },
      facts('planTitle', t(lang, method)),
      plan?.method === 'instalments'
        ? [
            ...facts('planGuarantee', plan.guaranteeRef ?? '—'),
            ...facts('planRate', `${plan.interestRatePct ?? '—'}%`),
            ...facts('planDayCount', plan.dayCount ?? '—'),
            ...facts('planInterestTotal', money(plan.totalInterest, lang)),
            ...facts(
              'planNext',
              plan.next ? `#${plan.next.number} · ${calendarDate(plan.next.dueDate, lang)} · ${money(plan.next.amountDue, lang)}` : '—',
            ),
          ]
        : null,
    ),
    legs.length
      ? h(
          'table',
          { class: 'instalment-table', 'data-testid': 'instalment-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [
                'planNumber',
                'planDue',
                'planAmount',
                'planInterest',
                'planDepositApplied',
                'planAmountDue',
                'planState',
                'planRecorded',
                'planConfirmed',
              ].map((k) => h('th', {}, t(lang, k))),
            ),
          ),
          h(
            'tbody',
            {},
            legs.map((i) => row(i, lang, plan?.next?.number ?? null)),
          ),
        )
      : null,
    legs.some((i) => i.instalment.dueDate === null) ? h('p', { class: 'hint' }, t(lang, 'planDatesAtContract')) : null,
    form,
  );
}
