/** Sign-in: POST /api/auth/login, keep the token in the store (and local storage), go to the market. */
import { field, h, on } from '../dom';
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
    const form = h('form', { class: 'card narrow', 'aria-labelledby': 'login-title' },
      h('h1', { id: 'login-title' }, t(lang, 'signIn')),
      field(t(lang, 'username'), user), field(t(lang, 'password'), pass),
      h('button', { type: 'submit', class: 'primary' }, t(lang, 'signIn')),
      h('p', { class: 'hint' }, 'demo: lp · lp-soe · buyer1 · buyer2 · gp · operator1 · operator2 / demo-pass'),
      h('p', {}, h('a', { href: '#/public', 'data-testid': 'public-link' }, t(lang, 'publicData'))));
    root.append(form);
    user.focus();
    const unbind = on(form, 'submit', (e) => {
      e.preventDefault();
      void ctx.act(async () => {
        const r = await ctx.api.post<{ token: string; user: SessionUser }>('/api/auth/login', { username: user.value.trim(), password: pass.value });
        ctx.store.update((s) => { s.session = { token: r.token, user: { ...r.user, username: user.value.trim() } }; });
        ctx.navigate('#/market');
      });
    });
    return { render: () => {}, unbind };
  },
};
