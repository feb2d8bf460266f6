/** Small view pieces shared by pages: price cells with the up/down convention, tables, badges. */
import { compare, pct } from '../format';
import { h } from '../dom';
import { t } from '../i18n';
import type { Lang } from '../state';

/** A % of NAV value, coloured and marked ▲/▼ against a reference (100% of NAV when none is given). */
export function priceCell(value: string | null | undefined, reference: string | null | undefined = '100'): HTMLElement {
  const dir = compare(value, reference);
  const cls = dir === 1 ? 'up' : dir === -1 ? 'down' : '';
  const mark = dir === 1 ? '▲ ' : dir === -1 ? '▼ ' : '';
  return h('span', { class: `num ${cls}` }, value ? mark + pct(value) : '—');
}

export function table(caption: string, head: string[], rows: (Node | string)[][], opts: { testid?: string; empty?: string } = {}): HTMLElement {
  return h('table', { 'data-testid': opts.testid },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))) : h('tr', {}, h('td', { colspan: head.length, class: 'empty' }, opts.empty ?? '—'))));
}

export function badge(lang: Lang, state: string): HTMLElement {
  const label = t(lang, `st_${state}`);
  return h('span', { class: `badge s-${state}` }, label === `st_${state}` ? state.replace(/_/g, ' ') : label);
}
