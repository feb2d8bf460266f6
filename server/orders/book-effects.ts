/**
 * Writes the effects of one engine result in the caller's transaction: order rows, trades, the
 * sellers' encumbrances (open sells on offer; filled units reserved for the transfer), and the
 * transfer each trade opens. The engine result is the single source: nothing here re-decides.
 */
import { bookId } from './book-ids';
import { Dec, ZERO, ticksToPct, type Decimal, type Lots, type Ticks } from '../../shared/decimal';
import { consideration, navPerCommitment } from '../../shared/nav';
import type { Tx } from '../../db/database';
import type { Fund, OrderRow, OrderStatus, TradeRow } from '../../db/schema';
import type { CommandResult, OrderEvent } from './engine';
import { latestNavReport } from '../funds/funds.repository';
import { prepared, preparedInsert } from '../../db/prepared';
import { summariseTrades } from '../market-data/market-summary';
import { insertLater } from '../commands/deferred-rows';

// The statements a fill or a resting order writes, compiled once (db/prepared.ts): this is the hot path.
const insertOrder = preparedInsert('orders', [
  'id',
  'fundId',
  'orgId',
  'userId',
  'side',
  'priceTicks',
  'lots',
  'remainingLots',
  'filledLots',
  'status',
  'statusReason',
  'timeInForce',
  'expiresAt',
  'allOrNone',
  'minLots',
  'priority',
  'createdAt',
  'updatedAt',
]);
const updateOrder = prepared(8, (db, $) =>
  db
    .updateTable('orders')
    .set((eb) => ({
      status: $(1),
      statusReason: $(2),
      remainingLots: $(3),
      priority: $(4),
      priceTicks: $(5),
      filledLots: eb('filledLots', '+', $(6)),
      updatedAt: $(7),
    }))
    .where('id', '=', $(0)),
);
const insertTrade = preparedInsert('trades', [
  'id',
  'fundId',
  'venue',
  'pricePct',
  'quantity',
  'consideration',
  'navPerCommitment',
  'navReferenceDate',
  'buyOrderId',
  'sellOrderId',
  'buyerOrgId',
  'sellerOrgId',
  'listingId',
  'transferId',
  'fundSeq',
  'executedAt',
]);
const setTradeTransfer = prepared(2, (db, $) =>
  db
    .updateTable('trades')
    .set({ transferId: $(1) })
    .where('id', '=', $(0)),
);
const encumbranceOf = prepared(2, (db, $) =>
  db.selectFrom('positions').select(['onOffer', 'reserved', 'commitment']).where('fundId', '=', $(0)).where('orgId', '=', $(1)),
);
const setEncumbrance = prepared(4, (db, $) =>
  db
    .updateTable('positions')
    .set({ onOffer: $(2), reserved: $(3) })
    .where('fundId', '=', $(0))
    .where('orgId', '=', $(1)),
);

/**
 * Opens the post-trade transfer for a trade; returns its id. Supplied by the transfers feature.
 * `depositHeld`: a listing winner's deposit, which counts first towards the price; `instalments`: the
 * listing allowed payment by instalments at this interest rate.
 */
export type TradeListener = (
  trx: Tx,
  trade: TradeRow,
  fund: Fund,
  opts?: { depositHeld?: string; instalments?: { interestRatePct: string } | null },
) => Promise<string>;

/** An order's state after a command; integer ticks and lots as the engine keeps them (exact, converted at the edge). */
interface OrderChange {
  status: OrderStatus;
  reason: string | null;
  remainingLots: Lots;
  priority: number;
  priceTicks: Ticks;
  filledLots: Lots;
}

function statusOf(ev: OrderEvent): { status: OrderStatus; reason: string | null } {
  switch (ev.kind) {
    case 'rested':
    case 'partially_filled':
    case 'reduced':
    case 'repriced':
      return { status: 'open', reason: null };
    case 'filled':
      return { status: 'filled', reason: null };
    case 'expired':
      return { status: 'expired', reason: 'EXPIRED' };
    case 'cancelled':
      return ev.reason === 'FOK_NOT_FILLABLE' ? { status: 'rejected', reason: ev.reason } : { status: 'cancelled', reason: ev.reason };
  }
}

export interface EffectsInput {
  fund: Fund;
  result: CommandResult<string>;
  nowIso: string;
  fundSeq: number;
  /** The incoming order, inserted here with its final state. */
  newOrder?: Omit<OrderRow, 'status' | 'statusReason' | 'remainingLots' | 'filledLots' | 'priority' | 'updatedAt'>;
  onTrade: TradeListener;
}

export interface Effects {
  trades: TradeRow[];
  changed: Map<string, OrderChange>;
  /** The incoming order's row exactly as inserted, when there was one. */
  inserted: OrderRow | null;
  /** Organisations whose position in the fund this command wrote (its encumbrances: on offer, reserved). */
  encumbered: string[];
}

