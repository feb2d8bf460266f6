/**
 * The quote server on `GET /ws` (api.md "WebSocket"): authentication, subscriptions and the limits
 * that keep one socket from costing the others anything. All channel data comes from the publisher;
 * this file never builds market data.
 *
 * Decisions: every channel needs auth; a subscribe to a channel already held gives a fresh snapshot
 * (how a client recovers from a gap); over-limit subscribes and bad messages get an error and the
 * socket stays open; a socket whose unsent bytes pass `maxBufferedBytes` is closed with 4008 and a
 * reason (and cut 5 s later if it does not even read the close); a missing pong terminates it.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Principal, TokenService } from '../auth/tokens';
import { remoteAddressOf } from '../http/connection-guard';
import {
  CLOSE_POLICY,
  CLOSE_TOO_MANY_FROM_ADDRESS,
  CLOSE_TRY_AGAIN_LATER,
  CLOSE_UNAUTHENTICATED,
  DEFAULT_LIMITS,
  parseChannel,
  parseClientMessage,
  type QuoteLimits,
} from './protocol';
import type { Publisher, Subscriber } from './publisher';
import type { QuoteSources } from './sources';

/** Largest frame ws itself accepts; above it ws closes with 1009. Between maxMessageBytes and this, the client gets an error message. */
const WS_MAX_PAYLOAD = 64 * 1024;

class Connection implements Subscriber {
  private principalValue: Principal | null = null;
  /** wire channel name → publisher key (set as soon as a subscribe is accepted, so pending ones count towards the limit). */
  readonly subs = new Map<string, string>();
  alive = true;
  closed = false;
  private readonly authTimer: NodeJS.Timeout;
  /** Closes the socket when its token expires: a socket must not outlive the sign-in that opened it. */
  private expiryTimer: NodeJS.Timeout | null = null;

  /**
   * @param socket the upgraded TCP socket under `ws`. Published frames are complete WebSocket frames
   * (protocol.ts encodeMessage), so they are written here directly: one write per subscriber. This is
   * safe to mix with `ws.send` for the socket's own replies because, with per-message deflate off,
   * ws writes every frame synchronously to this same socket, so frames never interleave and keep
   * their order; both count in `ws.bufferedAmount` (the socket's write queue).
   */
  constructor(
    readonly ws: WebSocket,
    private readonly socket: Duplex,
    private readonly qs: QuoteServer,
    readonly address: string,
  ) {
    this.authTimer = setTimeout(() => {
      if (!this.principal)
        this.close(CLOSE_UNAUTHENTICATED, `authentication timeout: send {"type":"auth"} within ${qs.limits.authTimeoutMs} ms`);
    }, qs.limits.authTimeoutMs);
    this.authTimer.unref();
  }

  get principal(): Principal | null {
    return this.principalValue;
  }

  /** Authenticated: the socket no longer counts towards its address's unauthenticated sockets. */
  set principal(p: Principal | null) {
    if (!this.principalValue && p && !this.closed) this.qs.unauthenticated.release(this.address);
    this.principalValue = p;
  }

  /** Arms (or, on re-authentication with a fresh token, re-arms) the close at token expiry. */
  expireAt(atMs: number | undefined): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    if (atMs === undefined) return;
    this.expiryTimer = setTimeout(() => this.close(CLOSE_UNAUTHENTICATED, 'token expired; sign in again'), Math.max(0, atMs - Date.now()));
    this.expiryTimer.unref();
  }

  deliver(frame: Buffer): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN || !this.socket.writable) return;
    if (this.ws.bufferedAmount + frame.length > this.qs.limits.maxBufferedBytes) {
      this.close(CLOSE_POLICY, `slow consumer: more than ${this.qs.limits.maxBufferedBytes} bytes unsent`);
      return;
    }
    this.socket.write(frame);
  }

  send(message: unknown): void {
    if (!this.closed && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  error(code: string, detail: string, channel?: string): void {
    this.send({ type: 'error', code, detail, ...(channel ? { channel } : {}) });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.detach();
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), 5000).unref();
  }

  /** Leaves every channel; idempotent. */
  detach(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.authTimer);
    if (!this.principalValue) this.qs.unauthenticated.release(this.address);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    for (const key of this.subs.values()) this.qs.publisher.unsubscribe(key, this);
    this.subs.clear();
    this.qs.connections.delete(this);
  }
}

