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

describe('the quote publisher: a tick that grows with the cost of publishing', () => {
  it('keeps the short tick while publishing is cheap', async () => {
    const p = new Publisher({ tickMs: 20, maxShare: 0.5, maxTickMs: 200 });
    const { sub } = subscriber(0);
    p.subscribe('k', 'k', spec, sub);
    await settle(5);
    p.setState('k', { n: 1 });
    p.tick();
    expect(p.currentTickMs()).to.equal(20);
    p.close();
  });

  it('waits spent / maxShare after a costly publish before the next, so the fan-out takes at most that share of the thread', async () => {
    const p = new Publisher({ tickMs: 5, maxShare: 0.2, maxTickMs: 1000 });
    const { sub, got } = subscriber(10);
    p.subscribe('k', 'k', spec, sub);
    await settle(5);
    const started = performance.now();
    // A change every 2 ms for 400 ms (when the thread is free): far more changes than publishes.
    let n = 0;
    const changes = setInterval(() => p.setState('k', { n: ++n }), 2);
    await settle(400);
    clearInterval(changes);
    await settle(150);
    const elapsed = performance.now() - started;
    const updates = got.filter((g) => g.msg.type === 'update');
    expect(updates.length).to.be.greaterThan(2);
    // Each publish costs >= 10 ms, so the next one begins >= 50 ms after it (2 ms: timers count whole milliseconds).
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.at - updates[i - 1]!.at).to.be.at.least(48);
    expect((updates.length * 10) / elapsed, 'share of the thread spent publishing').to.be.at.most(0.25);
    expect(p.currentTickMs()).to.be.at.least(50);
    // Coalesced, never out of order: seq rises by exactly 1 per message, and the last carries the last state.
    expect(updates.map((u) => u.msg.seq)).to.deep.equal(updates.map((_, i) => i + 1));
    expect(updates.at(-1)!.msg.data.n).to.equal(n);
    p.close();
  });

  it('never grows the tick beyond maxTickMs however long publishing takes, and shrinks it back once publishing is cheap again', async () => {
    const p = new Publisher({ tickMs: 10, maxShare: 0.05, maxTickMs: 100 });
    const slow = subscriber(20);
    p.subscribe('k', 'k', spec, slow.sub);
    await settle(5);
    p.setState('k', { n: 1 });
    p.tick();
    // 20 ms / 0.05 would be 400 ms.
    expect(p.currentTickMs()).to.equal(100);
    p.unsubscribe('k', slow.sub);
    const fast = subscriber(0);
    p.subscribe('k', 'k', spec, fast.sub);
    await settle(5);
    p.setState('k', { n: 2 });
    p.tick();
    expect(p.currentTickMs()).to.equal(10);
    p.close();
  });

  it('publishes the first change after a quiet spell at once, even after a costly publish', async () => {
    const p = new Publisher({ tickMs: 10, maxShare: 0.2, maxTickMs: 60 });
    const { sub, got } = subscriber(10);
    p.subscribe('k', 'k', spec, sub);
    await settle(5);
    p.setState('k', { n: 1 });
    p.tick();
    expect(p.currentTickMs()).to.be.at.least(50);
    await settle(80); // quieter than the grown tick
    const changedAt = performance.now();
    p.setState('k', { n: 2 });
    await settle(45);
    const second = got.find((g) => g.msg.type === 'update' && g.msg.data.n === 2);
    expect(second, 'published').to.not.equal(undefined);
    // Not a grown tick (>= 50 ms) after the change: the next turn of the event loop.
    expect(second!.at - changedAt).to.be.lessThan(45);
    p.close();
  });
});
