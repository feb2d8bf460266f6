/**
 * What a batch of orders reads once for all its orders and keeps until one of them changes it
 * (batch-reads.ts): positions and last trades (the rulebook's facts, rules/facts.ts) and open-order
 * counts, read ahead in a few statements; and what each recorded command makes the later ones read again.
 */
import type { DbEngine, Tx } from '../../db/database';
import { readStreamHeadsAhead } from '../audit/audit-log';
import { fundStream } from '../audit/streams';
import { factsOfFund, positionKey, readFactsAhead } from '../rules/facts';
import { forgetReads, keepForBatch, keepRead } from './batch-reads';
import type { Effects } from './book-effects';
import type { CommandResult } from './engine';

/**
 * What every command of a batch reads of its funds, in three statements for all of them, under the
 * batch's fund locks: the fund (open funds only), whether it has a NAV report, and its book's committed
 * sequence, kept for the batch (readOncePerBatch); and the heads of the funds' audit streams.
 */
export async function readFundsAhead(trx: Tx, engine: Pick<DbEngine, 'lock'>, fundIds: readonly string[]): Promise<void> {
  const ids = [...new Set(fundIds)];
  if (!ids.length) return;
  const funds = await trx.selectFrom('funds').selectAll().where('id', 'in', ids).where('state', '=', 'open').execute();
  const navs = await trx
    .selectFrom('navReports')
    .select(['fundId', (eb) => eb.fn.min('id').as('id')])
    .where('fundId', 'in', ids)
    .groupBy('fundId')
    .execute();
  const states = await trx.selectFrom('bookState').select(['fundId', 'seq']).where('fundId', 'in', ids).execute();
  for (const id of ids) {
    keepForBatch(
      trx,
      fundKey(id),
      funds.find((f) => f.id === id),
    );
    const nav = navs.find((n) => n.fundId === id);
    keepForBatch(trx, navKey(id), nav ? { id: nav.id } : undefined);
    keepForBatch(trx, bookSeqKey(id), states.find((b) => b.fundId === id)?.seq ?? 0);
  }
  await readStreamHeadsAhead(trx, engine, ids.map(fundStream));
}

/** Keys of readOncePerBatch for a fund's row, its NAV report's presence and its book's committed sequence. */
export const fundKey = (fundId: string) => `fund:${fundId}`;
export const navKey = (fundId: string) => `nav:${fundId}`;
export const bookSeqKey = (fundId: string) => `book-seq:${fundId}`;

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
