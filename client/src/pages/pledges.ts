/**
 * Share pledges: the pledgor requests and withdraws (its positions show what is pledged), the GP
 * consents or refuses, operators register and release, and the pledgee bank follows its pledges.
 * Each section shows only to the role that acts in it; the server decides who may act.
 */
import { field, h, onClick, replace, unbindAll } from '../dom';
import { dateTime, money } from '../format';
import { t } from '../i18n';
import type { AppState } from '../state';
import type { Pledge, Position } from '../types';
import { badge, fundLabel } from './common';
import type { Page } from './page';

/** The actions a role may take on a pledge in its state, with the input each needs. */
const ACTIONS: { action: string; states: string[]; role: string; input?: string; mine?: boolean }[] = [
  { action: 'gp_consent', states: ['consent_pending'], role: 'gp' },
  { action: 'gp_refuse', states: ['consent_pending'], role: 'gp', input: 'reason' },
  { action: 'register', states: ['registration_pending'], role: 'operator', input: 'registrationRef' },
  { action: 'release', states: ['registered'], role: 'operator', input: 'releaseRef' },
  { action: 'withdraw', states: ['consent_pending', 'registration_pending'], role: 'seller', mine: true },
];

const historyEntry = (x: Pledge['history'][number], s: AppState) =>
  `${x.action} ${x.by.name} ${dateTime(x.at, s.lang)}${x.reason ? ` (${x.reason})` : ''}`;

function pledgeCard(p: Pledge, s: AppState): HTMLElement {
  const user = s.session?.user;
  const actions = ACTIONS.filter(
    (a) => a.states.includes(p.state) && user?.roles.includes(a.role) && (!a.mine || p.pledgorOrgId === user.orgId),
  );
  const inputs = [...new Set(actions.flatMap((a) => (a.input ? [a.input] : [])))];
  return h(
    'article',
    { class: 'item', 'data-testid': 'pledge', 'data-pledge-id': p.id, 'data-state': p.state },
    h('h3', {}, fundLabel(s, p.fundId), ' ', badge(s.lang, p.state)),
    h(
      'p',
      { class: 'meta' },
      `${t(s.lang, 'pledgor')} ${p.pledgorOrgId} → ${t(s.lang, 'pledgee')} ${p.pledgeeOrgId} · ${money(p.quantity, s.lang)} · ` +
        `${t(s.lang, 'securedAmount')} ${money(p.securedAmount, s.lang)} · ${p.contractRef}`,
    ),
    h('p', { class: 'meta' }, `${t(s.lang, 'history')}: ${p.history.map((x) => historyEntry(x, s)).join(' · ')}`),
    actions.length
      ? h(
          'form',
          { class: 'actions', 'data-pledge': p.id },
          inputs.map((name) => field(t(s.lang, name), h('input', { 'data-input': name, id: `${name}-${p.id}` }))),
          h(
            'div',
            { class: 'buttons' },
            actions.map((a) =>
              h(
                'button',
                {
                  type: 'button',
                  'data-pledge-action': a.action,
                  class: a.action === 'gp_refuse' || a.action === 'withdraw' ? 'danger' : 'primary',
                },
                t(s.lang, `act_${a.action}`),
              ),
            ),
          ),
        )
      : null,
  );
}

function requestForm(s: AppState): HTMLElement {
  const funds = s.positions.filter((p: Position) => p.available !== '0');
  return h(
    'form',
    { class: 'card', 'data-testid': 'pledge-form' },
    h('h2', {}, t(s.lang, 'pledgeNew')),
    field(
      t(s.lang, 'fund'),
      h(
        'select',
        { name: 'fundId', id: 'pledge-fund' },
        funds.map((p) =>
          h(
            'option',
            { value: p.fundId },
            `${fundLabel(s, p.fundId, p.fundName)} (${t(s.lang, 'available')} ${money(p.available, s.lang)})`,
          ),
        ),
      ),
    ),
    field(t(s.lang, 'quantity'), h('input', { name: 'quantity', id: 'pledge-quantity', inputmode: 'numeric' })),
    field(t(s.lang, 'pledgee'), h('input', { name: 'pledgeeOrgId', id: 'pledge-pledgee', value: 'org-bank' })),
    field(t(s.lang, 'securedAmount'), h('input', { name: 'securedAmount', id: 'pledge-secured', inputmode: 'decimal' })),
    field(t(s.lang, 'contractRef'), h('input', { name: 'contractRef', id: 'pledge-contract' })),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'button', class: 'primary', 'data-do': 'request-pledge' }, t(s.lang, 'pledgeRequest')),
    ),
  );
}

