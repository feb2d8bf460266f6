/**
 * The quote socket (api.md "WebSocket: GET /ws"): authenticated by the browser's session cookie on
 * the (same-origin) upgrade — the server answers `authed` at once — then subscribe to the wanted channels,
 * check that each channel's seq rises by exactly 1 (a gap → subscribe again for a fresh snapshot),
 * reconnect with exponential backoff and jitter, and report `stale` while not connected and authed.
 */
export interface QuoteMessage {
  type: 'snapshot' | 'update';
  channel: string;
  seq: number;
  data: unknown;
}

export interface QuoteSocketOptions {
  url: string;
  /** Who is signed in (a key that changes with the user), or null: no socket is opened signed out. */
  sessionKey: () => string | null;
  onMessage: (msg: QuoteMessage) => void;
  onStale: (stale: boolean) => void;
  /** The server closed the socket with 4401 for the session still in use: expired, signed out or revoked. */
  onUnauthenticated?: () => void;
  /** Backoff bounds (ms). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface QuoteSocket {
  /** The channels wanted now; subscribes to new ones and unsubscribes from the others. */
  setChannels(channels: string[]): void;
  close(): void;
}

export function openQuoteSocket(opts: QuoteSocketOptions): QuoteSocket {
  const minDelayMs = opts.minDelayMs ?? 500;
  const maxDelayMs = opts.maxDelayMs ?? 30_000;
  let wanted = new Set<string>();
  const lastSeq = new Map<string, number>();
  let socket: WebSocket | null = null;
  let authed = false;
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const send = (msg: object): void => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
  };
  const subscribe = (channel: string): void => {
    lastSeq.delete(channel);
    send({ type: 'subscribe', channel });
  };

  function connect(): void {
    if (closed || !opts.sessionKey()) return;
    authed = false;
    let ws: WebSocket;
    try {
      ws = new WebSocket(opts.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    // The cookie goes with the upgrade; nothing to send. The session this socket stands for:
    const openedFor = opts.sessionKey();
    ws.onmessage = (ev) => {
      let msg: { type?: string; channel?: string; seq?: number; data?: unknown };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (msg.type === 'authed') {
        authed = true;
        attempts = 0;
        opts.onStale(false);
        for (const c of wanted) subscribe(c);
        return;
      }
      if ((msg.type === 'snapshot' || msg.type === 'update') && typeof msg.channel === 'string' && typeof msg.seq === 'number') {
        if (!wanted.has(msg.channel)) return;
        const prev = lastSeq.get(msg.channel);
        if (msg.type === 'update' && (prev === undefined || msg.seq !== prev + 1)) {
          subscribe(msg.channel);
          return;
        }
        lastSeq.set(msg.channel, msg.seq);
        opts.onMessage({ type: msg.type, channel: msg.channel, seq: msg.seq, data: msg.data });
      }
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      authed = false;
      opts.onStale(true);
      // The session is over (not a network fault): reconnecting with the same cookie cannot help. A
      // 4401 for a session already replaced by a new sign-in is not about the current one.
      if (ev.code === 4401 && openedFor !== null && openedFor === opts.sessionKey()) {
        opts.onUnauthenticated?.();
        return;
      }
      scheduleReconnect();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  function scheduleReconnect(): void {
    if (closed || timer) return;
    const base = Math.min(maxDelayMs, minDelayMs * 2 ** attempts);
    attempts += 1;
    timer = setTimeout(
      () => {
        timer = null;
        connect();
      },
      base / 2 + Math.random() * (base / 2),
    );
  }

  connect();
  return {
    setChannels(channels) {
      const next = new Set(channels);
      if (authed) {
        for (const c of next) if (!wanted.has(c)) subscribe(c);
        for (const c of wanted)
          if (!next.has(c)) {
            send({ type: 'unsubscribe', channel: c });
            lastSeq.delete(c);
          }
      }
      wanted = next;
      if (!socket && !timer) connect();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.close();
      socket = null;
    },
  };
}
