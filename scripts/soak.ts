/**
 * `npm run soak -- --minutes N [--subscribers S]`: a steady mixed load on one in-process exchange
 * (SQLite, WAL, synchronous=FULL) for N minutes — resting orders and their cancels and amends, crossing
 * orders whose trades open transfers that the GP and two operators carry to completion (confirmation
 * PDF included), listings created and withdrawn, and S WebSocket subscribers on the books and trades —
 * printing every 30 s the operations done, throughput, latency (p50/p99 of every call), refusals by code,
 * quote messages received and memory (RSS and heap after a full GC). Not part of `npm test`; RELIABILITY.md
 * records a 10-minute run. Bids in auctions are not driven (an auction needs its disclosure period to end).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { WebSocket } from 'ws';
import { createExchange } from '../server/app';
import { loadConfig } from '../server/config';
import { mulberry32 } from '../test/support/seeded-random';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const MINUTES = arg('minutes', 10);
const SUBSCRIBERS = arg('subscribers', 200);
const SAMPLE_S = arg('sample-seconds', 30);
const FUNDS = ['bj-ai-2021', 'bj-bio-2020', 'bj-sci-fof-2022', 'bj-space-2023'];
const rnd = mulberry32(2026);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-soak-'));
  const ex = await createExchange(
    loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      WS_UNAUTHENTICATED_PER_ADDRESS: String(SUBSCRIBERS + 10),
    }),
    pino({ level: 'silent' }),
  );
  const base = `http://127.0.0.1:${await ex.listen()}`;
  const latencies: number[] = [];
  const ops: Record<string, number> = {};
  const refusals: Record<string, number> = {};
  let quoteMessages = 0;
  const call = async (token: string, method: string, url: string, body?: unknown, what = method) => {
    const t0 = performance.now();
    const r = await fetch(base + url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await r.json().catch(() => null)) as any;
    latencies.push(performance.now() - t0);
    if (r.status >= 400)
      refusals[`${what} ${r.status} ${json?.code ?? ''}`] = (refusals[`${what} ${r.status} ${json?.code ?? ''}`] ?? 0) + 1;
    else ops[what] = (ops[what] ?? 0) + 1;
    return { status: r.status, body: json };
  };
  const login = async (u: string) =>
    (
      (await (
        await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: u, password: 'demo-pass' }),
        })
      ).json()) as { token: string }
    ).token;
  const tok: Record<string, string> = {};
  for (const u of ['lp', 'buyer1', 'buyer2', 'gp', 'operator1', 'operator2']) tok[u] = await login(u);

  // Subscribers: each follows one fund's book and trades.
  const sockets: WebSocket[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'auth', token: pick([tok.buyer1!, tok.buyer2!, tok.lp!]) }));
    const fund = FUNDS[i % FUNDS.length]!;
    ws.on('message', (m) => {
      quoteMessages++;
      if (String(m).includes('"authed"')) {
        ws.send(JSON.stringify({ type: 'subscribe', channel: `book:${fund}` }));
        ws.send(JSON.stringify({ type: 'subscribe', channel: `trades:${fund}` }));
      }
    });
    sockets.push(ws);
  }

  const endAt = Date.now() + MINUTES * 60_000;
  const running = () => Date.now() < endAt;
  const buyers = ['buyer1', 'buyer2'];
  // Resting orders away from the market, then cancelled or amended.
  const restingLoop = async () => {
    while (running()) {
      const who = pick(buyers);
      const placed = await call(
        tok[who]!,
        'POST',
        '/api/orders',
        {
          fundId: pick(FUNDS),
          side: 'buy',
          pricePct: `${(20 + Math.floor(rnd() * 40)).toFixed(2)}`,
          quantity: '1000000',
          timeInForce: 'GTC',
        },
        'order',
      );
      const id = placed.body?.order?.id as string | undefined;
      if (id && rnd() < 0.3)
        await call(tok[who]!, 'PATCH', `/api/orders/${id}`, { pricePct: `${(20 + Math.floor(rnd() * 40)).toFixed(2)}` }, 'amend');
      if (id) await call(tok[who]!, 'DELETE', `/api/orders/${id}`, undefined, 'cancel');
    }
  };
  // A crossing pair every few seconds: a trade and its transfer.
  const tradeLoop = async () => {
    while (running()) {
      const fund = pick(FUNDS);
      const price = `${(90 + Math.floor(rnd() * 9)).toFixed(2)}`;
      const sell = await call(
        tok.lp!,
        'POST',
        '/api/orders',
        { fundId: fund, side: 'sell', pricePct: price, quantity: '1000000', timeInForce: 'GTC' },
        'sell',
      );
      if (sell.status === 201)
        await call(
          tok[pick(buyers)]!,
          'POST',
          '/api/orders',
          { fundId: fund, side: 'buy', pricePct: price, quantity: '1000000', timeInForce: 'IOC' },
          'crossing buy',
        );
      await sleep(3000);
    }
  };
  // The GP and two operators carry every open transfer forward.
  const workflowLoop = async () => {
    const next: Record<string, [string, Record<string, unknown>]> = {
      gp_consent_pending: ['gp', { action: 'gp_consent' }],
      review_pending: ['operator1', { action: 'review' }],
      approval_pending: ['operator2', { action: 'approve' }],
      payment_pending: ['operator1', { action: 'confirm_payment', bankRef: 'SOAK-BANK-1' }],
      registration_pending: ['operator2', { action: 'record_registration', registrationRef: 'SOAK-REG-1', amacRef: 'SOAK-AMAC-1' }],
    };
    while (running()) {
      const open = await call(tok.operator1!, 'GET', '/api/transfers', undefined, 'list transfers');
      for (const tr of (open.body ?? []) as { id: string; state: string }[]) {
        const step = next[tr.state];
        if (step) await call(tok[step[0]]!, 'POST', `/api/transfers/${tr.id}/actions`, step[1], `transfer ${tr.state}`);
      }
      await sleep(1000);
    }
  };
  // Listings created and withdrawn.
  const listingLoop = async () => {
    while (running()) {
      const l = await call(
        tok.lp!,
        'POST',
        '/api/listings',
        {
          fundId: 'bj-ai-2021',
          quantity: '1000000',
          method: 'auction',
          askPrice: '1000000.00',
          increment: '10000.00',
          depositAmount: '100000.00',
          buyerConditions: ['A qualified investor'],
        },
        'listing',
      );
      if (l.body?.id) await call(tok.lp!, 'POST', `/api/listings/${l.body.id}/actions`, { action: 'withdraw' }, 'withdraw listing');
      await sleep(2000);
    }
  };

  const t0 = Date.now();
  const rows: string[] = [];
  const sampler = (async () => {
    let lastOps = 0;
    while (running()) {
      await sleep(SAMPLE_S * 1000);
      (globalThis as { gc?: () => void }).gc?.();
      const mem = process.memoryUsage();
      const total = Object.values(ops).reduce((a, b) => a + b, 0);
      const lat = latencies.splice(0).sort((a, b) => a - b);
      const p = (q: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.ceil(q * lat.length) - 1)]!.toFixed(1) : '-');
      const row =
        `| ${Math.round((Date.now() - t0) / 1000)} | ${((total - lastOps) / SAMPLE_S).toFixed(1)}` +
        ` | ${p(0.5)} | ${p(0.99)} | ${Math.round(mem.rss / 1e6)} | ${Math.round(mem.heapUsed / 1e6)}` +
        ` | ${quoteMessages} |`;
      lastOps = total;
      rows.push(row);
      console.log(row);
    }
  })();
  console.log(
    `soak: ${MINUTES} min, ${SUBSCRIBERS} subscribers, ${base}\n\n| s | ok ` +
      `ops/s | p50 ms | p99 ms | RSS MB | heap MB (after GC) | quote messages ` +
      `|\n|---|---|---|---|---|---|---|`,
  );
  await Promise.all([restingLoop(), restingLoop(), tradeLoop(), workflowLoop(), listingLoop(), sampler]);
  console.log('\noperations:', JSON.stringify(ops));
  console.log('refusals:', JSON.stringify(refusals));
  const completed = await ex.handle.db.selectFrom('transfers').select('state').execute();
  const byState: Record<string, number> = {};
  for (const r of completed) byState[r.state] = (byState[r.state] ?? 0) + 1;
  console.log('transfers by state:', JSON.stringify(byState));
  for (const ws of sockets) ws.terminate();
  await ex.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
