/**
 * Entry point: builds the store, the API client and the quote socket, mounts the shell, and swaps
 * pages on hash changes. Rendering happens only in the store's per-frame render callback.
 */
import { ApiError, createApi, csrfToken } from './api';
import { applyQuote, loadClock, type Ctx } from './data';
import { clearNearError, on, onClick, showNearError } from './dom';
import { parseHash } from './router';
import { mountShell } from './shell';
import { createStore, initialState, type AppState } from './state';
import { openQuoteSocket } from './ws';
import { t } from './i18n';
import type { Page, View } from './pages/page';
import { loginPage } from './pages/login';
import { usersPage } from './pages/users';
import { marketPage } from './pages/market';
import { fundPage } from './pages/fund';
import { accountPage } from './pages/account';
import { listingsPage } from './pages/listings';
import { auctionPage } from './pages/auction';
import { transfersPage } from './pages/transfers';
import { transferPage } from './pages/transfer';
import { inboxPage } from './pages/inbox';
import { membersPage } from './pages/members';
import { admissionPage } from './pages/admission';
import { navReportsPage } from './pages/nav-reports';
import { publicPage } from './pages/public';
import { pledgesPage } from './pages/pledges';
import { distributionsPage } from './pages/distributions';

const PAGES: Record<string, Page> = {
  login: loginPage,
  market: marketPage,
  fund: fundPage,
  account: accountPage,
  listings: listingsPage,
  listing: auctionPage,
  transfers: transfersPage,
  transfer: transferPage,
  inbox: inboxPage,
  users: usersPage,
  pledges: pledgesPage,
  distributions: distributionsPage,
  members: membersPage,
  admission: admissionPage,
  'nav-reports': navReportsPage,
  public: publicPage,
};
/** Pages anyone may open without signing in. */
const PUBLIC_ROUTES = new Set(['login', 'public']);
/** Polling interval: quick while the socket is down (the REST fallback), slow as a safety net otherwise. */
const POLL_STALE_MS = 2000;
const POLL_LIVE_MS = 15000;
const PREFS_KEY = 'sfund.prefs';

function loadPrefs(): Partial<AppState> {
  try {
    return JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as Partial<AppState>;
  } catch {
    return {};
  }
}

const store = createStore(initialState(loadPrefs()));

// What cannot be taken back (cancelling an order, refusing, rejecting, withdrawing, suspending, ending sessions) is
// asked once more: every such button is marked `danger`, and a click on it goes on only when confirmed. Capturing, so
// the page's own handler (or the form's submit) never sees a click the user took back.
document.addEventListener(
  'click',
  (e) => {
    const button = e.target instanceof Element ? e.target.closest('button.danger') : null;
    if (!button) return;
    // A form that is not filled in yet is the browser's to point out first (a reject without its reason).
    const form = button.closest('form');
    if (button.getAttribute('type') === 'submit' && form && !form.checkValidity()) return;
    const lang = store.get().lang;
    const label = button.textContent?.trim() ?? '';
    if (!window.confirm(t(lang, 'confirmDanger').replace('{action}', label))) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  },
  true,
);
const api = createApi(
  () => signOut(),
  () => store.get().lang,
);
let view: View | null = null;
let viewKey = '';
let channelsKey = '';
let lastLoad = 0;
/** The route whose load is in flight (a poll for the same route is skipped; a new route loads at once). */
let loadingKey: string | null = null;
/** A reload asked for while one was in flight (after an action): run once more when it ends. */
let reloadAgain = false;

const ctx: Ctx = {
  store,
  api,
  async act(fn, notice, near) {
    clearNearError(near);
    try {
      await fn();
      store.update((s) => {
        s.error = null;
        s.notice = notice ?? null;
      });
      ctx.reload();
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Shown beside the field or action that caused it when the page says which; otherwise in the banner.
      if (near && showNearError(near, message))
        store.update((s) => {
          s.error = null;
          s.notice = null;
        });
      else
        store.update((s) => {
          s.error = message;
          s.notice = null;
        });
      return false;
    }
  },
  reload: () => {
    void load();
  },
  navigate: (hash) => {
    location.hash = hash;
  },
};

