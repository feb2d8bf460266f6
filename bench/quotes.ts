/**
 * Quote fan-out: N WebSocket clients (in a child process) on one fund's book while the fund's book
 * changes every `1000/rate` ms through real HTTP orders. Measured: latency from an order's commit
 * (OrdersService.onCommitted, in the server process) to the arrival of the first message whose
 * book seq reflects it, per socket, p50/p99 and p99 per 5 s window (flatness), next to a naive
 * broadcast measured in the same run: on each commit, JSON.stringify and ws.send per socket.
 *
 * Run: npx tsx bench/quotes.ts   (QUOTES_BENCH_SOCKETS, QUOTES_BENCH_SECONDS override the big scenario)
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import { createExchange, type Exchange } from '../server/app';
import { loadConfig } from '../server/config';
import type { Principal } from '../server/auth/tokens';

const now = () => performance.timeOrigin + performance.now();

const FUND = 'bj-ai-2021';
const WINDOW_MS = 5000;
const WARMUP_CHANGES = 20;

export interface Result {
  samples: number;
  missing: number;
  messages: number;
  p50: number;
  p99: number;
  max: number;
  windows: number[];
  dueP99: number;
  clientUsPerMessage: number;
  /** Updates whose channel seq did not follow the previous message's by exactly 1 (api.md): must be 0. */
  gaps: number;
}
interface Scenario {
  sockets: number;
  rate: number;
  seconds: number;
}

