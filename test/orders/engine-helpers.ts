/** Small builders shared by the engine specs. */
import type { Lots, Ticks } from '../../shared/decimal';
import { OrderBookEngine } from '../../server/orders/engine';
import type { MatchingBook, NewOrder, TimeInForce } from '../../server/orders/engine';
import { ReferenceBook } from './reference-book';

export const ticks = (n: number): Ticks => n as Ticks;
export const lots = (n: number): Lots => n as Lots;

export interface OrderOpts {
  org?: string;
  tif?: TimeInForce;
  expiresAtMs?: number;
  allOrNone?: boolean;
  minLots?: number;
}

export function order(id: string, side: 'buy' | 'sell', price: number, quantity: number, opts: OrderOpts = {}): NewOrder {
  return {
    orderId: id,
    orgId: opts.org ?? (side === 'buy' ? 'buyer-org' : 'seller-org'),
    side,
    priceTicks: ticks(price),
    lots: lots(quantity),
    timeInForce: opts.tif ?? (opts.expiresAtMs !== undefined ? 'GTD' : 'GTC'),
    expiresAtMs: opts.expiresAtMs ?? null,
    allOrNone: opts.allOrNone ?? false,
    minLots: opts.minLots === undefined ? null : lots(opts.minLots),
  };
}

export const buy = (id: string, price: number, quantity: number, opts?: OrderOpts): NewOrder => order(id, 'buy', price, quantity, opts);
export const sell = (id: string, price: number, quantity: number, opts?: OrderOpts): NewOrder => order(id, 'sell', price, quantity, opts);

/** Both implementations, so every specification runs against the fast engine and the naive reference. */
export const IMPLEMENTATIONS: ReadonlyArray<{ name: string; create: () => MatchingBook }> = [
  { name: 'OrderBookEngine', create: () => new OrderBookEngine() },
  { name: 'ReferenceBook', create: () => new ReferenceBook() },
];

export { mulberry32 } from '../support/seeded-random';
