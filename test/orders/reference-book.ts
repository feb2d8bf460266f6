/**
 * The naive reference book: the rules of server/orders/engine/README.md written the obvious way, with
 * one array of resting orders, sorting and filtering on every command, and FOK decided by running the
 * real matching on a copy. Slow on purpose and easy to check by reading; the fast engine must give
 * the same trades, events and state hash for any command stream.
 */
import type { Lots, Ticks } from '../../shared/decimal';
import { assertId, assertTime, invariant } from '../../server/orders/engine/invariant';
import { BookStateHasher, orderHashPrefix, StateHashSum, type HashPrefix } from '../../server/orders/engine/state-hash';
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
} from '../../server/orders/engine/types';
import { checkAmend, checkNewOrder } from '../../server/orders/engine/validate';

interface RefOrder {
  id: string;
  orgId: string;
  side: Side;
  price: number;
  remaining: number;
  tif: NewOrder['timeInForce'];
  expiresAtMs: number | null;
  allOrNone: boolean;
  minLots: number;
  priority: number;
}

interface Out {
  trades: Trade[];
  events: OrderEvent[];
}

type Ending = 'filled' | 'exhausted' | 'self_trade' | 'min_remainder';

/** Best first: higher price for bids, lower for asks; then earlier priority. */
function byPriority(a: RefOrder, b: RefOrder): number {
  if (a.price !== b.price) return a.side === 'buy' ? b.price - a.price : a.price - b.price;
  return a.priority - b.priority;
}

function minimumExecution(sell: RefOrder): number {
  if (sell.allOrNone) return sell.remaining;
  return Math.max(sell.minLots, 1);
}

export class ReferenceBook implements MatchingBook {
  private orders: RefOrder[] = [];
  private priorityCounter = 1;
  private lastNowMs = 0;

  get orderCount(): number {
    return this.orders.length;
  }

  get nextPriority(): number {
    return this.priorityCounter;
  }

  submit(o: NewOrder, nowMs: number): SubmitResult {
    assertId(o.orderId, 'orderId');
    assertId(o.orgId, 'orgId');
    const now = this.clock(nowMs);
    const bad = checkNewOrder(o, now);
    if (bad !== null) return { code: bad, trades: [], events: [] };
    if (this.live(now).some((r) => r.id === o.orderId)) return { code: 'DUPLICATE_ORDER_ID', trades: [], events: [] };
    const out: Out = { trades: [], events: [] };
    this.lastNowMs = now;
    this.expireDue(now, out);
    const taker: RefOrder = {
      id: o.orderId,
      orgId: o.orgId,
      side: o.side,
      price: o.priceTicks,
      remaining: o.lots,
      tif: o.timeInForce,
      expiresAtMs: o.timeInForce === 'GTD' ? (o.expiresAtMs as number) : null,
      allOrNone: o.allOrNone === true,
      minLots: o.minLots ?? 0,
      priority: this.priorityCounter++,
    };
    if (o.timeInForce === 'FOK') {
      // Would matching fill it entirely? Try it on a copy of the book.
      const copy = new ReferenceBook();
      copy.orders = this.orders.map((r) => ({ ...r }));
      if (copy.match({ ...taker }, { trades: [], events: [] }) !== 'filled') {
        this.event(out, 'cancelled', taker, 0, taker.remaining, 'FOK_NOT_FILLABLE');
        return { code: 'FOK_NOT_FILLABLE', ...out };
      }
    }
    return { code: this.enter(taker, out), ...out };
  }

  cancel(orderId: string, nowMs: number, reason: CancelReason = 'CANCELLED'): CancelResult {
    assertId(orderId, 'orderId');
    const now = this.clock(nowMs);
    const order = this.live(now).find((r) => r.id === orderId);
    if (order === undefined) return { code: 'UNKNOWN_ORDER', trades: [], events: [] };
    const out: Out = { trades: [], events: [] };
    this.lastNowMs = now;
    this.expireDue(now, out);
    this.orders = this.orders.filter((r) => r !== order);
    this.event(out, 'cancelled', order, 0, order.remaining, reason);
    return { code: 'OK', ...out };
  }

  amend(a: AmendOrder, nowMs: number): AmendResult {
    assertId(a.orderId, 'orderId');
    const now = this.clock(nowMs);
    const bad = checkAmend(a);
    if (bad !== null) return { code: bad, trades: [], events: [] };
    const order = this.live(now).find((r) => r.id === a.orderId);
    if (order === undefined) return { code: 'UNKNOWN_ORDER', trades: [], events: [] };
    const lots = a.remainingLots ?? order.remaining;
    const price = a.priceTicks ?? order.price;
    if (lots > order.remaining) return { code: 'QUANTITY_INCREASE_NOT_ALLOWED', trades: [], events: [] };
    if (order.minLots > 0 && lots < order.minLots) return { code: 'BELOW_MIN_QUANTITY', trades: [], events: [] };
    if (lots === order.remaining && price === order.price) return { code: 'NO_CHANGE', trades: [], events: [] };
    const out: Out = { trades: [], events: [] };
    this.lastNowMs = now;
    this.expireDue(now, out);
    const reduction = order.remaining - lots;
    if (price === order.price && !order.allOrNone) {
      order.remaining = lots;
      this.event(out, 'reduced', order, lots, reduction, 'REDUCED');
      return { code: 'OK', ...out };
    }
    this.orders = this.orders.filter((r) => r !== order);
    order.price = price;
    order.remaining = lots;
    order.priority = this.priorityCounter++;
    this.event(out, 'repriced', order, lots, reduction, 'REENTERED');
    return { code: this.enter(order, out), ...out };
  }