export class Clients {
  private readonly child: ChildProcess;
  private waiting: ((m: any) => void) | null = null;
  constructor() {
    this.child = fork(path.join(__dirname, 'quotes-clients.ts'), [], {
      execArgv: ['--require', 'tsx/cjs', '--max-old-space-size=2048'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m) => {
      const w = this.waiting;
      this.waiting = null;
      w?.(m);
    });
  }
  ask(msg: unknown): Promise<any> {
    return new Promise((resolve, reject) => {
      this.waiting = (m) => (m.error ? reject(new Error(m.error)) : resolve(m));
      if (msg) this.child.send(msg as object);
    });
  }
  exit(): void {
    this.child.send({ cmd: 'exit' });
  }
}

/** The baseline: per change, per socket, stringify and send; no coalescing, no limits. */
function naiveServer(ex: Exchange, lotSize: string): { url: Promise<string>; close(): Promise<void> } {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const subs = new Set<WebSocket>();
  let seq = 0;
  let view = ex.orders.bookViewNow(FUND, lotSize, 10);
  let last = view?.seq ?? 0;
  wss.on('connection', (ws) => {
    ws.on('message', () => {
      subs.add(ws);
      ws.send(JSON.stringify({ type: 'snapshot', channel: `book:${FUND}`, seq, data: view }));
    });
    ws.on('close', () => subs.delete(ws));
  });
  const off = ex.orders.onCommitted((c) => {
    if (c.fundId !== FUND) return;
    view = ex.orders.bookViewNow(FUND, c.lotSize, 10);
    // Per change: a batch that committed k commands is k changes, each stringified and sent per socket.
    for (; last < c.seq; last++) {
      seq += 1;
      for (const ws of subs) ws.send(JSON.stringify({ type: 'update', channel: `book:${FUND}`, seq, data: view }));
    }
  });
  return {
    url: new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve(`ws://127.0.0.1:${(server.address() as { port: number }).port}/`)),
    ),
    close: async () => {
      off();
      for (const ws of subs) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * One scenario: the orders are submitted in-process at the scheduled rate (catching up by wall clock
 * when the event loop was busy, so a slow publisher cannot throttle its own load), each a resting bid.
 */
async function runScenario(ex: Exchange, who: Principal, clients: Clients, url: string, authToken: string | null, s: Scenario) {
  await clients.ask({ cmd: 'connect', url, token: authToken, channel: `book:${FUND}`, sockets: s.sockets });
  // Warm-up, not measured: a few changes so the first measured ones do not pay for JIT and the connection burst's garbage.
  for (let i = 0; i < WARMUP_CHANGES; i++) {
    await ex.orders.submit(who, { fundId: FUND, side: 'buy', pricePct: '50.00', quantity: '1000000', timeInForce: 'GTC' }, undefined);
    await new Promise((r) => setTimeout(r, 1000 / s.rate));
  }
  const seq0 = ex.orders.bookSeq(FUND)!;
  const commits: [number, number, number][] = [];
  const due: number[] = [];
  const off = ex.orders.onCommitted((c) => {
    if (c.fundId === FUND)
      for (let q = commits.length + seq0 + 1; q <= c.seq; q++) commits.push([q, c.committedAt, due[q - seq0 - 1] ?? NaN]);
  });
  let rss = 0;
  const mem = setInterval(() => {
    rss = Math.max(rss, process.memoryUsage().rss);
  }, 250);
  const t0 = now();
  const cpu0 = process.cpuUsage();
  const ticks: number[] = [];
  const pub = ex.quotes.publisher;
  const origTick = pub.tick;
  pub.tick = function (this: typeof pub) {
    const t = now();
    origTick.call(this);
    ticks.push(now() - t);
  };
  const total = s.rate * s.seconds;
  let refused = 0;
  const pump = setInterval(() => {
    while (due.length < total && t0 + (due.length * 1000) / s.rate <= now()) {
      const n = due.length;
      due.push(t0 + (n * 1000) / s.rate);
      ex.orders
        .submit(who, { fundId: FUND, side: 'buy', pricePct: `${60 + (n % 20)}.00`, quantity: '1000000', timeInForce: 'GTC' }, undefined)
        .catch(() => {
          refused++;
        });
    }
  }, 5);
  await new Promise((r) => setTimeout(r, s.seconds * 1000));
  while (due.length < total) await new Promise((r) => setTimeout(r, 50));
  clearInterval(pump);
  await new Promise((r) => setTimeout(r, 2000)); // let the last messages arrive
  clearInterval(mem);
  off();
  const cpu = process.cpuUsage(cpu0);
  pub.tick = origTick;
  ticks.sort((a, b) => a - b);
  if (process.env.QUOTES_BENCH_DEBUG)
    console.error({
      ticks: ticks.length,
      p50: ticks[Math.floor(ticks.length / 2)],
      p99: ticks[Math.floor(ticks.length * 0.99)],
      max: ticks.at(-1),
    });
  const serverCpuPct = Math.round(((cpu.user + cpu.system) / 1000 / (now() - t0)) * 100);
  const { result } = await clients.ask({ cmd: 'finish', commits, windowMs: WINDOW_MS });
  for (const o of await ex.orders.listOrders(who.orgId, 'open')) await ex.orders.cancel(who, o.id);
  return { result: result as Result, rssMb: Math.round(rss / 1048576), commits: commits.length, refused, serverCpuPct };
}

export async function runQuotesBench(): Promise<string> {
  const big: Scenario = {
    sockets: Number(process.env.QUOTES_BENCH_SOCKETS ?? 10_000),
    rate: 10,
    seconds: Number(process.env.QUOTES_BENCH_SECONDS ?? 30),
  };
  const small: Scenario = { sockets: 1000, rate: 20, seconds: Math.min(15, big.seconds) };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-bench-quotes-'));
  // Every subscriber connects from this one address: its per-address caps are lifted for the fan-out measurement.
  const caps = { CONNECTIONS_PER_ADDRESS: '1000000', WS_UNAUTHENTICATED_PER_ADDRESS: '100000', WS_AUTH_TIMEOUT_MS: '60000' };
  const ex = await createExchange(
    loadConfig({ PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_MARKET: 'empty', ...caps }),
    pino({ level: 'silent' }),
  );
  const port = await ex.listen();
  const base = `http://127.0.0.1:${port}`;
  const login = async (u: string) =>
    (await (
      await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: u, password: 'demo-pass' }),
      })
    ).json()) as { token: string; user: { id: string; orgId: string; orgName: string; roles: Principal['roles'] } };
  const b1 = (await login('buyer1')).user;
  const trader: Principal = { userId: b1.id, username: 'buyer1', orgId: b1.orgId, orgName: b1.orgName, roles: b1.roles };
  const reader = (await login('buyer2')).token;
  const { lotSize } = await ex.handle.db.selectFrom('funds').select('lotSize').where('id', '=', FUND).executeTakeFirstOrThrow();
  const naive = naiveServer(ex, lotSize);
  const naiveUrl = await naive.url;
  const clients = new Clients();
  await clients.ask(null);
  const rows: string[] = [];
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  for (const s of [big, small]) {
    const ours = await runScenario(ex, trader, clients, `ws://127.0.0.1:${port}/ws`, reader, s);
    const theirs = await runScenario(ex, trader, clients, naiveUrl, null, s);
    for (const [name, r] of [
      ['coalesced (ours)', ours],
      ['naive broadcast', theirs],
    ] as const) {
      rows.push(
        `| ${s.sockets} sockets, ${s.rate} changes/s, ${s.seconds} s | ${name} | ${r.commits}` +
          `${r.refused ? ` (${r.refused} refused)` : ''} | ${fmt(r.result.p50)} | ${fmt(r.result.p99)}` +
          ` | ${fmt(r.result.max)} | ${r.result.windows.map(fmt).join(' / ')} | ${fmt(r.result.dueP99)}` +
          ` | ${r.result.missing} | ${r.rssMb} | ${r.result.messages} | ${fmt(r.result.clientUsPerMessage)}` +
          ` | ${r.serverCpuPct} |`,
      );
    }
    rows.push(
      `| | **ratio ours/naive** | | | **${(ours.result.p99 / theirs.result.p99).toFixed(2)}` +
        `** | | | **${(ours.result.dueP99 / theirs.result.dueP99).toFixed(2)}** | | |`,
    );
  }
  clients.exit();
  await naive.close();
  await ex.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return [
    '## Quotes: book fan-out over WebSocket',
    '',
    `${os.cpus().length} cores; sockets in a child process; latency = first ` +
      `arrival of a message reflecting a book seq − that seq's commit (ms); ` +
      `"from scheduled time" counts from when the order was due by the ` +
      `schedule instead, so it also shows a backlog that holds orders back ` +
      `before they commit; windows = p99 per ${WINDOW_MS / 1000} s; ${WARMUP_CHANGES}` +
      ` unmeasured warm-up changes after connecting; RSS = server process ` +
      `peak (it also hosts the naive server and the order generator).`,
    '',
    '| scenario | publisher | commits | p50 | p99 | max | p99 per window | ' +
      'p99 from scheduled time | missing | RSS MB | messages | client µs/msg ' +
      '| server CPU % |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (require.main === module)
  runQuotesBench().then(
    (md) => {
      console.log(md);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
