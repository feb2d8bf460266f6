/** Reads of orders and trades that need no book: they run on whichever connection the caller holds (the HTTP side's, or a batch's). */
import type { Db, Tx } from '../../db/database';
import { OPEN_STATUS, type TradeRow } from '../../db/schema';
import { AppError } from '../commands/errors';
import type { PublicTradeView } from './order-desk';
import { toOrderView, type OrderView } from './order-views';

export async function listOrders(db: Db, orgId: string, status: string | undefined): Promise<OrderView[]> {
  let q = db
    .selectFrom('orders')
    .innerJoin('funds', 'funds.id', 'orders.fundId')
    .selectAll('orders')
    .select('funds.lotSize')
    .where('orders.orgId', '=', orgId)
    .orderBy('orders.createdAt', 'desc')
    .limit(1000);
  // Open orders through their partial index (OPEN_STATUS); any other status through the organisation's orders.
  if (status) q = q.where('orders.status', '=', status === 'open' ? OPEN_STATUS : (status as never));
  return (await q.execute()).map((r) => toOrderView(r, r.lotSize));
}

export async function fundTrades(db: Db, fundId: string, limit: number): Promise<PublicTradeView[]> {
  const fund = await db.selectFrom('funds').select('id').where('id', '=', fundId).where('state', '=', 'open').executeTakeFirst();
  if (!fund) throw new AppError('NOT_FOUND', `fund ${fundId} not found`);
  const rows = await db
    .selectFrom('trades')
    .selectAll()
    .where('fundId', '=', fundId)
    .orderBy('executedAt', 'desc')
    .orderBy('fundSeq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((t) => ({
    id: t.id,
    venue: t.venue,
    pricePct: t.pricePct,
    quantity: t.quantity,
    consideration: t.consideration,
    executedAt: t.executedAt,
  }));
}

/**
 * The trades and touched orders of each fund's commands after its sequence `seq` (what another process
 * committed, PostgreSQL), in two statements for all of them; in the caller's transaction, which must read one
 * committed state (it holds the funds' locks, or reads one REPEATABLE READ snapshot).
 */
export async function committedAfter(
  trx: Tx,
  after: readonly { fundId: string; seq: number }[],
): Promise<Map<string, { trades: TradeRow[]; orderIds: string[] }>> {
  const trades = await trx
    .selectFrom('trades')
    .selectAll()
    .where((eb) => eb.or(after.map((a) => eb.and([eb('fundId', '=', a.fundId), eb('fundSeq', '>', a.seq)]))))
    .orderBy('fundSeq')
    .execute();
  const journal = await trx
    .selectFrom('bookJournal')
    .select(['fundId', 'orderId'])
    .where((eb) => eb.or(after.map((a) => eb.and([eb('fundId', '=', a.fundId), eb('seq', '>', a.seq)]))))
    .execute();
  const out = new Map<string, { trades: TradeRow[]; orderIds: string[] }>();
  for (const { fundId } of after) {
    const orderIds = new Set<string>();
    for (const j of journal) if (j.fundId === fundId && j.orderId) orderIds.add(j.orderId);
    const own = trades.filter((t) => t.fundId === fundId);
    for (const t of own) for (const id of [t.buyOrderId, t.sellOrderId]) if (id) orderIds.add(id);
    out.set(fundId, { trades: own, orderIds: [...orderIds] });
  }
  return out;
}