  expire(nowMs: number): ExpireResult {
    const now = this.clock(nowMs);
    const out: Out = { trades: [], events: [] };
    this.lastNowMs = now;
    this.expireDue(now, out);
    return { code: 'OK', ...out };
  }

  nextExpiryMs(): number | null {
    const times = this.orders.filter((r) => r.expiresAtMs !== null).map((r) => r.expiresAtMs as number);
    return times.length === 0 ? null : Math.min(...times);
  }

  getOrder(orderId: string): RestingOrder | undefined {
    const r = this.orders.find((x) => x.id === orderId);
    return r === undefined ? undefined : view(r);
  }

  bestBid(): Ticks | null {
    const bids = this.sorted('buy');
    return bids.length === 0 ? null : ((bids[0] as RefOrder).price as Ticks);
  }

  bestAsk(): Ticks | null {
    const asks = this.sorted('sell');
    return asks.length === 0 ? null : ((asks[0] as RefOrder).price as Ticks);
  }

  depth(levels: number): DepthSnapshot {
    const side = (s: Side): DepthLevel[] => {
      const result: { priceTicks: Ticks; lots: Lots; orderCount: number }[] = [];
      for (const r of this.sorted(s)) {
        const last = result[result.length - 1];
        if (last !== undefined && last.priceTicks === r.price) {
          last.lots = (last.lots + r.remaining) as Lots;
          last.orderCount++;
        } else result.push({ priceTicks: r.price as Ticks, lots: r.remaining as Lots, orderCount: 1 });
      }
      return result.slice(0, levels);
    };
    return { bids: side('buy'), asks: side('sell') };
  }

  *restingOrders(): IterableIterator<RestingOrder> {
    for (const r of [...this.sorted('buy'), ...this.sorted('sell')]) yield view(r);
  }

  /** Recomputed from scratch every time: the sum of the resting orders' hashes. */
  stateHash(): string {
    const sum = new StateHashSum();
    for (const r of this.orders) {
      const prefix: HashPrefix = { hp0: 0, hp1: 0, hp2: 0, hp3: 0 };
      orderHashPrefix(prefix, r.id, r.side === 'buy', r.price, r.orgId, r.allOrNone, r.minLots, r.expiresAtMs ?? 0, r.priority);
      sum.apply(prefix, r.remaining, 1);
    }
    return sum.digest(this.orders.length);
  }

  orderedStateHash(): string {
    const h = new BookStateHasher();
    for (const r of [...this.sorted('buy'), ...this.sorted('sell')]) {
      h.addOrder(r.id, r.side === 'buy', r.price, r.remaining, r.orgId, r.allOrNone, r.minLots, r.expiresAtMs ?? 0);
    }
    return h.digest();
  }

  restore(orders: Iterable<RestingOrder>, nextPriority?: number): void {
    invariant(this.orders.length === 0, 'restore: the book must be empty');
    let last = 0;
    for (const o of orders) {
      invariant(o.priority > last, 'restore: priority not ascending');
      invariant(!this.orders.some((r) => r.id === o.orderId), 'restore: duplicate id');
      last = o.priority;
      this.orders.push({
        id: o.orderId,
        orgId: o.orgId,
        side: o.side,
        price: o.priceTicks,
        remaining: o.remainingLots,
        tif: o.timeInForce,
        expiresAtMs: o.expiresAtMs,
        allOrNone: o.allOrNone,
        minLots: o.minLots ?? 0,
        priority: o.priority,
      });
    }
    invariant(nextPriority === undefined || nextPriority > last, 'restore: nextPriority too small');
    this.priorityCounter = nextPriority ?? last + 1;
    this.checkInvariants();
  }

  checkInvariants(): void {
    const ids = new Set<string>();
    for (const r of this.orders) {
      invariant(!ids.has(r.id), `duplicate ${r.id}`);
      ids.add(r.id);
      invariant(r.remaining > 0, `${r.id} rests with nothing`);
      invariant(r.tif === 'GTC' || r.tif === 'GTD', `${r.id} rests as ${r.tif}`);
      invariant(r.minLots === 0 || r.remaining >= r.minLots, `${r.id} below its minimum`);
      invariant(r.expiresAtMs === null || r.expiresAtMs > this.lastNowMs, `${r.id} is due but rests`);
    }
    for (const b of this.orders.filter((r) => r.side === 'buy')) {
      for (const s of this.orders.filter((r) => r.side === 'sell' && r.price <= b.price)) {
        invariant(Math.min(b.remaining, s.remaining) < minimumExecution(s), `${b.id} and ${s.id} could trade`);
      }
    }
  }