/** Tells of sign-in sessions ended before their tokens expired (auth/sessions.ts). */
export interface SessionEvents {
  onRevoked(listener: (sessionIds: string[]) => void): void;
}

/** Sockets per remote address that have not authenticated yet. */
class AddressTally {
  private readonly n = new Map<string, number>();
  count(address: string): number {
    return this.n.get(address) ?? 0;
  }
  take(address: string): void {
    this.n.set(address, this.count(address) + 1);
  }
  release(address: string): void {
    const left = this.count(address) - 1;
    if (left <= 0) this.n.delete(address);
    else this.n.set(address, left);
  }
}

export interface QuoteServerOptions {
  server: http.Server;
  tokens: TokenService;
  sessions: SessionEvents;
  publisher: Publisher;
  sources: QuoteSources;
  log: Logger;
  limits?: Partial<QuoteLimits>;
  /** A same-origin upgrade carrying the browser's session (cookie or single-use ticket) starts authenticated. */
  authenticateUpgrade?: (req: http.IncomingMessage) => Principal | null;
}

export class QuoteServer {
  readonly unauthenticated = new AddressTally();
  readonly wss: WebSocketServer;
  readonly limits: QuoteLimits;
  readonly publisher: Publisher;
  readonly connections = new Set<Connection>();
  private readonly pinger: NodeJS.Timeout;
  private readonly onUpgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

  constructor(private readonly o: QuoteServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
    this.publisher = o.publisher;
    // noServer: the upgrade is handled here so that each connection keeps its TCP socket (see Connection).
    // ws still checks the path and answers anything but `/ws` with 400. Per-message deflate stays off:
    // the shared pre-framed bytes depend on it, and compressing per socket would defeat serialising once.
    this.wss = new WebSocketServer({
      noServer: true,
      path: '/ws',
      maxPayload: WS_MAX_PAYLOAD,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.onUpgrade = (req, socket, head) => this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, req));
    o.server.on('upgrade', this.onUpgrade);
    this.wss.on('error', (err) => o.log.warn({ err }, 'quote server error'));
    this.pinger = setInterval(() => this.pingAll(), this.limits.pingIntervalMs);
    this.pinger.unref();
    // A socket must not outlive the sign-in that opened it: signed out or cut off, it is closed.
    o.sessions.onRevoked((ids) => {
      const ended = new Set(ids);
      for (const c of [...this.connections]) {
        if (c.principal?.sessionId !== undefined && ended.has(c.principal.sessionId))
          c.close(CLOSE_UNAUTHENTICATED, 'signed out; sign in again');
      }
    });
  }

  private accept(ws: WebSocket, socket: Duplex, req: http.IncomingMessage): void {
    if (this.connections.size >= this.limits.maxSockets) {
      ws.close(CLOSE_TRY_AGAIN_LATER, 'too many connections; retry later');
      return;
    }
    const address = remoteAddressOf(req.socket);
    const principal = this.o.authenticateUpgrade?.(req) ?? null;
    if (!principal && this.unauthenticated.count(address) >= this.limits.maxUnauthenticatedPerAddress) {
      ws.close(
        CLOSE_TOO_MANY_FROM_ADDRESS,
        `too many unauthenticated sockets from this address (at most ${this.limits.maxUnauthenticatedPerAddress})`,
      );
      setTimeout(() => ws.terminate(), 1000).unref();
      return;
    }
    this.unauthenticated.take(address);
    const c = new Connection(ws, socket, this, address);
    this.connections.add(c);
    if (principal) {
      c.principal = principal;
      c.expireAt(principal.tokenExpiresAtMs);
      c.send({ type: 'authed' });
    }
    ws.on('pong', () => {
      c.alive = true;
    });
    ws.on('message', (data, isBinary) => {
      try {
        this.onMessage(c, data, isBinary);
      } catch (err) {
        this.o.log.warn({ err }, 'quote message failed');
        c.error('INTERNAL', 'the message could not be handled');
      }
    });
    ws.on('close', () => c.detach());
    ws.on('error', () => c.detach());
  }

