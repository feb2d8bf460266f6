/**
 * The browser's session (api.md "Browser sessions"): the signed token travels in an httpOnly,
 * SameSite=Strict cookie the page's scripts cannot read, set by POST /api/auth/login. API clients keep
 * using the bearer token from the login answer.
 *
 * CSRF: a state-changing call authenticated by the cookie must carry `X-CSRF-Token` equal to the
 * `sfund_csrf` cookie (double submit; readable by the page, set with the session). Its value is derived
 * from the session's token (SHA-256), so another site cannot mint one, and a call whose `Origin` is
 * present and names another origin is refused as well. Both answer 403 CSRF_REJECTED.
 *
 * /ws: a same-origin upgrade carrying the cookie starts authenticated; a script that cannot send
 * cookies (another origin's page) gets nothing. A single-use ticket from POST /api/auth/ws-ticket
 * (`/ws?ticket=…`, 30 s, kept by the process that issued it) serves clients that want neither.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { parse, serialize } from 'cookie';
import type { Principal, TokenService } from './tokens';

export const SESSION_COOKIE = 'sfund_session';
export const CSRF_COOKIE = 'sfund_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const TICKET_TTL_MS = 30_000;
/** Most unredeemed tickets a process keeps (oldest dropped first). */
const MAX_TICKETS = 10_000;

/** The CSRF token of a session token: not guessable without the token, checkable without state. */
export function csrfFor(token: string): string {
  return crypto.createHash('sha256').update(`csrf\0${token}`).digest('base64url');
}

export function cookiesOf(req: http.IncomingMessage): Record<string, string | undefined> {
  const header = req.headers.cookie;
  return header ? parse(header) : {};
}

/** True when the request names no Origin (not a browser's cross-site call) or names this host's. */
export function sameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Set-Cookie values opening the browser session; `secure` when served over HTTPS. */
export function sessionCookies(token: string, expiresAtMs: number, nowMs: number, secure: boolean): string[] {
  const maxAge = Math.max(0, Math.floor((expiresAtMs - nowMs) / 1000));
  const common = { path: '/', sameSite: 'strict' as const, secure, maxAge };
  return [serialize(SESSION_COOKIE, token, { ...common, httpOnly: true }), serialize(CSRF_COOKIE, csrfFor(token), common)];
}

/** Set-Cookie values ending the browser session. */
export function clearedCookies(secure: boolean): string[] {
  const common = { path: '/', sameSite: 'strict' as const, secure, maxAge: 0 };
  return [serialize(SESSION_COOKIE, '', { ...common, httpOnly: true }), serialize(CSRF_COOKIE, '', common)];
}

/** Single-use /ws tickets (per process). */
export class WsTickets {
  private readonly tickets = new Map<string, { token: string; expiresAtMs: number }>();

  /** A ticket standing for the caller's token (verified again when it is redeemed). */
  issue(token: string, nowMs: number): { ticket: string; expiresAt: string } {
    while (this.tickets.size >= MAX_TICKETS) this.tickets.delete(this.tickets.keys().next().value as string);
    const ticket = crypto.randomBytes(32).toString('base64url');
    this.tickets.set(ticket, { token, expiresAtMs: nowMs + TICKET_TTL_MS });
    return { ticket, expiresAt: new Date(nowMs + TICKET_TTL_MS).toISOString() };
  }

  /** The ticket's token, once: a second use, or one after its 30 s, finds nothing. */
  redeem(ticket: string, nowMs: number): string | null {
    const t = this.tickets.get(ticket);
    if (!t) return null;
    this.tickets.delete(ticket);
    return t.expiresAtMs > nowMs ? t.token : null;
  }
}

/**
 * Authenticates a /ws upgrade: by a ticket in the query, or by the session cookie of a same-origin
 * page. The token behind either is verified again (a session ended meanwhile is refused).
 */
export function upgradeAuthenticator(tokens: TokenService, tickets: WsTickets) {
  return (req: http.IncomingMessage): Principal | null => {
    const nowMs = Date.now();
    const ticket = new URL(req.url ?? '/', 'http://x').searchParams.get('ticket');
    if (ticket) {
      const token = tickets.redeem(ticket, nowMs);
      return token ? tokens.verify(token, nowMs) : null;
    }
    const token = cookiesOf(req)[SESSION_COOKIE];
    if (!token || !sameOrigin(req)) return null;
    return tokens.verify(token, nowMs);
  };
}
