/** Wire shapes of orders, trades and the book (api.md), built from rows and engine snapshots. */
import { z } from 'zod';
import { Dec, ticksToPct, type Ticks } from '../../shared/decimal';
import type { OrderRow, TradeRow } from '../../db/schema';
import type { DepthSnapshot } from './engine';

export const orderView = z.object({
  id: z.string(),
  fundId: z.string(),
  side: z.enum(['buy', 'sell']),
  pricePct: z.string(),
  quantity: z.string(),
  filledQuantity: z.string(),
  remainingQuantity: z.string(),
  status: z.enum(['open', 'filled', 'cancelled', 'expired', 'rejected']),
  statusReason: z.string().nullable(),
  timeInForce: z.enum(['GTC', 'GTD', 'IOC', 'FOK']),
  expiresAt: z.string().nullable(),
  allOrNone: z.boolean(),
  minQuantity: z.string().nullable(),
  createdAt: z.string(),
});
export type OrderView = z.infer<typeof orderView>;

export const tradeView = z.object({
  id: z.string(),
  fundId: z.string(),
  venue: z.enum(['book', 'listing']),
  pricePct: z.string(),
  quantity: z.string(),
  consideration: z.string(),
  buyOrderId: z.string().nullable(),
  sellOrderId: z.string().nullable(),
  listingId: z.string().nullable(),
  transferId: z.string().nullable(),
  executedAt: z.string(),
});
export type TradeView = z.infer<typeof tradeView>;
export const publicTradeView = tradeView.pick({
  id: true,
  venue: true,
  pricePct: true,
  quantity: true,
  consideration: true,
  executedAt: true,
});

const level = z.object({ pricePct: z.string(), quantity: z.string(), orderCount: z.number().int() });
export const bookView = z.object({ fundId: z.string(), seq: z.number().int(), bids: z.array(level), asks: z.array(level) });
export type BookView = z.infer<typeof bookView>;

const lotsToQty = (lots: number, lotSize: string) => new Dec(lotSize).times(new Dec(String(lots))).toFixed(0);

export function toOrderView(r: OrderRow, lotSize: string): OrderView {
  return {
    id: r.id,
    fundId: r.fundId,
    side: r.side,
    pricePct: ticksToPct(r.priceTicks as Ticks),
    quantity: lotsToQty(r.lots, lotSize),
    filledQuantity: lotsToQty(r.filledLots, lotSize),
    remainingQuantity: lotsToQty(r.remainingLots, lotSize),
    status: r.status,
    statusReason: r.statusReason,
    timeInForce: r.timeInForce,
    expiresAt: r.expiresAt,
    allOrNone: r.allOrNone === 1,
    minQuantity: r.minLots === null ? null : lotsToQty(r.minLots, lotSize),
    createdAt: r.createdAt,
  };
}

export function toTradeView(t: TradeRow): TradeView {
  return {
    id: t.id,
    fundId: t.fundId,
    venue: t.venue,
    pricePct: t.pricePct,
    quantity: t.quantity,
    consideration: t.consideration,
    buyOrderId: t.buyOrderId,
    sellOrderId: t.sellOrderId,
    listingId: t.listingId,
    transferId: t.transferId,
    executedAt: t.executedAt,
  };
}

export function toBookView(fundId: string, seq: number, depth: DepthSnapshot, lotSize: string): BookView {
  const map = (l: DepthSnapshot['bids'][number]) => ({
    pricePct: ticksToPct(l.priceTicks),
    quantity: lotsToQty(l.lots, lotSize),
    orderCount: l.orderCount,
  });
  return { fundId, seq, bids: depth.bids.map(map), asks: depth.asks.map(map) };
}
