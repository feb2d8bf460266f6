/**
 * End-to-end order submissions through HTTP, each acknowledged only after its commit (SQLite, WAL,
 * synchronous=FULL), next to a trivial Express route served by the same process in the same run.
 * Load: autocannon, 64 connections, from this process (the machine has 2 cores, so the load
 * generator competes with the server; the ratio is what is comparable between runs).
 *
 * With a PostgreSQL URL (`npm run bench -- http-pg`, bench/http-pg.ts) the exchange runs on a fresh
 * database there, and the baseline is a plain Express route doing one durable INSERT per request
 * through pg (pool of 10) on the same database: issue #20's comparison.
 *
 * Run: npx tsx bench/http.ts [postgres://…]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import express from 'express';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { createExchange } from '../server/app';
import { loadConfig } from '../server/config';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { MatchingClient } from '../server/orders/matching/matching-client';
import { DEMO_FUNDS, iocOrderRequest } from './load';
import { Clients, type Result } from './quotes';
import { machineBusy, postgresCpuUs } from './stats';

const CONNECTIONS = 64;
const DURATION_S = 5;
const ROUNDS = Number(process.env.HTTP_BENCH_ROUNDS ?? 5);
/** WebSocket subscribers to the traded fund's book, connected (from a child process) for the whole run. */
const SUBSCRIBERS = Number(process.env.HTTP_BENCH_SUBSCRIBERS ?? 1000);
const WATCHED_FUND = 'bj-ai-2021';

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** A fresh PostgreSQL database for one run, dropped by `drop` (its connections forced closed). */
async function freshPostgres(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sfund_http_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export async function runHttpBench(postgresAdminUrl?: string): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-bench-'));
  const pg = postgresAdminUrl ? await freshPostgres(postgresAdminUrl) : null;
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEMO_MARKET: 'empty',
    ...(pg ? { DATABASE_URL: pg.url } : {}),
    MATCHING_THREAD: process.env.MATCHING_THREAD ?? '1',
    // Every subscriber connects from this one address: its per-address caps are lifted, as in the quotes bench.
    CONNECTIONS_PER_ADDRESS: '1000000',
    WS_UNAUTHENTICATED_PER_ADDRESS: '100000',
    WS_AUTH_TIMEOUT_MS: '60000',
  });
  const exchange = await createExchange(config, pino({ level: 'silent' }));
  const port = await exchange.listen();
  const trivial = express();
  trivial.get('/trivial', (_req, res) => {
    res.json({ ok: true });
  });
  // On PostgreSQL the baseline writes too: one INSERT per request, autocommitted (durable), pool of 10.
  const pool = pg ? new Pool({ connectionString: pg.url, max: 10 }) : null;
  pool?.on('error', () => {}); // idle clients cut when the database is dropped at the end
  if (pool) {
    await pool.query('create table naive_orders (id serial primary key, body text not null)');
    trivial.use(express.json());
    trivial.post('/naive', async (req, res) => {
      const r = await pool.query('insert into naive_orders (body) values ($1) returning id', [JSON.stringify(req.body)]);
      res.status(201).json({ id: r.rows[0].id });
    });
  }
  const trivialServer = http.createServer(trivial);
  await new Promise<void>((r) => trivialServer.listen(0, r));
  const trivialPort = (trivialServer.address() as { port: number }).port;
  const baseline: autocannon.Options = pool
    ? {
        url: `http://127.0.0.1:${trivialPort}/naive`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"fundId":"bj-ai-2021","side":"buy"}',
      }
    : { url: `http://127.0.0.1:${trivialPort}/trivial` };

  const login = async (username: string) =>
    (
      (await (
        await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: 'demo-pass' }),
        })
      ).json()) as { token: string }
    ).token;
  const tokens = [await login('buyer1'), await login('buyer2')];
  const clients = new Clients();
  await clients.ask(null); // started
  await clients.ask({
    cmd: 'connect',
    url: `ws://127.0.0.1:${port}/ws`,
    token: tokens[1],
    channel: `book:${WATCHED_FUND}`,
    sockets: SUBSCRIBERS,
  });
  // Every committed sequence of the watched book during the orders rounds, with its commit time (the thread's clock: epoch ms).
  const commits: [number, number, number][] = [];
  let watching = false;
  let lastSeq = exchange.orders.bookSeq(WATCHED_FUND) ?? 0;
  // Group-commit batches, counted from their changes: one per fund a batch touched, told together
  // right after its commit (within microseconds), while batches are an fsync (milliseconds) apart.
  let batches = 0;
  let lastCommitAt = 0;
  const batchFunds = new Set<string>();
  const off = exchange.orders.onCommitted((c) => {
    if (c.committedAt - lastCommitAt > 0.5 || batchFunds.has(c.fundId)) {
      batches += 1;
      batchFunds.clear();
    }
    batchFunds.add(c.fundId);
    lastCommitAt = c.committedAt;
    if (c.fundId !== WATCHED_FUND) return;
    if (watching) for (let q = lastSeq + 1; q <= c.seq; q++) commits.push([q, c.committedAt, Number.NaN]);
    lastSeq = c.seq;
  });
  const peak = { rss: 0, heapUsed: 0 };
  const sampleMemory = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  };
  const memTimer = setInterval(sampleMemory, 250);
  const load0 = os.loadavg()[0]!;
  // Event-loop utilisation per orders round: the HTTP thread's, and the matching thread's when there is one.
  const threadElu = () => (exchange.orders instanceof MatchingClient ? exchange.orders.threadUtilization() : null);
  const elus: { main: number; matching: number }[] = [];
  // CPU per orders round: the whole server process (every thread, autocannon included), the subscribers'
  // process, and the fan-out's ticks on the HTTP thread.
  const childCpu = async () => {
    const c = (await clients.ask({ cmd: 'cpu' })).cpu as NodeJS.CpuUsage;
    return c.user + c.system;
  };
  const pub = exchange.quotes.publisher;
  const cpus: {
    serverUs: number;
    childUs: number;
    orders: number;
    ticks: number;
    tickMs: number;
    writes: number;
    gapMs: number;
    batches: number;
  }[] = [];

  // Alternating rounds (trivial, orders, trivial, orders, ...): on a shared machine the load drifts
  // over a minute, so each orders round is compared with the trivial round right before it, and the
  // median round is reported.
  // One request for every round: its Idempotency-Keys run on across rounds.
  const orderRequest = iocOrderRequest(tokens, DEMO_FUNDS, 'bench-order-');
  const rounds: { base: autocannon.Result; orders: autocannon.Result }[] = [];
  // What one request of each route costs the machine, per round: this process (every thread, autocannon included),
  // the subscribers' process, and PostgreSQL's processes on this machine; with the machine's busy fraction.
  const budgets: { base: CpuBudget; orders: CpuBudget }[] = [];
  const measure = async <T>(requests: (res: T) => number, work: () => Promise<T>): Promise<[T, CpuBudget]> => {
    const [server0, child0, pg0, busy] = [process.cpuUsage(), await childCpu(), postgresCpuUs(), machineBusy()];
    const res = await work();
    const [server, child, pgUs, machine] = [process.cpuUsage(server0), (await childCpu()) - child0, postgresCpuUs() - pg0, busy()];
    const n = Math.max(1, requests(res));
    return [res, { serverUs: (server.user + server.system) / n, subscribersUs: child / n, postgresUs: pgUs / n, machine }];
  };
  for (let r = 0; r < ROUNDS; r++) {
    const [base, baseBudget] = await measure(
      (x: autocannon.Result) => x.requests.total,
      () => run({ ...baseline, connections: CONNECTIONS, duration: DURATION_S }),
    );
    watching = true;
    const elu0 = { main: performance.eventLoopUtilization(), matching: threadElu() };
    const cpu0 = { server: process.cpuUsage(), child: await childCpu(), batches, ...pub.stats };
    const [orders, ordersBudget] = await measure(
      (x: autocannon.Result) => x.requests.total,
      () =>
        run({
          url: `http://127.0.0.1:${port}`,
          connections: CONNECTIONS,
          duration: DURATION_S,
          requests: [orderRequest],
        }),
    );
    budgets.push({ base: baseBudget, orders: ordersBudget });
    watching = false;
    const busy = (e: EventLoopUtilization | null, e0: EventLoopUtilization | null) =>
      e && e0 ? performance.eventLoopUtilization(e, e0).utilization : Number.NaN;
    elus.push({ main: busy(performance.eventLoopUtilization(), elu0.main), matching: busy(threadElu(), elu0.matching) });
    const server = process.cpuUsage(cpu0.server);
    cpus.push({
      serverUs: server.user + server.system,
      childUs: (await childCpu()) - cpu0.child,
      orders: orders.requests.total,
      ticks: pub.stats.ticks - cpu0.ticks,
      tickMs: pub.stats.tickMs - cpu0.tickMs,
      writes: pub.stats.frames - cpu0.frames,
      gapMs: pub.currentTickMs(),
      batches: batches - cpu0.batches,
    });
    rounds.push({ base, orders });
  }
  await new Promise((r) => setTimeout(r, 1000)); // the last book messages arrive
  off();
  clearInterval(memTimer);
  const load1 = os.loadavg()[0]!;
  const fanout = (await clients.ask({ cmd: 'finish', commits, windowMs: DURATION_S * 1000 })).result as Result;
  clients.exit();
  const committed = await exchange.handle.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  await exchange.close();
  await new Promise<void>((r) => trivialServer.close(() => r()));
  await pool?.end();
  await pg?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });

  // A percentile of no samples (no subscribers) crosses the IPC channel as null.
  const ms = (x: number | null) => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(1));
  const ratioOf = (x: (typeof rounds)[number]) => x.orders.requests.average / x.base.requests.average;
  const median = [...rounds].sort((x, y) => ratioOf(x) - ratioOf(y))[Math.floor(rounds.length / 2)]!;
  const non2xx = rounds.reduce((n, x) => n + x.orders.non2xx, 0);
  const p99s = rounds.map((x) => x.orders.latency.p99).sort((x, y) => x - y);
  const target = pg ? { ratio: '1.0', p99: 100 } : { ratio: '0.50', p99: 50 };
  return [
    pg ? '## End to end on PostgreSQL: durable orders against a naive INSERT route' : '## End to end: durable order submissions over HTTP',
    '',
    `64 connections, ${ROUNDS} alternating rounds of ${DURATION_S} s per ` +
      `route, load generator in the same process; ` +
      (pg
        ? 'PostgreSQL on this machine (no proxy), group commit; the baseline is a plain Express route doing one INSERT per request ' +
          'through pg (pool of 10) on the same database.'
        : 'SQLite WAL synchronous=FULL, group commit.'),
    '',
    `| round | ${pg ? 'naive INSERT POST' : 'trivial Express GET'} req/s | p99 ms ` +
      '| POST /api/orders (durable) req/s | p50 ms | p99 ms | non-2xx | ratio |',
    '|---|---|---|---|---|---|---|---|',
    ...rounds.map(
      (x, r) =>
        `| ${r + 1} | ${x.base.requests.average.toFixed(0)} | ${x.base.latency.p99} | ${x.orders.requests.average.toFixed(0)}` +
        ` | ${x.orders.latency.p50} | ${x.orders.latency.p99} | ${x.orders.non2xx} | ${ratioOf(x).toFixed(2)}` +
        ` |`,
    ),
    '',
    `Median round: ratio orders / ${pg ? 'naive INSERT' : 'trivial'} **${ratioOf(median).toFixed(2)}` +
      `** (target ≥ ${target.ratio}); orders p99 per round ${p99s.join(' / ')} ms, median **${p99s[Math.floor(p99s.length / 2)]}` +
      ` ms** (target < ${target.p99} ms). Machine load average (1, 5, 15 min): ` +
      `${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(', ')}. Non-2xx: ${non2xx}. Orders committed in the ` +
      `database after the run: ${Number(committed.n)} (every 2xx is a committed row).`,
    '',
    `Matching: ${exchange.config.matchingThread ? 'on its own thread (MATCHING_THREAD=1)' : 'on the HTTP thread (MATCHING_THREAD=0)'}. ` +
      `${SUBSCRIBERS} WebSocket subscribers to \`book:${WATCHED_FUND}\` (one of the six traded funds) during the whole run, ` +
      `in a child process: commit → arrival p50 ${ms(fanout.p50)} ms, p99 **${ms(fanout.p99)} ms**, max ` +
      `${ms(fanout.max)} ms over ${fanout.samples} (commit, socket) pairs; missing ${fanout.missing}; channel seq gaps ${fanout.gaps}. ` +
      `Server process peak RSS ${(peak.rss / 1048576).toFixed(0)} MB (all threads; it also runs autocannon and the ` +
      `trivial route), main-thread heap peak ${(peak.heapUsed / 1048576).toFixed(0)} MB. ` +
      `1-min load average ${load0.toFixed(1)} at start, ${load1.toFixed(1)} at end (2 cores, shared). ` +
      `Event-loop utilisation per orders round, HTTP thread: ${elus.map((e) => e.main.toFixed(2)).join(' / ')}` +
      (exchange.config.matchingThread ? `; matching thread: ${elus.map((e) => e.matching.toFixed(2)).join(' / ')}.` : '.'),
    '',
    "CPU per orders round (each 5 s): server process, all threads (autocannon included), µs per order; subscribers' " +
      'process, cores; orders per group-commit batch; fan-out ticks on the HTTP thread: count, share of the round, µs per socket ' +
      'write, tick at the end:',
    '',
    "| round | server µs/order | server cores | subscribers' cores | orders per batch | ticks | fan-out share of HTTP thread " +
      '| µs per write | tick at end, ms |',
    '|---|---|---|---|---|---|---|---|---|',
    ...cpus.map(
      (c, r) =>
        `| ${r + 1} | ${(c.serverUs / Math.max(1, c.orders)).toFixed(0)} | ${(c.serverUs / (DURATION_S * 1e6)).toFixed(2)} ` +
        `| ${(c.childUs / (DURATION_S * 1e6)).toFixed(2)} | ${(c.orders / Math.max(1, c.batches)).toFixed(1)} | ${c.ticks} ` +
        `| ${(c.tickMs / (DURATION_S * 1000)).toFixed(2)} ` +
        `| ${c.writes ? ((c.tickMs * 1000) / c.writes).toFixed(1) : 'n/a'} | ${c.gapMs.toFixed(0)} |`,
    ),
    '',
    ...cpuBudgetSection(budgets, pg ? 'naive INSERT' : 'trivial'),
  ].join('\n');
}

