/** The frame around every page: navigation, switches, the stale banner, errors and the live region. */
import { h, on, onClick, replace, unbindAll, type Unbind } from './dom';
import { t } from './i18n';
import type { AppState, Store } from './state';
import { dateTime } from './format';

export interface Shell {
  main: HTMLElement;
  render(state: AppState): void;
  unbind: Unbind;
}

const NAV: { route: string; key: string; roles?: string[] }[] = [
  { route: 'market', key: 'market' },
  { route: 'account', key: 'account', roles: ['seller', 'buyer'] },
  { route: 'listings', key: 'listings' },
  { route: 'transfers', key: 'transfers' },
  { route: 'inbox', key: 'inbox', roles: ['gp', 'operator', 'seller'] },
  { route: 'pledges', key: 'pledges', roles: ['seller', 'gp', 'operator', 'pledgee'] },
  { route: 'distributions', key: 'distributions', roles: ['seller', 'gp', 'operator'] },
  { route: 'users', key: 'users', roles: ['admin'] },
  { route: 'members', key: 'members', roles: ['admin'] },
  { route: 'admission', key: 'admission', roles: ['operator'] },
  { route: 'nav-reports', key: 'navReports', roles: ['gp'] },
];

const CLOCK_WORDS = {
  zh: { label: '交易所时间（北京）', simulated: '模拟', advance: '拨快模拟时钟', by: '拨快', moved: '模拟时钟已拨快' },
  en: {
    label: 'Exchange time (Beijing)',
    simulated: 'simulated',
    advance: 'Move the simulated clock',
    by: 'Move forward',
    moved: 'Clock moved',
  },
} as const;
const STEPS: { value: string; zh: string; en: string }[] = [
  { value: 'PT10M', zh: '10 分钟', en: '10 minutes' },
  { value: 'PT1H', zh: '1 小时', en: '1 hour' },
  { value: 'P1D', zh: '1 天', en: '1 day' },
  { value: 'P7D', zh: '7 天', en: '7 days' },
  { value: 'P30D', zh: '30 天', en: '30 days' },
];

function clockLabel(s: AppState): string {
  const w = CLOCK_WORDS[s.lang];
  return `${w.label} ${exchangeTime(s)}${s.clockSimulated ? `（${w.simulated}）` : ''}`;
}

function exchangeTime(s: AppState): string {
  return dateTime(new Date(Date.now() + s.clockSkewMs).toISOString(), s.lang);
}

export function mountShell(
  root: HTMLElement,
  store: Store<AppState>,
  signOut: () => void,
  advanceClock: (duration: string, near: HTMLElement) => void = () => {},
): Shell {
  const nav = h('nav', { 'aria-label': 'main' });
  const controls = h('div', { class: 'controls' });
  const stale = h('div', { class: 'banner stale', role: 'status', hidden: true, 'data-testid': 'stale-banner' });
  const error = h('div', { class: 'banner error', role: 'alert', hidden: true });
  const notice = h('div', { class: 'banner notice', role: 'status', hidden: true });
  const live = h('div', { class: 'sr-only', 'aria-live': 'polite', id: 'live-region' });
  const main = h('main', { id: 'main', tabindex: '-1' });
  // The exchange's clock, which may be simulated; operators move a simulated one from here.
  const clockText = h('span', { class: 'clock-now', 'data-testid': 'exchange-clock' });
  const clockStep = h('select', { 'data-clock-step': '1' });
  const clockButton = h('button', { type: 'button', 'data-do': 'advance-clock' });
  const clockMove = h('span', { class: 'clock-move' }, clockStep, clockButton);
  const clockEl = h('div', { class: 'exchange-clock' }, clockText, clockMove);
  root.replaceChildren(
    h('header', { class: 'top' }, h('a', { class: 'brand', href: '#/market' }, ''), nav, clockEl, controls),
    stale,
    error,
    notice,
    live,
    main,
  );
  const tickClock = setInterval(() => {
    const s = store.get();
    if (s.session) clockText.textContent = clockLabel(s);
  }, 1000);
  const brand = root.querySelector('.brand') as HTMLElement;

  const binds: Unbind[] = [
    onClick(controls, '[data-do]', (el) => {
      const what = el.dataset.do;
      if (what === 'signout') return signOut();
      store.update((s) => {
        if (what === 'lang') {
          s.lang = s.lang === 'zh' ? 'en' : 'zh';
          s.notice = null;
        }
        if (what === 'colours') s.colours = s.colours === 'red-up' ? 'green-up' : 'red-up';
        if (what === 'announce') {
          s.announcePrices = !s.announcePrices;
          s.announcement = '';
        }
      });
    }),
    onClick(error, '[data-do=dismiss]', () =>
      store.update((s) => {
        s.error = null;
      }),
    ),
    onClick(clockEl, '[data-do=advance-clock]', () => advanceClock(clockStep.value, clockMove)),
    () => clearInterval(tickClock),
    on(window, 'keydown', (e) => {
      if (e.key === 'Escape' && store.get().error)
        store.update((s) => {
          s.error = null;
        });
    }),
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
      replace(
        nav,
        s.session
          ? NAV.filter((n) => !n.roles || n.roles.some((r) => roles.includes(r))).map((n) =>
              h(
                'a',
                {
                  href: `#/${n.route}`,
                  'aria-current': s.route.name === n.route || s.route.name === n.route.replace(/s$/, '') ? 'page' : null,
                },
                t(s.lang, n.key),
              ),
            )
          : [],
      );
      replace(
        controls,
        h('button', { type: 'button', 'data-do': 'lang', lang: s.lang === 'zh' ? 'en' : 'zh-CN' }, t(s.lang, 'lang')),
        h(
          'button',
          { type: 'button', 'data-do': 'colours', 'aria-label': t(s.lang, 'colourSwitch') },
          h('span', { class: 'up' }, '▲'),
          h('span', { class: 'down' }, '▼'),
          ' ',
          t(s.lang, s.colours === 'red-up' ? 'colourRedUp' : 'colourGreenUp'),
        ),
        h(
          'button',
          { type: 'button', 'data-do': 'announce', 'aria-pressed': String(s.announcePrices) },
          t(s.lang, s.announcePrices ? 'announceOn' : 'announceOff'),
        ),
        s.session ? h('span', { class: 'who' }, `${s.session.user.username ?? ''} · ${s.session.user.orgName}`) : null,
        s.session ? h('button', { type: 'button', 'data-do': 'signout' }, t(s.lang, 'signOut')) : null,
      );
      clockEl.hidden = !s.session;
      clockText.textContent = s.session ? clockLabel(s) : '';
      const cw = CLOCK_WORDS[s.lang];
      clockMove.hidden = !(s.clockSimulated && roles.some((r) => r === 'operator' || r === 'admin'));
      clockStep.setAttribute('aria-label', cw.advance);
      replace(
        clockStep,
        STEPS.map((x) => h('option', { value: x.value, selected: x.value === (clockStep.value || 'PT1H') }, x[s.lang])),
      );
      clockButton.textContent = cw.by;
      stale.hidden = !(s.stale && s.session);
      stale.textContent = '⚠ ' + t(s.lang, 'stale');
      error.hidden = !s.error;
      replace(
        error,
        s.error ? [h('span', {}, s.error), h('button', { type: 'button', 'data-do': 'dismiss', class: 'link' }, t(s.lang, 'close'))] : [],
      );
      notice.hidden = !s.notice;
      notice.textContent = s.notice ?? '';
      if (s.announcePrices && s.announcement !== lastAnnouncement) live.textContent = s.announcement;
      lastAnnouncement = s.announcement;
    },
  };
}
