/**
 * The continuous order book of one fund: the fast implementation.
 *
 * Pure: no I/O, no clock, no randomness. Time (`nowMs`) and ids come in as arguments; every command
 * returns its trades and order events as values so the caller can persist them in one transaction.
 * The rules are in README.md; the naive `ReferenceBook` implements the same rules the obvious way
 * and the tests feed both the same random command stream.
 *
 * Costs: a fill, a cancel, an expiry, an in-place reduce are O(1) plus O(log n) for a GTD order's
 * expiry-heap entry, whatever the number of orders at the price; creating or removing a price level
 * that is not the best costs a binary search and an array shift over the levels of that side.
 */
import type { Lots, Ticks } from '../../../shared/decimal';
import { BookSide } from './book-side';
import { ExpiryHeap } from './expiry-heap';
import { assertId, assertTime, invariant, InvariantError } from './invariant';
import { BUY, OrderNode, SELL, sellThreshold, TIF_FOK, TIF_GTC, TIF_GTD, TIF_IOC, type SideCode, type TifCode } from './order-node';
import type { PriceLevel } from './price-level';
import { BookStateHasher, StateHashSum } from './state-hash';
import { firstInvariantProblem, hashPrefixOf, tradablePairProblem, type BookInternals } from './book-invariants';
import type {
  AmendOrder,
  AmendResult,
  CancelReason,
  CancelResult,
  DepthLevel,
  DepthSnapshot,
  ExpireResult,
  MatchingBook,
  NewOrder,
  OrderEvent,
  OrderEventKind,
  OrderEventReason,
  RestingOrder,
  Side,
  SubmitResult,
  Trade,
} from './types';
import { MAX_ID_LENGTH } from './types';
import { checkAmend, checkNewOrder, isValidLots, isValidPrice } from './validate';

/** How matching of one incoming order ended. */
const Outcome = {
  /** the taker's remaining reached 0 */
  Filled: 0,
  /** no more tradable orders at acceptable prices */
  Exhausted: 1,
  /** the next trade would have been with the taker's own organisation */
  SelfTrade: 2,
  /** a minimum-fill sell taker was left with less than its minimum */
  MinRemainder: 3,
} as const;
type Outcome = (typeof Outcome)[keyof typeof Outcome];

const TIF_CODES: Record<NewOrder['timeInForce'], TifCode> = { GTC: TIF_GTC, GTD: TIF_GTD, IOC: TIF_IOC, FOK: TIF_FOK };
const sideName = (s: SideCode): Side => (s === BUY ? 'buy' : 'sell');

/** Per-command output buffers. */
interface Out {
  trades: Trade[];
  events: OrderEvent[];
}

function refused<C extends string>(code: C): { code: C; trades: Trade[]; events: OrderEvent[] } {
  // fresh arrays: callers may push onto results
  return { code, trades: [], events: [] };
}

export class OrderBookEngine implements MatchingBook {
  private readonly bids = new BookSide(true);
  private readonly asks = new BookSide(false);
  private readonly byId = new Map<string, OrderNode>();
  private readonly expiries = new ExpiryHeap();
  /** Running sum of the resting orders' hashes: stateHash() in O(1). */
  private readonly hashSum = new StateHashSum();
  /** Organisation ids interned so resting orders of one organisation share one string. */
  private readonly orgIds = new Map<string, string>();
  private priorityCounter = 1;
  /** Latest time of an accepted command; time never goes backwards inside the book. */
  private lastNowMs = 0;

  get orderCount(): number {
    return this.byId.size;
  }

  get nextPriority(): number {
    return this.priorityCounter;
  }

  // ---------------------------------------------------------------- commands

  submit(order: NewOrder, nowMs: number): SubmitResult {
    assertId(order.orderId, 'orderId');
    assertId(order.orgId, 'orgId');
    const now = this.clock(nowMs);
    const bad = checkNewOrder(order, now);
    if (bad !== null) return refused(bad);
    const existing = this.byId.get(order.orderId);
    if (existing !== undefined && !this.isDue(existing, now)) return refused('DUPLICATE_ORDER_ID');

    const out: Out = { trades: [], events: [] };
    this.lastNowMs = now;
    this.expireDue(now, out);
    const tif = TIF_CODES[order.timeInForce];
    const taker = new OrderNode(
      order.orderId,
      this.intern(order.orgId),
      order.side === 'buy' ? BUY : SELL,
      order.priceTicks,
      order.lots,
      tif,
      tif === TIF_GTD ? (order.expiresAtMs as number) : 0,
      order.allOrNone === true,
      order.minLots ?? 0,
      this.priorityCounter++,
    );
    if (tif === TIF_FOK && !this.canFillEntirely(taker)) {
      this.event(out, 'cancelled', taker, 0, taker.remaining, 'FOK_NOT_FILLABLE');
      return { code: 'FOK_NOT_FILLABLE', trades: out.trades, events: out.events };
    }
    const code = this.enter(taker, out);
    return { code, trades: out.trades, events: out.events };
  }

