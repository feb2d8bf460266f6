/**
 * The S-market price index and market statistics (api.md, "Public announcements and market data"),
 * computed from daily aggregates of trades. Pure: no I/O, no clock; `today` comes in as an argument.
 *
 * Money is exact: a day's consideration and NAV transferred arrive as integer fen strings. A trade's
 * NAV transferred is its consideration ÷ its pricePct × 100, rounded half-up to the fen per trade
 * (the database sums those fen, so that one trade's figure never depends on how trades are grouped).
 * pctOfNav = 100 × Σ consideration ÷ Σ NAV transferred, rounded half-even to 2 decimals (the rounding
 * the exchange uses for statistics).
 */
import { Dec, HUNDRED, Rounding, ZERO, type Decimal } from '../../../shared/decimal';
import { addCalendarDays, toDayNumber } from '../../../shared/calendar';
import type { Strategy } from '../../../db/schema';

export type Venue = 'book' | 'listing';

/** The trades of one fund on one venue on one Beijing calendar day. */
export interface DailyTrades {
  fundId: string;
  venue: Venue;
  /** Beijing date YYYY-MM-DD. */
  date: string;
  deals: number;
  /** Σ consideration in fen (integer string). */
  considerationFen: string;
  /** Σ NAV transferred in fen (integer string), each trade's rounded half-up to the fen. */
  navTransferredFen: string;
}

export interface FundFacts {
  id: string;
  strategy: Strategy;
  vintage: number;
}

export interface IndexFilter {
  strategy?: Strategy;
  vintageFrom?: number;
  vintageTo?: number;
}

export interface IndexPoint {
  month: string;
  pctOfNav: string;
  deals: number;
  volume: string;
  daysSinceLastDeal: number;
}

export interface VenueFigures {
  deals: number;
  volume: string;
}
export interface StrategyFigures {
  deals: number;
  volume: string;
  pctOfNav: string | null;
}

export interface MarketStats {
  deals: number;
  volume: string;
  /** Median of whole Beijing calendar days from trade to transfer completion; null when none completed. */
  medianDaysToComplete: number | null;
  byVenue: Record<Venue, VenueFigures>;
  byStrategy: Record<string, StrategyFigures>;
}

const fenToYuan = (fen: Decimal): string => fen.div(HUNDRED).toFixed(2);
/** Integer fen sums are added as bigint (exact, and cheaper than big.js over thousands of day rows). */
const dec = (fen: bigint): Decimal => new Dec(fen.toString());

/** 100 × consideration ÷ NAV transferred, half-even to 2 decimals; null without NAV transferred. */
export function pctOfNav(considerationFen: Decimal, navTransferredFen: Decimal): string | null {
  if (navTransferredFen.lte(ZERO)) return null;
  return considerationFen.times(HUNDRED).div(navTransferredFen).round(2, Rounding.HALF_EVEN).toFixed(2);
}

/** A trade's NAV transferred in fen: consideration ÷ pricePct × 100, half-up to the fen (what the SQL computes). */
export function navTransferredFen(considerationFen: Decimal, pricePct: Decimal): Decimal {
  return considerationFen.times(HUNDRED).div(pricePct).round(0, Rounding.HALF_UP);
}

