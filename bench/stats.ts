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
 * CPU time (µs, user + system) used so far by this machine's PostgreSQL processes (every `postgres` in
 * /proc: the backends serving the run and the server's own workers), to be subtracted between two readings.
 * NaN where /proc cannot be read. Processes that ended between two readings are not counted, so a
 * difference is a lower bound when connections come and go (the benches keep theirs open).
 */
export function postgresCpuUs(): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return NaN;
  }
  for (const pid of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command sits in parentheses and may hold spaces; the fields after it are space-separated.
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime and stime: fields 14 and 15 of stat
    } catch {
      /* the process ended meanwhile */
    }
  }
  return (ticks * 1e6) / TICKS_PER_S;
}