  cancel(orderId: string, nowMs: number, reason: CancelReason = 'CANCELLED'): CancelResult {
    assertId(orderId, 'orderId');
    const now = this.clock(nowMs);
    const node = this.byId.get(orderId);
    if (node === undefined || this.isDue(node, now)) return refused('UNKNOWN_ORDER');
    const out: Out = { trades: [], events: [] };
    this.lastNowMs = now;
    this.expireDue(now, out);
    const lots = node.remaining;
    this.takeOut(node);
    this.event(out, 'cancelled', node, 0, lots, reason);
    return { code: 'OK', trades: out.trades, events: out.events };
  }

  amend(amend: AmendOrder, nowMs: number): AmendResult {
    assertId(amend.orderId, 'orderId');
    const now = this.clock(nowMs);
    const bad = checkAmend(amend);
    if (bad !== null) return refused(bad);
    const node = this.byId.get(amend.orderId);
    if (node === undefined || this.isDue(node, now)) return refused('UNKNOWN_ORDER');
    const newRemaining = amend.remainingLots ?? node.remaining;
    const newPrice = amend.priceTicks ?? node.price;
    if (newRemaining > node.remaining) return refused('QUANTITY_INCREASE_NOT_ALLOWED');
    if (node.minLots > 0 && newRemaining < node.minLots) return refused('BELOW_MIN_QUANTITY');
    if (newRemaining === node.remaining && newPrice === node.price) return refused('NO_CHANGE');

    const out: Out = { trades: [], events: [] };
    this.lastNowMs = now;
    this.expireDue(now, out);
    const reduction = node.remaining - newRemaining;
    if (newPrice === node.price && !node.allOrNone) {
      // In place: keeps time priority. Cannot make any pair tradable (see sellThreshold).
      const level = node.level as PriceLevel;
      this.hashSum.apply(node, node.remaining, -1);
      node.remaining = newRemaining;
      level.totalLots -= reduction;
      this.hashSum.apply(node, newRemaining, 1);
      this.event(out, 'reduced', node, newRemaining, reduction, 'REDUCED');
      return { code: 'OK', trades: out.trades, events: out.events };
    }
    // A new price, or a smaller all-or-none sell (which may now be takeable by a resting buy):
    // out of the book, re-entered as a new order with a new priority. It may trade at once.
    this.takeOut(node);
    node.price = newPrice;
    node.remaining = newRemaining;
    node.priority = this.priorityCounter++;
    this.event(out, 'repriced', node, newRemaining, reduction, 'REENTERED');
    const code = this.enter(node, out);
    return { code: code === 'SELF_TRADE' ? 'SELF_TRADE' : 'OK', trades: out.trades, events: out.events };
  }

  expire(nowMs: number): ExpireResult {
    const now = this.clock(nowMs);
    const out: Out = { trades: [], events: [] };
    this.lastNowMs = now;
    this.expireDue(now, out);
    return { code: 'OK', trades: out.trades, events: out.events };
  }

  nextExpiryMs(): number | null {
    const first = this.expiries.peek();
    return first === null ? null : first.expiresAtMs;
  }

  // ---------------------------------------------------------------- reads

  getOrder(orderId: string): RestingOrder | undefined {
    const node = this.byId.get(orderId);
    return node === undefined ? undefined : view(node);
  }

  bestBid(): Ticks | null {
    const level = this.bids.best();
    return level === null ? null : (level.price as Ticks);
  }

  bestAsk(): Ticks | null {
    const level = this.asks.best();
    return level === null ? null : (level.price as Ticks);
  }

  depth(levels: number): DepthSnapshot {
    invariant(Number.isSafeInteger(levels) && levels >= 0, 'depth: levels must be a non-negative integer');
    return { bids: depthOf(this.bids, levels), asks: depthOf(this.asks, levels) };
  }

  *restingOrders(only?: Side): IterableIterator<RestingOrder> {
    for (const side of only === undefined ? [this.bids, this.asks] : [only === 'buy' ? this.bids : this.asks]) {
      const levels = side.levels;
      for (let i = levels.length - 1; i >= 0; i--) {
        for (let n = (levels[i] as PriceLevel).head; n !== null; n = n.next) yield view(n);
      }
    }
  }

