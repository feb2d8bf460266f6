/**
 * A TCP proxy that holds every chunk `delayMs` before passing it on, in each direction, as a network
 * between the exchange and its database would (node:net; order kept: timers of one delay fire in the
 * order they were set). With a `WireCounter` it also counts what the clients send (bench/pg-wire.ts).
 */
import net from 'node:net';
import { WireCounter } from './pg-wire';

export interface DelayProxy {
  port: number;
  close(): Promise<void>;
}

export async function startDelayProxy(target: { host: string; port: number }, delayMs: number, counter?: WireCounter): Promise<DelayProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.setNoDelay(true);
    }
    const wire = counter?.connection();
    const pipe = (from: net.Socket, to: net.Socket, count?: (chunk: Buffer) => void) => {
      from.on('data', (chunk) => {
        count?.(chunk);
        if (delayMs <= 0) to.write(chunk);
        else
          setTimeout(() => {
            if (!to.destroyed) to.write(chunk);
          }, delayMs);
      });
      from.on('end', () => setTimeout(() => to.end(), delayMs));
      from.on('error', () => to.destroy());
    };
    pipe(client, upstream, wire?.fromClient);
    // The answer counts when it reaches the client (after the delay), as the client sees it.
    pipe(upstream, client, wire ? () => (delayMs > 0 ? setTimeout(wire.fromServer, delayMs) : wire.fromServer()) : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * As a process of its own (so that the load generator's work does not delay its timers): prints its port.
 * Started with an IPC channel, it answers every message with the wire counts so far.
 */
if (require.main === module) {
  const [host, port, delay] = process.argv.slice(2);
  const counter = new WireCounter();
  process.on('message', () => process.send?.(counter.counts));
  startDelayProxy({ host: host ?? '127.0.0.1', port: Number(port ?? 5432) }, Number(delay ?? 1), counter).then(
    (p) => console.log(p.port),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