export async function writeEffects(trx: Tx, x: EffectsInput): Promise<Effects> {
  const lotSize = new Dec(x.fund.lotSize);
  const changes = new Map<string, OrderChange>();
  const onOfferLots = new Map<string, number>();
  const reservedLots = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  if (x.newOrder?.side === 'sell') add(onOfferLots, x.newOrder.orgId, x.newOrder.lots);

  for (const ev of x.result.events) {
    const prev = changes.get(ev.orderId);
    changes.set(ev.orderId, {
      ...statusOf(ev),
      remainingLots: ev.remainingLots,
      priority: ev.priority,
      priceTicks: ev.priceTicks,
      filledLots: prev?.filledLots ?? (0 as Lots),
    });
    if (ev.side === 'sell' && ev.cancelledLots > 0) add(onOfferLots, ev.orgId, -ev.cancelledLots);
  }
  for (const t of x.result.trades) {
    for (const id of [t.buyOrderId, t.sellOrderId]) {
      const c = changes.get(id);
      if (!c) throw new Error(`trade ${t.makerOrderId}/${t.takerOrderId} without an event for order ${id}`);
      c.filledLots = (c.filledLots + t.lots) as Lots;
    }
    add(onOfferLots, t.sellOrgId, -t.lots);
    add(reservedLots, t.sellOrgId, t.lots);
  }

  let inserted: OrderRow | null = null;
  if (x.newOrder) {
    const c = changes.get(x.newOrder.id);
    if (!c) throw new Error(`no event for the incoming order ${x.newOrder.id}`);
    inserted = {
      ...x.newOrder,
      status: c.status,
      statusReason: c.reason,
      remainingLots: c.remainingLots,
      filledLots: c.filledLots,
      priority: c.priority,
      priceTicks: c.priceTicks,
      updatedAt: x.nowIso,
    };
    // An order that ends its own command closed (an IOC or FOK, filled or not) is never read or
    // changed again in its batch: its row goes with the batch's other appended rows (deferred-rows.ts).
    const closed = inserted.status !== 'open';
    if (!(closed && insertLater(trx, 'orders', inserted))) await insertOrder.run(trx, inserted);
  }
  for (const [id, c] of changes) {
    if (id === x.newOrder?.id) continue;
    await updateOrder.run(trx, [id, c.status, c.reason, c.remainingLots, c.priority, c.priceTicks, c.filledLots, x.nowIso]);
  }

  const encumbered = [...new Set([...onOfferLots.keys(), ...reservedLots.keys()])];
  for (const orgId of encumbered) {
    await adjustEncumbrance(
      trx,
      x.fund.id,
      orgId,
      lotSize.times(new Dec(String(onOfferLots.get(orgId) ?? 0))),
      lotSize.times(new Dec(String(reservedLots.get(orgId) ?? 0))),
    );
  }

  const trades: TradeRow[] = [];
  if (x.result.trades.length) {
    const nav = await latestNavReport(trx, x.fund.id);
    // The pre-trade checks refuse orders in a fund without a NAV report; reaching here without one is a
    // bug, and a plain Error aborts the whole batch (an AppError here would commit half the effects).
    if (!nav) throw new Error(`fund ${x.fund.id} has no NAV report, yet it traded`);
    const fundNav = new Dec(nav.nav);
    if (!fundNav.gt(ZERO)) throw new Error(`fund ${x.fund.id}'s latest NAV is not positive, yet it traded`);
    const totalCommitment = new Dec(x.fund.totalCommitment);
    const perCommitment = navPerCommitment(fundNav, totalCommitment); // shown on the trade; amounts come from the fund's figures
    const nowMs = Date.parse(x.nowIso);
    for (const t of x.result.trades) {
      const pricePct = ticksToPct(t.priceTicks as Ticks);
      const quantity = lotSize.times(new Dec(String(t.lots)));
      const row: TradeRow = {
        id: bookId(nowMs),
        fundId: x.fund.id,
        venue: 'book',
        pricePct,
        quantity: quantity.toFixed(0),
        consideration: consideration(new Dec(pricePct), fundNav, totalCommitment, quantity).toFixed(2),
        navPerCommitment: perCommitment.toFixed(8),
        navReferenceDate: nav.referenceDate,
        buyOrderId: t.buyOrderId,
        sellOrderId: t.sellOrderId,
        buyerOrgId: t.buyOrgId,
        sellerOrgId: t.sellOrgId,
        listingId: null,
        transferId: null,
        fundSeq: x.fundSeq,
        executedAt: x.nowIso,
      };
      await insertTrade.run(trx, row);
      row.transferId = await x.onTrade(trx, row, x.fund);
      await setTradeTransfer.run(trx, [row.id, row.transferId]);
      trades.push(row);
    }
    await summariseTrades(trx, trades);
  }
  return { trades, changed: changes, inserted, encumbered };
}

async function adjustEncumbrance(trx: Tx, fundId: string, orgId: string, onOfferDelta: Decimal, reservedDelta: Decimal): Promise<void> {
  const p = await encumbranceOf.first(trx, [fundId, orgId]);
  if (!p) {
    if (!onOfferDelta.eq('0') || !reservedDelta.eq('0')) throw new Error(`encumbrance change for ${orgId} in ${fundId} without a position`);
    return;
  }
  const onOffer = new Dec(p.onOffer).plus(onOfferDelta);
  const reserved = new Dec(p.reserved).plus(reservedDelta);
  if (onOffer.lt('0') || reserved.lt('0') || onOffer.plus(reserved).gt(p.commitment))
    throw new Error(
      `encumbrance of ${orgId} in ${fundId} out of range: on offer ${onOffer}, reserved ${reserved}, commitment ${p.commitment}`,
    );
  await setEncumbrance.run(trx, [fundId, orgId, onOffer.toFixed(2), reserved.toFixed(2)]);
}