  stateHash(): string {
    return this.hashSum.digest(this.byId.size);
  }

  orderedStateHash(): string {
    const h = new BookStateHasher();
    for (const side of [this.bids, this.asks]) {
      const levels = side.levels;
      for (let i = levels.length - 1; i >= 0; i--) {
        for (let n = (levels[i] as PriceLevel).head; n !== null; n = n.next) {
          h.addOrder(n.id, n.side === BUY, n.price, n.remaining, n.orgId, n.allOrNone, n.minLots, n.expiresAtMs);
        }
      }
    }
    return h.digest();
  }

  // ---------------------------------------------------------------- restore

  restore(orders: Iterable<RestingOrder>, nextPriority?: number): void {
    invariant(this.byId.size === 0, 'restore: the book must be empty');
    let lastPriority = 0;
    for (const o of orders) {
      const problem = restoreProblem(o, lastPriority);
      if (problem !== null) throw new InvariantError(`restore: order ${String(o.orderId)}: ${problem}`);
      lastPriority = o.priority;
      const gtd = o.timeInForce === 'GTD';
      const node = new OrderNode(
        o.orderId,
        this.intern(o.orgId),
        o.side === 'buy' ? BUY : SELL,
        o.priceTicks,
        o.remainingLots,
        gtd ? TIF_GTD : TIF_GTC,
        gtd ? (o.expiresAtMs as number) : 0,
        o.allOrNone === true,
        o.minLots ?? 0,
        o.priority,
      );
      const before: number = this.byId.size;
      this.rest(node);
      // one hash lookup per order instead of has + set: a duplicate shows as an index that did not grow
      if (this.byId.size === before) throw new InvariantError(`restore: order ${o.orderId}: duplicate id`);
    }
    invariant(
      nextPriority === undefined || (Number.isSafeInteger(nextPriority) && nextPriority > lastPriority),
      'restore: nextPriority must exceed every restored priority',
    );
    this.priorityCounter = nextPriority ?? lastPriority + 1;
    const crossing = tradablePairProblem(this.internals());
    if (crossing !== null) throw new InvariantError(`restore: ${crossing}`);
  }

  // ---------------------------------------------------------------- invariants

  /** A read-only view of the structures, for the invariant checks in book-invariants.ts. */
  private internals(): BookInternals {
    return {
      bids: this.bids,
      asks: this.asks,
      byId: this.byId,
      expiries: this.expiries,
      hashSum: this.hashSum,
      priorityCounter: this.priorityCounter,
      lastNowMs: this.lastNowMs,
    };
  }

  checkInvariants(options: { recomputeHashPrefixes?: boolean } = {}): void {
    const problem = firstInvariantProblem(this.internals(), options.recomputeHashPrefixes !== false);
    if (problem !== null) throw new InvariantError(problem);
  }

  // ---------------------------------------------------------------- matching

  /** Matches an accepted order, then rests it or reports why its remainder is gone. */
  private enter(taker: OrderNode, out: Out): 'OK' | 'SELF_TRADE' {
    const outcome = this.match(taker, out);
    switch (outcome) {
      case Outcome.Filled:
        this.event(out, 'filled', taker, 0, 0, 'NONE');
        return 'OK';
      case Outcome.SelfTrade:
        this.event(out, 'cancelled', taker, 0, taker.remaining, 'SELF_TRADE');
        return 'SELF_TRADE';
      case Outcome.MinRemainder:
        this.event(out, 'cancelled', taker, 0, taker.remaining, 'MIN_FILL_REMAINDER');
        return 'OK';
      case Outcome.Exhausted:
        if (taker.tif === TIF_FOK) throw new InvariantError(`FOK ${taker.id} was judged fillable but did not fill`);
        if (taker.tif === TIF_IOC) {
          this.event(out, 'cancelled', taker, 0, taker.remaining, 'IOC_REMAINDER');
          return 'OK';
        }
        this.rest(taker);
        this.event(out, 'rested', taker, taker.remaining, 0, 'NONE');
        return 'OK';
    }
  }

