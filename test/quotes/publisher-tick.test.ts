import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { Publisher, type ChannelSpec, type Subscriber } from '../../server/quotes/publisher';

/** Blocks the thread for `ms`, as a publish's socket writes do. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

/** A subscriber whose every delivery costs `costMs` of the thread, recording when each frame came and what it said. */
function subscriber(costMs: number) {
  const got: { at: number; msg: { type: string; seq: number; data: { n: number } } }[] = [];
  const sub: Subscriber = {
    deliver(frame) {
      got.push({ at: performance.now(), msg: JSON.parse(frame.subarray(2).toString('utf8')) });
      busy(costMs);
    },
    error(code) {
      throw new Error(`unexpected error ${code}`);
    },
  };
  return { sub, got };
}

const spec = (): ChannelSpec => ({ mode: 'state', load: async () => ({ n: 0 }) });
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Other work that leaves the thread no idle time (requests always waiting, in the exchange): 4 ms per turn, until stopped. */
function saturate(): () => void {
  let stopped = false;
  const turn = () => {
    busy(4);
    if (!stopped) setImmediate(turn);
  };
  setImmediate(turn);
  return () => {
    stopped = true;
  };
}

/** A change every 2 ms (when the thread is free): far more changes than publishes. */
function keepChanging(p: Publisher): { stop(): void; last(): number } {
  let n = 0;
  const t = setInterval(() => p.setState('k', { n: ++n }), 2);
  return { stop: () => clearInterval(t), last: () => n };
}

describe('the quote publisher: the fan-out yields to a saturated thread', () => {
  it('keeps the short tick when the thread has time to spare, even when a publish is costly', async () => {
    const p = new Publisher({ tickMs: 20, maxShare: 0.2, maxTickMs: 200 });
    const { sub, got } = subscriber(10);
    p.subscribe('k', 'k', spec, sub);
    await settle(5);
    const changes = keepChanging(p);
    await settle(300);
    changes.stop();
    expect(got.filter((g) => g.msg.type === 'update').length).to.be.greaterThan(3);
    // 10 ms of writes every 20 ms: half the thread, but nothing else wanted it.
    expect(p.currentTickMs()).to.be.lessThan(50);
    p.close();
  });

  it('takes at most maxShare of a thread that other work keeps busy: the next publish waits spent / maxShare', async () => {
    const p = new Publisher({ tickMs: 5, maxShare: 0.2, maxTickMs: 1000 });
    const { sub, got } = subscriber(10);
    p.subscribe('k', 'k', spec, sub);
    await settle(5);
    const stopWork = saturate();
    const changes = keepChanging(p);
    const started = performance.now();
    await settle(600);
    changes.stop();
    const last = changes.last();
    await settle(100);
    stopWork();
    const elapsed = performance.now() - started;
    await settle(100);
    const updates = got.filter((g) => g.msg.type === 'update');
    expect(updates.length).to.be.greaterThan(3);
    // From the second publish on (the first has no history to judge by), each costs >= 10 ms and the next begins >= 50 ms after
    // it (2 ms: timers count whole milliseconds).
    for (let i = 2; i < updates.length; i++) expect(updates[i]!.at - updates[i - 1]!.at).to.be.at.least(48);
    expect((updates.length * 10) / elapsed, 'share of the thread spent publishing').to.be.at.most(0.3);
    // Coalesced, never out of order: seq rises by exactly 1 per message, and the last carries the last state.
    expect(updates.map((u) => u.msg.seq)).to.deep.equal(updates.map((_, i) => i + 1));
    expect(updates.at(-1)!.msg.data.n).to.equal(last);
    p.close();
  });

  it('never grows the tick beyond maxTickMs, and publishes at once again after the load is gone', async () => {
    const p = new Publisher({ tickMs: 10, maxShare: 0.05, maxTickMs: 100 });
    const { sub, got } = subscriber(20);
    p.subscribe('k', 'k', spec, sub);
    await settle(5);
    const stopWork = saturate();
    const changes = keepChanging(p);
    await settle(400);
    changes.stop();
    stopWork();
    // 20 ms / 0.05 would be 400 ms.
    expect(p.currentTickMs()).to.equal(100);
    await settle(150); // idle: longer than the grown tick
    const changedAt = performance.now();
    p.setState('k', { n: -1 });
    await settle(45);
    const next = got.find((g) => g.msg.type === 'update' && g.msg.data.n === -1);
    expect(next, 'published').to.not.equal(undefined);
    // Not after a grown tick (100 ms) from the change: on the next turn of the event loop.
    expect(next!.at - changedAt).to.be.lessThan(45);
    // The thread had time to spare since: back to the short tick (or the publish's own 20 ms, followed at once).
    expect(p.currentTickMs()).to.be.lessThan(30);
    p.close();
  });
});
