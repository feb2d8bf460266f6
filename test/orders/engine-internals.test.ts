import { expect } from 'chai';
import { Fnv1a64, InvariantError, OrderBookEngine } from '../../server/orders/engine';
import type { RestingOrder } from '../../server/orders/engine';
import { ExpiryHeap } from '../../server/orders/engine/expiry-heap';
import { OrderNode, SELL, TIF_GTD } from '../../server/orders/engine/order-node';
import { buy, lots, mulberry32, sell, ticks } from './engine-helpers';

const T0 = 1_700_000_000_000;

/** Reaches into the engine's private state to corrupt it on purpose. */
interface EngineInternals {
  byId: Map<string, OrderNode>;
  expiries: ExpiryHeap;
}
const internals = (e: OrderBookEngine): EngineInternals => e as unknown as EngineInternals;

describe('engine internals', () => {
  describe('state hash', () => {
    it('is FNV-1a 64 (published test vectors)', () => {
      const hash = (s: string): string => {
        const f = new Fnv1a64();
        for (const c of s) f.byte(c.charCodeAt(0));
        return f.hex();
      };
      expect(hash('')).to.equal('cbf29ce484222325');
      expect(hash('a')).to.equal('af63dc4c8601ec8c');
      expect(hash('foobar')).to.equal('85944171f73967e8');
    });

    it('changes with every public field of a resting order, and not with how the book got there', () => {
      const base = (): OrderBookEngine => {
        const e = new OrderBookEngine();
        e.submit(sell('s1', 9000, 5, { minLots: 2 }), T0);
        e.submit(buy('b1', 8900, 5), T0);
        return e;
      };
      const h = base().stateHash();
      const variants: Array<(e: OrderBookEngine) => unknown> = [
        (e) => e.amend({ orderId: 's1', remainingLots: lots(4) }, T0),
        (e) => e.amend({ orderId: 's1', priceTicks: ticks(9001) }, T0),
        (e) => e.submit(buy('b2', 8800, 1), T0),
        (e) => e.cancel('b1', T0),
      ];
      for (const v of variants) {
        const e = base();
        v(e);
        expect(e.stateHash()).to.not.equal(h);
      }
      // same orders, same priority order, reached differently: same hash
      const a = new OrderBookEngine();
      a.submit(sell('s1', 9000, 3), T0);
      const b = new OrderBookEngine();
      b.submit(sell('s1', 9000, 8), T0);
      b.amend({ orderId: 's1', remainingLots: lots(3) }, T0);
      expect(a.stateHash()).to.equal(b.stateHash());
      const org = new OrderBookEngine();
      org.submit(sell('s1', 9000, 3, { org: 'other' }), T0);
      expect(org.stateHash()).to.not.equal(a.stateHash());
      const gtd = new OrderBookEngine();
      gtd.submit(sell('s1', 9000, 3, { expiresAtMs: T0 + 1 }), T0);
      expect(gtd.stateHash()).to.not.equal(a.stateHash());
    });

    it('both hashes tell apart the same orders queued in a different time order', () => {
      const first = new OrderBookEngine();
      first.submit(sell('x', 9000, 3), T0);
      first.submit(sell('y', 9000, 3), T0);
      const second = new OrderBookEngine();
      second.submit(sell('y', 9000, 3), T0);
      second.submit(sell('x', 9000, 3), T0);
      expect(second.stateHash()).to.not.equal(first.stateHash());
      expect(second.orderedStateHash()).to.not.equal(first.orderedStateHash());
    });

    it('the running state hash returns to its value when a change is undone', () => {
      const e = new OrderBookEngine();
      const empty = e.stateHash();
      e.submit(sell('x', 9000, 3), T0);
      e.submit(buy('b', 8000, 3), T0);
      e.cancel('x', T0);
      e.cancel('b', T0);
      expect(e.stateHash()).to.equal(empty);
      expect(empty).to.equal(new OrderBookEngine().stateHash());
    });
  });

  describe('expiry heap', () => {
    it('always yields the earliest (expiry, priority) after random pushes and removals', () => {
      const rnd = mulberry32(42);
      const heap = new ExpiryHeap();
      const inHeap: OrderNode[] = [];
      for (let i = 0; i < 5000; i++) {
        if (inHeap.length === 0 || rnd() < 0.6) {
          const node = new OrderNode(`n${i}`, 'o', SELL, 100, 1, TIF_GTD, 1 + Math.floor(rnd() * 50), false, 0, i + 1);
          heap.push(node);
          inHeap.push(node);
        } else {
          const k = Math.floor(rnd() * inHeap.length);
          heap.remove(inHeap[k] as OrderNode);
          inHeap.splice(k, 1);
        }
        expect(heap.problem()).to.equal(null);
        const expected = [...inHeap].sort((a, b) => a.expiresAtMs - b.expiresAtMs || a.priority - b.priority)[0];
        expect(heap.peek()).to.equal(expected);
      }
    });
  });

  describe('checkInvariants', () => {
    const book = (): OrderBookEngine => {
      const e = new OrderBookEngine();
      e.submit(sell('s1', 9000, 5, { expiresAtMs: T0 + 100 }), T0);
      e.submit(sell('s2', 9000, 5), T0);
      e.submit(buy('b1', 8900, 5), T0);
      e.checkInvariants();
      return e;
    };

    it('catches a level total that disagrees with its orders', () => {
      const e = book();
      (internals(e).byId.get('s2') as OrderNode).remaining = 4;
      expect(() => e.checkInvariants()).to.throw(InvariantError, /total/);
    });

    it('catches an order missing from the index', () => {
      const e = book();
      internals(e).byId.delete('s2');
      expect(() => e.checkInvariants()).to.throw(InvariantError, /not indexed/);
    });

    it('catches a GTD order missing from the expiry index', () => {
      const e = book();
      internals(e).expiries.remove(internals(e).byId.get('s1') as OrderNode);
      expect(() => e.checkInvariants()).to.throw(InvariantError, /expiry heap/);
    });

    it('catches a running state hash that missed a change', () => {
      const e = book();
      const node = internals(e).byId.get('s2') as OrderNode;
      node.remaining = 4;
      (node.level as { totalLots: number }).totalLots -= 1;
      expect(() => e.checkInvariants()).to.throw(InvariantError, /state hash/);
    });

    it('catches a broken FIFO link', () => {
      const e = book();
      (internals(e).byId.get('s2') as OrderNode).prev = null;
      expect(() => e.checkInvariants()).to.throw(InvariantError, /back link/);
    });
  });

  describe('a deep price level', () => {
    it('keeps FIFO order through cancels anywhere in 5,000 orders at one price', () => {
      const e = new OrderBookEngine();
      for (let i = 0; i < 5000; i++) e.submit(sell(`s${i}`, 9000, 2, { org: `org${i % 7}` }), T0);
      for (let i = 1; i < 5000; i += 2) expect(e.cancel(`s${i}`, T0).code).to.equal('OK');
      e.checkInvariants();
      const r = e.submit(buy('b', 9000, 7, { org: 'buyer' }), T0);
      expect(r.trades.map((t) => t.sellOrderId)).to.deep.equal(['s0', 's2', 's4', 's6']);
      expect(e.depth(1).asks).to.deep.equal([{ priceTicks: 9000, lots: 2500 * 2 - 7, orderCount: 2497 }]);
      e.checkInvariants();
    });
  });

  describe('restore', () => {
    it('refuses out-of-order priorities, duplicates and a non-empty book', () => {
      const o = (id: string, priority: number): RestingOrder => ({
        orderId: id,
        orgId: 'x',
        side: 'sell',
        priceTicks: ticks(9000),
        remainingLots: lots(1),
        timeInForce: 'GTC',
        expiresAtMs: null,
        allOrNone: false,
        minLots: null,
        priority,
      });
      expect(() => new OrderBookEngine().restore([o('a', 2), o('b', 1)])).to.throw(/priority/);
      expect(() => new OrderBookEngine().restore([o('a', 1), o('a', 2)])).to.throw(/duplicate/);
      expect(() => new OrderBookEngine().restore([o('a', 1)], 1)).to.throw(/nextPriority/);
      const e = new OrderBookEngine();
      e.restore([o('a', 1)]);
      expect(e.nextPriority).to.equal(2);
      expect(() => e.restore([o('b', 2)])).to.throw(/empty/);
    });
  });
});
