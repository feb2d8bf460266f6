/**
 * What a batch of orders reads once for all its orders and keeps until one of them changes it
 * (batch-reads.ts): positions and last trades (the rulebook's facts, rules/facts.ts) and open-order
 * counts, read ahead in a few statements; and what each recorded command makes the later ones read again.
 */
import { prepared } from '../../db/prepared';
import { together } from '../../db/together';
import type { DbEngine, Tx } from '../../db/database';
import { OPEN_STATUS } from '../../db/schema';
import { readStreamHeadsAhead } from '../audit/audit-log';
import { fundStream } from '../audit/streams';
import { factsOfFund, investorCounts, investorsKey, positionKey, qualificationsKey, readFactsAhead } from '../rules/facts';
import type { QualificationRecord } from '../../shared/rules';
import { forgetReads, keepForBatch, keepRead } from './batch-reads';
import type { Effects } from './book-effects';
import type { CommandResult } from './engine';

/**
 * What every command of a batch reads of its funds, in two statements for all of them, under the
 * batch's fund locks: the fund (open funds only) with whether it has a NAV report and its book's
 * committed sequence, kept for the batch (readOncePerBatch); and the heads of the funds' audit streams.
 */
export async function readFundsAhead(trx: Tx, engine: Pick<DbEngine, 'lock'>, fundIds: readonly string[]): Promise<void> {
  const ids = [...new Set(fundIds)];
  if (!ids.length) return;
  // The heads are read beside the funds (DbEngine.batchTransaction: one round trip for both).
  const [rows] = await together([readFunds(trx, ids), readStreamHeadsAhead(trx, engine, ids.map(fundStream))]);
  for (const id of ids) {
    const row = rows.find((f) => f.id === id);
    if (!row) {
      // Not an open fund: its commands are refused (NOT_FOUND) before they read its NAV or book.
      keepForBatch(trx, fundKey(id), undefined);
      continue;
    }
    const { latestNav, bookSeq, ...fund } = row;
    keepForBatch(trx, fundKey(id), fund);
    keepForBatch(trx, navKey(id), latestNav == null ? undefined : { nav: latestNav });
    keepForBatch(trx, bookSeqKey(id), bookSeq ?? 0);
  }
}

/** Open funds with the NAV of their latest report and their book's committed sequence. */
const openFundsWithNavAndSeq = prepared(1, (db, $) =>
  db
    .selectFrom('funds')
    .selectAll('funds')
    .select((eb) => [
      eb
        .selectFrom('navReports')
        .select('navReports.nav')
        .whereRef('navReports.fundId', '=', 'funds.id')
        .orderBy('navReports.referenceDate', 'desc')
        .limit(1)
        .as('latestNav'),
      eb.selectFrom('bookState').select('bookState.seq').whereRef('bookState.fundId', '=', 'funds.id').as('bookSeq'),
    ])
    .where('funds.id', 'in', $.each(0))
    .where('funds.state', '=', 'open'),
);
const readFunds = (trx: Tx, ids: readonly string[]) => openFundsWithNavAndSeq.all(trx, [ids]);

/** Keys of readOncePerBatch for a fund's row, its NAV report's presence and its book's committed sequence. */
export const fundKey = (fundId: string) => `fund:${fundId}`;
export const navKey = (fundId: string) => `nav:${fundId}`;
export const bookSeqKey = (fundId: string) => `book-seq:${fundId}`;
/** Key of readOncePerBatch for an organisation's row (its state-owned flag); no order command changes it. */
export const orgKey = (orgId: string) => `org:${orgId}`;

/** An organisation's open orders, kept for the batch until one of its orders opens or closes (batch-reads.ts). */
export const openOrdersKey = (orgId: string) => `open-orders|${orgId}|`;

/**
 * What a batch's new orders will check (positions, last trades, open orders, the organisations' flags
 * and qualifications, the investors of the funds they bid for), read in six statements for all of them,
 * started together: each read a command made on its own was a round trip its batch waited for (PostgreSQL).
 */
