/** Reads of orders and trades that need no book: they run on whichever connection the caller holds (the HTTP side's). */
import type { Db } from '../../db/database';
import { OPEN_STATUS } from '../../db/schema';
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
