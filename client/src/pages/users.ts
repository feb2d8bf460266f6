/**
 * Administrators: every user with organisation, roles, whether suspended (and why) and open
 * sessions; end a user's sessions, suspend or reinstate a user — each with a reason, which the
 * server audits.
 */
import { field, h, onClick, replace } from '../dom';
import { t } from '../i18n';
import type { AdminUser } from '../types';
import type { AppState } from '../state';
import type { Page } from './page';

function row(u: AdminUser, s: AppState, selfId: string | undefined): HTMLElement {
  const suspended = u.suspendedAt !== null;
  const actions =
    u.id === selfId
      ? []
      : [
          h('button', { type: 'button', class: 'danger', 'data-user-action': 'sessions/revoke' }, t(s.lang, 'endSessions')),
          h(
            'button',
            { type: 'button', 'data-user-action': suspended ? 'reinstate' : 'suspend', class: suspended ? 'primary' : 'danger' },
            t(s.lang, suspended ? 'reinstate' : 'suspend'),
          ),
        ];
  return h(
    'tr',
    { 'data-user': u.id, 'data-username': u.username },
    h('td', {}, `${u.username} · ${u.displayName}`),
    h('td', {}, u.orgName),
    h('td', {}, u.roles.map((r) => t(s.lang, `userRole_${r}`)).join(s.lang === 'zh' ? '、' : ', ')),
    h('td', {}, suspended ? `${t(s.lang, 'userSuspended')} (${u.suspendReason ?? ''})` : t(s.lang, 'userActive')),
    h('td', { class: 'num' }, String(u.openSessions)),
    h(
      'td',
      {},
      actions.length
        ? h(
            'form',
            { class: 'actions' },
            field(t(s.lang, 'reason'), h('input', { 'data-input': 'reason', id: `reason-${u.id}` })),
            h('div', { class: 'buttons' }, actions),
          )
        : null,
    ),
  );
}

export const usersPage: Page = {
  title: 'users',
  async load(ctx) {
    const users = await ctx.api.get<AdminUser[]>('/api/admin/users');
    ctx.store.update((s) => {
      s.users = users;
    });
  },
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const body = h('div', {});
    root.append(h('h1', {}, t(lang, 'users')), body);
    const unbind = onClick(body, 'button[data-user-action]', (el) => {
      const tr = el.closest('tr[data-user]') as HTMLElement | null;
      const reason = tr?.querySelector<HTMLInputElement>('input[data-input=reason]')?.value.trim() ?? '';
      if (!tr) return;
      if (!reason) {
        ctx.store.update((s) => {
          s.error = t(s.lang, 'reasonRequired');
        });
        return;
      }
      const path = `/api/admin/users/${encodeURIComponent(tr.dataset.user ?? '')}/${el.dataset.userAction ?? ''}`;
      void ctx.act(() => ctx.api.post(path, { reason }), t(lang, 'actionDone'));
    });
    return {
      unbind,
      render(s) {
        const key = JSON.stringify([s.lang, s.users]);
        if (body.dataset.key === key) return;
        body.dataset.key = key;
        replace(
          body,
          h(
            'section',
            { class: 'card' },
            h(
              'table',
              { 'data-testid': 'users' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['userName', 'organisation', 'roles', 'status', 'openSessions', 'action'].map((k) =>
                    h('th', { scope: 'col' }, t(s.lang, k)),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                s.users.map((u) => row(u, s, s.session?.user.id)),
              ),
            ),
          ),
        );
      },
    };
  },
};
