/**
 * The hot path (server/http/hot-path.ts) answers POST /api/orders as Express does. Each request goes
 * once to `/api/orders` (the hot path takes a plain request) and once to `/api/orders?via=express` (a
 * query string sends it through Express; the route ignores it): status, headers and problem bodies must
 * be the same, for accepted orders and for every kind of refusal the front of the pipeline makes.
 * Requests the hot path does not take (compressed, another charset, chunked, oversized) still get
 * Express's answers.
 */
import { expect } from 'chai';
import http from 'node:http';
import zlib from 'node:zlib';
import pino from 'pino';
import { Writable } from 'node:stream';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CSRF_HEADER, SESSION_COOKIE, csrfFor } from '../../server/auth/browser-session';
import type { HotPathListener } from '../../server/http/hot-path';
import { createExchange } from '../../server/app';
import { loadConfig } from '../../server/config';
import { sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';

/** Headers that differ between any two answers. */
const VARYING = new Set(['date', 'x-request-id', 'content-length', 'keep-alive', 'connection']);

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

describe('the hot path for placing an order answers as Express does', function () {
  this.timeout(60_000);
  let t: TestExchange;
  let token: string;
  let n = 0;
  before(async () => {
    t = await startTestExchange(sqliteKind);
    token = await t.login('buyer1');
  });
  after(async () => t?.stop());

  const order = () => ({ fundId: 'bj-ai-2021', side: 'buy', pricePct: '50.00', quantity: '1000000', timeInForce: 'IOC' });

  /** One raw request (node:http, so that nothing adds or rewrites headers), to either path. */
  function send(path: string, headers: Record<string, string>, body: Buffer | string | null, chunked = false): Promise<Answer> {
    const url = new URL(t.baseUrl);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const answer: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (!VARYING.has(k)) answer[k] = String(v);
          resolve({ status: res.statusCode!, headers: answer, body: text ? JSON.parse(text) : undefined });
        });
      });
      req.on('error', reject);
      if (body !== null) {
        if (chunked) {
          req.write(body);
          req.end();
        } else req.end(body);
      } else req.end();
    });
  }

  /** Requests served each way so far. */
  const served = () => ({ ...(t.exchange.server.listeners('request')[0] as HotPathListener).served });

  /** The same request through both paths (checked to be taken); a fresh Idempotency-Key each, unless the headers name one. */
  async function both(headers: Record<string, string>, body: Buffer | string | null): Promise<[Answer, Answer]> {
    const withKey = (h: Record<string, string>) => ({ 'idempotency-key': `hot-path-${++n}`, ...h });
    const json: Record<string, string> = typeof body === 'string' ? { 'content-length': String(Buffer.byteLength(body)) } : {};
    const before = served();
    const hot = await send('/api/orders', { ...json, ...withKey(headers) }, body);
    const express = await send('/api/orders?via=express', { ...json, ...withKey(headers) }, body);
    expect(served(), 'one request each way').to.deep.equal({ hot: before.hot + 1, express: before.express + 1 });
    return [hot, express];
  }

  const bearer = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const cookie = () => ({ cookie: `${SESSION_COOKIE}=${token}`, 'content-type': 'application/json' });

  it('places the order with the same status and headers, and an answer of the same form', async () => {
    const [hot, express] = await both(bearer(), JSON.stringify(order()));
    expect(hot.status).to.equal(201);
    expect(hot.headers).to.deep.equal(express.headers);
    expect(hot.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(hot.headers['cache-control']).to.equal('no-store');
    expect(hot.headers['content-security-policy']).to.contain("default-src 'self'");
    const shape = (a: Answer) => ({ ...a.body, order: { ...a.body.order, id: 'id', createdAt: 'at' } });
    expect(shape(hot)).to.deep.equal(shape(express));
  });

  const refusals: [string, () => Record<string, string>, string | null][] = [
    ['no token', () => ({ 'content-type': 'application/json' }), JSON.stringify(order())],
    ['a token that is not one', () => ({ ...bearer(), authorization: 'Bearer nonsense' }), JSON.stringify(order())],
    ['a body that is not JSON', bearer, '{"fundId": '],
    ['JSON that is neither object nor array', bearer, '"an order"'],
    ['a body of blanks', bearer, '  \n '],
    ['an empty body', bearer, ''],
    ['an unknown field', bearer, JSON.stringify({ ...order(), extra: 1 })],
    ['an off-tick price', bearer, JSON.stringify({ ...order(), pricePct: '50.001' })],
    ['a control character in a field', bearer, JSON.stringify({ ...order(), fundId: 'bj-ai\u202e2021' })],
    ['a malformed Idempotency-Key', () => ({ ...bearer(), 'idempotency-key': 'short' }), JSON.stringify(order())],
    ['another site as Origin', () => ({ ...bearer(), origin: 'https://evil.example' }), JSON.stringify(order())],
    ['a Chinese reader', () => ({ ...bearer(), 'accept-language': 'zh-CN' }), '{"fundId": '],
    ['the session cookie without its CSRF header', () => cookie(), JSON.stringify(order())],
    ['the session cookie with a wrong CSRF header', () => ({ ...cookie(), [CSRF_HEADER]: 'x'.repeat(43) }), JSON.stringify(order())],
  ];
  for (const [what, headers, body] of refusals) {
    it(`refuses ${what} with the same problem`, async () => {
      const [hot, express] = await both(headers(), body);
      expect(hot.status, JSON.stringify(hot.body)).to.be.within(400, 499);
      expect(hot).to.deep.equal(express);
    });
  }

  it('places an order for the browser: the session cookie with its CSRF header', async () => {
    const [hot, express] = await both({ ...cookie(), [CSRF_HEADER]: csrfFor(token) }, JSON.stringify(order()));
    expect([hot.status, express.status]).to.deep.equal([201, 201]);
  });

  it('reads a JSON body that starts with a byte-order mark, as body-parser does', async () => {
    const [hot, express] = await both(bearer(), `\ufeff${JSON.stringify(order())}`);
    expect([hot.status, express.status]).to.deep.equal([201, 201]);
  });

  it('leaves compressed, chunked, other-charset and oversized bodies to Express, which answers them as before', async () => {
    const before = served();
    const gz = zlib.gzipSync(JSON.stringify(order()));
    const compressed = await send(
      '/api/orders',
      { ...bearer(), 'content-encoding': 'gzip', 'content-length': String(gz.length), 'idempotency-key': `hot-path-${++n}` },
      gz,
    );
    expect(compressed.status, JSON.stringify(compressed.body)).to.equal(201);
    const chunked = await send('/api/orders', { ...bearer(), 'idempotency-key': `hot-path-${++n}` }, JSON.stringify(order()), true);
    expect(chunked.status, JSON.stringify(chunked.body)).to.equal(201);
    const latin1 = await send(
      '/api/orders',
      { ...bearer(), 'content-type': 'application/json; charset=latin1', 'idempotency-key': `hot-path-${++n}` },
      JSON.stringify(order()),
    );
    expect(latin1.status).to.equal(415);
    const big = JSON.stringify({ ...order(), fundId: 'x'.repeat(300 * 1024) });
    const oversized = await send(
      '/api/orders',
      { ...bearer(), 'content-length': String(Buffer.byteLength(big)), 'idempotency-key': `hot-path-${++n}` },
      big,
    );
    expect([oversized.status, oversized.body.code]).to.deep.equal([413, 'PAYLOAD_TOO_LARGE']);
    const badQuote = await send(
      '/api/orders',
      { ...bearer(), 'content-type': 'application/json; charset=utf-8"', 'idempotency-key': `hot-path-${++n}` },
      JSON.stringify(order()),
    );
    expect(badQuote.status, 'Express reads it (an unbalanced quote: not plain JSON to the hot path)').to.equal(201);
    expect(served()).to.deep.equal({ hot: before.hot, express: before.express + 5 });
  });
});

