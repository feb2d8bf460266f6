/**
 * `npm run fuzz -- --requests N [--ws-messages M] [--seed S]`: the OpenAPI-driven fuzzer (fuzz-core.ts)
 * against a fresh in-process exchange on a temporary SQLite database. Prints the report as JSON; exits 1
 * on any 5xx or any state change by a refused request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createExchange } from '../server/app';
import { loadConfig } from '../server/config';
import { DEMO_USERS } from '../server/seed/demo-market';
import { runFuzz } from './fuzz-core';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<number> {
  const requests = arg('requests', 20_000);
  const wsMessages = arg('ws-messages', Math.ceil(requests / 4));
  const seed = arg('seed', 19);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-fuzz-'));
  // One client address sends everything: its sign-in and socket caps are lifted, the rest stay as configured.
  const ex = await createExchange(
    loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      CLOCK: 'simulated',
      WS_UNAUTHENTICATED_PER_ADDRESS: '1000',
    }),
    pino({ level: 'silent' }),
  );
  const baseUrl = `http://127.0.0.1:${await ex.listen()}`;
  try {
    const tokens: Record<string, string> = { '': '' };
    for (const u of DEMO_USERS) {
      const r = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: u.username, password: 'demo-pass' }),
      });
      tokens[u.username] = ((await r.json()) as { token: string }).token;
    }
    const report = await runFuzz({ baseUrl, db: ex.handle.db, tokens, requests, wsMessages, seed });
    const rssMb = Math.round(process.memoryUsage().rss / 1e6);
    console.log(
      JSON.stringify(
        {
          ...report,
          serverErrors: report.serverErrors.slice(0, 20),
          stateChangedOnRefusal: report.stateChangedOnRefusal.slice(0, 20),
          rssMb,
        },
        null,
        2,
      ),
    );
    return report.serverErrors.length || report.stateChangedOnRefusal.length ? 1 : 0;
  } finally {
    await ex.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
