/** Small view pieces shared by pages: price cells with the up/down convention, tables, badges. */
import { calendarDate, compare, pct } from '../format';
import { h } from '../dom';
import { t } from '../i18n';
import type { AppState, Lang } from '../state';
import type { Transfer } from '../types';
import { contractWaits, contractWhy, unsignedParties } from './transfer-contract';

/** A % of NAV value, coloured and marked ▲/▼ against a reference (100% of NAV when none is given). */
export function priceCell(value: string | null | undefined, reference: string | null | undefined = '100'): HTMLElement {
  const dir = compare(value, reference);
  const cls = dir === 1 ? 'up' : dir === -1 ? 'down' : '';
  const mark = dir === 1 ? '▲ ' : dir === -1 ? '▼ ' : '';
  return h('span', { class: `num ${cls}` }, value ? mark + pct(value) : '—');
}

export function table(
  caption: string,
  head: string[],
  rows: (Node | string)[][],
  opts: { testid?: string; empty?: string } = {},
): HTMLElement {
  return h(
    'table',
    { 'data-testid': opts.testid },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.length
        ? rows.map((r) =>
            h(
              'tr',
              {},
              r.map((c) => h('td', {}, c)),
            ),
          )
        : h('tr', {}, h('td', { colspan: head.length, class: 'empty' }, opts.empty ?? '—')),
    ),
  );
}

export function badge(lang: Lang, state: string): HTMLElement {
  const label = t(lang, `st_${state}`);
  return h('span', { class: `badge s-${state}` }, label === `st_${state}` ? state.replace(/_/g, ' ') : label);
}

/** A code word (strategy, venue) in the chosen language; the code itself when there is no string. */
export function term(lang: Lang, prefix: string, value: string): string {
  const key = `${prefix}_${value}`;
  const s = t(lang, key);
  return s === key ? value : s;
}

/** A fund's name in the chosen language (English name when known), else the fallback or the id. */
export function fundLabel(s: AppState, id: string, fallback?: string): string {
  const f = s.funds.find((x) => x.id === id);
  if (f) return s.lang === 'en' && f.nameEn ? f.nameEn : f.name;
  return fallback ?? id;
}

const rolesWaited = (tr: Transfer, lang: Lang): string =>
  [...new Set((tr.nextActor?.waitingOn ?? []).map((w) => t(lang, `role_${w.role}`)))].join(lang === 'zh' ? '、' : ', ');

/** Who acts next, short (transfer lists): step, who, deadline; '—' once the transfer has ended. */
export function nextStepShort(tr: Transfer, lang: Lang): string {
  const n = tr.nextActor;
  if (!n?.step) return '—';
  if (contractWaits(tr)) {
    const who = unsignedParties(tr)
      .map((p) => t(lang, `role_${p}`))
      .join(lang === 'zh' ? '、' : ', ');
    return `${t(lang, 'act_sign')} (${who}) · ${t(lang, 'deadline')} ${calendarDate(tr.contract?.dueDate, lang)}`;
  }
  const who = rolesWaited(tr, lang);
  const deadline = n.deadline ? ` · ${t(lang, 'deadline')} ${calendarDate(n.deadline, lang)}` : '';
  return `${t(lang, `step_${n.step}`)}${who ? ` (${who})` : ''}${deadline}`;
}

/**
 * Who acts next and why, composed from the step, the roles and the state in the reader's language. The server's
 * `why` is for API clients: it is English only and names organisations and users by their internal ids.
 */
export function nextActorWhy(tr: Transfer, lang: Lang): string {
  const n = tr.nextActor;
  if (!n) return '';
  // The server's turn is the operator's review; until both sides have signed, it is theirs.
  if (contractWaits(tr)) return contractWhy(tr, lang);
  const [open, close, colon, list] = lang === 'zh' ? ['（', '）', '：', '、'] : [' (', ')', ': ', ', '];
  if (!n.step) {
    const ended = tr.steps.find((x) => x.state === 'failed' || x.state === 'refused');
    return `${badge(lang, tr.state).textContent ?? tr.state}${ended ? `${open}${t(lang, `step_${ended.name}`)}${close}` : ''}`;
  }
  const who = rolesWaited(tr, lang);
  // Four eyes: who may not act although they hold the role (the reviewer, the payment's confirmer).
  const excluded = [...new Set(n.waitingOn.flatMap((w) => w.excludedUserIds))].map((id) => id.replace(/^user-/, ''));
  const notBy = excluded.length ? `${open}${t(lang, 'notBy')}${colon}${excluded.join(list)}${close}` : '';
  return `${t(lang, `step_${n.step}`)}${who ? ` — ${who}` : ''}${notBy}`;
}

/** "（截止 2026年10月23日）" / " (deadline 23 October 2026)": a deadline after a sentence, in the reader's punctuation. */
export function deadlineNote(date: string, lang: Lang): string {
  const text = `${t(lang, 'deadline')} ${calendarDate(date, lang)}`;
  return lang === 'zh' ? `（${text}）` : ` (${text})`;
}
