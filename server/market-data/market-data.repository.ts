/**
 * The database reads behind the public market data: trades summed per fund, venue and Beijing day
 * (in SQL, so that 100,000 trades come back as a few thousand rows), completed transfers' dates,
 * funds, and the listings an announcement may concern.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { Strategy } from '../../db/schema';
import { addCalendarDays, toDayNumber } from '../../shared/calendar';
import type { Listing } from '../listings/domain';
import type { Completions, DailyTrades, Venue } from './domain/market-figures';
import { parseListing } from '../listings/stored-listing';

interface DayRow {
  fundId: string;
  venue: Venue;
  utcDay: string;
  late: number | boolean;
  deals: number | string;
  cfen: string;
  navfen: string;
}

/**
 * Exact integer fen: consideration and pricePct are stored with exactly 2 decimals, so dropping the
 * point gives fen and basis points. NAV transferred = consideration × 100 ÷ pricePct, half-up to the
 * fen per trade: floor((fen × 20000 + bp) ÷ (2 × bp)) in integer arithmetic (both engines truncate).
 * A Beijing day is the UTC day, or the next one from 16:00 UTC on.
 */
export async function tradesByDay(db: Db): Promise<DailyTrades[]> {
  const fen = sql`cast(replace(consideration, '.', '') as bigint)`;
  const bp = sql`cast(replace(price_pct, '.', '') as bigint)`;
  const r = await sql<DayRow>`
    select fund_id, venue, substr(executed_at, 1, 10) as utc_day,
      case when substr(executed_at, 12, 2) >= '16' then 1 else 0 end as late, count(*) as deals,
      cast(sum(${fen}) as text) as cfen, cast(sum((${fen} * 20000 + ${bp}) / (2 * ${bp})) as text) as navfen
    from trades
    group by fund_id, venue, substr(executed_at, 1, 10), case when substr(executed_at, 12, 2) >= '16' then 1 else 0 end`.execute(db);
  return r.rows.map((row) => ({
    fundId: row.fundId,
    venue: row.venue,
    date: beijingDay(row.utcDay, row.late),
    deals: Number(row.deals),
    considerationFen: row.cfen,
    navTransferredFen: row.navfen,
  }));
}

interface CompletionRow {
  tradeDay: string;
  tradeLate: number | boolean;
  doneDay: string;
  doneLate: number | boolean;
  n: number | string;
}

/** A Beijing date from a UTC day and whether the instant was at or after 16:00 UTC. */
const beijingDay = (utcDay: string, late: number | boolean): string => (Number(late) ? addCalendarDays(utcDay, 1) : utcDay);

/**
 * Completed transfers counted by the Beijing dates of their trade (a transfer opens at its trade's
 * instant: opened_at = the trade's executed_at) and of their completion (a completed transfer is
 * never updated again, so its updated_at is when it completed). No join: the state index suffices.
 */
export async function completions(db: Db): Promise<Completions[]> {
  const late = (col: string) => sql`case when substr(${sql.ref(col)}, 12, 2) >= '16' then 1 else 0 end`;
  const r = await sql<CompletionRow>`
    select substr(opened_at, 1, 10) as trade_day, ${late('opened_at')} as trade_late,
      substr(updated_at, 1, 10) as done_day, ${late('updated_at')} as done_late, count(*) as n
    from transfers where state = 'completed'
    group by substr(opened_at, 1, 10), ${late('opened_at')}, substr(updated_at, 1, 10), ${late('updated_at')}`.execute(db);
  return r.rows.map((row) => {
    const tradeDate = beijingDay(row.tradeDay, row.tradeLate);
    return { tradeDate, days: toDayNumber(beijingDay(row.doneDay, row.doneLate)) - toDayNumber(tradeDate), count: Number(row.n) };
  });
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
  strategy: Strategy;
  vintage: number;
  totalCommitment: string;
}

export async function publicFunds(db: Db): Promise<PublicFund[]> {
  return db.selectFrom('funds').select(['id', 'name', 'strategy', 'vintage', 'totalCommitment']).orderBy('id').execute();
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
