/**
 * Benchmark of the public market data (issue #15): GET /api/public/market/index and /market/stats
 * over 100,000 trades of six funds spread over three years, each with a completed transfer, on
 * SQLite (the default engine). Target: both answer in under 50 ms.
 *
 * Measured: the service as the routes call it, cold (the cached answers forgotten, so the per-day
 * summary of migration 0015 is read again) and warm (a trade count shows nothing changed). Baseline in the same run: the
 * naive way, reading every trade and summing with big.js per trade in JavaScript.
 *
 * `npx tsx bench/market.ts` prints the markdown section; `runMarketBench()` returns it.
 */
import fs from 'node:fs';
import os, { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { backfillMarketSummary } from '../db/migrations/0015_market_summary';
import { seedDemoMarket } from '../server/seed/seed';
import { SimulatedClock } from '../server/clock/clock';
import { MarketDataService } from '../server/market-data/market-data.service';
import { WorkingDayCalendar } from '../shared/calendar';
import { Dec, HUNDRED, Rounding, ZERO } from '../shared/decimal';
import { DEMO_FUNDS as FUNDS } from './load';
import { percentile } from './stats';
import { mulberry32 } from '../test/support/seeded-random';

const TRADES = 100_000;
const RUNS = 30;
const TARGET_MS = 50;
const START = Date.parse('2026-09-14T06:00:00.000Z');
const SPAN_MS = 3 * 365 * 86_400_000;

function timed(runs: number, f: () => Promise<unknown>): Promise<number[]> {
  return (async () => {
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await f();
      out.push(performance.now() - t0);
    }
    return out.sort((a, b) => a - b);
  })();
}

export async function runMarketBench(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-bench-market-'));
  const handle = openDatabase(`sqlite:${path.join(dir, 'exchange.sqlite')}`);
  try {
    await migrateToLatest(handle.db);
    await seedDemoMarket(handle, START - SPAN_MS);
    const random = mulberry32(15);
    const trades = [];
    const transfers = [];
    for (let i = 0; i < TRADES; i++) {
      const at = START - SPAN_MS + Math.floor((i / TRADES) * SPAN_MS);
      const pct = new Dec(String(6000 + Math.floor(random() * 5000))).div(HUNDRED);
      const consideration = new Dec(String(1 + Math.floor(random() * 20)))
        .times(new Dec('1000000'))
        .times(pct)
        .div(HUNDRED)
        .round(2, Rounding.HALF_UP);
      const id = `t${i}`;
      trades.push({
        id,
        fundId: FUNDS[i % FUNDS.length]!,
        venue: i % 10 === 0 ? ('listing' as const) : ('book' as const),
        pricePct: pct.toFixed(2),
        quantity: '1000000',
        consideration: consideration.toFixed(2),
        navPerCommitment: '1.00000000',
        navReferenceDate: '2026-06-30',
        buyOrderId: null,
        sellOrderId: null,
        buyerOrgId: 'org-buyer1',
        sellerOrgId: 'org-lp',
        listingId: null,
        transferId: `x${i}`,
        fundSeq: null,
        executedAt: new Date(at).toISOString(),
      });
      transfers.push({
        id: `x${i}`,
        tradeId: id,
        fundId: FUNDS[i % FUNDS.length]!,
        venue: 'book',
        state: 'completed',
        sellerOrgId: 'org-lp',
        buyerOrgId: 'org-buyer1',
        nextDeadlineAt: null,
        version: 1,
        data: '{}',
        openedAt: new Date(at).toISOString(),
        updatedAt: new Date(at + (5 + (i % 30)) * 86_400_000).toISOString(),
      });
    }
    for (let i = 0; i < TRADES; i += 2000) {
      await handle.db
        .insertInto('trades')
        .values(trades.slice(i, i + 2000))
        .execute();
      await handle.db
        .insertInto('transfers')
        .values(transfers.slice(i, i + 2000))
        .execute();
    }
    // The trades were written around the services: rebuild the summary as migration 0015 does.
    await handle.db.deleteFrom('marketDays').execute();
    await handle.db.deleteFrom('marketCompletions').execute();
    await backfillMarketSummary(handle.db);
    const market = new MarketDataService(handle, new SimulatedClock(START), new WorkingDayCalendar());
    const both = async () => {
      await market.index({});
      await market.stats(undefined, undefined);
    };
    await both();
    const cold = await timed(RUNS, async () => {
      market.forget();
      await both();
    });
    const warm = await timed(RUNS, both);
    const filtered = await timed(RUNS, () => market.index({ strategy: 'venture', vintageFrom: 2019, vintageTo: 2021 }));
    const naive = await timed(5, async () => {
      const rows = await handle.db.selectFrom('trades').select(['consideration', 'pricePct']).execute();
      let c = ZERO;
      let nav = ZERO;
      for (const r of rows) {
        c = c.plus(new Dec(r.consideration));
        nav = nav.plus(new Dec(r.consideration).times(HUNDRED).div(new Dec(r.pricePct)).round(2, Rounding.HALF_UP));
      }
      return c.div(nav);
    });
    const ix = await market.index({});
    const summaryRows = async (table: 'marketDays' | 'marketCompletions') =>
      Number(
        (
          await handle.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const [dayRows, completionRows] = [await summaryRows('marketDays'), await summaryRows('marketCompletions')];
    const row = (name: string, s: number[]) => `| ${name} | ${percentile(s, 50).toFixed(1)} | ${percentile(s, 99).toFixed(1)} |`;
    const ratio = percentile(cold, 50) / percentile(naive, 50);
    const worst = percentile(cold, 99);
    return [
      '## Public market data: index and statistics over 100,000 trades',
      '',
      `${TRADES} trades (6 funds, both venues, 3 years, each with a completed transfer) on SQLite; ${RUNS} timed runs each,`,
      `Node ${process.version}; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores. ` +
        `Index: ${ix.points.length} monthly points.`,
      `Summary (migration 0015): ${dayRows} day rows (date × venue × fund), ${completionRows} completion rows (trade date × days).`,
      '',
      '| measurement | p50 ms | p99 ms |',
      '|---|---:|---:|',
      row('index + stats together, cold (cache forgotten: summary day rows read, bigint sums; durations summed in SQL)', cold),
      row('index + stats, warm (trade and completion counts unchanged)', warm),
      row('index filtered by strategy and vintage, warm', filtered),
      row('baseline: naive, every trade read and summed with big.js in JS', naive),
      '',
      `Cold / naive at p50: **${ratio.toFixed(2)}**. Target under ${TARGET_MS}` +
        ` ms: cold p99 ${worst.toFixed(1)} ms ${worst < TARGET_MS ? 'meets' : 'MISSES'};`,
      `warm p99 ${percentile(warm, 99).toFixed(1)} ms ${percentile(warm, 99) < TARGET_MS ? 'meets' : 'MISSES'}.`,
      '',
    ].join('\n');
  } finally {
    await handle.close();
    if (process.env.BENCH_KEEP_DB) console.error(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runMarketBench().then(
    (s) => {
      console.log(s);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
