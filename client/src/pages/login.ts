/**
 * Sign-in: POST /api/auth/login, keep the token in the store (and local storage), go to the market. A
 * user signing in with the initial password an administrator gave must choose its own first
 * (POST /api/auth/password), which answers with a new sign-in.
 */
import { field, h, on, unbindAll } from '../dom';
import { t } from '../i18n';
import type { SessionUser } from '../types';
import type { Page } from './page';

export const loginPage: Page = {
  title: 'signIn',
  load: async () => {},
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const user = h('input', { name: 'username', autocomplete: 'username', required: true });
    const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const form = h(
      'form',
      { class: 'card narrow', 'aria-labelledby': 'login-title' },
      h('h1', { id: 'login-title' }, t(lang, 'signIn')),
      field(t(lang, 'username'), user),
      field(t(lang, 'password'), pass),
      h('button', { type: 'submit', class: 'primary' }, t(lang, 'signIn')),
      h('p', { class: 'hint' }, t(lang, 'demoUsers')),
      h('p', {}, h('a', { href: '#/public', 'data-testid': 'public-link' }, t(lang, 'publicData'))),
    );
    const next = h('input', { name: 'new', type: 'password', autocomplete: 'new-password', required: true });
    const change = h(
      'form',
      { class: 'card narrow', 'aria-labelledby': 'change-title', 'data-testid': 'change-password' },
      h('h1', { id: 'change-title' }, t(lang, 'changePassword')),
      h('p', {}, t(lang, 'passwordChangeRequired')),
      field(t(lang, 'newPassword'), next),
      h('button', { type: 'submit', class: 'primary' }, t(lang, 'changePassword')),
    );
    root.append(form);
    user.focus();
    // The answers also set the session cookie (httpOnly) the page's later calls and socket ride on;
    // their bearer token, meant for API clients, is not kept.
    const start = (r: { user: SessionUser }) => {
      ctx.store.update((s) => {
        s.session = { user: { ...r.user, username: user.value.trim() } };
      });
      ctx.navigate('#/market');
    };
    const unbind = unbindAll([
      on(form, 'submit', (e) => {
        e.preventDefault();
        void ctx.act(async () => {
          const r = await ctx.api.post<{ user: SessionUser }>('/api/auth/login', { username: user.value.trim(), password: pass.value });
          if (!r.user.mustChangePassword) return start(r);
          // In place of the sign-in form (only then in the page, so its labels never compete with the sign-in's).
          form.replaceWith(change);
          next.focus();
        });
      }),
      on(change, 'submit', (e) => {
        e.preventDefault();
        void ctx.act(async () => {
          // Until the password is changed, the session answers this call only (403 PASSWORD_CHANGE_REQUIRED otherwise).
          start(await ctx.api.post<{ user: SessionUser }>('/api/auth/password', { current: pass.value, new: next.value }));
        });
      }),
    ]);
    return { render: () => {}, unbind };
  },
};
