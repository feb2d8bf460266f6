import fs from 'node:fs';

/** Nearest-rank percentile of ascending samples (p in 0–100): the smallest sample with at least p% at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * The whole machine's CPU busy fraction (every process, all cores: 1 − idle and I/O wait over all
 * time in /proc/stat) from now until the returned function is called. Linux only; NaN elsewhere.
 */
export function machineBusy(): () => number {
  const read = (): { idle: number; total: number } | null => {
    try {
      const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
      const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
      return { idle: cpu[3]! + cpu[4]!, total };
    } catch {
      return null;
    }
  };
  const start = read();
  return () => {
    const end = read();
    if (!start || !end || end.total === start.total) return NaN;
    return 1 - (end.idle - start.idle) / (end.total - start.total);
  };
}

/** Linux's clock ticks per second for /proc times (USER_HZ, 100 on every Linux build Node supports). */
const TICKS_PER_S = 100;

/**
 * CPU time (µs, user + system) used so far by this machine's PostgreSQL (every `postgres` process in /proc), to be
 * subtracted between two readings. A backend that ended (a pool closing an idle connection, an autovacuum worker) no
 * longer shows: its time is counted from its parent's, which the postmaster keeps for the children it reaped
 * (cutime and cstime). NaN where /proc cannot be read.
 */
export function postgresCpuUs(): number {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return NaN;
  }
  const procs = new Map<string, { ppid: string; own: number; children: number }>();
  for (const pid of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command sits in parentheses and may hold spaces; the fields after it are space-separated.
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const f = stat.slice(close + 2).split(' ');
      // Fields 4 (ppid) and 14–17 (utime, stime, cutime, cstime) of proc(5), counted from the state (field 3).
      procs.set(pid, { ppid: f[1]!, own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) });
    } catch {
      /* the process ended meanwhile */
    }
  }
  // No PostgreSQL on this machine to read (another host, another container): unknown, not nothing.
  if (procs.size === 0) return NaN;
  let ticks = 0;
  for (const p of procs.values()) ticks += p.own + (procs.has(p.ppid) ? 0 : p.children); // the postmaster: its reaped children too
  return (ticks * 1e6) / TICKS_PER_S;
}
