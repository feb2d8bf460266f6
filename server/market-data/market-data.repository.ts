/**
 * The database reads behind the public market data: the per-day summary of trades and completions
 * (so that 100,000 trades come back as a few thousand rows), funds, and the listings an announcement
 * may concern.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { Strategy } from '../../db/schema';
import type { Listing } from '../listings/domain';
import type { DailyTrades } from './domain/market-figures';
import { parseListing } from '../listings/stored-listing';

/**
 * The trades summed per Beijing date, venue and fund, as kept in the trades' own transactions
 * (market-summary.ts, migration 0015): a few thousand rows however many trades. Fen sums are read as
 * text (SQLite would return a number) and stay exact.
 */
export async function tradesByDay(db: Db): Promise<DailyTrades[]> {
  return db
    .selectFrom('marketDays')
    .select([
      'fundId',
      'venue',
      'date',
      'deals',
      sql<string>`cast(consideration_fen as text)`.as('considerationFen'),
      sql<string>`cast(nav_transferred_fen as text)`.as('navTransferredFen'),
    ])
    .execute();
}

/**
 * Completed transfers of the trades dated `from`..`to` (Beijing dates, inclusive) by whole calendar days
 * to completion, summed in SQL over the summary (market-summary.ts): a few dozen rows.
 */
export async function completionDurations(db: Db, from: string, to: string): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('marketCompletions')
    .select(['days', sql<string>`cast(sum(count) as text)`.as('n')])
    .where('tradeDate', '>=', from)
    .where('tradeDate', '<=', to)
    .groupBy('days')
    .execute();
  return new Map(rows.map((r) => [Number(r.days), Number(r.n)]));
}

/** What changes when a trade or a completion is added: trades are never deleted and a completion is final. */
export async function marketFingerprint(db: Db): Promise<string> {
  const r = await sql<{ trades: number | string; completed: number | string }>`
    select (select count(*) from trades) as trades, (select count(*) from transfers where state = 'completed') as completed`.execute(db);
  return `${r.rows[0]!.trades}:${r.rows[0]!.completed}`;
}

export interface PublicFund {
  id: string;
  name: string;
  nameEn: string;
  strategy: Strategy;
  vintage: number;
  totalCommitment: string;
}

export async function publicFunds(db: Db): Promise<PublicFund[]> {
  return db.selectFrom('funds').select(['id', 'name', 'nameEn', 'strategy', 'vintage', 'totalCommitment']).orderBy('id').execute();
}

/** Listings that were ever approved (an announcement needs a disclosure or an award). */
export async function announceableListings(db: Db): Promise<Listing[]> {
  const rows = await db
    .selectFrom('listings')
    .select('data')
    .where('state', 'not in', ['draft', 'submitted', 'reviewed', 'rejected'])
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .limit(1000)
    .execute();
  return rows.map((r) => parseListing(r.data));
}
