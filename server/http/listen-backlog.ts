/**
 * The listen backlog and the kernel settings that bound it (issue #19).
 *
 * Connections the kernel has completed wait in the listening socket's accept queue until the process
 * accepts them. When a burst of connections (a client opening thousands at once) fills that queue, the
 * kernel drops further SYNs and handshakes' last ACKs from every client alike (TcpExt ListenOverflows),
 * each retransmitted only 1 s, 3 s, 7 s later: a client over its cap then delays others for seconds, however
 * cheaply the process refuses it. The queue's length is what listen() asks for, cut to net.core.somaxconn
 * at that moment; the process asks for LISTEN_BACKLOG and cannot raise the kernel's settings itself, so
 * start-up reads them and warns, with the recommended values, when they cut the queue short.
 */
import fs from 'node:fs';

/** The backlog asked of listen(): room for a 20,000-connection burst and more (the kernel cuts it to somaxconn). */
export const LISTEN_BACKLOG = 65_535;

/** Kernel settings recommended for the exchange's host (sysctl); documented in README "Going live". */
export const RECOMMENDED_KERNEL_SETTINGS: Readonly<Record<string, number>> = {
  'net.core.somaxconn': LISTEN_BACKLOG,
  'net.ipv4.tcp_max_syn_backlog': LISTEN_BACKLOG,
  'net.ipv4.tcp_syncookies': 1,
};

export interface ListenQueue {
  /** The accept queue's length the kernel grants: LISTEN_BACKLOG cut to somaxconn (if unknown, LISTEN_BACKLOG as asked). */
  backlog: number;
  /** The settings read (null where /proc/sys could not be read, e.g. not Linux). */
  settings: Record<string, number | null>;
  /** One line per setting below its recommended value, naming the setting, its value and the sysctl to run. */
  warnings: string[];
}

function readSetting(name: string): number | null {
  try {
    const n = Number.parseInt(fs.readFileSync(`/proc/sys/${name.replaceAll('.', '/')}`, 'utf8').trim(), 10);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/** Reads the kernel's settings (or takes them, for tests) and says what the listen queue will be. */
export function listenQueue(read: (name: string) => number | null = readSetting): ListenQueue {
  const settings: Record<string, number | null> = {};
  const warnings: string[] = [];
  for (const [name, recommended] of Object.entries(RECOMMENDED_KERNEL_SETTINGS)) {
    const value = read(name);
    settings[name] = value;
    if (value !== null && value < recommended) {
      warnings.push(`${name} is ${value}, recommended ${recommended} (sysctl -w ${name}=${recommended})`);
    }
  }
  const somaxconn = settings['net.core.somaxconn'];
  return { backlog: somaxconn == null ? LISTEN_BACKLOG : Math.min(LISTEN_BACKLOG, somaxconn), settings, warnings };
}