export async function readOrderFactsAhead(trx: Tx, items: unknown[]): Promise<void> {
  const orders = items as { fundId: string; orgId: string; side: 'buy' | 'sell' }[];
  const pairs = [...new Map(orders.map((p) => [`${p.fundId}|${p.orgId}|${p.side}`, p])).values()];
  const keep = (key: string, value: unknown) => keepRead(trx, key, value);
  const orgs = [...new Set(pairs.map((p) => p.orgId))];
  // A buyer new to its fund checks the fund's investor cap (pre-trade checks); counting for every bid costs nothing more.
  const bidFunds = [...new Set(pairs.filter((p) => p.side === 'buy').map((p) => p.fundId))];
  // All independent, started together (DbEngine.batchTransaction: one round trip for the lot).
  const [, counts, eligibility, investors] = await together([
    readFactsAhead(trx, pairs, keep),
    readOpenOrderCounts(trx, orgs),
    readEligibility(trx, orgs),
    bidFunds.length ? investorCounts.all(trx, [bidFunds]) : Promise.resolve([]),
  ]);
  // Kept as readInvestorCount keeps it: once per batch.
  for (const fundId of bidFunds) keepForBatch(trx, investorsKey(fundId), { n: investors.find((r) => r.fundId === fundId)?.n ?? 0 });
  for (const orgId of orgs) keep(openOrdersKey(orgId), { n: counts.find((c) => c.orgId === orgId)?.n ?? 0 });
  for (const orgId of orgs) {
    const rows = eligibility.filter((r) => r.orgId === orgId);
    keepForBatch(trx, orgKey(orgId), rows[0] ? { stateOwned: rows[0].stateOwned } : undefined);
    const records: QualificationRecord[] = [];
    for (const r of rows) {
      const { netAssets, financialAssets, minNetAssets, minFinancialAssets, qualifiedAt, expiresAt } = r;
      // A left join's empty side: the organisation has no record.
      if (netAssets === null || financialAssets === null || minNetAssets === null || minFinancialAssets === null) continue;
      if (qualifiedAt === null || expiresAt === null) continue;
      records.push({ netAssets, financialAssets, minNetAssets, minFinancialAssets, qualifiedAt, expiresAt });
    }
    keepForBatch(trx, qualificationsKey(orgId), records);
  }
}

export const openOrderCounts = prepared(1, (db, $) =>
  db
    .selectFrom('orders')
    .select(['orgId', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('orgId', 'in', $.each(0))
    .where('status', '=', OPEN_STATUS)
    .groupBy('orgId'),
);
const readOpenOrderCounts = (trx: Tx, orgs: readonly string[]) => openOrderCounts.all(trx, [orgs]);

/** The organisations' state-owned flags and qualification records (neither changes in an order batch), in one statement. */
const eligibilityOf = prepared(1, (db, $) =>
  db
    .selectFrom('organisations')
    .leftJoin('qualifications', 'qualifications.orgId', 'organisations.id')
    .select([
      'organisations.id as orgId',
      'organisations.stateOwned',
      'qualifications.netAssets',
      'qualifications.financialAssets',
      'qualifications.minNetAssets',
      'qualifications.minFinancialAssets',
      'qualifications.qualifiedAt',
      'qualifications.expiresAt',
    ])
    .where('organisations.id', 'in', $.each(0)),
);
const readEligibility = (trx: Tx, orgs: readonly string[]) => eligibilityOf.all(trx, [orgs]);

/**
 * Forgets the batch's kept reads this command's writes changed: the positions whose encumbrances it
 * wrote (sells offered, cancelled or filled; a buy that does not trade writes none), all of the fund's
 * facts after a trade (the transfer it opens may write more), and the open-order count of an
 * organisation whose order opened or closed. Forgetting more than that costs a round trip per later
 * order of the batch (PostgreSQL), which is what a batch of buys once paid for every order.
 */
export function forgetChangedReads(trx: Tx, fundId: string, result: CommandResult<string>, effects: Effects): void {
  const forget = new Set<string>();
  if (result.trades.length) forget.add(factsOfFund(fundId));
  for (const orgId of effects.encumbered) forget.add(positionKey(fundId, orgId));
  for (const ev of result.events) {
    const isNew = ev.orderId === effects.inserted?.id;
    const status = isNew ? effects.inserted?.status : effects.changed.get(ev.orderId)?.status;
    // A new order that rests adds one; a resting (open) order that filled, was cancelled or expired removes one.
    if (isNew ? status === 'open' : status !== 'open') forget.add(openOrdersKey(ev.orgId));
  }
  forgetReads(trx, forget);
}
