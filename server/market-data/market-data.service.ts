/**
 * Public market data: announcements, the %NAV index and statistics. Reads only; no sign-in.
 * Both read the per-day summary kept in the trades' and completions' own transactions (migration 0015),
 * never the trades themselves. The day rows, and each answer computed from them, are kept in memory and
 * read again only when a trade or a completion was added (two counts on indexes).
 */
import { Dec } from '../../shared/decimal';
import { navAttributable } from '../../shared/nav';
import { beijingDate, type WorkingDayCalendar } from '../../shared/calendar';
import type { DatabaseHandle } from '../../db/database';
import type { Clock } from '../clock/clock';
import { iso } from '../clock/clock';
import { AppError } from '../commands';
import { latestNavReports } from '../funds/funds.repository';
import {
  listingAnnouncement,
  qualificationAnnouncement,
  resultAnnouncement,
  type ListingAnnouncement,
  type QualificationAnnouncement,
  type ResultAnnouncement,
} from './domain/announcements';
import { marketStats, priceIndex, type DailyTrades, type IndexFilter, type IndexPoint, type MarketStats } from './domain/market-figures';
import { announceableListings, completionDurations, marketFingerprint, publicFunds, tradesByDay } from './market-data.repository';

/** The earliest vintage the exchange recognises (a vintage outside [this, the current year] is refused). */
export const FIRST_VINTAGE = 1990;

export interface MarketIndex {
  asOf: string;
  points: IndexPoint[];
}

interface Snapshot {
  fingerprint: string;
  days: DailyTrades[];
  answers: Map<string, unknown>;
}

/** A bound on the answers kept per snapshot (each distinct query and day is one). */
const MAX_CACHED_ANSWERS = 500;

export class MarketDataService {
  private snapshot: Snapshot | null = null;

  constructor(
    private readonly h: DatabaseHandle,
    private readonly clock: Clock,
    private readonly calendar: WorkingDayCalendar,
  ) {}

  async announcements(
    kind: 'listing' | 'qualification' | 'result',
  ): Promise<ListingAnnouncement[] | QualificationAnnouncement[] | ResultAnnouncement[]> {
    const now = this.clock.now();
    const [listings, funds, navs] = await Promise.all([
      announceableListings(this.h.db),
      publicFunds(this.h.db),
      latestNavReports(this.h.db),
    ]);
    const fundById = new Map(funds.map((f) => [f.id, f]));
    const out = [];
    for (const l of listings) {
      const fund = fundById.get(l.fundId);
      if (!fund) continue;
      const nav = navs.get(l.fundId);
      const ctx = {
        fundName: fund.name,
        fundNameEn: fund.nameEn,
        navOfQuantity: nav ? navAttributable(new Dec(nav.nav), new Dec(fund.totalCommitment), new Dec(l.quantity)).toFixed(2) : null,
      };
      const a =
        kind === 'listing'
          ? listingAnnouncement(l, ctx, now, this.calendar)
          : kind === 'qualification'
            ? qualificationAnnouncement(l, ctx, now, this.calendar)
            : resultAnnouncement(l, ctx, now);
      if (a) out.push(a);
    }
    return out as ListingAnnouncement[] | QualificationAnnouncement[] | ResultAnnouncement[];
  }

  async index(filter: IndexFilter): Promise<MarketIndex> {
    const now = this.clock.now();
    const today = beijingDate(now);
    checkVintage(filter, Number(today.slice(0, 4)));
    const snap = await this.read();
    const points = await this.answer(snap, ['index', filter.strategy, filter.vintageFrom, filter.vintageTo, today], async () =>
      priceIndex(snap.days, await publicFunds(this.h.db), filter, today),
    );
    return { asOf: iso(now), points };
  }

  /** Trades dated `from`..`to` (Beijing dates, inclusive; default: from the first trade to today). */
  async stats(from: string | undefined, to: string | undefined): Promise<MarketStats> {
    const today = beijingDate(this.clock.now());
    const until = to ?? today;
    if (from !== undefined && from > until)
      throw new AppError('INVALID_RANGE', `from ${from} is after to ${until}`, { params: { from, to: until } });
    const snap = await this.read();
    return this.answer(snap, ['stats', from, until], async () =>
      marketStats(
        snap.days,
        await completionDurations(this.h.db, from ?? '0000-01-01', until),
        await publicFunds(this.h.db),
        from ?? '0000-01-01',
        until,
      ),
    );
  }

  /** The answer to the same question on the same data, computed once. */
  private async answer<T>(snap: Snapshot, key: unknown[], compute: () => Promise<T>): Promise<T> {
    const k = JSON.stringify(key);
    if (snap.answers.has(k)) return snap.answers.get(k) as T;
    const value = await compute();
    if (snap.answers.size >= MAX_CACHED_ANSWERS) snap.answers.clear();
    snap.answers.set(k, value);
    return value;
  }

  private async read(): Promise<Snapshot> {
    const fingerprint = await marketFingerprint(this.h.db);
    if (this.snapshot?.fingerprint === fingerprint) return this.snapshot;
    const days = await tradesByDay(this.h.db);
    // A trade committed between the count and the sums is picked up by the next request's count.
    this.snapshot = { fingerprint, days, answers: new Map() };
    return this.snapshot;
  }

  /** Forgets the cached sums (benchmarks measure a cold read with it). */
  forget(): void {
    this.snapshot = null;
  }
}

function checkVintage(filter: IndexFilter, currentYear: number): void {
  for (const [name, v] of [
    ['vintageFrom', filter.vintageFrom],
    ['vintageTo', filter.vintageTo],
  ] as const) {
    if (v !== undefined && (v < FIRST_VINTAGE || v > currentYear)) {
      throw new AppError('INVALID_RANGE', `${name} ${v} is outside ${FIRST_VINTAGE}–${currentYear}`, {
        params: { [name]: String(v), min: String(FIRST_VINTAGE), max: String(currentYear) },
      });
    }
  }
  if (filter.vintageFrom !== undefined && filter.vintageTo !== undefined && filter.vintageFrom > filter.vintageTo) {
    throw new AppError('INVALID_RANGE', `vintageFrom ${filter.vintageFrom} is after vintageTo ${filter.vintageTo}`, {
      params: { vintageFrom: String(filter.vintageFrom), vintageTo: String(filter.vintageTo) },
    });
  }
}