  /**
   * Walks the opposite side best price first, FIFO within a price, trading at each resting order's
   * price. A resting order that cannot trade with the taker (a seller's all-or-none or minimum fill is
   * not met) is passed over and keeps its place. Stops at the first tradable order of the taker's own
   * organisation (self-trade prevention: the taker's remainder is cancelled, the resting order stays).
   */
  private match(taker: OrderNode, out: Out): Outcome {
    const takerIsBuy = taker.side === BUY;
    const book = takerIsBuy ? this.asks : this.bids;
    const levels = book.levels;
    const limit = taker.price;
    for (let i = levels.length - 1; i >= 0; i--) {
      const level = levels[i] as PriceLevel;
      if (takerIsBuy ? level.price > limit : level.price < limit) break;
      let outcome: Outcome = Outcome.Exhausted;
      let node = level.head;
      while (node !== null) {
        const next = node.next;
        const lots = taker.remaining < node.remaining ? taker.remaining : node.remaining;
        const threshold = takerIsBuy
          ? sellThreshold(node.allOrNone, node.minLots, node.remaining)
          : sellThreshold(taker.allOrNone, taker.minLots, taker.remaining);
        if (lots >= threshold) {
          if (node.orgId === taker.orgId) {
            outcome = Outcome.SelfTrade;
            break;
          }
          this.fill(taker, node, level, lots, out);
          if (taker.remaining === 0) {
            outcome = Outcome.Filled;
            break;
          }
          if (taker.minLots > 0 && taker.remaining < taker.minLots) {
            outcome = Outcome.MinRemainder;
            break;
          }
        }
        node = next;
      }
      if (level.count === 0) book.removeLevel(level, i);
      if (outcome !== Outcome.Exhausted) return outcome;
    }
    return Outcome.Exhausted;
  }

  /** Dry run of `match` for FOK: would the taker be filled entirely? Changes nothing. */
  private canFillEntirely(taker: OrderNode): boolean {
    const takerIsBuy = taker.side === BUY;
    const levels = (takerIsBuy ? this.asks : this.bids).levels;
    let remaining = taker.remaining;
    for (let i = levels.length - 1; i >= 0; i--) {
      const level = levels[i] as PriceLevel;
      if (takerIsBuy ? level.price > taker.price : level.price < taker.price) return false;
      for (let node = level.head; node !== null; node = node.next) {
        const lots = remaining < node.remaining ? remaining : node.remaining;
        const threshold = takerIsBuy
          ? sellThreshold(node.allOrNone, node.minLots, node.remaining)
          : sellThreshold(taker.allOrNone, taker.minLots, remaining);
        if (lots < threshold) continue;
        if (node.orgId === taker.orgId) return false;
        remaining -= lots;
        if (remaining === 0) return true;
        if (taker.minLots > 0 && remaining < taker.minLots) return false;
      }
    }
    return false;
  }

  /** One execution between the taker and a resting maker, at the maker's price. */
  private fill(taker: OrderNode, maker: OrderNode, level: PriceLevel, lots: number, out: Out): void {
    const takerIsBuy = taker.side === BUY;
    const buy = takerIsBuy ? taker : maker;
    const sell = takerIsBuy ? maker : taker;
    out.trades.push({
      makerOrderId: maker.id,
      takerOrderId: taker.id,
      buyOrderId: buy.id,
      sellOrderId: sell.id,
      buyOrgId: buy.orgId,
      sellOrgId: sell.orgId,
      takerSide: sideName(taker.side),
      priceTicks: level.price as Ticks,
      lots: lots as Lots,
    });
    this.hashSum.apply(maker, maker.remaining, -1);
    taker.remaining -= lots;
    maker.remaining -= lots;
    level.totalLots -= lots;
    if (maker.remaining === 0) {
      this.detach(maker, level);
      this.event(out, 'filled', maker, 0, 0, 'NONE');
    } else if (maker.minLots > 0 && maker.remaining < maker.minLots) {
      const left = maker.remaining;
      this.detach(maker, level);
      this.event(out, 'cancelled', maker, 0, left, 'MIN_FILL_REMAINDER');
    } else {
      this.hashSum.apply(maker, maker.remaining, 1);
      this.event(out, 'partially_filled', maker, maker.remaining, 0, 'NONE');
    }
  }

  // ---------------------------------------------------------------- book maintenance

  private rest(node: OrderNode): void {
    const side = node.side === BUY ? this.bids : this.asks;
    side.getOrCreate(node.price).append(node);
    this.byId.set(node.id, node);
    if (node.tif === TIF_GTD) this.expiries.push(node);
    hashPrefixOf(node, node);
    this.hashSum.apply(node, node.remaining, 1);
  }

