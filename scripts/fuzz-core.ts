/**
 * A fuzzer driven by the served OpenAPI document (issue #19): for every operation it builds requests
 * from the operation's own schemas — valid-looking values, then mutated ones (wrong types, numbers
 * where decimals travel as strings, missing and extra fields, huge and negative values, control and
 * bidi characters, very long strings) — and sends them as a random demo user. Checked on every answer:
 * no 5xx; an answer that refused (4xx) changed nothing (the audit log and the orders, listings and
 * transfers tables are the same length before and after). WebSocket sockets get random messages too;
 * the server must answer or close with a documented code, and keep serving.
 */
import type { Kysely } from 'kysely';
import { WebSocket } from 'ws';
import type { Database } from '../db/schema';
import { mulberry32 } from '../test/support/seeded-random';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: Json[];
  const?: Json;
  anyOf?: Schema[];
  oneOf?: Schema[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
};
interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string; schema?: Schema }[];
  body?: Schema;
}

export interface FuzzOptions {
  baseUrl: string;
  db: Kysely<Database>;
  /** username → bearer token; '' is anonymous. */
  tokens: Record<string, string>;
  requests: number;
  wsMessages: number;
  seed: number;
  /** Stop early after this many ms (the CI version's budget). */
  budgetMs?: number;
}

export interface FuzzReport {
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: string[];
  stateChangedOnRefusal: string[];
  wsMessages: number;
  wsCloseCodes: Record<string, number>;
  ms: number;
}

const NASTY: Json[] = [
  '',
  ' ',
  '0',
  '-1',
  '1e308',
  'NaN',
  'Infinity',
  '9'.repeat(40),
  '0.000000001',
  '１２３',
  'null',
  'true',
  '../../etc/passwd',
  '%00',
  '\u202eevil',
  'a\u0000b',
  'x\u2066y',
  '\u0007',
  '漢字テキスト',
  'x'.repeat(5000),
  '{"$ne":1}',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  -1,
  0,
  1e308,
  1.5,
  2 ** 53 + 1,
  true,
  null,
  [],
  {},
  [1, 2],
  { a: 1 },
];
/**
 * Operations that end the fuzzer's own sessions (sign-out, an administrator ending or suspending a
 * user): sent, every later request of that user would only test the 401 path. They are covered by
 * their own suites (test/foundation/sessions.test.ts).
 */
