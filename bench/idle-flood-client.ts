/**
 * One flooding process for bench/idle-flood.ts: holds up to N idle connections to the exchange from
 * 127.0.0.2 (raw TCP that never sends, or /ws upgrades that never authenticate), optionally opening a
 * new one whenever one is closed, until its time is up. Reports how many it opened, how many the server closed
 * and the most it held at once.
 */
import net from 'node:net';
import { WebSocket } from 'ws';

const [port, target, kind, seconds] = [
  Number(process.argv[2]),
  Number(process.argv[3]),
  process.argv[4] as 'tcp' | 'ws',
  Number(process.argv[5]),
];
/** Reopen a connection the server closed after this many ms; negative: never (hold what was accepted). */
const reconnectMs = Number(process.argv[6] ?? -1);
const FROM = '127.0.0.2';
const stats = { opened: 0, closedByServer: 0, open: 0, maxOpen: 0, errors: 0 };
let stopping = false;
const live = new Set<{ destroy(): void }>();

function openOne(): void {
  if (stopping) return;
  stats.opened++;
  const done = (h: { destroy(): void }) => {
    if (!live.delete(h)) return;
    stats.open--;
    if (!stopping) {
      stats.closedByServer++;
      if (reconnectMs >= 0) setTimeout(openOne, reconnectMs);
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
    s.on('close', () => done(h));
  } else {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { localAddress: FROM });
    const h = { destroy: () => ws.terminate() };
    live.add(h);
    stats.open++;
    ws.on('error', () => {
      stats.errors++;
    });
    ws.on('close', () => done(h));
  }
  stats.maxOpen = Math.max(stats.maxOpen, stats.open);
}

// Ramp up in slices so the flood's own event loop keeps up.
let started = 0;
const ramp = setInterval(() => {
  for (let i = 0; i < 500 && started < target; i++, started++) openOne();
  if (started >= target) clearInterval(ramp);
}, 10);
setTimeout(() => {
  stopping = true;
  for (const h of live) h.destroy();
  process.send?.(stats);
  setTimeout(() => process.exit(0), 200);
}, seconds * 1000);
