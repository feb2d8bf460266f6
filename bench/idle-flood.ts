/**
 * Idle-connection flood (issue #19): 20,000 idle connections from 127.0.0.2, opened by several
 * processes (each process may hold about 20,000 files), half raw TCP that never sends and half /ws
 * upgrades that never authenticate (with IDLE_FLOOD_RECONNECT_MS, each closed one is reopened after
 * that delay, which turns the flood into a connection-rate flood); meanwhile a probe
 * from 127.0.0.1 opens a new connection for GET /healthz every 50 ms. Target: every probe answered
 * within 100 ms. The exchange runs in its own process (server/main.ts, SQLite, defaults for every cap
 * unless the environment sets them, e.g. CONNECTIONS_PER_ADDRESS).
 *
 * The run is cut in two phases, reported apart: the burst, from the flood's first connection until
 * every first attempt has been answered (connected or closed) and the accept queue has emptied; then
 * the held phase (the flood holds what the server let it hold) or, with reconnects, the sustained one.
 *
 * `npm run bench -- idle-flood` (IDLE_FLOOD_CONNECTIONS, IDLE_FLOOD_PROCESSES, IDLE_FLOOD_SECONDS,
 * IDLE_FLOOD_RECONNECT_MS, IDLE_FLOOD_RATE: first attempts per second in all, 0 = as fast as possible;
 * IDLE_FLOOD_KIND: mixed, tcp or ws; IDLE_FLOOD_SERVER_NICE: the exchange's niceness, e.g. -10, as root).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess } from '../test/support/server-process';
import { grantedBacklog, sysctl, tcpExtCounters, type WatchSample, watch } from './idle-flood-watch';
import { percentile } from './stats';

const CONNECTIONS = Number(process.env.IDLE_FLOOD_CONNECTIONS ?? 20_000);
const PROCESSES = Number(process.env.IDLE_FLOOD_PROCESSES ?? 4);
const SECONDS = Number(process.env.IDLE_FLOOD_SECONDS ?? 30);
/** Reopen each connection the server closes after this many ms (a connection-rate flood); unset: hold what is accepted. */
const RECONNECT_MS = Number(process.env.IDLE_FLOOD_RECONNECT_MS ?? -1);
const RATE = Number(process.env.IDLE_FLOOD_RATE ?? 0);
/** `mixed` (half the processes raw TCP, half /ws), `tcp` or `ws`. */
const KIND = (process.env.IDLE_FLOOD_KIND ?? 'mixed') as 'mixed' | 'tcp' | 'ws';
/** Niceness given to the exchange process (root only; e.g. -10): whether its share of a loaded machine's CPU is the limit. */
const SERVER_NICE = process.env.IDLE_FLOOD_SERVER_NICE;
const LIMIT_MS = 100;

interface Probe {
  at: number;
  ms: number;
  /** Until the TCP handshake completed (a dropped SYN shows here: 1 s, 3 s, 7 s); the rest is the accept queue and the answer. */
  connectMs: number;
  ok: boolean;
}
type FloodStats = Record<'opened' | 'closedByServer' | 'maxOpen' | 'startedAt' | 'rampedAt' | 'settledAt', number>;

function probe(port: number): Promise<Probe> {
  const at = Date.now();
  const t0 = performance.now();
  let connectMs = Number.NaN;
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false, localAddress: '127.0.0.1', timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ at, ms: performance.now() - t0, connectMs, ok: res.statusCode === 200 }));
    });
    req.on('socket', (s) => s.once('connect', () => (connectMs = performance.now() - t0)));
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ at, ms: performance.now() - t0, connectMs, ok: false }));
  });
}

