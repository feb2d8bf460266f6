/**
 * The client's state, kept apart from the DOM. Every change goes through `update`, which marks the
 * store dirty and schedules at most one redraw per animation frame (the chessground habit).
 */
import type { LoanPrimeRate } from '../../shared/loan-prime-rate';
import type { PublicData } from './pages/public';
import type {
  AdminUser,
  Book,
  Distribution,
  Fund,
  FundDetail,
  Listing,
  Order,
  Organisation,
  PendingFund,
  Pledge,
  Position,
  Qualification,
  Registration,
  SessionUser,
  Trade,
  Transfer,
  Valuation,
} from './types';

export type Lang = 'zh' | 'en';
/** 'red-up': Chinese convention (rising prices red); 'green-up': the Western one. */
export type ColourConvention = 'red-up' | 'green-up';

export interface Route {
  name: string;
  params: Record<string, string>;
}

export interface AppState {
  lang: Lang;
  colours: ColourConvention;
  /** Announce price changes in the live region (users may turn it off). */
  announcePrices: boolean;
  /** Who is signed in. The session itself is an httpOnly cookie the page cannot read (README "Security"). */
  session: { user: SessionUser } | null;
  route: Route;
  /** True while the quote socket is not connected and authenticated: the stale banner shows. */
  stale: boolean;
  error: string | null;
  notice: string | null;
  announcement: string;
  funds: Fund[];
  fundDetail: Record<string, FundDetail>;
  valuation: Record<string, Valuation | null>;
  books: Record<string, Book>;
  trades: Record<string, Trade[]>;
  orders: Order[];
  positions: Position[];
  transfers: Transfer[];
  transfer: Record<string, Transfer>;
  listings: Listing[];
  listing: Record<string, Listing>;
  /** Administrators' list of users. */
  users: AdminUser[];
  /** Pledges the caller may see (pledgor, pledgee, the fund's GP, operators). */
  pledges: Pledge[];
  /** In-kind distributions the caller may see (an LP: its own allocation rows only). */
  distributions: Distribution[];
  /** Admitting members and funds (administrators, operators). */
  organisations: Organisation[];
  pendingFunds: PendingFund[];
  qualifications: Qualification[];
  /** The caller's own organisation's qualified-investor records (null until loaded). */
  myQualifications: Qualification[] | null;
  /** Server clock minus local clock, for countdowns. */
  clockSkewMs: number;
  /** The exchange's clock: simulated (operators move it) or real. */
  clockSimulated: boolean;
  /** Registrations of a listing, for its seller and operators (a buyer sees its own). */
  registrations: Record<string, Registration[]>;
  /** Public announcements, index and statistics (no sign-in). */
  publicData: PublicData | null;
  /** The one-year Loan Prime Rates the exchange counts, oldest first: the floor of an instalment listing's interest. */
  loanPrimeRates: LoanPrimeRate[];
}

export function initialState(saved: Partial<Pick<AppState, 'lang' | 'colours' | 'announcePrices' | 'session'>>): AppState {
  return {
    lang: saved.lang ?? 'zh',
    colours: saved.colours ?? 'red-up',
    announcePrices: saved.announcePrices ?? true,
    // A session saved by an older client carried its token: dropped (its cookie, if any, still signs in).
    session: saved.session?.user ? { user: saved.session.user } : null,
    route: { name: 'market', params: {} },
    stale: true,
    error: null,
    notice: null,
    announcement: '',
    funds: [],
    fundDetail: {},
    valuation: {},
    books: {},
    trades: {},
    orders: [],
    positions: [],
    transfers: [],
    transfer: {},
    listings: [],
    listing: {},
    users: [],
    pledges: [],
    distributions: [],
    organisations: [],
    pendingFunds: [],
    qualifications: [],
    myQualifications: null,
    loanPrimeRates: [],
    clockSkewMs: 0,
    publicData: null,
    clockSimulated: false,
    registrations: {},
  };
}

export type Listener<S> = (state: S) => void;

export interface Store<S> {
  get(): S;
  /** The one update path: mutate a draft copy; one render follows in the next animation frame. */
  update(mutate: (draft: S) => void): void;
  /** Registers the renderer; returns its unbind. */
  onRender(listener: Listener<S>): () => void;
  /** Redraw now (tests and first paint). */
  flush(): void;
}

export function createStore<S extends object>(initial: S, schedule: (cb: () => void) => unknown = requestAnimationFrame): Store<S> {
  let state = initial;
  let scheduled = false;
  const listeners = new Set<Listener<S>>();
  const flush = (): void => {
    scheduled = false;
    for (const l of listeners) l(state);
  };
  return {
    get: () => state,
    update(mutate) {
      const draft = { ...state };
      mutate(draft);
      state = draft;
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    onRender(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    flush,
  };
}