const socket = openQuoteSocket({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
  sessionKey: () => store.get().session?.user.id ?? null,
  onMessage: (msg) => applyQuote(ctx, msg),
  onStale: (stale) =>
    store.update((s) => {
      s.stale = stale;
    }),
  onUnauthenticated: () => signOut(),
});

function signOut(): void {
  const wasSignedIn = store.get().session !== null;
  store.update((s) => {
    s.session = null;
    s.orders = [];
    s.positions = [];
    s.transfers = [];
    s.error = null;
    s.notice = null;
  });
  location.hash = '#/login';
  // Ends the session on the server as well (the token and its sockets stop working everywhere).
  // Sent directly, not through `api`: after a 401 the token is already dead and this answers 401
  // too, which must not sign out again. Best effort: the local session is gone either way.
  if (wasSignedIn)
    void fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrfToken() } }).catch(
      () => {},
    );
}

async function load(): Promise<void> {
  const s = store.get();
  const page = PAGES[s.route.name];
  const key = JSON.stringify(s.route);
  if (!page || (!s.session && !PUBLIC_ROUTES.has(s.route.name))) return;
  if (loadingKey === key) {
    reloadAgain = true;
    return;
  }
  loadingKey = key;
  lastLoad = Date.now();
  try {
    // The header shows the exchange's clock (possibly simulated): refreshed with every page load.
    // Signed in only: the clock needs a session, and a 401 would sign a public page's visitor "out" to the login page.
    if (s.session) void loadClock(ctx).catch(() => {});
    await page.load(ctx, s.route.params);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401))
      store.update((d) => {
        d.error = err instanceof Error ? err.message : String(err);
      });
  } finally {
    if (loadingKey === key) loadingKey = null;
  }
  if (reloadAgain) {
    reloadAgain = false;
    void load();
  }
}

const shell = mountShell(document.getElementById('app') as HTMLElement, store, signOut, (duration, near) => {
  const moved = store.get().lang === 'zh' ? '模拟时钟已拨快' : 'Clock moved';
  void ctx.act(
    async () => {
      await api.post('/api/admin/clock', { advance: duration });
      await loadClock(ctx);
    },
    moved,
    near,
  );
});

function route(): void {
  const r = parseHash(location.hash);
  store.update((s) => {
    s.route = s.session || PUBLIC_ROUTES.has(r.name) ? r : { name: 'login', params: {} };
    s.notice = null;
    s.announcement = '';
  });
}

store.onRender((s) => {
  localStorage.setItem(
    PREFS_KEY,
    JSON.stringify({ lang: s.lang, colours: s.colours, announcePrices: s.announcePrices, session: s.session }),
  );
  shell.render(s);
  const key = `${s.lang}|${s.route.name}|${JSON.stringify(s.route.params)}|${s.session?.user.id ?? ''}`;
  if (key !== viewKey) {
    const routeChanged = viewKey.split('|').slice(1, 3).join('|') !== key.split('|').slice(1, 3).join('|');
    viewKey = key;
    view?.unbind();
    const page = PAGES[s.route.name] ?? marketPage;
    shell.main.replaceChildren();
    view = page.mount(shell.main, ctx, s.route.params);
    if (routeChanged) {
      shell.main.focus({ preventScroll: true });
      void load();
    }
  }
  // Channels can depend on loaded data (the market wants every listed fund's book): diffed each render.
  const page = PAGES[s.route.name] ?? marketPage;
  const channels = s.session ? ['user', ...page.channels(s.route.params, s)] : [];
  if (channels.join('\n') !== channelsKey) {
    channelsKey = channels.join('\n');
    socket.setChannels(channels);
  }
  view?.render(s);
});

on(window, 'hashchange', route);
// The skip link targets #main: with hash routing, following it would navigate to the market.
onClick(document.body, 'a.skip', (_el, e) => {
  e.preventDefault();
  shell.main.focus();
  shell.main.scrollIntoView();
});
// Choosing the page one is already on in the navigation reloads its data.
onClick(document.body, 'header nav a[aria-current=page]', () => ctx.reload());
setInterval(() => {
  const interval = store.get().stale ? POLL_STALE_MS : POLL_LIVE_MS;
  if (Date.now() - lastLoad >= interval) void load();
}, 500);
route();