  private pingAll(): void {
    for (const c of this.connections) {
      if (!c.alive) {
        c.detach();
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      try {
        c.ws.ping();
      } catch {
        /* closing */
      }
    }
  }

  private onMessage(c: Connection, data: RawData, isBinary: boolean): void {
    if (c.closed) return;
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    if (isBinary) return c.error('VALIDATION_FAILED', 'binary messages are not accepted');
    if (size > this.limits.maxMessageBytes)
      return c.error('MESSAGE_TOO_LARGE', `messages are limited to ${this.limits.maxMessageBytes} bytes`);
    const parsed = parseClientMessage(
      Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'),
    );
    if (!parsed.ok) return c.error(parsed.code, parsed.detail);
    const msg = parsed.msg;
    if (msg.type === 'auth') {
      const p = this.o.tokens.verify(msg.token, Date.now());
      if (!p) return c.close(CLOSE_UNAUTHENTICATED, 'invalid or expired token');
      if (p.passwordChangeRequired) return c.error('PASSWORD_CHANGE_REQUIRED', 'choose a new password first: POST /api/auth/password');
      if (c.principal && c.principal.userId !== p.userId)
        return c.error('INVALID_STATE', 'this socket is already authenticated as another user');
      c.principal = p;
      c.expireAt(p.tokenExpiresAtMs);
      return c.send({ type: 'authed' });
    }
    if (!c.principal) return c.error('UNAUTHENTICATED', 'authenticate first with {"type":"auth","token":"<jwt>"}', msg.channel);
    if (msg.type === 'unsubscribe') {
      const key = c.subs.get(msg.channel);
      if (key === undefined) return c.error('NOT_SUBSCRIBED', `not subscribed to ${msg.channel}`, msg.channel);
      c.subs.delete(msg.channel);
      this.publisher.unsubscribe(key, c);
      return c.send({ type: 'unsubscribed', channel: msg.channel });
    }
    const ref = parseChannel(msg.channel);
    if (!ref)
      return c.error(
        'UNKNOWN_CHANNEL',
        `unknown channel ${JSON.stringify(msg.channel)}; use book:<fundId>, trades:<fundId>, auction:<listingId> or user`,
        msg.channel,
      );
    const again = c.subs.get(msg.channel);
    if (again !== undefined)
      this.publisher.unsubscribe(again, c); // subscribing again: a fresh snapshot
    else if (c.subs.size >= this.limits.maxSubscriptions)
      return c.error('LIMIT_EXCEEDED', `at most ${this.limits.maxSubscriptions} subscriptions per socket`, msg.channel);
    c.subs.set(msg.channel, '');
    const principal = c.principal;
    this.o.sources.resolve(ref, principal).then(
      (r) => {
        if (c.closed || c.subs.get(msg.channel) !== '') return;
        if (!r.ok) {
          c.subs.delete(msg.channel);
          return c.error(r.code, r.detail, msg.channel);
        }
        c.subs.set(msg.channel, r.key);
        this.publisher.subscribe(r.key, msg.channel, r.spec, c);
      },
      (err: unknown) => {
        c.subs.delete(msg.channel);
        this.o.log.warn({ err }, 'quote subscribe failed');
        c.error('INTERNAL', 'the subscription could not be made', msg.channel);
      },
    );
  }

  /** Listings or transfers changed in this process: their channels are brought up to date now. */
  nudge(): void {
    this.o.sources.nudge();
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    this.o.server.off('upgrade', this.onUpgrade);
    this.o.sources.stop();
    this.publisher.close();
    for (const c of [...this.connections]) {
      c.detach();
      c.ws.close(1001, 'server shutting down');
      setTimeout(() => c.ws.terminate(), 1000).unref();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
