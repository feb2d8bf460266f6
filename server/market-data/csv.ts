/** RFC 4180 CSV for the public market data (Accept: text/csv). */
import type { MarketIndex } from './market-data.service';
import type { MarketStats } from './domain/market-figures';

const cell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
const lines = (rows: (string | number | null)[][]): string => rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';

export function indexCsv(ix: MarketIndex): string {
  return lines([
    ['month', 'pctOfNav', 'deals', 'volume', 'daysSinceLastDeal'],
    ...ix.points.map((p) => [p.month, p.pctOfNav, p.deals, p.volume, p.daysSinceLastDeal]),
  ]);
}

/** One row per group: the whole market, each venue, each strategy. */
export function statsCsv(s: MarketStats): string {
  return lines([
    ['group', 'name', 'deals', 'volume', 'pctOfNav', 'medianDaysToComplete'],
    ['all', 'all', s.deals, s.volume, null, s.medianDaysToComplete],
    ...Object.entries(s.byVenue).map(([name, v]) => ['venue', name, v.deals, v.volume, null, null]),
    ...Object.entries(s.byStrategy).map(([name, v]) => ['strategy', name, v.deals, v.volume, v.pctOfNav, null]),
  ]);
}
