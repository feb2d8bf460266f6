/**
 * Scale-out on PostgreSQL: two exchange processes on one database, trading different funds, next to
 * one process, in the same run — through a TCP proxy adding DELAY_MS each way between the exchanges
 * and PostgreSQL (a database one network hop away; on 2 cores one process without it is bound by
 * the cores, not the database). While two processes trade, pg_locks is sampled for lock requests not
 * granted in the benchmark's database (other databases on the server are not ours). Then both processes with
 * the one-process phase's connections each, and one process with as many connections as those two together
 * (whether the second process adds capacity or only requests in flight). Also one process against
 * a plain Express route doing one durable INSERT per request through pg (pool of 10), through the same
 * proxy, in the same run. The proxy counts every connection's round trips (bench/pg-wire.ts).
 *
 * Run: npx tsx bench/scale.ts [postgres://…]  (default TEST_POSTGRES_URL; a database is created and dropped)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import express from 'express';
import { Client, Pool } from 'pg';
import { countStatementsPerOrder } from './pg-statements';
import type { WireCounts } from './pg-wire';
import { DEMO_FUNDS as FUNDS, iocOrderRequest } from './load';
import { machineBusy } from './stats';

const DELAY_MS = 1;
const CONNECTIONS = 64;
const DURATION_S = 5;
const ROUNDS = 3;

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const run = (opts: autocannon.Options) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });

async function startExchangeProcess(env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  const port = 20_000 + crypto.randomInt(20_000);
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, '..', 'server', 'main.ts')], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`exchange exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return { port, child };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('exchange did not start');
}

/**
 * The delay proxy in a process of its own (bench/delay-proxy.ts), so the load generator does not slow its
 * timers; it counts what every connection sends (bench/pg-wire.ts) and tells on request.
 */
async function proxyProcess(host: string, port: number): Promise<{ port: number; counts(): Promise<WireCounts>; close(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', path.join(__dirname, 'delay-proxy.ts'), host, String(port), String(DELAY_MS)],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const listening = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`delay proxy exited with ${code}`)));
  });
  return {
    port: listening,
    counts: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as WireCounts));
        child.send('counts');
      }),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Durable IOC bids below every ask on `funds`, alternating two buyers. */
function orderLoad(port: number, tokens: string[], funds: string[], connections: number, tag: string): Promise<autocannon.Result> {
  return run({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: DURATION_S,
    requests: [iocOrderRequest(tokens, funds, `scale-${tag}-`)],
  });
}

const orderCount = async (db: Client) => Number((await db.query<{ n: string }>('select count(*) as n from orders')).rows[0]!.n);

/** Waits until no order has committed for 300 ms: the exchanges have answered what the load generator left queued. */
async function settled(db: Client): Promise<void> {
  const count = async () => (await db.query<{ n: string }>('select count(*) as n from orders')).rows[0]!.n;
  for (let last = await count(), i = 0; i < 100; i++) {
    await new Promise((res) => setTimeout(res, 300));
    const now = await count();
    if (now === last) return;
    last = now;
  }
}

