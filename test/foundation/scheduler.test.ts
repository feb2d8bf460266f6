import { expect } from 'chai';
import pino from 'pino';
import { Scheduler, type TimedTask } from '../../server/clock/scheduler';
import type { Clock } from '../../server/clock/clock';

const log = pino({ level: 'silent' });

describe('the scheduler of timed work', () => {
  const clockAt = (ms: number, simulated = false): Clock & { t: number } => ({
    simulated,
    t: ms,
    now() {
      return this.t;
    },
  });

  it('still runs a task that falls due after passes in which nothing was due', async () => {
    const clock = clockAt(1_000);
    let dueAt: number | null = null;
    const ran: number[] = [];
    const s = new Scheduler(clock, log, [
      {
        name: 'expiry',
        nextAt: () => dueAt,
        run: async () => {
          ran.push(clock.now());
          dueAt = null;
        },
      },
    ]);
    await s.runDue(); // nothing due: this pass ends without awaiting anything
    await s.runDue();
    dueAt = 1_500;
    clock.t = 2_000;
    await s.runDue();
    expect(ran).to.deep.equal([2_000]);
  });

  it('lets concurrent calls share one pass, and starts a new pass once it has settled', async () => {
    const clock = clockAt(0);
    let runs = 0;
    let release: () => void = () => {};
    const task: TimedTask = {
      name: 'slow',
      nextAt: () => 0,
      run: () => {
        runs++;
        return new Promise<void>((r) => {
          release = r;
        });
      },
    };
    const s = new Scheduler(clock, log, [task]);
    const a = s.runDue();
    const b = s.runDue();
    expect(b).to.equal(a);
    release();
    await a;
    const c = s.runDue();
    expect(c).to.not.equal(a);
    release();
    await c;
    expect(runs).to.equal(2);
  });

  it('on the real clock, fires a task that falls due while it is running, within a few ticks', async () => {
    let dueAt: number | null = null;
    const fired: number[] = [];
    const s = new Scheduler({ simulated: false, now: () => Date.now() }, log, [
      {
        name: 'deadline',
        nextAt: () => dueAt,
        run: async () => {
          fired.push(Date.now());
          dueAt = null;
        },
      },
    ]);
    s.start();
    try {
      await new Promise((r) => setTimeout(r, 600)); // several idle ticks first
      // Kept apart from `dueAt`, which the task clears when it runs (comparing with it then compared with 0).
      const due = Date.now() + 200;
      dueAt = due;
      const deadline = Date.now() + 3_000;
      while (fired.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(fired).to.have.length(1);
      expect(fired[0]!).to.be.at.least(due);
    } finally {
      s.stop();
    }
  });

  it('keeps running other tasks when one fails, and tells its listener once per pass that ran something', async () => {
    const clock = clockAt(10);
    const ran: string[] = [];
    let told = 0;
    const s = new Scheduler(
      clock,
      log,
      [
        {
          name: 'broken',
          nextAt: () => 0,
          run: async () => {
            throw new Error('boom');
          },
        },
        {
          name: 'fine',
          nextAt: () => 5,
          run: async () => {
            ran.push('fine');
          },
        },
        {
          name: 'later',
          nextAt: () => 99,
          run: async () => {
            ran.push('later');
          },
        },
      ],
      () => {
        told++;
      },
    );
    await s.runDue();
    expect(ran).to.deep.equal(['fine']);
    expect(told).to.equal(1);
  });
});
