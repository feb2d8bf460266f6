/**
 * What each channel carries, fed from the services without ever sending: committed book changes
 * (OrdersService.onCommitted, synchronously after commit) become book states, trade events and the
 * owners' order and trade events; listings and transfers are looked up where someone listens, at once
 * when this process commits a command or runs a timer (`nudge`), and on a slow poll for what other
 * processes commit.
 *
 * Privacy: no channel carries a counterparty's identity. Book levels are aggregates; trades use the
 * public trade view (no orders, no organisations); `user` events are the caller's organisation's own
 * orders, own side of its trades, the transfers it may read (its standing, never the other party;
 * operators get every transfer's) and a notice when a listing it may read changed, a registrant only
 * when its own view of it did (listing-notices.ts); `auction` is the
 * listing's view for a neutral member, so sealed amounts stay hidden until the close, and bidders
 * appear only by alias — the same view REST gives a member who is neither seller nor bidder.
 */
import type { WorkingDayCalendar } from '../../shared/calendar';
import type { DatabaseHandle } from '../../db/database';
import type { TradeRow } from '../../db/schema';
import type { Principal } from '../auth/tokens';
import type { Clock } from '../clock/clock';
import { AppError } from '../commands/errors';
import type { ListingsService } from '../listings/listings.service';
import { navBasis, navOfQuantity } from '../listings/listings.effects';
import { findListing } from '../listings/listings.repository';
import { transferAudience } from '../transfers/domain/authorize';
import { parseTransfer } from '../transfers/transfers.repository';
import type { CommittedFundChange } from '../orders/committed-changes';
import type { OrderDesk } from '../orders/order-desk';
import { toOrderView, type BookView, type OrderView } from '../orders/order-views';
import { ListingNotices } from './listing-notices';
import type { ChannelSpec, Publisher } from './publisher';
import type { ChannelRef } from './protocol';
import {
  bookChannel,
  publicTrade,
  ownTrade,
  foldOpenOrders,
  foldTrades,
  neutralListingView,
  RECENT_TRADES,
  TransferWatcher,
  ListingTradeWatcher,
} from './channel-data';

/** The `user` channel of operators: every transfer's changes. (Organisation ids are never empty.) */
const OPERATORS_KEY = 'user::operators';

/** Book depth carried on `book:<fundId>`: the same as `GET /api/funds/:fundId/book?depth=10`. */
export const BOOK_DEPTH = 10;

export interface QuoteSourceDeps {
  handle: DatabaseHandle;
  orders: OrderDesk;
  listings: ListingsService;
  clock: Clock;
  calendar: WorkingDayCalendar;
}

export type Resolved = { ok: true; key: string; spec: () => ChannelSpec } | { ok: false; code: string; detail: string };

export class QuoteSources {
  private readonly lotSizes = new Map<string, string>();
  /** Latest committed depth view per fund, captured at commit time. */
  private readonly views = new Map<string, BookView>();
  private userChain: Promise<void> = Promise.resolve();
  private pollTimer: NodeJS.Timeout | null = null;
  private polling = false;
  /** A nudge arrived while a poll ran: look again right after it. */
  private again = false;
  /** Per auction channel: the last view sent (as JSON) and the number of the read that produced it. */
  private readonly lastAuction = new Map<string, { json: string; read: number }>();
  /** Numbers every auction read in the order it started, so an older read never overwrites a newer one. */
  private auctionReads = 0;
  /** A look that finished while the channel's snapshot was still loading: applied after the load if it is the newer read. */
  private readonly earlyAuction = new Map<string, { json: string; read: number; view: unknown }>();
  private readonly transfers: TransferWatcher;
  private readonly listingTrades: ListingTradeWatcher;
  private readonly listingNotices: ListingNotices;
  private unhook: (() => void) | null = null;

  constructor(
    private readonly d: QuoteSourceDeps,
    private readonly publisher: Publisher,
    private readonly pollMs = 1000,
  ) {
    this.transfers = new TransferWatcher(d.handle.db);
    this.listingTrades = new ListingTradeWatcher(d.handle.db);
    this.listingNotices = new ListingNotices(d.handle.db, d.clock, d.calendar, OPERATORS_KEY);
  }

