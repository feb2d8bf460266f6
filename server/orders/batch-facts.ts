/**
 * What a batch of orders reads once for all its orders and keeps until one of them changes it
 * (batch-reads.ts): positions and last trades (the rulebook's facts, rules/facts.ts) and open-order
 * counts, read ahead in a few statements; and what each recorded command makes the later ones read again.
 */
import type { Tx } from '../../db/database';
import { factsOfFund, positionKey, readFactsAhead } from '../rules/facts';
import { forgetReads, keepRead } from './batch-reads';
import type { Effects } from './book-effects';
import type { CommandResult } from './engine';

/** An organisation's open orders, kept for the batch until one of its orders opens or closes (batch-reads.ts). */
export const openOrdersKey = (orgId: string) => `open-orders|${orgId}|`;

/** What a batch's new orders will check (positions, last trades, open orders), read in four statements for all of them. */
export async function readOrderFactsAhead(trx: Tx, items: unknown[]): Promise<void> {
  const orders = items as { fundId: string; orgId: string; side: 'buy' | 'sell' }[];
  const pairs = [...new Map(orders.map((p) => [`${p.fundId}|${p.orgId}|${p.side}`, p])).values()];
  const keep = (key: string, value: unknown) => keepRead(trx, key, value);
  await readFactsAhead(trx, pairs, keep);
  const orgs = [...new Set(pairs.map((p) => p.orgId))];
  const counts = await trx
    .selectFrom('orders')
    .select(['orgId', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('orgId', 'in', orgs)
    .where('status', '=', 'open')
    .groupBy('orgId')
    .execute();
  for (const orgId of orgs) keep(openOrdersKey(orgId), { n: counts.find((c) => c.orgId === orgId)?.n ?? 0 });
}

/**
 * Forgets the batch's kept reads this command's writes changed: the positions of every organisation
 * with an order in its events (encumbrances), all of the fund's facts after a trade (the transfer it
 * opens may write more), and the open-order count of an organisation whose order opened or closed.
 */
export function forgetChangedReads(trx: Tx, fundId: string, result: CommandResult<string>, effects: Effects): void {
  const forget = new Set<string>();
  if (result.trades.length) forget.add(factsOfFund(fundId));
  for (const ev of result.events) {
    forget.add(positionKey(fundId, ev.orgId));
    const isNew = ev.orderId === effects.inserted?.id;
    const status = isNew ? effects.inserted?.status : effects.changed.get(ev.orderId)?.status;
    // A new order that rests adds one; a resting (open) order that filled, was cancelled or expired removes one.
    if (isNew ? status === 'open' : status !== 'open') forget.add(openOrdersKey(ev.orgId));
  }
  forgetReads(trx, forget);
}
