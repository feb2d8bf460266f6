/**
 * Fires time-driven work (order expiry, deadlines, auction closes) as the exchange's clock passes it.
 * With the real clock it polls each task's next due time on a short tick; with the simulated clock it
 * runs when an operator moves the clock (runDue). Tasks are idempotent: they act on what is due in the
 * database, so running one twice, or after a restart, does the same thing once.
 */
import type { Logger } from 'pino';
import type { Clock } from './clock';

export interface TimedTask {
  name: string;
  /** Earliest instant this task has something to do, or null. */
  nextAt(): number | null;
  run(): Promise<void>;
}

/** Real-clock polling interval: how late after its instant an expiry or close may fire. */
const TICK_MS = 250;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  /** @param afterRun told after a pass that ran at least one task (e.g. the quote feed looks at once). */
  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly tasks: TimedTask[],
    private readonly afterRun: () => void = () => {},
  ) {}

  /** Runs what fell due while the exchange was down (either clock), then, on the real clock, polls. */
  start(): void {
    void this.runDue();
    if (this.clock.simulated || this.timer) return;
    this.timer = setInterval(() => {
      void this.runDue();
    }, TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs every task that is due now; concurrent calls share one pass. */
  runDue(): Promise<void> {
    if (this.running) return this.running;
    const pass = this.pass();
    this.running = pass;
    // Cleared once the pass has settled, never from inside it: a pass with nothing due finishes
    // synchronously, before `running` is even assigned, and clearing it there left that settled
    // promise in place, so every later tick returned it without running anything.
    pass.then(
      () => {
        this.running = null;
      },
      () => {
        this.running = null;
      },
    );
    return pass;
  }

  private async pass(): Promise<void> {
    const now = this.clock.now();
    let ran = 0;
    for (const task of this.tasks) {
      const at = task.nextAt();
      if (at === null || at > now) continue;
      ran++;
      try {
        await task.run();
      } catch (err) {
        this.log.error({ err, task: task.name }, 'timed task failed; it will be retried on the next tick');
      }
    }
    if (ran) {
      try {
        this.afterRun();
      } catch (err) {
        this.log.warn({ err }, 'after-run listener failed');
      }
    }
  }
}
