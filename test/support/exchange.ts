/** Starts a real exchange on a fresh database and talks to it over real HTTP with real signed tokens. */
import { expect } from 'chai';
import pino from 'pino';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExchange, type Exchange } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { FreshDatabase, TestDatabaseKind } from './databases';

export interface TestExchange {
  exchange: Exchange;
  baseUrl: string;
  login(username: string, password?: string): Promise<string>;
  call(
    method: string,
    urlPath: string,
    opts?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /**
   * Stops the exchange and starts a new one on the same database and data directory (tokens stay
   * valid): what recovery sees after a restart. Extra environment applies to the new process.
   */
  restart(env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestExchange(kind: TestDatabaseKind, env: Record<string, string> = {}): Promise<TestExchange> {
  const fresh: FreshDatabase = await kind.create();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-data-'));
  // Suites start from the clean demo (users, funds, positions, NAV reports) unless they ask for the full one.
  const baseEnv = {
    PORT: '0',
    DATABASE_URL: fresh.url,
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEMO_MARKET: 'empty',
    ...env,
  };
  const start = async (extra: Record<string, string>) => {
    const exchange = await createExchange(loadConfig({ ...baseEnv, ...extra }), pino({ level: 'silent' }));
    return { exchange, baseUrl: `http://127.0.0.1:${await exchange.listen()}` };
  };
  let { exchange, baseUrl } = await start({});
  const tokens = new Map<string, string>();

  const call: TestExchange['call'] = async (method, urlPath, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(baseUrl + urlPath, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };

  const t: TestExchange = {
    exchange,
    baseUrl,
    call,
    async restart(extra = {}) {
      await exchange.close();
      ({ exchange, baseUrl } = await start(extra));
      t.exchange = exchange;
      t.baseUrl = baseUrl;
    },
    async login(username, password = 'demo-pass') {
      const cached = tokens.get(username);
      if (cached && password === 'demo-pass') return cached;
      const r = await call('POST', '/api/auth/login', { body: { username, password } });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      tokens.set(username, r.body.token);
      return r.body.token as string;
    },
    async stop() {
      await exchange.close();
      await fresh.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Asserts the answer's status (200 unless given) and returns its body. */
export function expectOk(r: { status: number; body: any }, status = 200): any {
  expect(r.status, JSON.stringify(r.body)).to.equal(status);
  return r.body;
}

/** Asserts a problem+json answer with the given status and stable code. */
export function expectProblem(r: { status: number; body: any; headers: Headers }, status: number, code: string): void {
  expect(r.status, JSON.stringify(r.body)).to.equal(status);
  expect(r.headers.get('content-type')).to.match(/application\/problem\+json/);
  expect(r.body.code).to.equal(code);
  expect(r.body.title).to.be.a('string');
  expect(r.body.detail).to.be.a('string');
}
