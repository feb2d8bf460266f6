/**
 * Benchmark of the valuation module: a full fund-share valuation report for a realistic fund of 200
 * holdings (50 of them locked-up listed shares), with the projection, the 4-point IRR grid and the
 * 5×5 sensitivity, plus the three calculators.
 *
 * Baseline in the same run: a plain loop making as many Math.exp calls as one report makes
 * transcendental calls (counted by instrumenting Math during one untimed build), so the ratio says
 * how much the report costs beyond its unavoidable arithmetic, on whatever machine runs it.
 *
 * `npx tsx bench/valuation.ts` prints the markdown section; `runValuationBench()` returns it.
 */
import { createHash } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { lockupDiscountRequest, projectionRequest, waterfallRequest } from '../shared/valuation/calculator-schemas';
import { lockupDiscountCalculator, projectionCalculator, waterfallCalculator } from '../shared/valuation/calculators';
import type { FundModel, HoldingInput, LpShareInput } from '../shared/valuation/fund-model';
import { buildValuationReport, type ReportDigest } from '../shared/valuation/report';
import { Dec, Rounding, sum } from '../shared/decimal';
import { DEMO_FUNDS } from '../server/seed/demo-market';
import { demoFundModel } from '../server/valuation/demo-model';
import { percentile } from './stats';
import { mulberry32 } from '../test/support/seeded-random';

const SEED = 20250630;
const HOLDINGS = 200;
const LOCKED_UP = 50;
const WARMUP_RUNS = 30;
const TIMED_RUNS = 300;
const TARGET_P50_MS = 5;
const DEMO_TARGET_MS = 100;
const DEMO_RUNS = 50;

/**
 * Every position in every demo fund (the named holders of demo-market.ts and `org-lp-others`), with
 * each fund's model built as the server builds it (NAV report as seed.ts writes it), at a fixed date.
 */
export function demoPositionInputs(): { model: FundModel; share: LpShareInput }[] {
  const out: { model: FundModel; share: LpShareInput }[] = [];
  for (const f of DEMO_FUNDS) {
    const total = new Dec(f.totalCommitment);
    const paidIn = total.times(f.paidInRatio).round(2, Rounding.HALF_UP);
    const nav = {
      id: `nav-${f.id}-2025-06-30`,
      referenceDate: '2025-06-30',
      nav: paidIn.times(f.navMultiple).round(2, Rounding.HALF_UP).toFixed(2),
      paidIn: paidIn.toFixed(2),
      cumulativeDistributions: paidIn.times(f.distributedRatio).round(2, Rounding.HALF_UP).toFixed(2),
    };
    const model = demoFundModel(f, nav, '2025-08-15');
    if (!model) throw new Error(`no demo model for ${f.id}`);
    const named = Object.entries(f.holders).map(([orgId, c]) => [orgId, new Dec(c)] as const);
    const holders = [...named, ['org-lp-others', total.minus(sum(named.map(([, c]) => c)))] as const];
    for (const [orgId, c] of holders) {
      out.push({
        model,
        share: { lpId: orgId, commitment: c.toFixed(0), paidIn: c.times(f.paidInRatio).round(2, Rounding.HALF_UP).toFixed(2) },
      });
    }
  }
  return out;
}

/** Formats a generated figure as a decimal string (the model's wire format). */
const dec = (x: number, dp: number): string => x.toFixed(dp);

