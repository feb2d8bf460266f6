/**
 * What bench/idle-flood.ts watches besides its probes: the listening socket's accept queue (`ss`'s
 * Recv-Q), the kernel's counters of SYNs and handshakes dropped because that queue was full
 * (TcpExt ListenOverflows / ListenDrops in /proc/net/netstat, for the whole network namespace), and the
 * exchange process's open files, resident memory and CPU time. Sampled every 200 ms.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';

export interface WatchSample {
  at: number;
  /** Connections waiting in the listening socket's accept queue; -1 when `ss` could not say. */
  acceptQueue: number;
  listenOverflows: number;
  listenDrops: number;
  serverFds: number;
  serverRssMb: number;
  /** CPU time the exchange process has used since it started (user + system), ms. */
  serverCpuMs: number;
}

/** TcpExt counters from /proc/net/netstat (two lines: names, then values). */
export function tcpExtCounters(): { listenOverflows: number; listenDrops: number } {
  const lines = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const i = lines.findIndex((l) => l.startsWith('TcpExt:'));
  const names = lines[i]!.split(/\s+/);
  const values = lines[i + 1]!.split(/\s+/).map(Number);
  const get = (n: string) => values[names.indexOf(n)] ?? 0;
  return { listenOverflows: get('ListenOverflows'), listenDrops: get('ListenDrops') };
}

/** A kernel setting from /proc/sys, or '?' where it cannot be read. */
export function sysctl(name: string): string {
  try {
    return fs.readFileSync(`/proc/sys/${name.replaceAll('.', '/')}`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** Recv-Q (queued connections) and Send-Q (the backlog the kernel granted) of the socket listening on the port. */
function listenQueue(port: number): Promise<{ queued: number; backlog: number }> {
  return new Promise((resolve) => {
    execFile('ss', ['-ltnH', `sport = :${port}`], (err, out) => {
      const cols = err ? [] : out.trim().split(/\s+/);
      resolve({ queued: cols.length > 2 ? Number(cols[1]) : -1, backlog: cols.length > 2 ? Number(cols[2]) : -1 });
    });
  });
}

export function grantedBacklog(port: number): Promise<number> {
  return listenQueue(port).then((q) => q.backlog);
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

function processFiles(pid: number): { fds: number; rssMb: number; cpuMs: number } {
  try {
    const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    // Fields after the command's closing parenthesis: state is the 3rd field, utime the 14th, stime the 15th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
    return { fds: fs.readdirSync(`/proc/${pid}/fd`).length, rssMb: rss ? Number(rss[1]) / 1024 : NaN, cpuMs };
  } catch {
    return { fds: NaN, rssMb: NaN, cpuMs: NaN };
  }
}

/** Samples until stopped; the samples are in time order. */
export function watch(port: number, serverPid: number): { samples: WatchSample[]; stop(): void } {
  const samples: WatchSample[] = [];
  let stopped = false;
  const tick = async () => {
    while (!stopped) {
      const at = Date.now();
      const q = await listenQueue(port);
      const files = processFiles(serverPid);
      samples.push({
        at,
        acceptQueue: q.queued,
        ...tcpExtCounters(),
        serverFds: files.fds,
        serverRssMb: files.rssMb,
        serverCpuMs: files.cpuMs,
      });
      await new Promise((r) => setTimeout(r, Math.max(0, 200 - (Date.now() - at))));
    }
  };
  void tick();
  return {
    samples,
    stop: () => {
      stopped = true;
    },
  };
}
