/**
 * In-kind distributions of listed shares: the GP proposes one for its fund and sees the allocations;
 * operators approve or reject; an LP sees its own allocation and downloads its statement.
 */
import { field, h, onClick, replace, unbindAll } from '../dom';
import { loadFunds } from '../data';
import { money } from '../format';
import { t } from '../i18n';
import type { AppState } from '../state';
import type { Distribution } from '../types';
import { badge, fundLabel, table } from './common';
import type { Page } from './page';

function card(d: Distribution, s: AppState): HTMLElement {
  const roles = s.session?.user.roles ?? [];
  const approver = roles.includes('operator') && d.state === 'proposed';
  const mine = d.allocations.find((a) => a.orgId === s.session?.user.orgId);
  return h(
    'article',
    { class: 'item', 'data-testid': 'distribution', 'data-distribution-id': d.id, 'data-state': d.state },
    h('h3', {}, fundLabel(s, d.fundId), ' ', badge(s.lang, d.state)),
    h(
      'p',
      { class: 'meta' },
      `${d.security.name} ${d.security.code} (${d.security.market}) · ${t(s.lang, 'shares')} ${d.shares} · ` +
        `${t(s.lang, 'referencePrice')} ${d.referencePrice} · ${t(s.lang, 'recordDate')} ${d.recordDate}`,
    ),
    table(
      t(s.lang, 'allocations'),
      [t(s.lang, 'organisation'), t(s.lang, 'shares'), t(s.lang, 'sharesInLieu'), t(s.lang, 'cashInLieu')],
      d.allocations.map((a) => [`${a.name}${a.eligible ? '' : ' *'}`, a.shares, a.sharesInLieu, money(a.cashInLieu, s.lang)]),
    ),
    roles.includes('gp') || roles.includes('operator')
      ? h('p', { class: 'meta' }, `${t(s.lang, 'distributedValue')} ${money(d.totals.distributedValue, s.lang)}`)
      : null,
    approver
      ? h(
          'form',
          { class: 'actions', 'data-distribution': d.id },
          field(t(s.lang, 'reason'), h('input', { 'data-input': 'reason', id: `reason-${d.id}` })),
          h(
            'div',
            { class: 'buttons' },
            h('button', { type: 'button', class: 'primary', 'data-distribution-action': 'approve' }, t(s.lang, 'act_approve')),
            h('button', { type: 'button', class: 'danger', 'data-distribution-action': 'reject' }, t(s.lang, 'act_reject')),
          ),
        )
      : null,
    mine && d.state === 'approved'
      ? h('p', {}, h('a', { href: '#', 'data-statement': d.id, 'data-testid': 'statement-link' }, t(s.lang, 'statement')))
      : null,
  );
}

function proposeForm(s: AppState): HTMLElement {
  const check = (name: string, key: string) => h('label', {}, h('input', { type: 'checkbox', name }), ' ', t(s.lang, key));
  return h(
    'form',
    { class: 'card', 'data-testid': 'distribution-form' },
    h('h2', {}, t(s.lang, 'distributionNew')),
    field(
      t(s.lang, 'fund'),
      h(
        'select',
        { name: 'fundId', id: 'dist-fund' },
        s.funds.map((f) => h('option', { value: f.id }, fundLabel(s, f.id))),
      ),
    ),
    field(t(s.lang, 'securityCode'), h('input', { name: 'code', id: 'dist-code' })),
    field(t(s.lang, 'securityName'), h('input', { name: 'name', id: 'dist-name' })),
    field(t(s.lang, 'market_'), h('input', { name: 'market', id: 'dist-market' })),
    field(t(s.lang, 'shares'), h('input', { name: 'shares', id: 'dist-shares', inputmode: 'numeric' })),
    field(t(s.lang, 'referencePrice'), h('input', { name: 'referencePrice', id: 'dist-price', inputmode: 'decimal' })),
    field(t(s.lang, 'recordDate'), h('input', { name: 'recordDate', id: 'dist-date', type: 'date' })),
    check('fundIsControllingOrLargestShareholder', 'factControlling'),
    check('lockedUp', 'factLockedUp'),
    check('pledgedOrFrozen', 'factPledged'),
    field(t(s.lang, 'ineligibleOrgIds'), h('input', { name: 'ineligibleOrgIds', id: 'dist-ineligible' })),
    h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'primary', 'data-do': 'propose' }, t(s.lang, 'propose'))),
  );
}

/** The statement needs the bearer token, so it is fetched and opened as a blob. */
async function openStatement(token: string, id: string): Promise<void> {
  const res = await fetch(`/api/distributions/${encodeURIComponent(id)}/statement.pdf`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`statement.pdf: HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const distributionsPage: Page = {
  title: 'distributions',
  async load(ctx) {
    const [list] = await Promise.all([ctx.api.get<Distribution[]>('/api/distributions'), loadFunds(ctx)]);
    ctx.store.update((s) => {
      s.distributions = list;
    });
  },
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const body = h('div', {});
    root.append(h('h1', {}, t(lang, 'distributions')), body);
    const unbind = unbindAll([
      onClick(body, 'button[data-distribution-action]', (el) => {
        const form = el.closest('form[data-distribution]') as HTMLFormElement | null;
        if (!form) return;
        const action = el.dataset.distributionAction ?? '';
        const reason = form.querySelector<HTMLInputElement>('[data-input=reason]')?.value.trim() ?? '';
        const payload = action === 'reject' ? { action, reason } : { action };
        void ctx.act(
          () => ctx.api.post(`/api/distributions/${encodeURIComponent(form.dataset.distribution ?? '')}/actions`, payload),
          t(lang, 'actionDone'),
        );
      }),
      onClick(body, 'button[data-do=propose]', (el) => {
        const form = el.closest('form') as HTMLFormElement;
        const value = (name: string) => (form.querySelector(`[name=${name}]`) as HTMLInputElement | HTMLSelectElement).value.trim();
        const checked = (name: string) => (form.querySelector(`[name=${name}]`) as HTMLInputElement).checked;
        const payload = {
          security: { code: value('code'), name: value('name'), market: value('market') },
          shares: value('shares'),
          referencePrice: value('referencePrice'),
          recordDate: value('recordDate'),
          facts: {
            fundIsControllingOrLargestShareholder: checked('fundIsControllingOrLargestShareholder'),
            lockedUp: checked('lockedUp'),
            pledgedOrFrozen: checked('pledgedOrFrozen'),
          },
          ineligibleOrgIds: value('ineligibleOrgIds')
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        };
        void ctx.act(() => ctx.api.post(`/api/funds/${encodeURIComponent(value('fundId'))}/distributions`, payload), t(lang, 'actionDone'));
      }),
      onClick(body, 'a[data-statement]', (el, e) => {
        e.preventDefault();
        void ctx.act(() => openStatement(ctx.store.get().session?.token ?? '', el.dataset.statement ?? ''));
      }),
    ]);
    return {
      unbind,
      render(s) {
        const key = JSON.stringify([s.lang, s.distributions, s.funds.length]);
        if (body.dataset.key === key) return;
        body.dataset.key = key;
        const gp = s.session?.user.roles.includes('gp') ?? false;
        replace(
          body,
          h(
            'div',
            { class: 'grid two' },
            gp ? proposeForm(s) : null,
            h(
              'section',
              { class: 'card' },
              h('h2', {}, `${t(s.lang, 'distributions')} (${s.distributions.length})`),
              s.distributions.length ? s.distributions.map((d) => card(d, s)) : h('p', { class: 'empty' }, t(s.lang, 'noItems')),
            ),
          ),
        );
      },
    };
  },
};
