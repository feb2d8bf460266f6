/**
 * The databases every repository/component suite runs against: SQLite always; PostgreSQL when a
 * server answers at TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test). Each test
 * context gets a fresh database (a temp SQLite file, or a new PostgreSQL database dropped afterwards).
 * Without PostgreSQL the suites are skipped and the run says so plainly; with REQUIRE_POSTGRES=1 (as
 * .ci/run sets) a missing server fails the run instead.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface TestDatabaseKind {
  name: 'sqlite' | 'postgres';
  /** Null when usable, otherwise why not. */
  unavailable(): Promise<string | null>;
  create(): Promise<FreshDatabase>;
}

const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const sqliteKind: TestDatabaseKind = {
  name: 'sqlite',
  unavailable: async () => null,
  create: async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-test-'));
    return { url: `sqlite:${path.join(dir, 'exchange.sqlite')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  },
};

let pgProbe: Promise<string | null> | undefined;
let pgSkipAnnounced = false;

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const postgresKind: TestDatabaseKind = {
  name: 'postgres',
  unavailable: () =>
    (pgProbe ??= withAdmin(async (c) => {
      await c.query('select 1');
      return null;
    }).catch((err: Error) => {
      if (process.env.REQUIRE_POSTGRES === '1')
        throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL at ${PG_ADMIN_URL} is unreachable: ${err.message}`);
      if (!pgSkipAnnounced) {
        pgSkipAnnounced = true;
        console.log(`\n  NOTE: PostgreSQL suites SKIPPED — no server at ${PG_ADMIN_URL} (${err.message}). SQLite suites ran.\n`);
      }
      return err.message;
    })),
  create: async () => {
    const name = `sfund_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    await withAdmin((c) => c.query(`create database ${name}`));
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    // pg-pool's end() resolves before its clients' sockets have closed; dropping WITH (FORCE) at once
    // terminates those backends and their clients raise an uncaught error. Wait for them to leave first.
    const drop = () =>
      withAdmin(async (c) => {
        for (let i = 0; i < 100; i++) {
          const r = await c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (r.rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await c.query(`drop database if exists ${name} with (force)`);
      });
    return { url: url.toString(), drop };
  },
};

export const DATABASE_KINDS = [sqliteKind, postgresKind];

/** Declares `body` once per database kind; suites on an unavailable kind are skipped (pending), with the reason printed once. */
export function describeEachDatabase(title: string, body: (kind: TestDatabaseKind) => void): void {
  for (const kind of DATABASE_KINDS) {
    describe(`${title} [${kind.name}]`, function () {
      before(async function () {
        if (await kind.unavailable()) this.skip();
      });
      body(kind);
    });
  }
}
