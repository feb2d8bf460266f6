/**
 * The engine's internal invariants, checkable after every command (tests do) and on restore: levels
 * sorted, indexed and summing to their orders, every order indexed once, FIFO in priority order, the
 * expiry heap consistent, the running state hash equal to a recomputation, and no crossed book.
 */
import { BUY, SELL, sellThreshold, TIF_GTC, TIF_GTD, type OrderNode, type SideCode } from './order-node';
import type { BookSide } from './book-side';
import type { ExpiryHeap } from './expiry-heap';
import type { PriceLevel } from './price-level';
import { orderHashPrefix, StateHashSum, type HashPrefix } from './state-hash';

/** What the checks read of a book; the engine hands it over, read-only. */
export interface BookInternals {
  readonly bids: BookSide;
  readonly asks: BookSide;
  readonly byId: ReadonlyMap<string, OrderNode>;
  readonly expiries: ExpiryHeap;
  readonly hashSum: StateHashSum;
  readonly priorityCounter: number;
  readonly lastNowMs: number;
}

/** The order's hash prefix (all its fields), as the running state hash adds it. */
export function hashPrefixOf(n: OrderNode, into: HashPrefix): void {
  orderHashPrefix(into, n.id, n.side === BUY, n.price, n.orgId, n.allOrNone, n.minLots, n.expiresAtMs, n.priority);
}

/** The first broken invariant, or null. Plain ifs, no closures: tests call this after every command. */
export function firstInvariantProblem(b: BookInternals, recomputePrefixes: boolean): string | null {
  let seen = 0;
  let gtd = 0;
  for (const side of [b.bids, b.asks]) {
    const levels = side.levels;
    if (side.mapSize() !== levels.length) return 'level map and level array differ in size';
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i] as PriceLevel;
      const at = `level ${level.price}`;
      if (side.get(level.price) !== level) return `${at} is not indexed by its price`;
      if (level.key !== side.keyOf(level.price)) return `${at} has a wrong sort key`;
      if (i > 0 && (levels[i - 1] as PriceLevel).key >= level.key) return `${at}: levels not strictly sorted`;
      if (level.count <= 0 || level.head === null) return `${at} is empty but still in the book`;
      let count = 0;
      let lots = 0;
      let prev: OrderNode | null = null;
      for (let n: OrderNode | null = level.head; n !== null; n = n.next) {
        const problem = nodeProblem(b, n, prev, level, side.isBid ? BUY : SELL);
        if (problem !== null) return `order ${n.id}: ${problem}`;
        if (n.tif === TIF_GTD) gtd++;
        count++;
        lots += n.remaining;
        prev = n;
      }
      if (level.tail !== prev) return `${at}: wrong tail`;
      if (level.count !== count) return `${at}: count ${level.count} but ${count} orders`;
      if (level.totalLots !== lots) return `${at}: total ${level.totalLots} but its orders sum to ${lots}`;
      seen += count;
    }
  }
  if (seen !== b.byId.size) return `${b.byId.size} orders indexed but ${seen} in levels`;
  if (gtd !== b.expiries.size) return `${b.expiries.size} in the expiry heap but ${gtd} GTD orders resting`;
  return b.expiries.problem() ?? hashProblem(b, recomputePrefixes) ?? tradablePairProblem(b);
}

/**
 * The running state hash equals one recomputed from the orders. Recomputing each order's prefix
 * (all its fields) is most of the cost of checkInvariants; without it the sum is still checked
 * against the prefixes kept in the nodes.
 */
function hashProblem(b: BookInternals, recomputePrefixes: boolean): string | null {
  const fresh = new StateHashSum();
  const prefix: HashPrefix = { hp0: 0, hp1: 0, hp2: 0, hp3: 0 };
  for (const side of [b.bids, b.asks]) {
    for (const level of side.levels) {
      for (let n = level.head; n !== null; n = n.next) {
        if (recomputePrefixes) {
          hashPrefixOf(n, prefix);
          if (prefix.hp0 !== n.hp0 || prefix.hp1 !== n.hp1 || prefix.hp2 !== n.hp2 || prefix.hp3 !== n.hp3)
            return `order ${n.id}: stale hash prefix`;
        }
        fresh.apply(n, n.remaining, 1);
      }
    }
  }
  return fresh.equals(b.hashSum) ? null : 'the running state hash differs from a recomputation';
}

function nodeProblem(b: BookInternals, n: OrderNode, prev: OrderNode | null, level: PriceLevel, side: SideCode): string | null {
  if (n.prev !== prev) return 'broken back link';
  if (n.level !== level) return 'points to another level';
  if (n.price !== level.price) return 'price differs from its level';
  if (n.side !== side) return 'on the wrong side';
  if (b.byId.get(n.id) !== n) return 'not indexed, or the index holds another node';
  if (!Number.isSafeInteger(n.remaining) || n.remaining <= 0) return `remaining ${n.remaining}`;
  if (prev !== null && prev.priority >= n.priority) return 'FIFO out of priority order';
  if (n.priority >= b.priorityCounter) return 'priority from the future';
  if (n.side === BUY && (n.allOrNone || n.minLots !== 0)) return 'a buy with sell conditions';
  if (n.allOrNone && n.minLots > 0) return 'both all-or-none and minimum fill';
  if (n.minLots !== 0 && n.remaining < n.minLots) return 'remaining below its minimum fill';
  if (n.tif === TIF_GTD) {
    if (n.heapIndex < 0 || b.expiries.nodes[n.heapIndex] !== n) return 'GTD order not in the expiry heap';
    if (n.expiresAtMs <= b.lastNowMs) return `due at ${n.expiresAtMs} but still resting at ${b.lastNowMs}`;
  } else if (n.tif === TIF_GTC) {
    if (n.heapIndex !== -1 || n.expiresAtMs !== 0) return 'GTC order with an expiry';
  } else return `time in force ${n.tif} resting`;
  return null;
}

/**
 * "No crossed book", exactly: no resting buy and resting sell at or below its price could trade.
 * A sell s is takeable by a buy of b lots iff min(b, s) >= threshold(s), i.e. iff b >= threshold(s)
 * (a threshold never exceeds the sell's remaining). Walking asks from the highest price down, the
 * bids priced at or above the ask only grow, so one pass keeps the largest such buy: O(n).
 */
export function tradablePairProblem(b: BookInternals): string | null {
  const bidLevels = b.bids.levels;
  const askLevels = b.asks.levels;
  let bi = bidLevels.length - 1; // best (highest) bid first
  let maxBuy = 0;
  let maxBuyId = '';
  for (let ai = 0; ai < askLevels.length; ai++) {
    const ask = askLevels[ai] as PriceLevel; // highest ask first
    while (bi >= 0 && (bidLevels[bi] as PriceLevel).price >= ask.price) {
      for (let n = (bidLevels[bi] as PriceLevel).head; n !== null; n = n.next) {
        if (n.remaining > maxBuy) {
          maxBuy = n.remaining;
          maxBuyId = n.id;
        }
      }
      bi--;
    }
    if (maxBuy === 0) continue; // no bid at or above this ask
    for (let s = ask.head; s !== null; s = s.next) {
      if (maxBuy >= sellThreshold(s.allOrNone, s.minLots, s.remaining)) {
        return `crossed book: buy ${maxBuyId} (${maxBuy} lots) could trade with sell ${s.id} at ${ask.price}`;
      }
    }
  }
  return null;
}
