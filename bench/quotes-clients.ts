/**
 * The socket side of bench/quotes.ts, run in its own process (forked with IPC): opens N WebSocket
 * clients, authenticates and subscribes them, and records for every message the book seq it reflects
 * (data.seq) and its arrival time. At the end it turns those into commit→arrival latencies using the
 * commit times the server process sends, so only a few numbers cross the IPC channel.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';

type Cmd =
  | { cmd: 'connect'; url: string; token: string | null; channel: string; sockets: number }
  | { cmd: 'finish'; commits: [number, number, number][]; windowMs: number }
  | { cmd: 'cpu' }
  | { cmd: 'exit' };

const now = () => performance.timeOrigin + performance.now();
const DATA = Buffer.from('"data":{"fundId":"');
const SEQ = Buffer.from('"seq":');

/** The first number after `"seq":` from `from` on (-1 if none): cheap enough for every message. */
function seqAt(b: Buffer, from: number): number {
  let i = b.indexOf(SEQ, from);
  if (i < 0) return -1;
  i += SEQ.length;
  let n = 0;
  for (let c = b[i]!; c >= 48 && c <= 57; c = b[++i]!) n = n * 10 + (c - 48);
  return n;
}

/** data.seq without decoding the whole message (this process handles ~100,000 messages a second). */
function dataSeq(b: Buffer): number {
  const d = b.indexOf(DATA);
  if (d < 0) return -1;
  let i = b.indexOf(SEQ, d + DATA.length);
  if (i < 0) return -1;
  i += SEQ.length;
  let n = 0;
  for (let c = b[i]!; c >= 48 && c <= 57; c = b[++i]!) n = n * 10 + (c - 48);
  return n;
}
let cpu0 = process.cpuUsage();

interface Sock {
  ws: WebSocket;
  seqs: number[];
  times: number[];
  /** The channel seq of the last message (api.md: +1 per message after the snapshot). */
  channelSeq: number;
}
/** Updates whose channel seq was not the previous message's + 1, over all sockets. */
let gaps = 0;
const UPDATE = Buffer.from('{"type":"update"');
let socks: Sock[] = [];

function open(url: string, token: string | null, channel: string): Promise<Sock> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    const s: Sock = { ws, seqs: [], times: [], channelSeq: -1 };
    let done = false;
    ws.on('open', () => {
      if (token) ws.send(JSON.stringify({ type: 'auth', token }));
      ws.send(JSON.stringify({ type: 'subscribe', channel }));
    });
    ws.on('message', (raw) => {
      const t = now();
      const seq = dataSeq(raw as Buffer);
      if (seq < 0) return;
      // The envelope's seq comes before data (encodeMessage: type, channel, seq, data).
      const channelSeq = seqAt(raw as Buffer, 0);
      if ((raw as Buffer).subarray(0, UPDATE.length).equals(UPDATE) && channelSeq !== s.channelSeq + 1) gaps++;
      s.channelSeq = channelSeq;
      s.seqs.push(seq);
      s.times.push(t);
      if (!done) {
        done = true;
        resolve(s);
      }
    });
    ws.on('error', (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
  });
}

async function connect(c: Extract<Cmd, { cmd: 'connect' }>): Promise<void> {
  socks = [];
  for (let i = 0; i < c.sockets; i += 250) {
    const batch = await Promise.all(Array.from({ length: Math.min(250, c.sockets - i) }, () => open(c.url, c.token, c.channel)));
    socks.push(...batch);
  }
  for (const s of socks) {
    s.seqs = [];
    s.times = [];
  }
  cpu0 = process.cpuUsage();
  gaps = 0;
}

function finish(c: Extract<Cmd, { cmd: 'finish' }>) {
  const commits = c.commits;
  const lat: number[] = [];
  const fromDue: number[] = [];
  const byWindow = new Map<number, number[]>();
  let missing = 0;
  const t0 = commits[0]?.[1] ?? 0;
  for (const s of socks) {
    let j = 0;
    for (const [seq, at, dueAt] of commits) {
      while (j < s.seqs.length && s.seqs[j]! < seq) j++;
      if (j >= s.seqs.length) {
        missing++;
        continue;
      }
      const l = s.times[j]! - at;
      lat.push(l);
      if (Number.isFinite(dueAt)) fromDue.push(s.times[j]! - dueAt);
      const w = Math.floor((at - t0) / c.windowMs);
      let arr = byWindow.get(w);
      if (!arr) byWindow.set(w, (arr = []));
      arr.push(l);
    }
  }
  const pct = (a: number[], p: number) => {
    if (!a.length) return NaN;
    a.sort((x, y) => x - y);
    return a[Math.min(a.length - 1, Math.ceil((p / 100) * a.length) - 1)]!;
  };
  const windows = [...byWindow.entries()].sort((a, b) => a[0] - b[0]).map(([, a]) => pct(a, 99));
  const messages = socks.reduce((n, s) => n + s.seqs.length, 0);
  const cpu = process.cpuUsage(cpu0);
  const clientUsPerMessage = (cpu.user + cpu.system) / Math.max(1, messages);
  const result = {
    samples: lat.length,
    missing,
    messages,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    max: pct(lat, 100),
    windows,
    dueP99: pct(fromDue, 99),
    clientUsPerMessage,
    gaps,
  };
  for (const s of socks) s.ws.terminate();
  socks = [];
  return result;
}

process.on('message', (raw) => {
  const c = raw as Cmd;
  if (c.cmd === 'connect')
    connect(c).then(
      () => process.send!({ ok: 'connected' }),
      (e: unknown) => process.send!({ error: String(e) }),
    );
  else if (c.cmd === 'finish') process.send!({ ok: 'finished', result: finish(c) });
  else if (c.cmd === 'cpu') process.send!({ ok: 'cpu', cpu: process.cpuUsage() });
  else process.exit(0);
});
process.send!({ ok: 'started' });
