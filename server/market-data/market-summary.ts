/**
 * Keeps the public market data's per-day summary (migration 0015) in the writer's own transaction:
 * each trade adds to its Beijing date × venue × fund row, each transfer completion to its trade date ×
 * days-to-complete row. The index and statistics then read these rows instead of every trade, and a
 * trade is in the summary exactly when it is committed.
 */
import { beijingDate, toDayNumber } from '../../shared/calendar';
import type { Tx } from '../../db/database';
import { prepared } from '../../db/prepared';
import type { Venue } from './domain/market-figures';

const addToDay = prepared(6, (db, $) =>
  db
    .insertInto('marketDays')
    .values({ date: $(0), venue: $(1), fundId: $(2), deals: $(3), considerationFen: $(4), navTransferredFen: $(5) })
    .onConflict((oc) =>
      oc.columns(['date', 'venue', 'fundId']).doUpdateSet((eb) => ({
        deals: eb('marketDays.deals', '+', eb.ref('excluded.deals')),
        considerationFen: eb('marketDays.considerationFen', '+', eb.ref('excluded.considerationFen')),
        navTransferredFen: eb('marketDays.navTransferredFen', '+', eb.ref('excluded.navTransferredFen')),
      })),
    ),
);

const addCompletion = prepared(2, (db, $) =>
  db
    .insertInto('marketCompletions')
    .values({ tradeDate: $(0), days: $(1), count: 1 })
    .onConflict((oc) =>
      oc.columns(['tradeDate', 'days']).doUpdateSet((eb) => ({ count: eb('marketCompletions.count', '+', eb.ref('excluded.count')) })),
    ),
);

/** The integer fen (or basis points) of a decimal stored with exactly 2 places. */
const hundredths = (twoPlaces: string): bigint => BigInt(twoPlaces.replace('.', ''));

/**
 * A trade's NAV transferred in fen: consideration × 100 ÷ pricePct, half-up to the fen, in integers:
 * floor((fen × 20000 + bp) ÷ (2 × bp)), the same as migration 0015's backfill.
 */
export function navTransferredFenOf(consideration: string, pricePct: string): bigint {
  const bp = hundredths(pricePct);
  return (hundredths(consideration) * 20000n + bp) / (2n * bp);
}

export interface SummarisedTrade {
  fundId: string;
  venue: Venue;
  consideration: string;
  pricePct: string;
  executedAt: string;
}

/**
 * Adds trades to the summary: one upsert per date × venue × fund among them (a book command's fills
 * share one instant, so its whole batch of fills is one statement).
 */
export async function summariseTrades(trx: Tx, trades: readonly SummarisedTrade[]): Promise<void> {
  const rows = new Map<string, { date: string; venue: Venue; fundId: string; deals: number; c: bigint; nav: bigint }>();
  for (const t of trades) {
    const date = beijingDate(Date.parse(t.executedAt));
    const key = `${date}|${t.venue}|${t.fundId}`;
    const r = rows.get(key) ?? { date, venue: t.venue, fundId: t.fundId, deals: 0, c: 0n, nav: 0n };
    r.deals += 1;
    r.c += hundredths(t.consideration);
    r.nav += navTransferredFenOf(t.consideration, t.pricePct);
    rows.set(key, r);
  }
  for (const r of rows.values()) await addToDay.run(trx, [r.date, r.venue, r.fundId, r.deals, r.c.toString(), r.nav.toString()]);
}

/** Counts a transfer that has just become completed: opened at its trade's instant, completed at `completedAt`. */
export async function summariseCompletion(trx: Tx, openedAt: string, completedAt: string): Promise<void> {
  const tradeDate = beijingDate(Date.parse(openedAt));
  const days = toDayNumber(beijingDate(Date.parse(completedAt))) - toDayNumber(tradeDate);
  await addCompletion.run(trx, [tradeDate, days]);
}
