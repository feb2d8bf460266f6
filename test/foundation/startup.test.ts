import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Client } from 'pg';
import { describeEachDatabase } from '../support/databases';
import { createExchange } from '../../server/app';
import { loadConfig } from '../../server/config';
import { Startup } from '../../server/startup';

const silent = pino({ level: 'silent' });

describe('start-up as composition', () => {
  it('stops the steps already started, last first, when a step fails, and reports the failing step', async () => {
    const stopped: string[] = [];
    const s = new Startup(silent);
    await s.step('a', () => ({
      value: 1,
      stop: () => {
        stopped.push('a');
      },
    }));
    await s.run('b (nothing to stop)', () => 2);
    await s.step('c', async () => ({
      value: 3,
      stop: async () => {
        stopped.push('c');
      },
    }));
    const err = await s
      .step('d', () => {
        throw new Error('no disk');
      })
      .catch((e: unknown) => e);
    expect(String(err)).to.contain('start-up step "d" failed: no disk');
    expect(stopped).to.deep.equal(['c', 'a']);
    await s.stop(); // once only
    expect(stopped).to.deep.equal(['c', 'a']);
  });

  it('runs every stop even when one of them fails', async () => {
    const stopped: string[] = [];
    const s = new Startup(silent);
    await s.step('a', () => ({
      value: 1,
      stop: () => {
        stopped.push('a');
      },
    }));
    await s.step('b', () => ({
      value: 2,
      stop: () => {
        throw new Error('stuck');
      },
    }));
    await s.stop();
    expect(stopped).to.deep.equal(['a']);
  });
});

describeEachDatabase('an exchange whose start-up fails midway', (kind) => {
  it('closes its database handle (nothing leaks)', async function () {
    this.timeout(60_000);
    const fresh = await kind.create();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-startup-'));
    // DATA_DIR is a file: the demo signing key cannot be written there, a step after the database,
    // the migrations, the clock, the demo market, the calendar and the sessions have started.
    const notADirectory = path.join(dir, 'file');
    fs.writeFileSync(notADirectory, '');
    try {
      const config = loadConfig({
        PORT: '0',
        DATABASE_URL: fresh.url,
        DATA_DIR: notADirectory,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DEMO_MARKET: 'empty',
      });
      const err = await createExchange(config, silent).then(
        () => null,
        (e: unknown) => e,
      );
      expect(String(err)).to.match(/start-up step "tokens" failed/);
      expect(await openConnections(kind.name, fresh.url)).to.equal(0);
    } finally {
      await fresh.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Connections this process still holds to the database: open file descriptors (SQLite), server sessions (PostgreSQL). */
async function openConnections(kind: 'sqlite' | 'postgres', url: string): Promise<number> {
  if (kind === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    return fs.readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(file);
      } catch {
        return false;
      }
    }).length;
  }
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
  await admin.connect();
  try {
    let n = -1;
    // A closed pool's sessions leave the server shortly after the client ends them.
    for (let i = 0; i < 100 && n !== 0; i++) {
      if (i) await new Promise((r) => setTimeout(r, 20));
      n = (await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name])).rows[0]!.n;
    }
    return n;
  } finally {
    await admin.end();
  }
}