export function exampleFundModel(): FundModel {
  const rand = mulberry32(SEED);
  const between = (lo: number, hi: number) => lo + (hi - lo) * rand();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const holdings: HoldingInput[] = [];
  for (let i = 0; i < HOLDINGS; i++) {
    const id = `h${String(i + 1).padStart(3, '0')}`;
    const name = `Portfolio company ${i + 1}`;
    const dlom = pick([
      { model: 'asian', volatility: dec(between(0.3, 0.7), 4), yearsToLiquidity: dec(between(1, 4), 2) },
      { model: 'chaffe', volatility: dec(between(0.3, 0.7), 4), yearsToLiquidity: dec(between(1, 4), 2), riskFreeRate: '0.0200' },
      { model: 'manual', discount: dec(between(0.05, 0.25), 4), reference: `Valuation committee minute ${id}` },
    ] as const);
    const ownership = dec(between(0.01, 0.2), 6);
    if (i < LOCKED_UP) {
      const closePrice = between(5, 80);
      const shares = Math.round(between(0.5e6, 8e6));
      const lockupDays = Math.round(between(30, 3 * 365));
      const end = new Date(Date.UTC(2025, 5, 30 + lockupDays)).toISOString().slice(0, 10);
      holdings.push({
        id,
        name,
        method: 'listed-locked',
        closePrice: dec(closePrice, 2),
        shares: String(shares),
        volatility: dec(between(0.25, 0.8), 4),
        lockupEndDate: end,
        reportedValue: dec(closePrice * shares * between(0.7, 0.95), 2),
      });
    } else if (i < 80) {
      const closePrice = between(5, 80);
      const shares = Math.round(between(0.5e6, 8e6));
      holdings.push({
        id,
        name,
        method: 'listed',
        closePrice: dec(closePrice, 2),
        shares: String(shares),
        reportedValue: dec(closePrice * shares * between(0.85, 1.15), 2),
      });
    } else if (i < 120) {
      holdings.push({
        id,
        name,
        method: 'recent-financing',
        postMoneyValue: dec(between(2e8, 5e9), 0),
        calibrationFactor: dec(between(0.85, 1), 4),
        ownership,
        dlom,
      });
    } else if (i < 160) {
      const kind = pick(['P/E', 'P/B', 'EV/Sales', 'EV/EBITDA', 'EV/EBIT'] as const);
      const isEv = kind.startsWith('EV');
      holdings.push({
        id,
        name,
        method: 'multiple',
        multipleKind: kind,
        metric: dec(between(2e7, 5e8), 0),
        multiple: dec(between(1.5, 20), 2),
        adjustmentFactor: dec(between(0.7, 1), 4),
        ownership,
        dlom,
        ...(isEv ? { netDebt: dec(between(-5e7, 2e8), 0) } : {}),
      });
    } else if (i < 185) {
      const first = between(1e7, 1e8);
      const cashFlows = Array.from({ length: 5 }, (_, k) => dec(first * Math.pow(1 + between(0.05, 0.25), k), 0));
      holdings.push({
        id,
        name,
        method: 'dcf',
        cashFlows,
        discountRate: dec(between(0.1, 0.18), 4),
        terminalGrowth: dec(between(0.01, 0.04), 4),
        netDebt: dec(between(-5e7, 1e8), 0),
        ownership,
        dlom,
      });
    } else {
      holdings.push({
        id,
        name,
        method: 'net-assets',
        netAssets: dec(between(5e7, 1e9), 0),
        adjustmentFactor: dec(between(0.8, 1.1), 4),
        ownership,
        dlom,
      });
    }
  }
  return {
    fundId: 'bench-fund',
    name: 'Benchmark Growth Fund (200 holdings)',
    valuationDate: '2025-06-30',
    totalCommitment: '20000000000',
    holdings,
    cash: '850000000.00',
    liabilities: '120000000.00',
    navReport: { referenceDate: '2025-03-31', nav: '24000000000.00', paidIn: '18000000000.00', cumulativeDistributions: '6000000000.00' },
    sinceReport: { calls: '400000000.00', distributions: '250000000.00' },
    waterfall: {
      kind: 'european',
      hurdle: '0.08',
      catchUp: '1',
      carry: '0.20',
      history: [
        { year: 1, call: '4000000000' },
        { year: 2, call: '5000000000' },
        { year: 3, call: '5000000000' },
        { year: 4, call: '2500000000', distribution: '1000000000' },
        { year: 5, call: '1500000000', distribution: '2000000000' },
        { year: 6, distribution: '3000000000' },
      ],
    },
    projection: { ageYears: 6, lifeYears: 12, callRates: ['0.20', '0.25', '0.30', '0.50', '1'], bow: '2.5', growth: '0.12', yield: '0.05' },
  };
}

export const EXAMPLE_SHARE: LpShareInput = { lpId: 'lp-bench', commitment: '500000000', paidIn: '450000000' };

const sha256: ReportDigest = { algorithm: 'sha256', digestHex: (s) => createHash('sha256').update(s, 'utf8').digest('hex') };

/**
 * Wall-clock p50/p99 per call, and the mean CPU time per call of this process (user + system, all
 * its threads, GC included): on a shared machine the CPU time shows the cost of the work itself,
 * the wall clock what a caller waits.
 */
function time(runs: number, warmup: number, fn: () => unknown): { p50: number; p99: number; cpuMean: number } {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), cpuMean: (cpu.user + cpu.system) / 1000 / runs };
}

/** Counts calls of Math's transcendental functions during `fn`, restoring Math afterwards. */
function countTranscendentalCalls(fn: () => void): number {
  const names = ['exp', 'expm1', 'log', 'log1p', 'pow', 'sqrt'] as const;
  const originals = names.map((n) => Math[n]);
  let count = 0;
  const math = Math as unknown as Record<string, (...args: number[]) => number>;
  names.forEach((n, i) => {
    const original = originals[i]! as (...args: number[]) => number;
    math[n] = (...args: number[]) => {
      count++;
      return original(...args);
    };
  });
  try {
    fn();
  } finally {
    names.forEach((n, i) => (math[n] = originals[i]! as (...args: number[]) => number));
  }
  return count;
}

/** The baseline: a plain loop of `calls` Math.exp calls on varying arguments (kept live by the sum). */
function expLoop(calls: number): number {
  let acc = 0;
  for (let i = 0; i < calls; i++) acc += Math.exp(-(i % 1000) * 1e-3);
  return acc;
}

const fmt = (ms: number): string => ms.toFixed(3);