const SESSION_ENDING = /^post \/api\/(auth\/logout|admin\/users\/\{userId\}\/(sessions\/revoke|suspend))$/;
const IDS = ['bj-ai-2021', 'bj-ic-2019', 'nope', 'user-lp', 'org-lp', '00000000-0000-0000-0000-000000000000', '2027', 'C-1'];

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const rnd = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const doc = (await (await fetch(`${o.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, any>> };
  const ops: Operation[] = Object.entries(doc.paths)
    .flatMap(([p, ms]) =>
      Object.entries(ms).map(([method, op]) => ({
        method,
        path: p,
        params: (op.parameters ?? []) as Operation['params'],
        body: op.requestBody?.content?.['application/json']?.schema as Schema | undefined,
      })),
    )
    .filter((op) => !SESSION_ENDING.test(`${op.method} ${op.path}`));

  const valid = (s: Schema | undefined, depth = 0): Json => {
    if (!s || depth > 6) return pick(NASTY);
    if (s.const !== undefined) return s.const;
    if (s.enum) return pick(s.enum);
    const alt = s.anyOf ?? s.oneOf;
    if (alt) return valid(pick(alt), depth + 1);
    const type = Array.isArray(s.type) ? pick(s.type) : s.type;
    switch (type) {
      case 'object': {
        const out: Record<string, Json> = {};
        for (const [k, v] of Object.entries(s.properties ?? {})) if (s.required?.includes(k) || rnd() < 0.5) out[k] = valid(v, depth + 1);
        return out;
      }
      case 'array':
        return Array.from({ length: Math.floor(rnd() * 3) }, () => valid(s.items, depth + 1));
      case 'integer':
        return Math.floor((s.minimum ?? 0) + rnd() * Math.min(1000, (s.maximum ?? 1000) - (s.minimum ?? 0)));
      case 'number':
        return rnd() * 100;
      case 'boolean':
        return rnd() < 0.5;
      case 'string':
        if (s.format === 'date-time') return new Date(Date.UTC(2026, 11, 1 + Math.floor(rnd() * 60))).toISOString();
        if (s.pattern?.includes('\\d{4}-\\d{2}-\\d{2}')) return '2026-12-01';
        if (s.pattern) return pick(['1000000', '50.00', '100.00', '1000000.00', '88.50', 'bj-ai-2021', '2026-12-01']);
        return pick(['A qualified investor', 'reason', 'REF-1', 'bj-ai-2021', 'GTC', 'buy', 'sell']);
      default:
        return pick(NASTY);
    }
  };
  /** A valid-looking value, then (most of the time) one mutation somewhere in it. */
  const mutate = (v: Json, depth = 0): Json => {
    if (rnd() < 0.3 || depth > 4) return pick(NASTY);
    if (Array.isArray(v)) return v.length ? v.map((x) => (rnd() < 0.5 ? mutate(x, depth + 1) : x)) : [pick(NASTY)];
    if (v && typeof v === 'object') {
      const out = { ...v };
      const keys = Object.keys(out);
      const r = rnd();
      if (r < 0.2 && keys.length) delete out[pick(keys)];
      else if (r < 0.35) out[pick(['extra', '__proto__', 'constructor', 'id', 'orgId', 'userId'])] = pick(NASTY);
      else if (keys.length) {
        const k = pick(keys);
        out[k] = mutate(out[k]!, depth + 1);
      }
      return out;
    }
    return pick(NASTY);
  };

  const counts = async () => {
    const n = async (table: 'auditLog' | 'orders' | 'listings' | 'transfers') =>
      Number(
        (
          await o.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string | number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return `${await n('auditLog')}/${await n('orders')}/${await n('listings')}/${await n('transfers')}`;
  };

  const report: FuzzReport = {
    requests: 0,
    byStatus: {},
    serverErrors: [],
    stateChangedOnRefusal: [],
    wsMessages: 0,
    wsCloseCodes: {},
    ms: 0,
  };
  const t0 = Date.now();
  const users = Object.keys(o.tokens);
  for (let i = 0; i < o.requests; i++) {
    if (o.budgetMs && Date.now() - t0 > o.budgetMs) break;
    const op = pick(ops);
    const mutating = op.method !== 'get';
    let url = op.path.replace(/\{(\w+)\}/g, () => encodeURIComponent(String(rnd() < 0.8 ? pick(IDS) : pick(NASTY))));
    const query = op.params
      .filter((p) => p.in === 'query' && rnd() < 0.6)
      .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(rnd() < 0.7 ? valid(p.schema) : pick(NASTY)))}`);
    if (query.length) url += `?${query.join('&')}`;
    const user = pick(users);
    const headers: Record<string, string> = {};
    if (o.tokens[user]) headers.authorization = `Bearer ${o.tokens[user]}`;
    if (mutating && rnd() < 0.7) headers['idempotency-key'] = `fuzz-${o.seed}-${i}`;
    let body: string | undefined;
    if (op.body || (mutating && rnd() < 0.2)) {
      const v = rnd() < 0.25 ? valid(op.body) : mutate(valid(op.body));
      body = rnd() < 0.03 ? '{"broken": ' : JSON.stringify(v);
      headers['content-type'] = rnd() < 0.95 ? 'application/json' : 'text/plain';
    }
    const before = mutating ? await counts() : '';
    let status: number;
    try {
      const res = await fetch(o.baseUrl + url, { method: op.method.toUpperCase(), headers, body });
      await res.arrayBuffer();
      status = res.status;
    } catch (err) {
      report.serverErrors.push(`${op.method} ${url}: ${String(err)}`);
      continue;
    }
    report.requests++;
    report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
    const what = `${op.method.toUpperCase()} ${url.slice(0, 200)} as ${user || 'nobody'} body ${(body ?? '').slice(0, 300)}`;
    if (status >= 500) report.serverErrors.push(`${status} ${what}`);
    if (mutating && status >= 400 && status < 500) {
      const after = await counts();
      if (after !== before) report.stateChangedOnRefusal.push(`${status} ${what}: ${before} → ${after}`);
    }
  }

  // WebSocket: authenticated and anonymous sockets get random messages.
  const wsUrl = `${o.baseUrl.replace(/^http/, 'ws')}/ws`;
  const messages = [
    () =>
      JSON.stringify({
        type: pick(['auth', 'subscribe', 'unsubscribe', 'ping', 'x', 1, null]),
        channel: pick(['book:bj-ai-2021', 'trades:nope', 'user', 'auction:x', `book:${'x'.repeat(300)}`, 1, null]),
        token: pick(['bad', '', 1, ...Object.values(o.tokens)]),
      }),
    () => JSON.stringify(pick(NASTY)),
    () => 'not json {',
    () => 'x'.repeat(Math.floor(rnd() * 10_000)),
    () => JSON.stringify({ type: 'subscribe', channel: `book:${pick(IDS)}` }),
  ];
  let sent = 0;
  while (sent < o.wsMessages && !(o.budgetMs && Date.now() - t0 > o.budgetMs)) {
    const ws = new WebSocket(wsUrl);
    const closed = new Promise<number>((resolve) => {
      ws.on('close', (code) => resolve(code));
      ws.on('error', () => {});
    });
    const opened = await new Promise<boolean>((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('error', () => resolve(false));
    });
    if (!opened) {
      report.serverErrors.push('a /ws upgrade failed');
      break;
    }
    if (rnd() < 0.7) ws.send(JSON.stringify({ type: 'auth', token: o.tokens[pick(users.filter((u) => o.tokens[u]))] }));
    for (let k = 0; k < 50 && sent < o.wsMessages && ws.readyState === WebSocket.OPEN; k++, sent++) {
      ws.send(pick(messages)(), { binary: rnd() < 0.05 });
    }
    await new Promise((r) => setTimeout(r, 20));
    ws.close(1000);
    const code = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), 2000))]);
    report.wsCloseCodes[code] = (report.wsCloseCodes[code] ?? 0) + 1;
    ws.terminate();
  }
  report.wsMessages = sent;
  const health = await fetch(`${o.baseUrl}/healthz`);
  if (health.status !== 200) report.serverErrors.push(`/healthz answered ${health.status} after the fuzz`);
  report.ms = Date.now() - t0;
  return report;
}
