/**
 * The data each channel carries, and the two pollers for what has no commit hook (transfer states
 * and listing-venue trades). Views here are built to leave out every counterparty.
 */
import type { Db } from '../../db/database';
import { publicView, type Listing } from '../listings/domain';
import type { TradeRow } from '../../db/schema';
import type { BookView, OrderView } from '../orders/order-views';
import type { ChannelSpec } from './publisher';

/** Trades kept in a `trades:<fundId>` snapshot (newest first, as GET /api/funds/:fundId/trades). */
export const RECENT_TRADES = 50;

/**
 * A listing as a member who is neither its seller nor a bidder sees it on REST: sealed amounts are
 * not there before the close (they are not even stored in the listing), bidders appear by alias.
 * `closesInMs` is dropped (stale the moment it is sent; `closesAt` says the same) and so is `you`.
 */
export function neutralListingView(l: Listing, now: number, opts: Parameters<typeof publicView>[3]) {
  const { closesInMs: _stale, you: _none, ...rest } = publicView(l, { orgId: '' }, now, opts);
  return rest;
}

export function bookChannel(view: () => BookView | Promise<BookView>): ChannelSpec {
  return { mode: 'state', load: async () => view() };
}

/** The public trade view of REST: no orders, no organisations. */
export const publicTrade = (t: TradeRow) => ({
  id: t.id,
  venue: t.venue,
  pricePct: t.pricePct,
  quantity: t.quantity,
  consideration: t.consideration,
  executedAt: t.executedAt,
});

/** One organisation's side of a trade: its own order and the transfer, never the other party. */
export const ownTrade = (t: TradeRow, side: 'buy' | 'sell') => ({
  id: t.id,
  fundId: t.fundId,
  venue: t.venue,
  side,
  orderId: side === 'buy' ? t.buyOrderId : t.sellOrderId,
  listingId: t.listingId,
  pricePct: t.pricePct,
  quantity: t.quantity,
  consideration: t.consideration,
  transferId: t.transferId,
  executedAt: t.executedAt,
});

export function foldTrades(state: { id: string }[], events: unknown[]): { id: string }[] {
  return [...(events as { id: string }[])].reverse().concat(state).slice(0, RECENT_TRADES);
}

/** The `user` snapshot: the organisation's open orders, kept current by its order events. */
export function foldOpenOrders(state: { openOrders: OrderView[] }, events: unknown[]): { openOrders: OrderView[] } {
  let open = state.openOrders;
  for (const ev of events as { kind: string; order?: OrderView }[]) {
    if (ev.kind !== 'order' || !ev.order) continue;
    const o = ev.order;
    open = open.filter((x) => x.id !== o.id);
    if (o.status === 'open') open = [o, ...open];
  }
  return { openOrders: open.slice(0, 1000) };
}

/** Rows read per query by the watchers below. */
const WATCH_PAGE = 1000;

/**
 * Rows changed since the last look, by a timestamp column: rows at the last timestamp seen are
 * remembered by identity so an equal timestamp neither repeats nor loses one. Rows at that timestamp
 * are read page by page in key order, however many share it: the simulated clock stands still until an
 * operator moves it, so every transfer of a training day may carry the same `updatedAt`, and one page of
 * `>= since` would then return the same first rows forever and lose the rest.
 */
abstract class Watcher<R> {
  private since = '';
  private seenAtSince = new Set<string>();
  constructor(protected readonly db: Db) {}
  /** The row with the newest timestamp, if any. */
  protected abstract newest(): Promise<R | undefined>;
  /** Rows stamped exactly `stamp` whose key is after `afterKey`, in key order, at most `limit`. */
  protected abstract fetchAt(stamp: string, afterKey: string, limit: number): Promise<R[]>;
  /** Rows stamped after `stamp`, in (timestamp, key) order, at most `limit`. */
  protected abstract fetchAfter(stamp: string, limit: number): Promise<R[]>;
  protected abstract stamp(r: R): string;
  /** The unique key the pages are ordered by. */
  protected abstract key(r: R): string;
  protected abstract identity(r: R): string;

  async prime(): Promise<void> {
    const newest = await this.newest();
    // Nothing yet: every row from now on is new (ISO times sort after "0").
    this.since = newest ? this.stamp(newest) : '0';
    this.seenAtSince = new Set();
    for (const r of await this.allAtSince()) this.seenAtSince.add(this.identity(r));
  }

  async changes(): Promise<R[]> {
    const out: R[] = [];
    for (const r of await this.allAtSince()) {
      if (this.seenAtSince.has(this.identity(r))) continue;
      out.push(r);
      this.seenAtSince.add(this.identity(r));
    }
    for (const r of await this.fetchAfter(this.since, WATCH_PAGE)) {
      out.push(r);
      this.advance(r);
    }
    return out;
  }

  private async allAtSince(): Promise<R[]> {
    const rows: R[] = [];
    for (let after = ''; ; ) {
      const page = await this.fetchAt(this.since, after, WATCH_PAGE);
      rows.push(...page);
      if (page.length < WATCH_PAGE) return rows;
      after = this.key(page.at(-1)!);
    }
  }

  private advance(r: R): void {
    const s = this.stamp(r);
    if (s > this.since) {
      this.since = s;
      this.seenAtSince = new Set();
    }
    if (s === this.since) this.seenAtSince.add(this.identity(r));
  }
}

export interface TransferChange {
  id: string;
  tradeId: string;
  fundId: string;
  state: string;
  updatedAt: string;
  version: number;
  data: string;
}

/** Rows versioned by `id`, `updatedAt` and `version` (transfers, listings): each version is new once. */
export abstract class VersionWatcher<R extends { id: string; updatedAt: string; version: number }> extends Watcher<R> {
  protected stamp(r: R) {
    return r.updatedAt;
  }
  protected key(r: R) {
    return r.id;
  }
  protected identity(r: R) {
    return `${r.id}@${r.version}`;
  }
}

export class TransferWatcher extends VersionWatcher<TransferChange> {
  private q() {
    return this.db.selectFrom('transfers').select(['id', 'tradeId', 'fundId', 'state', 'updatedAt', 'version', 'data']);
  }
  protected newest() {
    return this.q().orderBy('updatedAt', 'desc').limit(1).executeTakeFirst();
  }
  protected fetchAt(stamp: string, afterKey: string, limit: number) {
    return this.q().where('updatedAt', '=', stamp).where('id', '>', afterKey).orderBy('id').limit(limit).execute();
  }
  protected fetchAfter(stamp: string, limit: number) {
    return this.q().where('updatedAt', '>', stamp).orderBy('updatedAt').orderBy('id').limit(limit).execute();
  }
}

export class ListingTradeWatcher extends Watcher<TradeRow> {
  private q() {
    return this.db.selectFrom('trades').selectAll().where('venue', '=', 'listing');
  }
  protected newest() {
    return this.q().orderBy('executedAt', 'desc').limit(1).executeTakeFirst();
  }
  protected fetchAt(stamp: string, afterKey: string, limit: number) {
    return this.q().where('executedAt', '=', stamp).where('id', '>', afterKey).orderBy('id').limit(limit).execute();
  }
  protected fetchAfter(stamp: string, limit: number) {
    return this.q().where('executedAt', '>', stamp).orderBy('executedAt').orderBy('id').limit(limit).execute();
  }
  protected stamp(r: TradeRow) {
    return r.executedAt;
  }
  protected key(r: TradeRow) {
    return r.id;
  }
  protected identity(r: TradeRow) {
    return r.id;
  }
}
