/**
 * Start-up as composition: the exchange starts as a sequence of small named steps, each of which may
 * hand back how to stop what it started. If a step fails, the steps already started are stopped in
 * reverse order (the database handle, opened first, is closed last) and the failure is reported;
 * `stop()` does the same for a running exchange. A stop that fails is logged and the others still run.
 */
import type { Logger } from 'pino';

export type Stop = () => Promise<void> | void;

export interface Started<T> {
  value: T;
  stop?: Stop;
}

export class Startup {
  private readonly stops: { name: string; stop: Stop }[] = [];
  private stopping: Promise<void> | null = null;

  constructor(private readonly log: Pick<Logger, 'error'>) {}

  /** Runs one step; what it started is stopped (in reverse order) when a later step fails or the exchange stops. */
  async step<T>(name: string, start: () => Promise<Started<T>> | Started<T>): Promise<T> {
    if (this.stopping) throw new Error(`start-up step ${name} after the exchange began stopping`);
    let started: Started<T>;
    try {
      started = await start();
    } catch (err) {
      await this.stop();
      throw new Error(`start-up step "${name}" failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (started.stop) this.stops.push({ name, stop: started.stop });
    return started.value;
  }

  /** A step that starts nothing to stop. */
  run<T>(name: string, work: () => Promise<T> | T): Promise<T> {
    return this.step(name, async () => ({ value: await work() }));
  }

  /** Stops every started step, last first; once (later calls wait for the same stop). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { name, stop } of this.stops.reverse()) {
        try {
          await stop();
        } catch (err) {
          this.log.error({ err }, `stopping ${name} failed`);
        }
      }
    })();
    return this.stopping;
  }
}
