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
