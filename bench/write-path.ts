/**
 * What a durable order writes on SQLite, counted rather than timed: the WAL frames (pages) and bytes its
 * batch appends, per order, for the HTTP bench's load (IOC bids below every ask, two buyers, six funds),
 * queued BATCH at a time on the order service so that each batch is one group commit. Counts do not move
 * with the machine's load, where timings on these shared cores do; the CPU per order is printed beside
 * them for what it is worth. Checkpoints are off during the count, so the WAL only grows.
 *
 * Run: npx tsx bench/write-path.ts
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { createExchange } from '../server/app';
import type { Principal } from '../server/auth/tokens';
import { loadConfig } from '../server/config';
import { DEMO_FUNDS, iocBidBelowAsks } from './load';

const BATCH = 25;
const BATCHES = 400;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

export async function runWritePathBench(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-write-path-'));
  const file = path.join(dataDir, 'exchange.sqlite');
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${file}`,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEMO_MARKET: 'empty',
    // The order service on this thread, on the connection this script turns checkpoints off on.
    MATCHING_THREAD: '0',
  });
  const exchange = await createExchange(config, pino({ level: 'silent' }));
  try {
    const buyers: Principal[] = [];
    for (const username of ['buyer1', 'buyer2']) {
      const u = await exchange.handle.db
        .selectFrom('users')
        .select(['id', 'orgId'])
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      buyers.push({ userId: u.id, username, orgId: u.orgId, orgName: username, roles: ['buyer'] });
    }
    const pageSize = Number(Object.values((await sql<object>`pragma page_size`.execute(exchange.handle.db)).rows[0]!)[0]);
    let n = 0;
    const batch = () =>
      Promise.all(
        Array.from({ length: BATCH }, () => {
          const i = n++;
          return exchange.orders.submit(buyers[i % 2]!, iocBidBelowAsks(DEMO_FUNDS, i), `write-path-${crypto.randomUUID()}`);
        }),
      );
    for (let i = 0; i < 20; i++) await batch(); // warm-up: statements prepared, books and facts cached
    await sql`pragma wal_checkpoint(truncate)`.execute(exchange.handle.db);
    await sql`pragma wal_autocheckpoint = 0`.execute(exchange.handle.db);
    const walBefore = fs.statSync(`${file}-wal`).size;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < BATCHES; i++) await batch();
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const bytes = fs.statSync(`${file}-wal`).size - Math.max(walBefore, WAL_HEADER);
    const frames = bytes / (FRAME_HEADER + pageSize);
    const orders = BATCH * BATCHES;
    return [
      '## What a durable order writes (SQLite)',
      '',
      `${BATCHES} batches of ${BATCH} IOC bids (two buyers, six funds), each batch one group commit; checkpoints off while counting.`,
      '',
      '| WAL frames per batch | pages per order | KiB appended per order | CPU µs per order (timed: noisy) | wall ms per batch |',
      '|---|---|---|---|---|',
      `| ${(frames / BATCHES).toFixed(1)} | ${(frames / orders).toFixed(2)} | ${(bytes / orders / 1024).toFixed(2)} ` +
        `| ${((cpu.user + cpu.system) / orders).toFixed(0)} | ${(wallMs / BATCHES).toFixed(2)} |`,
      '',
    ].join('\n');
  } finally {
    await exchange.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runWritePathBench().then(
    (out) => console.log(out),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