const nextMonth = (month: string): string => {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
const lastDayOfMonth = (month: string): string => addCalendarDays(`${nextMonth(month)}-01`, -1);

export function matchesFilter(f: FundFacts, filter: IndexFilter): boolean {
  if (filter.strategy && f.strategy !== filter.strategy) return false;
  if (filter.vintageFrom !== undefined && f.vintage < filter.vintageFrom) return false;
  if (filter.vintageTo !== undefined && f.vintage > filter.vintageTo) return false;
  return true;
}

/**
 * One point per calendar month from the first month with a deal to the month of `today` (Beijing).
 * A month without deals carries the last pctOfNav forward with deals 0 and volume 0.00;
 * daysSinceLastDeal counts from the last deal on or before the month's last day (today for the current month).
 */
export function priceIndex(days: readonly DailyTrades[], funds: readonly FundFacts[], filter: IndexFilter, today: string): IndexPoint[] {
  const wanted = new Set(funds.filter((f) => matchesFilter(f, filter)).map((f) => f.id));
  const byMonth = new Map<string, { deals: number; c: bigint; nav: bigint; lastDate: string }>();
  for (const d of days) {
    if (!wanted.has(d.fundId) || d.deals === 0 || d.date > today) continue;
    const month = d.date.slice(0, 7);
    const m = byMonth.get(month) ?? { deals: 0, c: 0n, nav: 0n, lastDate: d.date };
    m.deals += d.deals;
    m.c += BigInt(d.considerationFen);
    m.nav += BigInt(d.navTransferredFen);
    if (d.date > m.lastDate) m.lastDate = d.date;
    byMonth.set(month, m);
  }
  if (byMonth.size === 0) return [];
  const months = [...byMonth.keys()].sort();
  const points: IndexPoint[] = [];
  let carried: string | null = null;
  let lastDeal = '';
  for (let month = months[0]!; month <= today.slice(0, 7); month = nextMonth(month)) {
    const m = byMonth.get(month);
    if (m) {
      carried = pctOfNav(dec(m.c), dec(m.nav)) ?? carried;
      lastDeal = m.lastDate;
    }
    const end = month === today.slice(0, 7) ? today : lastDayOfMonth(month);
    points.push({
      month,
      pctOfNav: carried ?? '0.00',
      deals: m?.deals ?? 0,
      volume: fenToYuan(m ? dec(m.c) : ZERO),
      daysSinceLastDeal: toDayNumber(end) - toDayNumber(lastDeal),
    });
  }
  return points;
}

/** The median of whole numbers given as value → count (the mean of the middle two for an even total); null for none. */
export function median(counts: ReadonlyMap<number, number>): number | null {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const sorted = [...counts].sort(([a], [b]) => a - b);
  // The values at 1-based ranks ⌈n/2⌉ and ⌊n/2⌋+1 (the same one for an odd n).
  const at = (rank: number): number => {
    let seen = 0;
    for (const [value, n] of sorted) if ((seen += n) >= rank) return value;
    throw new Error('rank beyond the count');
  };
  return (at(Math.ceil(total / 2)) + at(Math.floor(total / 2) + 1)) / 2;
}

/** Deals, volume and %NAV of the trades dated `from`..`to` (Beijing dates, inclusive), by venue and strategy. */
export function marketStats(
  days: readonly DailyTrades[],
  /** Whole calendar days to completion → completed transfers, of the trades dated in the period. */
  durations: ReadonlyMap<number, number>,
  funds: readonly FundFacts[],
  from: string,
  to: string,
): MarketStats {
  const strategyOf = new Map(funds.map((f) => [f.id, f.strategy]));
  const venues = { book: { deals: 0, c: 0n }, listing: { deals: 0, c: 0n } };
  const strategies = new Map<string, { deals: number; c: bigint; nav: bigint }>();
  for (const d of days) {
    if (d.date < from || d.date > to) continue;
    const c = BigInt(d.considerationFen);
    venues[d.venue].deals += d.deals;
    venues[d.venue].c += c;
    const strategy = strategyOf.get(d.fundId);
    if (!strategy) continue;
    const s = strategies.get(strategy) ?? { deals: 0, c: 0n, nav: 0n };
    s.deals += d.deals;
    s.c += c;
    s.nav += BigInt(d.navTransferredFen);
    strategies.set(strategy, s);
  }
  const byStrategy: Record<string, StrategyFigures> = {};
  for (const [name, s] of [...strategies].sort(([a], [b]) => a.localeCompare(b))) {
    byStrategy[name] = { deals: s.deals, volume: fenToYuan(dec(s.c)), pctOfNav: pctOfNav(dec(s.c), dec(s.nav)) };
  }
  return {
    deals: venues.book.deals + venues.listing.deals,
    volume: fenToYuan(dec(venues.book.c + venues.listing.c)),
    medianDaysToComplete: median(durations),
    byVenue: {
      book: { deals: venues.book.deals, volume: fenToYuan(dec(venues.book.c)) },
      listing: { deals: venues.listing.deals, volume: fenToYuan(dec(venues.listing.c)) },
    },
    byStrategy,
  };
}
