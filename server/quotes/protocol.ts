/**
 * The quote protocol on `GET /ws` (api.md "WebSocket"): client messages, their validation, and the
 * one-time framing of a server message so the same bytes go to every subscriber.
 */

/** Per-socket and per-message limits (conventions practice 8: limits on everything). */
export interface QuoteLimits {
  /** Most channels one socket may hold at once. */
  maxSubscriptions: number;
  /** Bytes queued for one socket beyond which it is closed (4008) rather than allowed to grow or slow others. */
  maxBufferedBytes: number;
  /** Largest client message that is parsed; a longer one is answered with an error. */
  maxMessageBytes: number;
  /** Ping interval; a socket that has not answered the previous ping by the next one is terminated. */
  pingIntervalMs: number;
  /** A socket that has not authenticated within this time is closed (4401). */
  authTimeoutMs: number;
  /** Most sockets one process accepts. */
  maxSockets: number;
  /** Most sockets one remote address may hold before they authenticate; one more is closed (4429). */
  maxUnauthenticatedPerAddress: number;
}

export const DEFAULT_LIMITS: QuoteLimits = {
  maxSubscriptions: 50,
  maxBufferedBytes: 1024 * 1024,
  maxMessageBytes: 4096,
  pingIntervalMs: 30_000,
  authTimeoutMs: 5_000,
  maxSockets: 20_000,
  maxUnauthenticatedPerAddress: 20,
};

/**
 * Close codes: 4401 authentication failed, missing or not sent within the deadline; 4008 a limit was
 * exceeded (slow consumer); 4429 too many unauthenticated sockets from one address; 1013 the process
 * holds as many sockets as it may (retry later); 1001 server going away.
 */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_POLICY = 4008;
export const CLOSE_TOO_MANY_FROM_ADDRESS = 4429;
export const CLOSE_TRY_AGAIN_LATER = 1013;

export type ClientMessage =
  | { type: 'auth'; token: string }
  | { type: 'subscribe'; channel: string }
  | { type: 'unsubscribe'; channel: string };

export type ParseResult = { ok: true; msg: ClientMessage } | { ok: false; code: string; detail: string };

/** Parses one client message; anything malformed is a VALIDATION_FAILED error, never an exception. */
export function parseClientMessage(raw: string): ParseResult {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'VALIDATION_FAILED', detail: 'message is not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { ok: false, code: 'VALIDATION_FAILED', detail: 'message must be a JSON object' };
  const m = v as Record<string, unknown>;
  if (m.type === 'auth') {
    if (typeof m.token !== 'string' || !m.token) return { ok: false, code: 'VALIDATION_FAILED', detail: 'auth needs a token string' };
    return { ok: true, msg: { type: 'auth', token: m.token } };
  }
  if (m.type === 'subscribe' || m.type === 'unsubscribe') {
    if (typeof m.channel !== 'string' || !m.channel || m.channel.length > 200)
      return { ok: false, code: 'VALIDATION_FAILED', detail: `${m.type} needs a channel string` };
    return { ok: true, msg: { type: m.type, channel: m.channel } };
  }
  return { ok: false, code: 'VALIDATION_FAILED', detail: `unknown message type ${JSON.stringify(String(m.type)).slice(0, 60)}` };
}

/** A channel name as the client writes it, split into kind and argument. */
export type ChannelRef = { kind: 'book' | 'trades' | 'auction'; id: string } | { kind: 'user' };

export function parseChannel(name: string): ChannelRef | null {
  if (name === 'user') return { kind: 'user' };
  const m = /^(book|trades|auction):([A-Za-z0-9_.-]{1,100})$/.exec(name);
  return m ? { kind: m[1] as 'book' | 'trades' | 'auction', id: m[2]! } : null;
}

/**
 * One server message, serialised ONCE for every subscriber of a channel, as a complete WebSocket
 * frame: the JSON as UTF-8 bytes behind the frame header (RFC 6455 §5.2: FIN, text opcode, no mask,
 * as a server always sends). Broadcasting then costs one socket write per subscriber and nothing
 * else: no per-socket framing, no per-socket copy.
 */
export function encodeMessage(message: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(message), 'utf8');
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + n);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (n < 126) frame[1] = n;
  else if (n < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}
