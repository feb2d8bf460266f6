/**
 * Connection limits that keep one client from exhausting the process's open files (issue #19).
 *
 * Every TCP connection costs a file descriptor. The process's limit is read at start from
 * /proc/self/limits (Node cannot call setrlimit, so it cannot raise its own soft limit: raise it where
 * the process is started, e.g. systemd's LimitNOFILE or `ulimit -n` in the service's shell). From it:
 * - `maxConnections`: the limit less a reserve for the database, logs, PDF workers and files; a
 *   connection beyond it is closed as soon as it is accepted (node's server.maxConnections).
 * - `perAddress`: connections one remote address may hold at once (CONNECTIONS_PER_ADDRESS, at most
 *   maxConnections); one more is reset (RST) as it is accepted, before node makes a socket object of it
 *   (see gateAccepts), so a flood from one address costs every other client only the accept.
 * Idle HTTP connections are bounded by the server's timeouts (see HTTP_TIMEOUTS); the listen backlog and
 * the kernel settings behind it are in listen-backlog.ts.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type net from 'node:net';

/** File descriptors kept back for everything that is not a client connection, at least. */
const MIN_RESERVE = 256;
/** Assumed when /proc/self/limits cannot be read (not Linux): a common default soft limit. */
const FALLBACK_OPEN_FILES = 1024;

export interface OpenFileLimit {
  soft: number;
  hard: number;
  source: 'proc' | 'fallback';
}

/** The process's open-file limit, from /proc/self/limits ("Max open files  <soft>  <hard>  files"). */
export function readOpenFileLimit(limitsText?: string): OpenFileLimit {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = fs.readFileSync('/proc/self/limits', 'utf8');
    } catch {
      text = '';
    }
  }
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  const num = (s: string | undefined) => (s === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(s));
  if (!m || !Number.isFinite(num(m[1])) || !Number.isFinite(num(m[2]))) {
    return { soft: FALLBACK_OPEN_FILES, hard: FALLBACK_OPEN_FILES, source: 'fallback' };
  }
  return { soft: num(m[1]), hard: num(m[2]), source: 'proc' };
}

export interface ConnectionCaps {
  openFiles: OpenFileLimit;
  /** Connections the process accepts at once (all addresses). */
  maxConnections: number;
  /** Connections one remote address may hold at once. */
  perAddress: number;
}

/** Sizes the caps from the open-file limit: the reserve is 10% of it, at least MIN_RESERVE. */
export function connectionCaps(openFiles: OpenFileLimit, perAddressWanted: number): ConnectionCaps {
  const reserve = Math.max(MIN_RESERVE, Math.floor(openFiles.soft / 10));
  const maxConnections = Math.max(16, openFiles.soft - reserve);
  return { openFiles, maxConnections, perAddress: Math.max(1, Math.min(perAddressWanted, maxConnections)) };
}

/** A remote address as one client's key: an IPv4-mapped IPv6 address as plain IPv4. */
export function normaliseAddress(address: string | undefined): string {
  const a = address ?? 'unknown';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/** The socket's remote address, an IPv4-mapped IPv6 address as plain IPv4 (one client, one key). */
export function remoteAddressOf(socket: { remoteAddress?: string | undefined }): string {
  return normaliseAddress(socket.remoteAddress);
}

/** Counts open connections per remote address; refuses one beyond the cap. */
export class AddressCounter {
  private readonly open = new Map<string, number>();
  refused = 0;

  constructor(readonly cap: number) {}

  /** Whether the address holds as many connections as it may (one more would be refused). */
  isFull(address: string): boolean {
    return (this.open.get(address) ?? 0) >= this.cap;
  }

  /** Counts the socket in (until it closes) or, over the cap, resets it and returns false. */
  admit(socket: net.Socket): boolean {
    const address = remoteAddressOf(socket);
    if (this.isFull(address)) {
      this.refused++;
      socket.resetAndDestroy();
      return false;
    }
    this.open.set(address, (this.open.get(address) ?? 0) + 1);
    socket.once('close', () => {
      const left = (this.open.get(address) ?? 1) - 1;
      if (left <= 0) this.open.delete(address);
      else this.open.set(address, left);
    });
    return true;
  }

  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}

/**
 * Timeouts that end idle or slow HTTP connections, so that sockets which never send (or send a byte a
 * minute) are closed: the first byte and the whole request head within 10 s, the whole request within
 * 30 s, 5 s idle between keep-alive requests. Node checks them every second (connectionsCheckingInterval
 * set where the server is created).
 */
export const HTTP_TIMEOUTS: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number } = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

/** The parts of node's internal TCP handles (tcp_wrap) that gateAccepts uses. */
interface AcceptedHandle {
  getpeername?(out: { address?: string }): number;
  reset?(): number;
  close(): void;
}
interface ListeningHandle {
  onconnection?: (this: ListeningHandle, err: number, client?: AcceptedHandle) => unknown;
}
const gated = new WeakSet<object>();

/**
 * Refuses a connection over its address's cap on the accepted handle itself, before node builds a
 * socket object, emits 'connection' and the HTTP server sets up a parser for it: about half the
 * process's work per refused connection (bench/RESULTS.md), which is what a burst of them costs others.
 * The refusal is a reset (RST, SO_LINGER 0): no FIN exchange and no TIME_WAIT left on the server.
 * This wraps node's private `server._handle.onconnection` (the listening handle's accept callback); where
 * it is missing (not TCP, another node) nothing is wrapped and the 'connection' listener refuses instead.
 */
function gateAccepts(server: net.Server, counter: AddressCounter): void {
  const handle = (server as unknown as { _handle?: ListeningHandle | null })._handle;
  if (!handle || typeof handle.onconnection !== 'function' || gated.has(handle)) return;
  const accept = handle.onconnection;
  handle.onconnection = function (err, client) {
    if (!err && client?.getpeername) {
      const peer: { address?: string } = {};
      if (client.getpeername(peer) === 0 && counter.isFull(normaliseAddress(peer.address))) {
        counter.refused++;
        if (typeof client.reset !== 'function' || client.reset() !== 0) client.close();
        return;
      }
    }
    return accept.call(this, err, client);
  };
  gated.add(handle);
}

/** Installs the caps and timeouts on the server; the per-address check runs before HTTP reads the socket. */
export function guardConnections(
  server: http.Server,
  caps: ConnectionCaps,
  timeouts: typeof HTTP_TIMEOUTS = HTTP_TIMEOUTS,
): AddressCounter {
  server.maxConnections = caps.maxConnections;
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  const counter = new AddressCounter(caps.perAddress);
  server.on('listening', () => gateAccepts(server, counter));
  server.prependListener('connection', (socket: net.Socket) => {
    if (!counter.admit(socket)) return;
    // Node's header timeout starts with the first byte: a connection that never sends one is closed here.
    // One timer per held connection, all of one duration, which node keeps in a single list.
    const silent = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, timeouts.headersTimeoutMs);
    silent.unref();
    socket.once('close', () => clearTimeout(silent));
  });
  return counter;
}
