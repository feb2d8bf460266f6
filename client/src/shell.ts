/** The frame around every page: navigation, switches, the stale banner, errors and the live region. */
import { h, on, onClick, replace, unbindAll, type Unbind } from './dom';
import { t } from './i18n';
import type { AppState, Store } from './state';

export interface Shell { main: HTMLElement; render(state: AppState): void; unbind: Unbind }

const NAV: { route: string; key: string; roles?: string[] }[] = [
  { route: 'market', key: 'market' },
  { route: 'account', key: 'account', roles: ['seller', 'buyer'] },
  { route: 'listings', key: 'listings' },
  { route: 'transfers', key: 'transfers' },
  { route: 'inbox', key: 'inbox', roles: ['gp', 'operator'] },
  { route: 'pledges', key: 'pledges', roles: ['seller', 'gp', 'operator', 'pledgee'] },
  { route: 'distributions', key: 'distributions', roles: ['seller', 'gp', 'operator'] },
  { route: 'users', key: 'users', roles: ['admin'] },
  { route: 'members', key: 'members', roles: ['admin'] },
  { route: 'admission', key: 'admission', roles: ['operator'] },
  { route: 'nav-reports', key: 'navReports', roles: ['gp'] },
];

export function mountShell(root: HTMLElement, store: Store<AppState>, signOut: () => void): Shell {
  const nav = h('nav', { 'aria-label': 'main' });
  const controls = h('div', { class: 'controls' });
  const stale = h('div', { class: 'banner stale', role: 'status', hidden: true, 'data-testid': 'stale-banner' });
  const error = h('div', { class: 'banner error', role: 'alert', hidden: true });
  const notice = h('div', { class: 'banner notice', role: 'status', hidden: true });
  const live = h('div', { class: 'sr-only', 'aria-live': 'polite', id: 'live-region' });
  const main = h('main', { id: 'main', tabindex: '-1' });
  root.replaceChildren(h('header', { class: 'top' }, h('a', { class: 'brand', href: '#/market' }, ''), nav, controls), stale, error, notice, live, main);
  const brand = root.querySelector('.brand') as HTMLElement;

  const binds: Unbind[] = [
    onClick(controls, '[data-do]', (el) => {
      const what = el.dataset.do;
      if (what === 'signout') return signOut();
      store.update((s) => {
        if (what === 'lang') { s.lang = s.lang === 'zh' ? 'en' : 'zh'; s.notice = null; }
        if (what === 'colours') s.colours = s.colours === 'red-up' ? 'green-up' : 'red-up';
        if (what === 'announce') { s.announcePrices = !s.announcePrices; s.announcement = ''; }
      });
    }),
    onClick(error, '[data-do=dismiss]', () => store.update((s) => { s.error = null; })),
    on(window, 'keydown', (e) => { if (e.key === 'Escape' && store.get().error) store.update((s) => { s.error = null; }); }),
  ];

  let lastAnnouncement = '';
  return {
    main,
    unbind: unbindAll(binds),
    render(s) {
      document.documentElement.lang = s.lang === 'zh' ? 'zh-CN' : 'en';
      document.body.classList.toggle('green-up', s.colours === 'green-up');
      document.title = t(s.lang, 'appName');
      brand.textContent = t(s.lang, 'appName');
      const roles = s.session?.user.roles ?? [];
      replace(nav, s.session ? NAV.filter((n) => !n.roles || n.roles.some((r) => roles.includes(r))).map((n) =>
        h('a', { href: `#/${n.route}`, 'aria-current': s.route.name === n.route || s.route.name === n.route.replace(/s$/, '') ? 'page' : null }, t(s.lang, n.key))) : []);
      replace(controls,
        h('button', { type: 'button', 'data-do': 'lang', lang: s.lang === 'zh' ? 'en' : 'zh-CN' }, t(s.lang, 'lang')),
        h('button', { type: 'button', 'data-do': 'colours', 'aria-label': t(s.lang, 'colourSwitch') },
          h('span', { class: 'up' }, '▲'), h('span', { class: 'down' }, '▼'), ' ', t(s.lang, s.colours === 'red-up' ? 'colourRedUp' : 'colourGreenUp')),
        h('button', { type: 'button', 'data-do': 'announce', 'aria-pressed': String(s.announcePrices) }, t(s.lang, s.announcePrices ? 'announceOn' : 'announceOff')),
        s.session ? h('span', { class: 'who' }, `${s.session.user.username ?? ''} · ${s.session.user.orgName}`) : null,
        s.session ? h('button', { type: 'button', 'data-do': 'signout' }, t(s.lang, 'signOut')) : null);
      stale.hidden = !(s.stale && s.session);
      stale.textContent = '⚠ ' + t(s.lang, 'stale');
      error.hidden = !s.error;
      replace(error, s.error ? [h('span', {}, `${t(s.lang, 'error')}: ${s.error}`), h('button', { type: 'button', 'data-do': 'dismiss', class: 'link' }, t(s.lang, 'close'))] : []);
      notice.hidden = !s.notice;
      notice.textContent = s.notice ?? '';
      if (s.announcePrices && s.announcement !== lastAnnouncement) live.textContent = s.announcement;
      lastAnnouncement = s.announcement;
    },
  };
}
