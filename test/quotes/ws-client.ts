/** A test WebSocket client: collects every message and waits for the one a test expects. */
import { WebSocket } from 'ws';

export interface Msg {
  type: string;
  channel?: string;
  seq?: number;
  data?: any;
  code?: string;
  detail?: string;
}

export class TestClient {
  readonly messages: Msg[] = [];
  private readonly waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as Msg;
      this.messages.push(m);
      for (const w of [...this.waiters])
        if (w.pred(m)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(baseUrl: string): Promise<TestClient> {
    const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/ws');
    const c = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
    });
  }

  static async authed(baseUrl: string, token: string): Promise<TestClient> {
    const c = await TestClient.open(baseUrl);
    c.send({ type: 'auth', token });
    await c.next((m) => m.type === 'authed');
    return c;
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** The first message (already received or coming) that matches, within the timeout. */
  next(pred: (m: Msg) => boolean, timeoutMs = 5000, from = 0): Promise<Msg> {
    const seen = this.messages.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (m: Msg) => {
          clearTimeout(t);
          resolve(m);
        },
      };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5))}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  async subscribe(channel: string): Promise<Msg> {
    const from = this.messages.length;
    this.send({ type: 'subscribe', channel });
    return this.next((m) => m.channel === channel && (m.type === 'snapshot' || m.type === 'error'), 5000, from);
  }

  close(): void {
    this.ws.terminate();
  }
}
