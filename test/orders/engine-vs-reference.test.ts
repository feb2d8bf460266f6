import { expect } from 'chai';
import { OrderBookEngine } from '../../server/orders/engine';
import { apply, CommandStream } from './engine-stream';
import { ReferenceBook } from './reference-book';

describe('the engine against the naive reference book', function () {
  this.timeout(120_000);

  it('a seeded stream of 100,000 commands gives identical results and books, with invariants after every command', () => {
    const engine = new OrderBookEngine();
    const reference = new ReferenceBook();
    const tally = { trades: 0, selfTrades: 0, fokKilled: 0, expired: 0, aonFills: 0, minCancels: 0, reentered: 0, refused: 0, maxBook: 0 };
    const stream = new CommandStream(20_240_601);
    for (let i = 0; i < 100_000; i++) {
      const command = stream.next();
      const nowMs = stream.time;
      const fast = apply(engine, command, nowMs);
      stream.observe(fast);
      const slow = apply(reference, command, nowMs);
      if (JSON.stringify(fast) !== JSON.stringify(slow)) {
        expect(fast, `command #${i} ${JSON.stringify(command)}`).to.deep.equal(slow);
      }
      // every command: all invariants, the running hash checked against the prefixes kept per order;
      // every 50: the prefixes re-hashed too, and both hashes compared with the reference's recomputation
      engine.checkInvariants({ recomputeHashPrefixes: i % 50 === 0 });
      if (i % 50 === 0) {
        reference.checkInvariants();
        expect(engine.stateHash(), `state after command #${i}`).to.equal(reference.stateHash());
        expect(engine.orderedStateHash(), `ordered state after command #${i}`).to.equal(reference.orderedStateHash());
        expect(engine.depth(10)).to.deep.equal(reference.depth(10));
        expect(engine.nextExpiryMs()).to.equal(reference.nextExpiryMs());
      }
      tally.trades += fast.trades.length;
      if (fast.code === 'SELF_TRADE') tally.selfTrades++;
      if (fast.code === 'FOK_NOT_FILLABLE') tally.fokKilled++;
      if (fast.code !== 'OK' && fast.code !== 'SELF_TRADE' && fast.code !== 'FOK_NOT_FILLABLE') tally.refused++;
      for (const e of fast.events) {
        if (e.kind === 'expired') tally.expired++;
        if (e.reason === 'MIN_FILL_REMAINDER') tally.minCancels++;
        if (e.kind === 'repriced') tally.reentered++;
      }
      if (command.kind === 'submit' && command.order.allOrNone)
        tally.aonFills += fast.trades.filter((t) => t.sellOrderId === command.order.orderId).length;
      tally.maxBook = Math.max(tally.maxBook, engine.orderCount);
    }
    expect(engine.stateHash()).to.equal(reference.stateHash());
    expect(engine.orderedStateHash()).to.equal(reference.orderedStateHash());
    expect([...engine.restingOrders()]).to.deep.equal([...reference.restingOrders()]);
    if (process.env.ENGINE_STREAM_TALLY) console.log(tally);
    // the stream really exercised every rule
    expect(tally.trades).to.be.greaterThan(10_000);
    expect(tally.selfTrades).to.be.greaterThan(100);
    expect(tally.fokKilled).to.be.greaterThan(100);
    expect(tally.expired).to.be.greaterThan(100);
    expect(tally.aonFills).to.be.greaterThan(100);
    expect(tally.minCancels).to.be.greaterThan(50);
    expect(tally.reentered).to.be.greaterThan(100);
    expect(tally.refused).to.be.greaterThan(100);
  });

  it('a book restored from its resting orders has the same state hash and replays identically', () => {
    const engine = new OrderBookEngine();
    const stream = new CommandStream(7);
    for (let i = 0; i < 10_000; i++) stream.observe(apply(engine, stream.next(), stream.time));
    const restored = new OrderBookEngine();
    restored.restore(
      [...engine.restingOrders()].sort((a, b) => a.priority - b.priority),
      engine.nextPriority,
    );
    restored.checkInvariants();
    expect(restored.stateHash()).to.equal(engine.stateHash());
    for (let i = 0; i < 10_000; i++) {
      const command = stream.next();
      const a = apply(engine, command, stream.time);
      const b = apply(restored, command, stream.time);
      expect(b).to.deep.equal(a);
      stream.observe(a);
    }
    expect(restored.stateHash()).to.equal(engine.stateHash());
  });
});
