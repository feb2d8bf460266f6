/**
 * Statements each durable order sends to PostgreSQL: 100 orders submitted one after another (each
 * waits for its answer, so each is a batch of its own, the worst case), then 100 sent 20 at a time.
 * Counted on the wire (bench/pg-wire.ts, through a proxy without delay in front of the database), so
 * every connection counts: the matching thread's, the HTTP thread's, the book follower's. Prints
 * statements and round trips per order, and the round trips of one order.
 *
 * Run: npx tsx bench/pg-statements.ts [postgres://…/db-to-create-in]  (default TEST_POSTGRES_URL)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { createExchange } from '../server/app';
import { loadConfig } from '../server/config';
import { startDelayProxy } from './delay-proxy';
import { WireCounter, type WireCounts } from './pg-wire';

const ORDERS = 100;
const CONCURRENT = 20;

export interface StatementCounts {
  /** Statements and round trips per order, one order at a time (each a batch of its own). */
  perOrder: number;
  roundTripsPerOrder: number;
  /** The same with CONCURRENT in flight (sharing batches), and how many orders a batch then held. */
  perOrderConcurrent: number;
  roundTripsPerOrderConcurrent: number;
  ordersPerBatchConcurrent: number;
  /** The round trips of one order sent alone. */
  oneOrder: string[];
}

export async function countStatementsPerOrder(adminUrl: string): Promise<StatementCounts> {
  const name = `sfund_stmts_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const direct = new URL(adminUrl);
  const counter = new WireCounter();
  const proxy = await startDelayProxy({ host: direct.hostname, port: Number(direct.port || 5432) }, 0, counter);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  url.host = `127.0.0.1:${proxy.port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-stmts-'));
  const exchange = await createExchange(
    loadConfig({ PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url.toString() }),
    pino({ level: 'silent' }),
  );
  const port = await exchange.listen();
  const since = (before: WireCounts) => ({
    statements: counter.counts.statements - before.statements,
    roundTrips: counter.counts.roundTrips - before.roundTrips,
    batches: counter.counts.transactionsEnded - before.transactionsEnded,
  });
  try {
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
    const token = await login('buyer1');
    const submit = (n: number) =>
      fetch(`http://127.0.0.1:${port}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `stmts-${n}-${name}` },
        body: JSON.stringify({ fundId: 'bj-ai-2021', side: 'buy', pricePct: '50.00', quantity: '1000000', timeInForce: 'IOC' }),
      });
    await submit(-1); // warm: prepared statements compiled, caches filled
    const alone = { ...counter.counts };
    let oneOrder: string[] = [];
    for (let n = 0; n < ORDERS; n++) {
      counter.recording = n === Math.floor(ORDERS / 2);
      const r = await submit(n);
      if (r.status !== 201 && r.status !== 200) throw new Error(`order ${n}: ${r.status} ${await r.text()}`);
      if (counter.recording) [oneOrder, counter.recorded, counter.recording] = [counter.recorded, [], false];
    }
    const one = since(alone);
    // Then CONCURRENT orders in flight at once: they share batches, and what a batch can share is sent once.
    const shared = { ...counter.counts };
    for (let n = 0; n < ORDERS; n += CONCURRENT) {
      await Promise.all(Array.from({ length: CONCURRENT }, (_, k) => submit(10_000 + n + k).then((r) => r.arrayBuffer())));
    }
    const many = since(shared);
    return {
      perOrder: one.statements / ORDERS,
      roundTripsPerOrder: one.roundTrips / ORDERS,
      perOrderConcurrent: many.statements / ORDERS,
      roundTripsPerOrderConcurrent: many.roundTrips / ORDERS,
      ordersPerBatchConcurrent: ORDERS / Math.max(1, many.batches),
      oneOrder,
    };
  } finally {
    await exchange.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    // pg-pool's end() resolves before its sockets close: wait for them, as test/support/databases.ts does.
    for (let i = 0; i < 100; i++) {
      const r = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (r.rows[0]?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await proxy.close();
  }
}

if (require.main === module) {
  countStatementsPerOrder(process.argv[2] ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test').then(
    (r) => {
      console.log(
        `per order (${ORDERS} sequential IOC orders): ${r.perOrder.toFixed(1)} statements, ${r.roundTripsPerOrder.toFixed(1)} round trips` +
          `; ${CONCURRENT} at a time: ${r.perOrderConcurrent.toFixed(1)} statements, ${r.roundTripsPerOrderConcurrent.toFixed(1)}` +
          ` round trips (${r.ordersPerBatchConcurrent.toFixed(1)} orders per batch)`,
      );
      for (const s of r.oneOrder) console.log(`  ${s.replace(/\s+/g, ' ').slice(0, 160)}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