function section(title: string, items: Pledge[], s: AppState): HTMLElement {
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, `${title} (${items.length})`),
    items.length ? items.map((p) => pledgeCard(p, s)) : h('p', { class: 'empty' }, t(s.lang, 'noItems')),
  );
}

export const pledgesPage: Page = {
  title: 'pledges',
  async load(ctx) {
    const seller = ctx.store.get().session?.user.roles.includes('seller');
    const [pledges, positions] = await Promise.all([
      ctx.api.get<Pledge[]>('/api/pledges'),
      seller ? ctx.api.get<Position[]>('/api/positions') : Promise.resolve(null),
    ]);
    ctx.store.update((s) => {
      s.pledges = pledges;
      if (positions) s.positions = positions;
    });
  },
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const body = h('div', {});
    root.append(h('h1', {}, t(lang, 'pledges')), body);
    const unbind = unbindAll([
      onClick(body, 'button[data-pledge-action]', (el) => {
        const form = el.closest('form[data-pledge]') as HTMLFormElement | null;
        if (!form) return;
        const action = el.dataset.pledgeAction ?? '';
        const input = ACTIONS.find((a) => a.action === action)?.input;
        const payload: Record<string, string> = { action };
        if (input) payload[input] = form.querySelector<HTMLInputElement>(`[data-input=${input}]`)?.value.trim() ?? '';
        void ctx.act(
          () => ctx.api.post(`/api/pledges/${encodeURIComponent(form.dataset.pledge ?? '')}/actions`, payload),
          t(lang, 'actionDone'),
        );
      }),
      onClick(body, 'button[data-do=request-pledge]', (el) => {
        const form = el.closest('form') as HTMLFormElement;
        const value = (name: string) => (form.querySelector(`[name=${name}]`) as HTMLInputElement | HTMLSelectElement).value.trim();
        const payload = {
          fundId: value('fundId'),
          quantity: value('quantity'),
          pledgeeOrgId: value('pledgeeOrgId'),
          securedAmount: value('securedAmount'),
          contractRef: value('contractRef'),
        };
        void ctx.act(() => ctx.api.post('/api/pledges', payload), t(lang, 'actionDone'));
      }),
    ]);
    return {
      unbind,
      render(s) {
        const key = JSON.stringify([s.lang, s.pledges, s.positions.map((p) => [p.fundId, p.available, p.pledged])]);
        if (body.dataset.key === key) return;
        body.dataset.key = key;
        const roles = s.session?.user.roles ?? [];
        const orgId = s.session?.user.orgId;
        replace(
          body,
          h(
            'div',
            { class: 'grid two' },
            roles.includes('seller')
              ? [
                  requestForm(s),
                  section(
                    t(s.lang, 'myPledges'),
                    s.pledges.filter((p) => p.pledgorOrgId === orgId),
                    s,
                  ),
                ]
              : null,
            roles.includes('gp')
              ? section(
                  t(s.lang, 'consentInbox'),
                  s.pledges.filter((p) => p.state === 'consent_pending'),
                  s,
                )
              : null,
            roles.includes('operator')
              ? [
                  section(
                    t(s.lang, 'registrationQueue'),
                    s.pledges.filter((p) => p.state === 'registration_pending' || p.state === 'registered'),
                    s,
                  ),
                  section(
                    t(s.lang, 'pledges'),
                    s.pledges.filter((p) => p.state !== 'registration_pending' && p.state !== 'registered'),
                    s,
                  ),
                ]
              : null,
            roles.includes('pledgee')
              ? section(
                  t(s.lang, 'bankPledges'),
                  s.pledges.filter((p) => p.pledgeeOrgId === orgId),
                  s,
                )
              : null,
          ),
        );
      },
    };
  },
};
