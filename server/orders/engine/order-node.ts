/**
 * One resting (or incoming) order, as an intrusive doubly linked list node of its price level.
 *
 * Kept deliberately small (17 small fields, one hidden class) because a book may hold a million:
 * side and conditions are small integers, "no expiry" and "no minimum" are 0 rather than null, and
 * the organisation id string is interned by the book so all orders of one organisation share it.
 */
import type { PriceLevel } from './price-level';
import type { HashPrefix } from './state-hash';

export const BUY = 0;
export const SELL = 1;
export type SideCode = typeof BUY | typeof SELL;

export const TIF_GTC = 0;
export const TIF_GTD = 1;
export const TIF_IOC = 2;
export const TIF_FOK = 3;
export type TifCode = typeof TIF_GTC | typeof TIF_GTD | typeof TIF_IOC | typeof TIF_FOK;

export class OrderNode implements HashPrefix {
  prev: OrderNode | null = null;
  next: OrderNode | null = null;
  /** The level this node is linked into, or null while it is not in the book. */
  level: PriceLevel | null = null;
  /** Position in the expiry heap, -1 when not in it (not GTD, or not resting). */
  heapIndex = -1;
  /** FNV-1a-64 state after hashing everything but the remaining lots (see state-hash.ts). */
  hp0 = 0;
  hp1 = 0;
  hp2 = 0;
  hp3 = 0;

  constructor(
    readonly id: string,
    readonly orgId: string,
    readonly side: SideCode,
    public price: number,
    public remaining: number,
    readonly tif: TifCode,
    /** 0 when the order has no expiry (anything but GTD). */
    readonly expiresAtMs: number,
    readonly allOrNone: boolean,
    /** 0 when there is no minimum fill. */
    readonly minLots: number,
    public priority: number,
  ) {}
}

/**
 * The smallest execution a sell accepts when it has `remaining` lots left: all of it for all-or-none,
 * its minimum fill otherwise (1 without conditions). A buy has no conditions.
 *
 * Why this shape: it makes "can this buy and this sell trade?" a pure function of the two remaining
 * quantities, `min(buy, sell) >= sellThreshold(sell)`, which only ever becomes false as quantities
 * shrink (all-or-none never fills partially; a minimum-fill remainder below its minimum is cancelled).
 * Hence an order that was passed over stays untradable and the book never holds a pair that could
 * trade, even though all-or-none sells can rest "crossed" with smaller buys.
 */
export function sellThreshold(allOrNone: boolean, minLots: number, remaining: number): number {
  if (allOrNone) return remaining;
  return minLots > 0 ? minLots : 1;
}
