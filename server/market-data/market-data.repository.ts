/**
 * The database reads behind the public market data: trades summed per fund, venue and Beijing day
 * (in SQL, so that 100,000 trades come back as a few thousand rows), completed transfers' dates,
 * funds, and the listings an announcement may concern.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { Strategy } from '../../db/schema';
import { addCalendarDays, beijingDate } from '../../shared/calendar';
import type { Listing } from '../listings/domain';
import type { Completion, DailyTrades, Venue } from './domain/market-figures';

interface DayRow { fundId: string; venue: Venue; utcDay: string; late: number | boolean; deals: number | string; cfen: string; navfen: string }

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
    from trades group by fund_id, venue, substr(executed_at, 1, 10), case when substr(executed_at, 12, 2) >= '16' then 1 else 0 end`.execute(db);
  return r.rows.map((row) => ({
    fundId: row.fundId, venue: row.venue, date: Number(row.late) ? addCalendarDays(row.utcDay, 1) : row.utcDay,
    deals: Number(row.deals), considerationFen: row.cfen, navTransferredFen: row.navfen,
  }));
}

/** The trade and completion dates of every completed transfer (a completed transfer is never updated again). */
export async function completions(db: Db): Promise<Completion[]> {
  const rows = await db.selectFrom('transfers').innerJoin('trades', 'trades.id', 'transfers.tradeId')
    .select(['trades.executedAt', 'transfers.updatedAt']).where('transfers.state', '=', 'completed').execute();
  return rows.map((r) => ({ tradeDate: beijingDate(Date.parse(r.executedAt)), completedDate: beijingDate(Date.parse(r.updatedAt)) }));
}

/** What changes when a trade or a completion is added: trades are never deleted and a completion is final. */
export async function marketFingerprint(db: Db): Promise<string> {
  const t = await db.selectFrom('trades').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
  const c = await db.selectFrom('transfers').select((eb) => eb.fn.countAll<string | number>().as('n')).where('state', '=', 'completed').executeTakeFirstOrThrow();
  return `${t.n}:${c.n}`;
}

export interface PublicFund { id: string; name: string; strategy: Strategy; vintage: number; totalCommitment: string }

export async function publicFunds(db: Db): Promise<PublicFund[]> {
  return db.selectFrom('funds').select(['id', 'name', 'strategy', 'vintage', 'totalCommitment']).orderBy('id').execute();
}

/** Listings that were ever approved (an announcement needs a disclosure or an award). */
export async function announceableListings(db: Db): Promise<Listing[]> {
  const rows = await db.selectFrom('listings').select('data')
    .where('state', 'not in', ['draft', 'submitted', 'reviewed', 'rejected']).orderBy('createdAt', 'desc').orderBy('id').limit(1000).execute();
  return rows.map((r) => JSON.parse(r.data) as Listing);
}
