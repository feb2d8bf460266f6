/**
 * One flooding process for bench/idle-flood.ts: holds up to N idle connections to the exchange from
 * 127.0.0.2 (raw TCP that never sends, or /ws upgrades that never authenticate), optionally opening a
 * new one whenever one is closed, until its time is up. Opens them at `rate` per second (0: as fast as
 * its event loop can, in slices of 500 every 10 ms). Reports how many it opened, how many the server
 * closed, the most it held at once, when its last first attempt was made (rampedAt) and when every first
 * attempt had been answered, connected or closed (settledAt; epoch ms).
 */
import net from 'node:net';
import { WebSocket } from 'ws';

const [port, target, kind, seconds, reconnectMs, rate] = [
  Number(process.argv[2]),
  Number(process.argv[3]),
  process.argv[4] as 'tcp' | 'ws',
  Number(process.argv[5]),
  /** Reopen a connection the server closed after this many ms; negative: never (hold what was accepted). */
  Number(process.argv[6] ?? -1),
  /** First attempts per second from this process; 0: as fast as possible. */
  Number(process.argv[7] ?? 0),
];
const FROM = '127.0.0.2';
const stats = { opened: 0, closedByServer: 0, open: 0, maxOpen: 0, errors: 0, startedAt: Date.now(), rampedAt: 0, settledAt: 0 };
let stopping = false;
let started = 0;
/** First attempts not yet answered (still connecting: SYN unanswered or the upgrade pending). */
let unsettled = 0;
const live = new Set<{ destroy(): void }>();

function openOne(first: boolean): void {
  if (stopping) return;
  stats.opened++;
  let settled = !first;
  if (first) unsettled++;
  const settle = () => {
    if (settled) return;
    settled = true;
    if (--unsettled === 0 && started >= target) stats.settledAt = Date.now();
  };
  const done = (h: { destroy(): void }) => {
    settle();
    if (!live.delete(h)) return;
    stats.open--;
    if (!stopping) {
      stats.closedByServer++;
      if (reconnectMs >= 0) setTimeout(() => openOne(false), reconnectMs);
    }
  };
  if (kind === 'tcp') {
    const s = net.connect({ host: '127.0.0.1', port, localAddress: FROM });
    const h = { destroy: () => s.destroy() };
    live.add(h);
    stats.open++;
    s.on('error', () => {
      stats.errors++;
    });
    s.once('connect', settle);
    s.on('close', () => done(h));
  } else {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { localAddress: FROM });
    const h = { destroy: () => ws.terminate() };
    live.add(h);
    stats.open++;
    ws.on('error', () => {
      stats.errors++;
    });
    ws.once('open', settle);
    ws.on('close', () => done(h));
  }
  stats.maxOpen = Math.max(stats.maxOpen, stats.open);
}

// Every 10 ms, open what the rate allows so far (or a slice of 500), so the flood's own event loop keeps up.
const ramp = setInterval(() => {
  const due = rate > 0 ? Math.min(target, Math.floor(((Date.now() - stats.startedAt) / 1000) * rate)) : started + 500;
  for (; started < due && started < target; started++) openOne(true);
  if (started >= target) {
    clearInterval(ramp);
    stats.rampedAt = Date.now();
    if (unsettled === 0) stats.settledAt = Date.now();
  }
}, 10);
setTimeout(() => {
  stopping = true;
  for (const h of live) h.destroy();
  process.send?.(stats);
  setTimeout(() => process.exit(0), 200);
}, seconds * 1000);