export async function runValuationBench(): Promise<string> {
  const model = exampleFundModel();
  const input = { model, share: EXAMPLE_SHARE };
  const build = () => buildValuationReport(input, sha256);
  const report = build();
  const calls = countTranscendentalCalls(() => void build());
  const reportTimes = time(TIMED_RUNS, WARMUP_RUNS, build);
  let sink = 0;
  const baseline = time(TIMED_RUNS, WARMUP_RUNS, () => (sink += expLoop(calls)));

  const lockupBody = lockupDiscountRequest.parse({ price: '18.20', volatility: '0.45', years: '1.5', dividendYield: '0.01' });
  const projectionBody = projectionRequest.parse({
    commitment: '100000000',
    callRates: ['0.25', '0.333333333333', '0.5', '1'],
    lifeYears: 12,
    bow: '2.5',
    growth: '0.13',
    yield: '0',
    purchaseYear: 4,
    targetIrrs: ['0.10', '0.12', '0.15', '0.20'],
  });
  const waterfallBody = waterfallRequest.parse({
    kind: 'european',
    hurdle: '0.08',
    catchUp: '1',
    carry: '0.20',
    commitments: { a: '60', b: '40' },
    flows: [
      { year: 1, call: '40' },
      { year: 2, call: '30' },
      { year: 3, call: '20' },
      { year: 4, distribution: '30' },
      { year: 5, distribution: '50' },
      { year: 6, distribution: '60' },
      { year: 7, distribution: '40' },
    ],
  });
  const lockup = time(2000, 200, () => lockupDiscountCalculator(lockupDiscountRequest.parse(lockupBody)));
  const projection = time(2000, 200, () => projectionCalculator(projectionRequest.parse(projectionBody)));
  const waterfall = time(2000, 200, () => waterfallCalculator(waterfallRequest.parse(waterfallBody)));

  const demoInputs = demoPositionInputs();
  const revalueAll = () => demoInputs.map((input) => buildValuationReport(input, sha256));
  const demo = time(DEMO_RUNS, 5, revalueAll);
  const demoVerdict = demo.p99 < DEMO_TARGET_MS ? 'meets' : 'MISSES';

  const ratio = reportTimes.p50 / baseline.p50;
  const verdict = reportTimes.p50 < TARGET_P50_MS ? 'meets' : 'MISSES';
  const lines = [
    '## Valuation',
    '',
    `Fund-share valuation report for a fund of ${HOLDINGS} holdings (${LOCKED_UP}` +
      ` locked up; seed ${SEED}): L1 holdings, L2 NAV, L3 waterfall,`,
    'low/base/high range (3 × 200 holding valuations), projection, 4-point IRR grid, 5×5 sensitivity, canonical JSON and SHA-256.',
    `${TIMED_RUNS} timed runs after ${WARMUP_RUNS} warm-up runs, Node ${process.version}` +
      `; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    '(a shared machine inflates every figure, the baseline included).',
    '',
    '| measurement | p50 ms (wall) | p99 ms (wall) | mean CPU ms |',
    '|---|---:|---:|---:|',
    `| report (200 holdings) | ${fmt(reportTimes.p50)} | ${fmt(reportTimes.p99)} | ${fmt(reportTimes.cpuMean)} |`,
    `| baseline: ${calls} × Math.exp in a loop | ${fmt(baseline.p50)} | ${fmt(baseline.p99)} | ${fmt(baseline.cpuMean)} |`,
    `| revalue all demo positions (${demoInputs.length} reports, ${DEMO_FUNDS.length}` +
      ` funds) | ${fmt(demo.p50)} | ${fmt(demo.p99)} | ${fmt(demo.cpuMean)} |`,
    `| calculator: lock-up discount (parse + compute) | ${fmt(lockup.p50)} | ${fmt(lockup.p99)} | ${fmt(lockup.cpuMean)} |`,
    `| calculator: projection, 4 IRRs | ${fmt(projection.p50)} | ${fmt(projection.p99)} | ${fmt(projection.cpuMean)} |`,
    `| calculator: waterfall, 7 years | ${fmt(waterfall.p50)} | ${fmt(waterfall.p99)} | ${fmt(waterfall.cpuMean)} |`,
    '',
    `One report makes ${calls} transcendental Math calls; it takes ${ratio.toFixed(1)}× the time of a loop making that many Math.exp calls`,
    '(the rest is big.js decimal arithmetic, input parsing and hashing the canonical JSON of',
    `${report.holdings.length} holdings). Target p50 under ${TARGET_P50_MS} ms: ${verdict}.`,
    `Revaluing every position in every demo fund (${demoInputs.length} full reports, ${DEMO_RUNS}` +
      ` timed runs): target under ${DEMO_TARGET_MS} ms (p99): ${demoVerdict}.`,
    `Share fair value (low / base / high): ${report.share.fairValue.low} / ${report.share.fairValue.base}` +
      ` / ${report.share.fairValue.high} yuan; content hash ${report.contentHash.hex.slice(0, 16)}` +
      `….`,
    '',
  ];
  if (sink === 42) lines.push(''); // keeps the baseline loop's result observable
  return lines.join('\n');
}

if (require.main === module) {
  runValuationBench().then(
    (md) => process.stdout.write(md),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
