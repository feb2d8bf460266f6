/** Browser security (issue #19): headers, the httpOnly session cookie with CSRF protection, /ws by cookie or ticket. */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { WebSocket } from 'ws';
import { sqliteKind } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';

const ORDER = { fundId: 'bj-ai-2021', side: 'buy', pricePct: '50.00', quantity: '1000000', timeInForce: 'GTC' };

/** Opens /ws with extra headers; resolves with the first message (or the close) within the time. */
function wsFirst(url: string, headers: Record<string, string>, ms = 1500): Promise<{ message?: any; close?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    const done = (v: { message?: any; close?: number }) => {
      clearTimeout(timer);
      ws.terminate();
      resolve(v);
    };
    const timer = setTimeout(() => done({}), ms);
    ws.on('message', (m) => done({ message: JSON.parse(m.toString()) }));
    ws.on('close', (code) => done({ close: code }));
    ws.on('error', () => done({}));
  });
}

describe('browser security', () => {
  let t: TestExchange;
  let wsUrl: string;
  before(async () => {
    t = await startTestExchange(sqliteKind, { WS_AUTH_TIMEOUT_MS: '1000' });
    wsUrl = `${t.baseUrl.replace(/^http/, 'ws')}/ws`;
  });
  after(async () => {
    await t?.stop();
  });

  const signIn = async (username: string) => {
    const r = await t.call('POST', '/api/auth/login', { body: { username, password: 'demo-pass' } });
    expect(r.status).to.equal(200);
    const setCookies = r.headers.getSetCookie();
    const pair = (name: string) => setCookies.find((c) => c.startsWith(`${name}=`))!;
    return {
      body: r.body,
      setCookies,
      session: pair('sfund_session'),
      csrf: pair('sfund_csrf').split(';')[0]!.split('=')[1]!,
      cookie: setCookies.map((c) => c.split(';')[0]).join('; '),
    };
  };

  it('serves a Content-Security-Policy without inline script, nosniff, no framing and no referrer, on pages and API answers', async () => {
    for (const p of ['/', '/api/funds', '/api/docs', '/healthz']) {
      const r = await t.call('GET', p);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, p).to.contain("script-src 'self'").and.contain("frame-ancestors 'none'").and.contain("object-src 'none'");
      expect(csp).to.not.match(/script-src[^;]*unsafe-inline/);
      expect(r.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(r.headers.get('referrer-policy')).to.equal('no-referrer');
      expect(r.headers.get('x-frame-options')).to.equal('DENY');
    }
  });

  it('lets no browser or proxy keep an API answer (no-store, no ETag), public or signed in; the page shell stays cacheable', async () => {
    const { session } = await signIn('buyer1');
    for (const [p, headers] of [
      ['/api/funds', {}],
      ['/api/orders?status=open', { cookie: session.split(';')[0]! }],
      ['/api/no-such-route', {}],
    ] as const) {
      const r = await t.call('GET', p, { headers });
      expect(r.headers.get('cache-control'), p).to.equal('no-store');
      expect(r.headers.get('etag'), p).to.equal(null);
    }
    const shell = await t.call('GET', '/');
    expect(shell.headers.get('cache-control')).to.not.equal('no-store');
    expect(shell.headers.get('etag')).to.be.a('string');
  });

  it('has no inline script in the page shell, the built client or the API docs page', async () => {
    const inline = (html: string) =>
      [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter((m) => !/\bsrc=/.test(m[1]!) || m[2]!.trim() !== '');
    const shell = fs.readFileSync(path.join(__dirname, '../../client/index.html'), 'utf8');
    expect(inline(shell)).to.deep.equal([]);
    expect(inline((await t.call('GET', '/')).body as string)).to.deep.equal([]);
    expect(inline((await t.call('GET', '/api/docs')).body as string)).to.deep.equal([]);
    expect(/\son[a-z]+=/i.test(shell), 'no inline event handlers').to.equal(false);
  });

  it(
    'sign-in sets an httpOnly SameSite=Strict session cookie and a readable ' +
      'CSRF cookie; the bearer token stays in the answer for API clients',
    async () => {
      const s = await signIn('buyer1');
      expect(s.body.token).to.be.a('string');
      expect(s.session)
        .to.match(/HttpOnly/i)
        .and.match(/SameSite=Strict/i)
        .and.match(/Path=\//);
      expect(s.setCookies.find((c) => c.startsWith('sfund_csrf=')))
        .to.match(/SameSite=Strict/i)
        .and.not.match(/HttpOnly/i);
      const me = await t.call('GET', '/api/auth/me', { headers: { cookie: s.cookie } });
      expect(me.status).to.equal(200);
      expect(me.body.username).to.equal('buyer1');
    },
  );

  it(
    'refuses a state-changing call by cookie without the CSRF header, with ' + 'a wrong one, or from another origin; nothing is placed',
    async () => {
      const s = await signIn('buyer1');
      const orders = async () => (await t.call('GET', '/api/orders', { headers: { cookie: s.cookie } })).body.length as number;
      const before = await orders();
      expectProblem(await t.call('POST', '/api/orders', { body: ORDER, headers: { cookie: s.cookie } }), 403, 'CSRF_REJECTED');
      expectProblem(
        await t.call('POST', '/api/orders', { body: ORDER, headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) } }),
        403,
        'CSRF_REJECTED',
      );
      expectProblem(
        await t.call('POST', '/api/orders', {
          body: ORDER,
          headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: 'https://evil.example' },
        }),
        403,
        'CSRF_REJECTED',
      );
      expectProblem(
        await t.call('POST', '/api/auth/login', {
          body: { username: 'buyer1', password: 'demo-pass' },
          headers: { origin: 'https://evil.example' },
        }),
        403,
        'CSRF_REJECTED',
      );
      expect(await orders()).to.equal(before);
      const ok = await t.call('POST', '/api/orders', {
        body: ORDER,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: t.baseUrl },
      });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
      // A bearer token is not sent by the browser on its own: no CSRF header needed.
      expect((await t.call('POST', '/api/orders', { token: s.body.token, body: ORDER })).status).to.equal(201);
    },
  );

  it('signing out by cookie ends the session and clears the cookies', async () => {
    const s = await signIn('buyer2');
    const out = await t.call('POST', '/api/auth/logout', { headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.status).to.equal(200);
    expect(out.headers.getSetCookie().some((c) => /^sfund_session=;/.test(c) && /Max-Age=0/i.test(c))).to.equal(true);
    expect((await t.call('GET', '/api/auth/me', { headers: { cookie: s.cookie } })).status).to.equal(401);
  });

  it('authenticates a same-origin /ws upgrade by the cookie, not one from another origin', async () => {
    const s = await signIn('lp');
    expect((await wsFirst(wsUrl, { cookie: s.cookie, origin: t.baseUrl })).message).to.deep.equal({ type: 'authed' });
    const foreign = await wsFirst(wsUrl, { cookie: s.cookie, origin: 'https://evil.example' }, 3000);
    expect(foreign.message).to.equal(undefined);
    expect(foreign.close, 'closed at the auth deadline').to.equal(4401);
  });

  it('a ws-ticket authenticates one upgrade, once', async () => {
    const s = await signIn('gp');
    const r = await t.call('POST', '/api/auth/ws-ticket', { token: s.body.token });
    expect(r.status).to.equal(200);
    const url = `${wsUrl}?ticket=${encodeURIComponent(r.body.ticket)}`;
    expect((await wsFirst(url, {})).message).to.deep.equal({ type: 'authed' });
    expect((await wsFirst(url, {}, 800)).message, 'a ticket is single-use').to.equal(undefined);
  });
});

describe('source maps in production', () => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(sqliteKind, { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40), SEALED_BID_KEY: 's'.repeat(40) });
  });
  after(async () => {
    await t?.stop();
  });

  it('are not served', async () => {
    expectProblem(await t.call('GET', '/app.js.map'), 404, 'NOT_FOUND');
    expect((await t.call('GET', '/app.js')).status).to.equal(200);
  });
});