describe('the hot path logs an order request as Express does', function () {
  this.timeout(60_000);

  it('writes the request log line, with the answer’s request id, when logging is on', async () => {
    const lines: any[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l));
        done();
      },
    });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-hot-log-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'info', DEMO_MARKET: 'empty' });
    const exchange = await createExchange(config, pino({ level: 'info' }, sink));
    try {
      const base = `http://127.0.0.1:${await exchange.listen()}`;
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'buyer1', password: 'demo-pass' }),
      });
      const { token } = (await login.json()) as { token: string };
      const res = await fetch(`${base}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': 'hot-path-logged-1' },
        body: JSON.stringify({ fundId: 'bj-ai-2021', side: 'buy', pricePct: '50.00', quantity: '1000000', timeInForce: 'IOC' }),
      });
      expect(res.status).to.equal(201);
      expect((exchange.server.listeners('request')[0] as HotPathListener).served.hot).to.equal(1);
      const id = res.headers.get('x-request-id');
      await new Promise((r) => setTimeout(r, 100));
      const logged = lines.find((l) => l.req?.id === id);
      expect(logged, 'a log line for the request').to.not.equal(undefined);
      expect([logged.req.method, logged.req.url, logged.res.statusCode]).to.deep.equal(['POST', '/api/orders', 201]);
      expect(logged.req.headers.authorization, 'the token is redacted').to.equal('[Redacted]');
      // The sign-in's session cookie too: a log line is no place for a credential.
      const signIn = lines.find((l) => l.req?.url === '/api/auth/login');
      expect(signIn?.res.statusCode).to.equal(200);
      expect(signIn.res.headers['set-cookie'], 'the session cookie is redacted').to.equal('[Redacted]');
      expect(JSON.stringify(lines)).to.not.contain(token);
    } finally {
      await exchange.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