if (require.main === module) {
  runHttpBench(process.argv[2]).then(
    (s) => console.log(s),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/** CPU time one request costs, µs, by consumer, over one autocannon run; and the machine's busy fraction during it. */
interface CpuBudget {
  serverUs: number;
  subscribersUs: number;
  postgresUs: number;
  machine: number;
}

/**
 * The CPU one durable order costs the machine against one request of the baseline, measured in the same rounds: on a
 * machine the run fills, a ratio of 1.0 needs an order to cost no more than a baseline request.
 */
function cpuBudgetSection(budgets: { base: CpuBudget; orders: CpuBudget }[], baseName: string): string[] {
  const total = (b: CpuBudget) => b.serverUs + b.subscribersUs + (Number.isFinite(b.postgresUs) ? b.postgresUs : 0);
  const cell = (b: CpuBudget) =>
    `${b.serverUs.toFixed(0)} + ${b.subscribersUs.toFixed(0)} + ${Number.isFinite(b.postgresUs) ? b.postgresUs.toFixed(0) : 'n/a'} = ` +
    `**${total(b).toFixed(0)}** (${(b.machine * 100).toFixed(0)}%)`;
  const ratios = budgets.map((b) => total(b.orders) / total(b.base)).sort((x, y) => x - y);
  return [
    `CPU per request, µs, this process (all threads, autocannon included) + the subscribers' process + this machine's ` +
      `PostgreSQL processes = total (the machine's busy fraction during the run), per round:`,
    '',
    `| round | ${baseName} | durable order | order ÷ ${baseName} |`,
    '|---|---|---|---|',
    ...budgets.map((b, r) => `| ${r + 1} | ${cell(b.base)} | ${cell(b.orders)} | ${(total(b.orders) / total(b.base)).toFixed(2)} |`),
    '',
    `Median: a durable order costs the machine **${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}×** the CPU of a ${baseName} request.`,
    '',
  ];
}
