/**
 * The public market data's per-day summary (issue #15), so that the index and statistics read a few
 * thousand summary rows instead of every trade. Kept in the same transaction as each trade and each
 * transfer completion (server/market-data/market-summary.ts); this migration creates the tables and
 * fills them from the trades and completed transfers already stored.
 *
 * market_days: per Beijing date × venue × fund, the deals, Σ consideration in fen and Σ NAV
 * transferred in fen (each trade's rounded half-up to the fen). market_completions: completed
 * transfers per Beijing date of their trade and whole calendar days to completion.
 * Frozen in time: Kysely<any>.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('market_days')
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('venue', 'text', (c) => c.notNull())
    .addColumn('fund_id', 'text', (c) => c.notNull())
    .addColumn('deals', 'integer', (c) => c.notNull())
    .addColumn('consideration_fen', 'bigint', (c) => c.notNull())
    .addColumn('nav_transferred_fen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('market_days_pk', ['date', 'venue', 'fund_id'])
    .execute();
  await db.schema
    .createTable('market_completions')
    .addColumn('trade_date', 'text', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('market_completions_pk', ['trade_date', 'days'])
    .execute();
  await backfillMarketSummary(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('market_completions').execute();
  await db.schema.dropTable('market_days').execute();
}

const DAY_MS = 86_400_000;
/** The Beijing date of a stored UTC instant: the UTC day, or the next one from 16:00 UTC on. */
const beijingDay = (utcDay: string, late: unknown): string =>
  Number(late) ? new Date(Date.parse(`${utcDay}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10) : utcDay;
const late = (col: string) => sql`case when substr(${sql.ref(col)}, 12, 2) >= '16' then 1 else 0 end`;

/**
 * Fills both (empty) tables from the trades and completed transfers. Exact integer fen: consideration
 * and pricePct are stored with exactly 2 decimals, so dropping the point gives fen and basis points;
 * NAV transferred = floor((fen × 20000 + bp) ÷ (2 × bp)) per trade (both engines truncate).
 * Exported for the market benchmark, which writes its 100,000 trades around the services.
 */
export async function backfillMarketSummary(db: Kysely<any>): Promise<void> {
  const fen = sql`cast(replace(consideration, '.', '') as bigint)`;
  const bp = sql`cast(replace(price_pct, '.', '') as bigint)`;
  const trades = await sql<{
    fund_id: string;
    venue: string;
    utc_day: string;
    late: unknown;
    deals: unknown;
    cfen: string;
    navfen: string;
  }>`
    select fund_id, venue, substr(executed_at, 1, 10) as utc_day, ${late('executed_at')} as late, count(*) as deals,
      cast(sum(${fen}) as text) as cfen, cast(sum((${fen} * 20000 + ${bp}) / (2 * ${bp})) as text) as navfen
    from trades group by fund_id, venue, substr(executed_at, 1, 10), ${late('executed_at')}`.execute(db.withoutPlugins());
  const days = new Map<string, { date: string; venue: string; fund_id: string; deals: number; c: bigint; nav: bigint }>();
  for (const r of trades.rows) {
    const date = beijingDay(r.utc_day, r.late);
    const key = `${date}|${r.venue}|${r.fund_id}`;
    const d = days.get(key) ?? { date, venue: r.venue, fund_id: r.fund_id, deals: 0, c: 0n, nav: 0n };
    d.deals += Number(r.deals);
    d.c += BigInt(r.cfen);
    d.nav += BigInt(r.navfen);
    days.set(key, d);
  }
  const done = await sql<{ trade_day: string; trade_late: unknown; done_day: string; done_late: unknown; n: unknown }>`
    select substr(opened_at, 1, 10) as trade_day, ${late('opened_at')} as trade_late,
      substr(updated_at, 1, 10) as done_day, ${late('updated_at')} as done_late, count(*) as n
    from transfers where state = 'completed'
    group by substr(opened_at, 1, 10), ${late('opened_at')}, substr(updated_at, 1, 10), ${late('updated_at')}`.execute(db.withoutPlugins());
  const completions = new Map<string, { trade_date: string; days: number; count: number }>();
  for (const r of done.rows) {
    const tradeDate = beijingDay(r.trade_day, r.trade_late);
    const n = (Date.parse(beijingDay(r.done_day, r.done_late)) - Date.parse(tradeDate)) / DAY_MS;
    const key = `${tradeDate}|${n}`;
    const c = completions.get(key) ?? { trade_date: tradeDate, days: n, count: 0 };
    c.count += Number(r.n);
    completions.set(key, c);
  }
  const plain = db.withoutPlugins();
  const dayRows = [...days.values()].map((d) => ({
    date: d.date,
    venue: d.venue,
    fund_id: d.fund_id,
    deals: d.deals,
    consideration_fen: d.c.toString(),
    nav_transferred_fen: d.nav.toString(),
  }));
  for (let i = 0; i < dayRows.length; i += 500)
    await plain
      .insertInto('market_days')
      .values(dayRows.slice(i, i + 500))
      .execute();
  const doneRows = [...completions.values()];
  for (let i = 0; i < doneRows.length; i += 500)
    await plain
      .insertInto('market_completions')
      .values(doneRows.slice(i, i + 500))
      .execute();
}