  /**
   * Removes a resting order from its level (but not an emptied level), the index and the heap.
   * The caller has already taken its hash out of the running sum.
   */
  private detach(node: OrderNode, level: PriceLevel): void {
    level.remove(node);
    this.byId.delete(node.id);
    if (node.heapIndex >= 0) this.expiries.remove(node);
  }

  /** Removes a resting order entirely, including its hash and its level when that empties. */
  private takeOut(node: OrderNode): void {
    const level = node.level as PriceLevel;
    this.hashSum.apply(node, node.remaining, -1);
    this.detach(node, level);
    if (level.count === 0) (node.side === BUY ? this.bids : this.asks).removeLevel(level);
  }

  private expireDue(now: number, out: Out): void {
    for (let first = this.expiries.peek(); first !== null && first.expiresAtMs <= now; first = this.expiries.peek()) {
      const lots = first.remaining;
      this.takeOut(first);
      this.event(out, 'expired', first, 0, lots, 'EXPIRED');
    }
  }

  private isDue(node: OrderNode, now: number): boolean {
    return node.expiresAtMs !== 0 && node.expiresAtMs <= now;
  }

  /** Time never goes backwards in the book: an earlier nowMs counts as the latest one seen. */
  private clock(nowMs: number): number {
    assertTime(nowMs);
    return nowMs > this.lastNowMs ? nowMs : this.lastNowMs;
  }

  private intern(orgId: string): string {
    const known = this.orgIds.get(orgId);
    if (known !== undefined) return known;
    this.orgIds.set(orgId, orgId);
    return orgId;
  }

  private event(
    out: Out,
    kind: OrderEventKind,
    node: OrderNode,
    remainingLots: number,
    cancelledLots: number,
    reason: OrderEventReason,
  ): void {
    out.events.push({
      kind,
      orderId: node.id,
      orgId: node.orgId,
      side: sideName(node.side),
      priceTicks: node.price as Ticks,
      remainingLots: remainingLots as Lots,
      cancelledLots: cancelledLots as Lots,
      priority: node.priority,
      reason,
    });
  }
}

/** What is wrong with one order given to restore, or null. Plain ifs: it runs a million times. */
function restoreProblem(o: RestingOrder, lastPriority: number): string | null {
  if (typeof o.orderId !== 'string' || o.orderId.length === 0 || o.orderId.length > MAX_ID_LENGTH) return 'bad id';
  if (typeof o.orgId !== 'string' || o.orgId.length === 0 || o.orgId.length > MAX_ID_LENGTH) return 'bad organisation id';
  if (o.side !== 'buy' && o.side !== 'sell') return 'bad side';
  if (!isValidPrice(o.priceTicks)) return 'bad price';
  if (!isValidLots(o.remainingLots)) return 'bad remaining lots';
  if (!Number.isSafeInteger(o.priority) || o.priority <= lastPriority) return 'priority not ascending';
  if (o.timeInForce === 'GTD') {
    if (typeof o.expiresAtMs !== 'number' || !Number.isSafeInteger(o.expiresAtMs) || o.expiresAtMs <= 0)
      return 'GTD without a valid expiry';
  } else if (o.timeInForce === 'GTC') {
    if (o.expiresAtMs !== null && o.expiresAtMs !== undefined) return 'GTC with an expiry';
  } else return 'only GTC and GTD orders rest';
  const minLots = o.minLots ?? 0;
  if (o.side === 'buy' && (o.allOrNone === true || minLots !== 0)) return 'a buy with sell conditions';
  if (minLots !== 0 && (!isValidLots(minLots) || o.allOrNone === true || minLots > o.remainingLots)) return 'bad minimum fill';
  return null;
}

function view(n: OrderNode): RestingOrder {
  return {
    orderId: n.id,
    orgId: n.orgId,
    side: sideName(n.side),
    priceTicks: n.price as Ticks,
    remainingLots: n.remaining as Lots,
    timeInForce: n.tif === TIF_GTD ? 'GTD' : 'GTC',
    expiresAtMs: n.tif === TIF_GTD ? n.expiresAtMs : null,
    allOrNone: n.allOrNone,
    minLots: n.minLots > 0 ? (n.minLots as Lots) : null,
    priority: n.priority,
  };
}

function depthOf(side: BookSide, count: number): DepthLevel[] {
  const levels = side.levels;
  const result: DepthLevel[] = [];
  for (let i = levels.length - 1; i >= 0 && result.length < count; i--) {
    const l = levels[i] as PriceLevel;
    result.push({ priceTicks: l.price as Ticks, lots: l.totalLots as Lots, orderCount: l.count });
  }
  return result;
}