export async function runScaleBench(adminUrl: string): Promise<string> {
  const name = `sfund_scale_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const direct = new URL(adminUrl);
  direct.pathname = `/${name}`;
  const proxy = await proxyProcess(direct.hostname, Number(direct.port || 5432));
  const viaProxy = new URL(direct.toString());
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-scale-'));
  const env = {
    DATABASE_URL: viaProxy.toString(),
    DATA_DIR: dataDir,
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    SEALED_BID_KEY: crypto.randomBytes(32).toString('hex'),
  };
  const children: ChildProcess[] = [];
  const pool = new Pool({ connectionString: viaProxy.toString(), max: 10 });
  pool.on('error', () => {}); // idle clients cut when the database is dropped at the end
  const naive = express();
  naive.use(express.json());
  naive.post('/naive', async (req, res) => {
    const r = await pool.query('insert into naive_orders (body) values ($1) returning id', [JSON.stringify(req.body)]);
    res.status(201).json({ id: r.rows[0].id });
  });
  const naiveServer = http.createServer(naive);
  await new Promise<void>((r) => naiveServer.listen(0, '127.0.0.1', r));
  const naivePort = (naiveServer.address() as { port: number }).port;
  const sampler = new Client({ connectionString: direct.toString() });
  try {
    await pool.query('create table naive_orders (id serial primary key, body text not null)');
    const a = await startExchangeProcess(env); // migrates and seeds
    children.push(a.child);
    const b = await startExchangeProcess(env);
    children.push(b.child);
    const login = async (port: number, username: string) =>
      (
        (await (
          await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username, password: 'demo-pass' }),
          })
        ).json()) as { token: string }
      ).token;
    const tokensA = [await login(a.port, 'buyer1'), await login(a.port, 'buyer2')];
    const tokensB = [await login(b.port, 'buyer1'), await login(b.port, 'buyer2')];
    await sampler.connect();

    const rows: string[] = [];
    const waits: { samples: number; waiting: number; kinds: Map<string, number> } = { samples: 0, waiting: 0, kinds: new Map() };
    const ratios: number[] = [];
    const naiveRatios: number[] = [];
    const fullRatios: number[] = [];
    const sameLoadRatios: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const base = await run({
        url: `http://127.0.0.1:${naivePort}/naive`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: DURATION_S,
        headers: { 'content-type': 'application/json' },
        body: '{"fundId":"bj-ai-2021","side":"buy"}',
      });
      const [wireBefore, ordersBefore] = [await proxy.counts(), await orderCount(sampler)];
      const busyOne = machineBusy();
      const one = await orderLoad(a.port, tokensA, FUNDS, CONNECTIONS, `one-${r}`);
      const oneBusy = busyOne();
      // autocannon stops at its deadline with requests still queued in the exchange: let them commit,
      // or process A's leftover batches on B's funds would show as lock waits of the next phase.
      await settled(sampler);
      const [wireAfter, ordersAfter] = [await proxy.counts(), await orderCount(sampler)];
      // Every connection's round trips in the phase (process B's book follower's too), per order committed.
      const oneOrders = Math.max(1, ordersAfter - ordersBefore);
      const perOrder = (wireAfter.roundTrips - wireBefore.roundTrips) / oneOrders;
      const perBatch = oneOrders / Math.max(1, wireAfter.transactionsEnded - wireBefore.transactionsEnded);
      // Two processes, each on its own three funds, half the connections each; pg_locks sampled meanwhile.
      let sampling = true;
      const sample = (async () => {
        while (sampling) {
          const w = await sampler.query<{ locktype: string; classid: number | null; objid: number | null; mode: string }>(
            'select locktype, classid, objid, mode from pg_locks where not granted ' +
              'and database = (select oid from pg_database where datname = current_database())',
          );
          waits.samples++;
          if (w.rows.length) waits.waiting++;
          for (const l of w.rows) {
            const k = `${l.locktype}${l.classid !== null ? ` ns ${l.classid}` : ''} ${l.mode}`;
            waits.kinds.set(k, (waits.kinds.get(k) ?? 0) + 1);
          }
          await new Promise((res) => setTimeout(res, 20));
        }
      })();
      const [twoA, twoB] = await Promise.all([
        orderLoad(a.port, tokensA, FUNDS.slice(0, 3), CONNECTIONS / 2, `twoA-${r}`),
        orderLoad(b.port, tokensB, FUNDS.slice(3), CONNECTIONS / 2, `twoB-${r}`),
      ]);
      sampling = false;
      await sample;
      await settled(sampler);
      // Two processes with the one-process phase's load EACH: once one process is bound by round trips
      // rather than by its work, the split phase above cannot go faster than it; this shows the capacity added.
      const busyFull = machineBusy();
      const [fullA, fullB] = await Promise.all([
        orderLoad(a.port, tokensA, FUNDS.slice(0, 3), CONNECTIONS, `fullA-${r}`),
        orderLoad(b.port, tokensB, FUNDS.slice(3), CONNECTIONS, `fullB-${r}`),
      ]);
      const fullBusy = busyFull();
      await settled(sampler);
      // The same offered load on ONE process (twice the connections): whether the second process adds capacity,
      // or the 64 + 64 phase is faster only because it has twice the requests in flight.
      const busyDouble = machineBusy();
      const oneDouble = await orderLoad(a.port, tokensA, FUNDS, 2 * CONNECTIONS, `oneDouble-${r}`);
      const doubleBusy = busyDouble();
      await settled(sampler);
      const full = fullA.requests.average + fullB.requests.average;
      fullRatios.push(full / one.requests.average);
      sameLoadRatios.push(full / oneDouble.requests.average);
      const two = twoA.requests.average + twoB.requests.average;
      ratios.push(two / one.requests.average);
      naiveRatios.push(one.requests.average / base.requests.average);
      const p99two = Math.max(twoA.latency.p99, twoB.latency.p99);
      const non2xx = one.non2xx + twoA.non2xx + twoB.non2xx + fullA.non2xx + fullB.non2xx;
      rows.push(
        `| ${r + 1} | ${base.requests.average.toFixed(0)} | ${base.latency.p99} | ${one.requests.average.toFixed(0)}` +
          ` | ${one.latency.p99} | ${perOrder.toFixed(2)} / ${perBatch.toFixed(1)}` +
          ` | ${twoA.requests.average.toFixed(0)} + ${twoB.requests.average.toFixed(0)}` +
          ` = ${two.toFixed(0)} | ${p99two} | ${non2xx + base.non2xx} | ${(two / one.requests.average).toFixed(2)}` +
          ` | ${(one.requests.average / base.requests.average).toFixed(2)}` +
          ` | ${pct(oneBusy)} / ${pct(fullBusy)} / ${pct(doubleBusy)}` +
          ` | ${full.toFixed(0)} | ${Math.max(fullA.latency.p99, fullB.latency.p99)} | ${(full / one.requests.average).toFixed(2)}` +
          ` | ${oneDouble.requests.average.toFixed(0)} | ${oneDouble.latency.p99} | ${(full / oneDouble.requests.average).toFixed(2)} |`,
      );
    }
    const committed = await sampler.query<{ n: string }>('select count(*) as n from orders');
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const kinds = [...waits.kinds].map(([k, n]) => `${k}: ${n}`).join('; ') || 'none';
    return [
      '## Scale-out on PostgreSQL: two processes on one database, different funds',
      '',
      `PostgreSQL on this machine reached through a TCP proxy adding ${DELAY_MS}` +
        ` ms each way (bench/delay-proxy.ts, a process of its own); ${CONNECTIONS}` +
        ` connections per phase ` +
        (`(two processes: ${CONNECTIONS / 2} each, process A on three funds, B ` +
          `on the other three; then both with ${CONNECTIONS} each, and process A alone with ${2 * CONNECTIONS}), ` +
          `${ROUNDS} rounds of ${DURATION_S} s per phase, `) +
        'load generator in the bench process. Orders: durable IOC bids (order row, journal, audit entry, idempotency key), none rests. ' +
        'Naive: a plain Express route doing one INSERT per request through pg (pool of 10), through the same proxy.',
      '',
      '| round | naive INSERT req/s | p99 ms | 1 process orders/s | p99 ms | 1 process: round trips per order / orders per transaction | ' +
        '2 processes orders/s | p99 ms | non-2xx | 2 ÷ 1 | 1 process ÷ naive | ' +
        `machine CPU busy: 1 × ${CONNECTIONS} / 2 × ${CONNECTIONS} / 1 × ${2 * CONNECTIONS} | ` +
        `2 processes × ${CONNECTIONS} connections orders/s | p99 ms | ÷ 1 | ` +
        `1 process × ${2 * CONNECTIONS} connections orders/s | p99 ms | 2 × ${CONNECTIONS} ÷ 1 × ${2 * CONNECTIONS} |`,
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `Machine load average at the end (1, 5, 15 min): ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(', ')} on ${os.cpus().length} cores.`,
      '',
      `Median two-process ratio **${median(ratios).toFixed(2)}×** (target ≥ ` +
        `1.5×); one process ÷ naive route **${median(naiveRatios).toFixed(2)}` +
        `×** (#20's target ≥ 1.0×); two processes with ${CONNECTIONS} connections each ÷ one process ` +
        `**${median(fullRatios).toFixed(2)}×**, ÷ one process with as many connections (${2 * CONNECTIONS}) ` +
        `**${median(sameLoadRatios).toFixed(2)}×**. ` +
        (`pg_locks (this database only) sampled ${waits.samples} times during ` +
          `the two-process phases: ${waits.waiting} samples had a lock request waiting (${kinds}` +
          `). `) +
        `Orders committed: ${committed.rows[0]!.n}.`,
      '',
    ].join('\n');
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await sampler.end().catch(() => {});
    await pool.end();
    await new Promise<void>((r) => naiveServer.close(() => r()));
    await proxy.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function main(url: string): Promise<void> {
  try {
    const probe = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    await probe.connect();
    await probe.end();
  } catch (err) {
    console.log(`## Scale-out on PostgreSQL\n\nSKIPPED: no PostgreSQL at ${url} (${err instanceof Error ? err.message : err}).\n`);
    return;
  }
  console.log(await runScaleBench(url));
  const s = await countStatementsPerOrder(url);
  console.log(
    [
      '### Statements per durable order on PostgreSQL (bench/pg-statements.ts)',
      '',
      'Counted on the wire (bench/pg-wire.ts), every connection of the exchange: ' +
        `${s.perOrder.toFixed(1)} statements and ${s.roundTripsPerOrder.toFixed(1)} round trips per order for 100 orders sent one ` +
        `after another (each a batch of its own); ${s.perOrderConcurrent.toFixed(1)} statements and ` +
        `${s.roundTripsPerOrderConcurrent.toFixed(1)} round trips with 20 in flight (${s.ordersPerBatchConcurrent.toFixed(1)} orders ` +
        'per transaction). One order alone, round trip by round trip:',
      '',
      ...s.oneOrder.map((q) => `    ${q.replace(/\s+/g, ' ').slice(0, 150)}`),
      '',
    ].join('\n'),
  );
}

if (require.main === module) {
  main(process.argv[2] ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test').catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
