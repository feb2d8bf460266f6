/**
 * Loading from the REST API into the store, and applying quote messages. All writes go through
 * store.update (the one update path).
 */
import type { LoanPrimeRate } from '../../shared/loan-prime-rate';
import type { ApiClient } from './api';
import type { AppState, Store } from './state';
import type { Book, Fund, FundDetail, Listing, Order, Position, Registration, Trade, Transfer, Valuation } from './types';
import type { QuoteMessage } from './ws';
import { compare, pct } from './format';
import { t } from './i18n';

export interface Ctx {
  store: Store<AppState>;
  api: ApiClient;
  /** Runs a user action: errors (problem+json) are shown, success may show a notice; then reloads. */
  act(fn: () => Promise<unknown>, notice?: string, near?: HTMLElement | null): Promise<boolean>;
  reload(): void;
  navigate(hash: string): void;
}

export async function loadFunds(ctx: Ctx): Promise<void> {
  const funds = await ctx.api.get<Fund[]>('/api/funds');
  ctx.store.update((s) => {
    s.funds = funds;
  });
}

export async function loadFund(ctx: Ctx, fundId: string): Promise<void> {
  const [detail, book, trades] = await Promise.all([
    ctx.api.get<FundDetail>(`/api/funds/${encodeURIComponent(fundId)}`),
    ctx.api.get<Book>(`/api/funds/${encodeURIComponent(fundId)}/book?depth=10`),
    ctx.api.get<Trade[]>(`/api/funds/${encodeURIComponent(fundId)}/trades`),
  ]);
  ctx.store.update((s) => {
    s.fundDetail = { ...s.fundDetail, [fundId]: detail };
    setBook(s, book);
    s.trades = { ...s.trades, [fundId]: trades };
  });
  if (!(fundId in ctx.store.get().valuation)) {
    // The valuation report may not be served (yet): remember null so the page says so.
    const v = await ctx.api.get<Valuation>(`/api/funds/${encodeURIComponent(fundId)}/valuation`).catch(() => null);
    ctx.store.update((s) => {
      s.valuation = { ...s.valuation, [fundId]: v };
    });
  }
}

/**
 * The exchange's clock (it may be simulated, or the device's clock may be off): countdowns and date
 * checks use server time = local time + clockSkewMs. Measured against the midpoint of the request.
 */
export async function loadClock(ctx: Ctx): Promise<void> {
  const sent = Date.now();
  const c = await ctx.api.get<{ now: string; simulated?: boolean; mode?: string }>('/api/clock');
  const serverNow = Date.parse(c.now);
  if (Number.isNaN(serverNow)) return;
  const skew = serverNow - (sent + Date.now()) / 2;
  const simulated = c.simulated ?? c.mode === 'simulated';
  ctx.store.update((s) => {
    s.clockSkewMs = skew;
    s.clockSimulated = simulated;
  });
}

export async function loadAccount(ctx: Ctx): Promise<void> {
  const [orders, positions] = await Promise.all([ctx.api.get<Order[]>('/api/orders'), ctx.api.get<Position[]>('/api/positions')]);
  ctx.store.update((s) => {
    s.orders = orders;
    s.positions = positions;
  });
}

export async function loadTransfers(ctx: Ctx): Promise<void> {
  const transfers = await ctx.api.get<Transfer[]>('/api/transfers');
  ctx.store.update((s) => {
    s.transfers = transfers;
  });
}

export async function loadTransfer(ctx: Ctx, id: string): Promise<void> {
  const tr = await ctx.api.get<Transfer>(`/api/transfers/${encodeURIComponent(id)}`);
  ctx.store.update((s) => {
    s.transfer = { ...s.transfer, [id]: tr };
  });
}

export async function loadListings(ctx: Ctx): Promise<void> {
  const listings = await ctx.api.get<Listing[]>('/api/listings');
  ctx.store.update((s) => {
    s.listings = listings;
  });
}

/** The Loan Prime Rates the exchange counts (the seller's form checks an instalment listing's interest against them). */
export async function loadLoanPrimeRates(ctx: Ctx): Promise<void> {
  const { rates } = await ctx.api.get<{ rates: LoanPrimeRate[] }>('/api/loan-prime-rates');
  ctx.store.update((s) => {
    s.loanPrimeRates = rates;
  });
}

export async function loadListing(ctx: Ctx, id: string): Promise<void> {
  const [l, regs] = await Promise.all([
    ctx.api.get<Listing>(`/api/listings/${encodeURIComponent(id)}`),
    ctx.api.get<Registration[]>(`/api/listings/${encodeURIComponent(id)}/registrations`),
  ]);
  ctx.store.update((s) => {
    s.listing = { ...s.listing, [id]: l };
    s.registrations = { ...s.registrations, [id]: regs };
  });
}

/** Stores a book; a change of best bid or ask on the open fund becomes a live-region announcement. */
export function setBook(s: AppState, book: Book): void {
  const prev = s.books[book.fundId];
  if (prev && prev.seq > book.seq) return;
  s.books = { ...s.books, [book.fundId]: book };
  // The market list shows best bid and ask too: keep it as live as the book.
  const bestBidPct = book.bids[0]?.pricePct ?? null;
  const bestAskPct = book.asks[0]?.pricePct ?? null;
  if (s.funds.some((f) => f.id === book.fundId && (f.bestBidPct !== bestBidPct || f.bestAskPct !== bestAskPct))) {
    s.funds = s.funds.map((f) => (f.id === book.fundId ? { ...f, bestBidPct, bestAskPct } : f));
  }
  if (!prev || s.route.name !== 'fund' || s.route.params.id !== book.fundId) return;
  const parts: string[] = [];
  for (const [key, before, after] of [
    ['bestBid', prev.bids[0]?.pricePct, book.bids[0]?.pricePct],
    ['bestAsk', prev.asks[0]?.pricePct, book.asks[0]?.pricePct],
  ] as const) {
    if (before === after) continue;
    const dir = compare(after, before);
    parts.push(
      `${t(s.lang, key)} ${pct(after ?? null)}` +
        `${dir === 1 ? ' ▲ ' + t(s.lang, 'priceUp') : dir === -1 ? ' ▼ ' + t(s.lang, 'priceDown') : ''}`,
    );
  }
  if (parts.length) s.announcement = parts.join('; ');
}

/** A quote message: books replace the stored book; other channels trigger a REST reload. */
export function applyQuote(ctx: Ctx, msg: QuoteMessage): void {
  if (msg.channel.startsWith('book:')) {
    const data = msg.data as Book;
    ctx.store.update((s) => setBook(s, { ...data, fundId: data.fundId ?? msg.channel.slice(5), seq: data.seq ?? msg.seq }));
  } else {
    ctx.reload();
  }
}