function describe(probes: Probe[]): string {
  if (probes.length === 0) return '— (no probe) | — | — | — |';
  const ms = probes.map((p) => p.ms).sort((a, b) => a - b);
  const slow = probes.filter((p) => p.ms > LIMIT_MS).length;
  const failed = probes.filter((p) => !p.ok).length;
  const met = failed === 0 && slow === 0 ? 'met' : '**not met**';
  const slowest = probes.reduce((a, b) => (b.ms > a.ms ? b : a));
  return (
    `${percentile(ms, 50).toFixed(1)} / ${percentile(ms, 99).toFixed(1)} / ${ms[ms.length - 1]!.toFixed(1)} ms (${probes.length}) | ` +
    `${slowest.connectMs.toFixed(0)} ms | ${slow} / ${failed} | ${met} |`
  );
}

/** Kernel drop counters and server figures over the samples taken in [from, to). */
function during(samples: WatchSample[], from: number, to: number, before: ReturnType<typeof tcpExtCounters>): string {
  const inside = samples.filter((s) => s.at >= from && s.at < to);
  const last = samples.filter((s) => s.at < to).at(-1);
  const first = samples.filter((s) => s.at < from).at(-1);
  const base = first ?? { ...before };
  if (inside.length === 0 || !last) return '— | — | — |';
  const max = (f: (s: WatchSample) => number) => Math.max(...inside.map(f).filter(Number.isFinite));
  return (
    `${max((s) => s.acceptQueue).toLocaleString('en')} | ` +
    `${(last.listenOverflows - base.listenOverflows).toLocaleString('en')} / ` +
    `${(last.listenDrops - base.listenDrops).toLocaleString('en')} | ` +
    `${max((s) => s.serverFds).toLocaleString('en')} / ${max((s) => s.serverRssMb).toFixed(0)} MB |`
  );
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-bench-flood-'));
  const server = await startServerProcess({ DATA_DIR: dataDir, NODE_ENV: 'test' });
  const port = Number(new URL(server.url).port);
  if (SERVER_NICE !== undefined) os.setPriority(server.child.pid!, Number(SERVER_NICE));
  const loadBefore = os.loadavg();
  try {
    const baseline: number[] = [];
    for (let i = 0; i < 40; i++) baseline.push((await probe(port)).ms);
    baseline.sort((a, b) => a - b);
    const backlog = await grantedBacklog(port);
    const countersBefore = tcpExtCounters();
    const watcher = watch(port, server.child.pid!);
    const perProcess = Math.ceil(CONNECTIONS / PROCESSES);
    const flooders = Array.from({ length: PROCESSES }, (_, i) => {
      const child = fork(
        path.join(__dirname, 'idle-flood-client.ts'),
        [
          String(port),
          String(perProcess),
          KIND === 'mixed' ? (i % 2 ? 'ws' : 'tcp') : KIND,
          String(SECONDS),
          String(RECONNECT_MS),
          String(RATE / PROCESSES),
        ],
        { execArgv: ['--require', 'tsx/cjs'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      return new Promise<FloodStats>((resolve) => child.once('message', (m) => resolve(m as FloodStats)));
    });
    const t0 = Date.now();
    const probes: Probe[] = [];
    while (Date.now() - t0 < (SECONDS - 1) * 1000) {
      probes.push(await probe(port));
      await new Promise((res) => setTimeout(res, 50));
    }
    const stats = await Promise.all(flooders);
    watcher.stop();
    const loadAfter = os.loadavg();
    const samples = watcher.samples;
    const start = Math.min(...stats.map((s) => s.startedAt));
    const ramped = stats.some((s) => s.rampedAt === 0) ? Number.NaN : Math.max(...stats.map((s) => s.rampedAt));
    const settled = stats.some((s) => s.settledAt === 0) ? Number.POSITIVE_INFINITY : Math.max(...stats.map((s) => s.settledAt));
    // The burst ends once every first attempt is answered and the accept queue has been seen empty.
    const burstEnd = samples.find((s) => s.at >= settled && s.acceptQueue === 0)?.at ?? Number.POSITIVE_INFINITY;
    const end = start + SECONDS * 1000;
    const sum = (k: keyof FloodStats) => stats.reduce((n, s) => n + s[k], 0);
    const rampS = (ramped - start) / 1000;
    console.log('## Idle-connection flood\n');
    console.log(
      `${CONNECTIONS.toLocaleString('en')} idle connections wanted from 127.0.0.2 by ${PROCESSES}` +
        ` processes (${{ mixed: 'half raw TCP, half unauthenticated /ws', tcp: 'raw TCP', ws: 'unauthenticated /ws' }[KIND]}), ` +
        `${RECONNECT_MS >= 0 ? `each closed one reopened after ${RECONNECT_MS} ms` : 'what the server closes is not reopened'}` +
        `, ${SECONDS} s; probe GET /healthz from 127.0.0.1 on a new connection every 50 ms from the flood's start. ` +
        `Kernel: somaxconn ${sysctl('net.core.somaxconn')}, tcp_max_syn_backlog ${sysctl('net.ipv4.tcp_max_syn_backlog')}, ` +
        `tcp_syncookies ${sysctl('net.ipv4.tcp_syncookies')}; listen backlog granted ${backlog}. ` +
        `Load average (1 min) ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after` +
        `${SERVER_NICE === undefined ? '' : `; the exchange at nice ${SERVER_NICE}`}.\n`,
    );
    console.log(
      `Flood: first attempts ${RATE > 0 ? `paced at ${RATE.toLocaleString('en')}/s` : 'as fast as the flooders could'}` +
        (Number.isFinite(rampS)
          ? ` — ${CONNECTIONS.toLocaleString('en')} in ${rampS.toFixed(2)} s ` +
            `(${Math.round(CONNECTIONS / Math.max(rampS, 0.001)).toLocaleString('en')}/s); `
          : ` — not all ${CONNECTIONS.toLocaleString('en')} first attempts made within the run; `) +
        `all answered ${Number.isFinite(settled) ? `${((settled - start) / 1000).toFixed(2)} s` : 'never'} after the start; ` +
        `burst over ${Number.isFinite(burstEnd) ? `${((burstEnd - start) / 1000).toFixed(2)} s` : 'never'} after the start; ` +
        `opened ${sum('opened').toLocaleString('en')}, closed by the server ${sum('closedByServer').toLocaleString('en')}, ` +
        `held at most ${sum('maxOpen').toLocaleString('en')} at once (client side).\n`,
    );
    // The exchange's CPU time over the burst, per first attempt: what one refused connection costs it.
    const cpuAt = (t: number) => samples.filter((s) => s.at <= t).at(-1)?.serverCpuMs ?? NaN;
    const burstCpuMs = cpuAt(Math.min(burstEnd, end)) - cpuAt(start);
    console.log(
      `Exchange CPU over the burst: ${burstCpuMs.toFixed(0)} ms, ` +
        `${((burstCpuMs * 1000) / CONNECTIONS).toFixed(1)} µs per connection (10 ms resolution; includes its probes).\n`,
    );
    console.log(
      `/healthz before the flood: p50 / p99 ${percentile(baseline, 50).toFixed(1)} / ${percentile(baseline, 99).toFixed(1)} ms.\n`,
    );
    const held = RECONNECT_MS >= 0 ? 'sustained (reconnecting)' : 'held';
    const phases: [string, number, number][] = [
      ['burst', start, Math.min(burstEnd, end)],
      [held, Math.min(burstEnd, end), end],
    ];
    console.log(
      '| phase | s | /healthz p50 / p99 / max (probes) | slowest: handshake | probes > 100 ms / failed | target | ' +
        'accept queue, most | SYNs dropped (ListenOverflows / ListenDrops) | server files / RSS, most |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const [name, from, to] of phases) {
      const inPhase = probes.filter((p) => p.at >= from && p.at < to);
      const seconds = `${((from - start) / 1000).toFixed(1)}–${((to - start) / 1000).toFixed(1)}`;
      console.log(`| ${name} | ${seconds} | ${describe(inPhase)} ${during(samples, from, to, countersBefore)}`);
    }
    console.log('');
  } finally {
    server.child.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
