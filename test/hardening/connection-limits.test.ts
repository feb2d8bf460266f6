/** Connection caps (issue #19): one address flooding idle sockets never degrades another address. */
import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import { AddressCounter, connectionCaps, guardConnections, readOpenFileLimit } from '../../server/http/connection-guard';
import { sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import { TestClient } from '../quotes/ws-client';
import { WebSocket } from 'ws';

const FLOOD_FROM = '127.0.0.2';

/** Opens a raw TCP connection from the given local address; resolves once connected (or refused). */
function rawSocket(port: number, localAddress: string): Promise<net.Socket> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress });
    s.on('error', () => {});
    s.once('connect', () => resolve(s));
    s.once('close', () => resolve(s));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timedHealthz(baseUrl: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const r = await fetch(`${baseUrl}/healthz`);
  await r.text();
  return { status: r.status, ms: performance.now() - t0 };
}

describe('connection limits', () => {
  describe('sizing from the open-file limit', () => {
    it('reads soft and hard limits from /proc/self/limits text, and falls back when it cannot', () => {
      const text =
        'Limit                     Soft Limit           Hard Limit           ' +
        'Units\nMax open files            20000                40000            ' +
        '    files\n';
      expect(readOpenFileLimit(text)).to.deep.equal({ soft: 20000, hard: 40000, source: 'proc' });
      expect(readOpenFileLimit('nothing here')).to.deep.equal({ soft: 1024, hard: 1024, source: 'fallback' });
      expect(readOpenFileLimit().soft).to.be.greaterThan(0);
    });

    it('keeps a reserve below the limit for the database and files, and the per-address cap within the total', () => {
      expect(connectionCaps({ soft: 20000, hard: 20000, source: 'proc' }, 500)).to.include({ maxConnections: 18000, perAddress: 500 });
      expect(connectionCaps({ soft: 1024, hard: 1024, source: 'fallback' }, 5000)).to.include({ maxConnections: 768, perAddress: 768 });
    });
  });

  describe('on a bare HTTP server', () => {
    let server: http.Server;
    let port: number;
    let counter: AddressCounter;
    beforeEach(async () => {
      server = http.createServer({ connectionsCheckingInterval: 100 }, (_req, res) => res.end('ok'));
      counter = guardConnections(
        server,
        { openFiles: { soft: 1024, hard: 1024, source: 'proc' }, maxConnections: 500, perAddress: 5 },
        { headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 300 },
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      port = (server.address() as net.AddressInfo).port;
    });
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('closes a connection that never sends its request head once the header timeout passes', async () => {
      const s = await rawSocket(port, FLOOD_FROM);
      const closedAt = new Promise<number>((r) => s.once('close', () => r(Date.now())));
      const t0 = Date.now();
      const ms = (await closedAt) - t0;
      expect(ms).to.be.within(300, 2000);
    });

    it('closes connections from one address beyond its cap at once; other addresses still connect', async () => {
      const flood = await Promise.all(Array.from({ length: 12 }, () => rawSocket(port, FLOOD_FROM)));
      await sleep(100);
      expect(flood.filter((s) => !s.destroyed && s.readyState === 'open').length).to.equal(5);
      expect(counter.count(FLOOD_FROM)).to.equal(5);
      expect(counter.refused).to.equal(7);
      const r = await fetch(`http://127.0.0.1:${port}/`);
      expect(await r.text()).to.equal('ok');
      for (const s of flood) s.destroy();
      await sleep(50);
      expect(counter.count(FLOOD_FROM), 'closed connections are counted out').to.equal(0);
    });
  });

  describe('on the exchange', () => {
    let t: TestExchange;
    const sockets: net.Socket[] = [];
    const clients: TestClient[] = [];
    beforeEach(async () => {
      t = await startTestExchange(sqliteKind, {
        CONNECTIONS_PER_ADDRESS: '60',
        WS_UNAUTHENTICATED_PER_ADDRESS: '3',
        WS_AUTH_TIMEOUT_MS: '1000',
      });
    });
    afterEach(async () => {
      for (const s of sockets.splice(0)) s.destroy();
      for (const c of clients.splice(0)) c.close();
      await t.stop();
    });

    it('500 idle sockets from one address hit its cap while /healthz from another address answers within 100 ms', async () => {
      const port = Number(new URL(t.baseUrl).port);
      await timedHealthz(t.baseUrl); // warm
      sockets.push(...(await Promise.all(Array.from({ length: 500 }, () => rawSocket(port, FLOOD_FROM)))));
      // Every connection has been accepted (counted in) or refused (closed at accept).
      for (let i = 0; i < 100 && t.exchange.connections.count(FLOOD_FROM) + t.exchange.connections.refused < 500; i++) await sleep(50);
      expect(t.exchange.connections.count(FLOOD_FROM)).to.equal(60);
      expect(t.exchange.connections.refused).to.equal(440);
      expect(sockets.filter((s) => !s.destroyed && s.readyState === 'open').length).to.be.at.most(60);
      const probes = [];
      for (let i = 0; i < 20; i++) probes.push(await timedHealthz(t.baseUrl));
      expect(probes.every((p) => p.status === 200)).to.equal(true);
      // The median holds the 100 ms bound; a single probe may wait on this shared 2-core machine's
      // scheduler, so the slowest is only required to be well under a second (bench/ records p99).
      const ms = probes.map((p) => p.ms).sort((a, b) => a - b);
      expect(ms[10]!, `median /healthz ${ms[10]!.toFixed(1)} ms`).to.be.below(100);
      expect(ms[19]!, `slowest /healthz ${ms[19]!.toFixed(1)} ms`).to.be.below(1000);
    });

    it('closes a /ws socket that does not authenticate in time with 4401 and a reason naming the deadline', async () => {
      const c = await TestClient.open(t.baseUrl);
      clients.push(c);
      const closed = await c.closed;
      expect(closed.code).to.equal(4401);
      expect(closed.reason).to.match(/authentication timeout.*1000 ms/);
    });

    it(
      'closes the unauthenticated /ws socket over the per-address cap with ' +
        '4429; another address and authenticated sockets are unaffected',
      async () => {
        const fromFlood = () =>
          new Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }>((resolve, reject) => {
            const ws = new WebSocket(`${t.baseUrl.replace(/^http/, 'ws')}/ws`, { localAddress: FLOOD_FROM });
            const closed = new Promise<{ code: number; reason: string }>((r) =>
              ws.on('close', (code, reason) => r({ code, reason: reason.toString() })),
            );
            ws.once('open', () => resolve({ ws, closed }));
            ws.once('error', reject);
          });
        const [lpToken, b1Token] = [await t.login('lp'), await t.login('buyer1')];
        const held = [await fromFlood(), await fromFlood(), await fromFlood()];
        const fourth = await fromFlood();
        const c4 = await fourth.closed;
        expect(c4.code).to.equal(4429);
        expect(c4.reason).to.match(/too many unauthenticated sockets/);
        // Another address is not affected by that address's sockets.
        const other = await TestClient.authed(t.baseUrl, b1Token);
        clients.push(other);
        expect((await other.subscribe('book:bj-ai-2021')).type).to.equal('snapshot');
        // Authenticating frees a place for that address.
        held[0]!.ws.send(JSON.stringify({ type: 'auth', token: lpToken }));
        await new Promise((r) => held[0]!.ws.once('message', r));
        const again = await fromFlood();
        expect(again.ws.readyState).to.equal(WebSocket.OPEN);
        for (const h of [...held, again]) h.ws.terminate();
      },
    );
  });
});
