/**
 * Statements each durable order sends to PostgreSQL: 100 orders submitted one after another (each
 * waits for its answer, so each is a batch of its own, the worst case), every statement the pg client
 * sends counted (a round trip each). Prints the count per order and the statements of one order.
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

const ORDERS = 100;
const CONCURRENT = 20;

export async function countStatementsPerOrder(
  adminUrl: string,
): Promise<{ perOrder: number; perOrderConcurrent: number; oneOrder: string[] }> {
  const name = `sfund_stmts_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-stmts-'));
  const exchange = await createExchange(
    loadConfig({ PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url.toString() }),
    pino({ level: 'silent' }),
  );
  const port = await exchange.listen();
  const sent: string[] = [];
  const query = Client.prototype.query;
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
    (Client.prototype as { query: unknown }).query = function (this: Client, ...args: unknown[]) {
      const q = args[0];
      sent.push(typeof q === 'string' ? q : ((q as { text?: string }).text ?? String(q)));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    };
    const perOrderStart: number[] = [];
    for (let n = 0; n < ORDERS; n++) {
      perOrderStart.push(sent.length);
      const r = await submit(n);
      if (r.status !== 201 && r.status !== 200) throw new Error(`order ${n}: ${r.status} ${await r.text()}`);
    }
    perOrderStart.push(sent.length);
    // Then CONCURRENT orders in flight at once: they share batches, and what a batch can share is sent once.
    const before = sent.length;
    for (let n = 0; n < ORDERS; n += CONCURRENT) {
      await Promise.all(Array.from({ length: CONCURRENT }, (_, k) => submit(10_000 + n + k).then((r) => r.arrayBuffer())));
    }
    const perOrderConcurrent = (sent.length - before) / ORDERS;
    const mid = Math.floor(ORDERS / 2);
    // Only the book-following LISTEN connection sends on its own; nothing else runs in between.
    return {
      perOrder: perOrderStart[ORDERS]! / ORDERS,
      perOrderConcurrent,
      oneOrder: sent.slice(perOrderStart[mid], perOrderStart[mid + 1]),
    };
  } finally {
    (Client.prototype as { query: unknown }).query = query;
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
  }
}

if (require.main === module) {
  countStatementsPerOrder(process.argv[2] ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test').then(
    (r) => {
      console.log(
        `statements per order (${ORDERS} sequential IOC orders): ${r.perOrder.toFixed(1)}` +
          `; ${CONCURRENT} at a time: ${r.perOrderConcurrent.toFixed(1)}`,
      );
      for (const s of r.oneOrder) console.log(`  ${s.replace(/\s+/g, ' ').slice(0, 160)}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