  /** Call between batches (at start-up, after recovery): primes the committed views and hooks the commits. */
  async start(): Promise<void> {
    await this.refreshOpenFunds();
    for (const [fundId, lotSize] of this.lotSizes) {
      const v = this.d.orders.bookViewNow(fundId, lotSize, BOOK_DEPTH);
      if (v) this.views.set(fundId, v);
    }
    await this.transfers.prime();
    await this.listingTrades.prime();
    await this.listingNotices.prime();
    this.unhook = this.d.orders.onCommitted((c) => this.committed(c));
    this.pollTimer = setInterval(() => {
      void this.poll();
    }, this.pollMs);
    this.pollTimer.unref();
  }

  stop(): void {
    this.unhook?.();
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  /** Marks only: captures the committed view and hands states and events to the publisher's next tick. */
  private committed(c: CommittedFundChange): void {
    this.lotSizes.set(c.fundId, c.lotSize);
    const view = this.d.orders.bookViewNow(c.fundId, c.lotSize, BOOK_DEPTH);
    if (view) {
      this.views.set(c.fundId, view);
      this.publisher.setState(`book:${c.fundId}`, view);
    }
    if (c.trades.length) this.publisher.appendEvents(`trades:${c.fundId}`, c.trades.map(publicTrade));
    if (this.publisher.keys('user:').length)
      this.userChain = this.userChain.then(() => this.userEvents(c.orderIds, c.trades)).catch(() => {});
  }

  /** The owners' events for one committed change: order states as committed, then their side of each trade. */
  private async userEvents(orderIds: string[], trades: TradeRow[]): Promise<void> {
    const byOrg = new Map<string, unknown[]>();
    const push = (orgId: string, ev: unknown) => {
      if (this.publisher.has(`user:${orgId}`)) byOrg.set(orgId, [...(byOrg.get(orgId) ?? []), ev]);
    };
    if (orderIds.length) {
      const rows = await this.d.handle.db
        .selectFrom('orders')
        .innerJoin('funds', 'funds.id', 'orders.fundId')
        .selectAll('orders')
        .select('funds.lotSize')
        .where('orders.id', 'in', orderIds)
        .execute();
      for (const r of rows) push(r.orgId, { kind: 'order', order: toOrderView(r, r.lotSize) });
    }
    for (const t of trades) {
      push(t.buyerOrgId, { kind: 'trade', trade: ownTrade(t, 'buy') });
      push(t.sellerOrgId, { kind: 'trade', trade: ownTrade(t, 'sell') });
    }
    for (const [orgId, events] of byOrg) this.publisher.appendEvents(`user:${orgId}`, events);
  }

  /**
   * Who may read what: every channel needs a signed-in member; `user` is the caller's own
   * organisation, and for operators (who act on every transfer) the exchange's transfer queue.
   */
  async resolve(ref: ChannelRef, who: Principal): Promise<Resolved> {
    if (ref.kind === 'user' && who.roles.includes('operator')) {
      // Operators cannot trade: no orders of their own, every transfer's changes.
      return {
        ok: true,
        key: OPERATORS_KEY,
        spec: () => ({
          mode: 'events',
          load: async () => ({ openOrders: [] }),
          fold: (s, evs) => foldOpenOrders(s as { openOrders: OrderView[] }, evs),
        }),
      };
    }
    if (ref.kind === 'user') {
      const orgId = who.orgId;
      return {
        ok: true,
        key: `user:${orgId}`,
        spec: () => ({
          mode: 'events',
          load: async () => ({ openOrders: await this.d.orders.listOrders(orgId, 'open') }),
          fold: (s, evs) => foldOpenOrders(s as { openOrders: OrderView[] }, evs),
        }),
      };
    }
    if (ref.kind === 'auction') {
      try {
        await this.d.listings.get(who, ref.id);
      } catch (e) {
        if (e instanceof AppError) return { ok: false, code: e.code, detail: e.message };
        throw e;
      }
      const key = `auction:${ref.id}`;
      return {
        ok: true,
        key,
        spec: () => ({
          mode: 'state',
          load: async () => {
            const read = ++this.auctionReads;
            const view = await this.auctionView(ref.id);
            // The baseline the next look compares with: a change right after the snapshot is then published.
            const json = JSON.stringify(view);
            this.lastAuction.set(key, { json, read });
            const early = this.earlyAuction.get(key);
            this.earlyAuction.delete(key);
            if (early && early.read > read && early.json !== json) {
              // A look that started after this read saw a newer state: it follows the snapshot as update 1.
              this.publisher.setState(key, early.view);
              this.lastAuction.set(key, { json: early.json, read: early.read });
            }
            return view;
          },
        }),
      };
    }
    if (!this.lotSizes.has(ref.id)) return { ok: false, code: 'NOT_FOUND', detail: `fund ${ref.id} not found` };
    const fundId = ref.id;
    if (ref.kind === 'book')
      return {
        ok: true,
        key: `book:${fundId}`,
        spec: () => bookChannel(() => this.views.get(fundId) ?? this.d.orders.book(fundId, BOOK_DEPTH)),
      };
    return {
      ok: true,
      key: `trades:${fundId}`,
      spec: () => ({
        mode: 'events',
        load: () => this.d.orders.trades(fundId, RECENT_TRADES),
        fold: (s, evs) => foldTrades(s as { id: string }[], evs),
        includes: (s, e) => (s as { id: string }[]).some((t) => t.id === (e as { id: string }).id),
      }),
    };
  }

  /** The listing as a member who is neither its seller nor a bidder sees it (closesInMs dropped: it is stale the moment it is sent). */
  private async auctionView(listingId: string): Promise<unknown> {
    const found = await findListing(this.d.handle.db, listingId);
    if (!found) throw new Error(`listing ${listingId} not found`);
    const l = found.listing;
    return neutralListingView(l, this.d.clock.now(), {
      navOfQuantity: navOfQuantity(await navBasis(this.d.handle.db, l.fundId), l.quantity),
      calendar: this.d.calendar,
    });
  }

  /** Something may have changed in listings or transfers (a command committed, a timer ran): look now rather than at the next poll. */
  nudge(): void {
    if (this.polling) {
      this.again = true;
      return;
    }
    setImmediate(() => {
      void this.poll();
    });
  }

  /** The open funds whose channels may be subscribed: a fund opened since (by any process) joins at the next look. */
  private async refreshOpenFunds(): Promise<void> {
    for (const f of await this.d.handle.db.selectFrom('funds').select(['id', 'lotSize']).where('state', '=', 'open').execute())
      this.lotSizes.set(f.id, f.lotSize);
  }

  /** Auctions, transfers and listing trades, only where someone listens. */
  private async poll(): Promise<void> {
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = true;
    this.again = false;
    try {
      for (const key of this.publisher.keys('auction:')) {
        const read = ++this.auctionReads;
        const view = await this.auctionView(key.slice('auction:'.length)).catch(() => null);
        const last = this.lastAuction.get(key);
        // A baseline from a later read (the snapshot loaded meanwhile): this read is older, drop it. No
        // baseline yet: the snapshot is still loading; this look is kept for when it has (earlyAuction).
        if (!view || (last && last.read > read)) continue;
        const json = JSON.stringify(view);
        if (!last) {
          this.earlyAuction.set(key, { json, read, view });
          continue;
        }
        if (last.json !== json) {
          this.publisher.setState(key, view);
          this.lastAuction.set(key, { json, read });
        }
      }
      for (const k of this.lastAuction.keys()) if (!this.publisher.has(k)) this.lastAuction.delete(k);
      for (const k of this.earlyAuction.keys()) if (!this.publisher.has(k)) this.earlyAuction.delete(k);
      const users = this.publisher.keys('user:').length > 0;
      for (const ev of await this.transfers.changes()) {
        if (!users) continue;
        const event = (role: string) => [
          {
            kind: 'transfer',
            transfer: { id: ev.id, tradeId: ev.tradeId, fundId: ev.fundId, state: ev.state, role, updatedAt: ev.updatedAt },
          },
        ];
        this.publisher.appendEvents(OPERATORS_KEY, event('operator'));
        let audience: Map<string, string>;
        try {
          audience = transferAudience(parseTransfer(ev.data));
        } catch {
          continue;
        } // an unreadable row must not cost the others their events
        for (const [orgId, role] of audience) this.publisher.appendEvents(`user:${orgId}`, event(role));
      }
      for (const n of await this.listingNotices.changes((key) => this.publisher.has(key))) this.publisher.appendEvents(n.key, [n.event]);
      for (const t of await this.listingTrades.changes()) {
        this.publisher.appendEvents(`trades:${t.fundId}`, [publicTrade(t)]);
        if (users) {
          this.publisher.appendEvents(`user:${t.buyerOrgId}`, [{ kind: 'trade', trade: ownTrade(t, 'buy') }]);
          this.publisher.appendEvents(`user:${t.sellerOrgId}`, [{ kind: 'trade', trade: ownTrade(t, 'sell') }]);
        }
      }
    } catch {
      /* the next poll retries */
    } finally {
      // A fund opened since (here or by another process) becomes subscribable; a failed read waits for the next look.
      await this.refreshOpenFunds().catch(() => {});
      this.polling = false;
      if (this.again) this.nudge();
    }
  }
}