  // ----------------------------------------------------------------

  private enter(taker: RefOrder, out: Out): 'OK' | 'SELF_TRADE' {
    const ending = this.match(taker, out);
    if (ending === 'filled') this.event(out, 'filled', taker, 0, 0, 'NONE');
    else if (ending === 'self_trade') this.event(out, 'cancelled', taker, 0, taker.remaining, 'SELF_TRADE');
    else if (ending === 'min_remainder') this.event(out, 'cancelled', taker, 0, taker.remaining, 'MIN_FILL_REMAINDER');
    else if (taker.tif === 'IOC' || taker.tif === 'FOK') this.event(out, 'cancelled', taker, 0, taker.remaining, 'IOC_REMAINDER');
    else {
      this.orders.push(taker);
      this.event(out, 'rested', taker, taker.remaining, 0, 'NONE');
    }
    return ending === 'self_trade' ? 'SELF_TRADE' : 'OK';
  }

  private match(taker: RefOrder, out: Out): Ending {
    const opposite: Side = taker.side === 'buy' ? 'sell' : 'buy';
    const acceptable = this.sorted(opposite).filter((r) => (taker.side === 'buy' ? r.price <= taker.price : r.price >= taker.price));
    for (const maker of acceptable) {
      const sell = taker.side === 'sell' ? taker : maker;
      const buy = taker.side === 'buy' ? taker : maker;
      const lots = Math.min(taker.remaining, maker.remaining);
      if (lots < minimumExecution(sell)) continue; // passed over, keeps its place
      if (maker.orgId === taker.orgId) return 'self_trade';
      out.trades.push({
        makerOrderId: maker.id,
        takerOrderId: taker.id,
        buyOrderId: buy.id,
        sellOrderId: sell.id,
        buyOrgId: buy.orgId,
        sellOrgId: sell.orgId,
        takerSide: taker.side,
        priceTicks: maker.price as Ticks,
        lots: lots as Lots,
      });
      taker.remaining -= lots;
      maker.remaining -= lots;
      if (maker.remaining === 0) {
        this.orders = this.orders.filter((r) => r !== maker);
        this.event(out, 'filled', maker, 0, 0, 'NONE');
      } else if (maker.minLots > 0 && maker.remaining < maker.minLots) {
        this.orders = this.orders.filter((r) => r !== maker);
        this.event(out, 'cancelled', maker, 0, maker.remaining, 'MIN_FILL_REMAINDER');
      } else {
        this.event(out, 'partially_filled', maker, maker.remaining, 0, 'NONE');
      }
      if (taker.remaining === 0) return 'filled';
      if (taker.minLots > 0 && taker.remaining < taker.minLots) return 'min_remainder';
    }
    return 'exhausted';
  }

  private expireDue(now: number, out: Out): void {
    const due = this.orders
      .filter((r) => r.expiresAtMs !== null && r.expiresAtMs <= now)
      .sort((a, b) => (a.expiresAtMs as number) - (b.expiresAtMs as number) || a.priority - b.priority);
    this.orders = this.orders.filter((r) => !due.includes(r));
    for (const r of due) this.event(out, 'expired', r, 0, r.remaining, 'EXPIRED');
  }

  /** Orders not yet due at `now` (a due order counts as gone even before it is expired). */
  private live(now: number): RefOrder[] {
    return this.orders.filter((r) => r.expiresAtMs === null || r.expiresAtMs > now);
  }

  private sorted(side: Side): RefOrder[] {
    return this.orders.filter((r) => r.side === side).sort(byPriority);
  }

  private clock(nowMs: number): number {
    assertTime(nowMs);
    return Math.max(nowMs, this.lastNowMs);
  }

  private event(out: Out, kind: OrderEventKind, r: RefOrder, remainingLots: number, cancelledLots: number, reason: OrderEventReason): void {
    out.events.push({
      kind,
      orderId: r.id,
      orgId: r.orgId,
      side: r.side,
      priceTicks: r.price as Ticks,
      remainingLots: remainingLots as Lots,
      cancelledLots: cancelledLots as Lots,
      priority: r.priority,
      reason,
    });
  }
}

function view(r: RefOrder): RestingOrder {
  return {
    orderId: r.id,
    orgId: r.orgId,
    side: r.side,
    priceTicks: r.price as Ticks,
    remainingLots: r.remaining as Lots,
    timeInForce: r.tif === 'GTD' ? 'GTD' : 'GTC',
    expiresAtMs: r.expiresAtMs,
    allOrNone: r.allOrNone,
    minLots: r.minLots > 0 ? (r.minLots as Lots) : null,
    priority: r.priority,
  };
}
