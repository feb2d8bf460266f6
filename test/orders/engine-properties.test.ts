import { expect } from 'chai';
import fc from 'fast-check';
import { OrderBookEngine } from '../../server/orders/engine';
import type { CommandResult, MatchingBook, NewOrder, RestingOrder } from '../../server/orders/engine';
import { IMPLEMENTATIONS, lots, ticks } from './engine-helpers';
import { ReferenceBook } from './reference-book';

const T0 = 1_700_000_000_000;

type Op =
  | {
      kind: 'submit';
      side: 'buy' | 'sell';
      price: number;
      lots: number;
      tif: 'GTC' | 'GTD' | 'IOC' | 'FOK';
      org: string;
      cond: 'none' | 'aon' | 'min';
      min: number;
      ttl: number;
    }
  | { kind: 'cancel'; pick: number }
  | { kind: 'amend'; pick: number; lots: number | null; price: number | null }
  | { kind: 'advance'; ms: number };

const submitArb = (conditions: boolean): fc.Arbitrary<Op> =>
  fc.record({
    kind: fc.constant('submit' as const),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    price: fc.integer({ min: 98, max: 102 }),
    lots: fc.integer({ min: 1, max: 10 }),
    tif: fc.constantFrom('GTC' as const, 'GTD' as const, 'IOC' as const, 'FOK' as const),
    org: fc.constantFrom('A', 'B', 'C'),
    cond: conditions ? fc.constantFrom('none' as const, 'none' as const, 'aon' as const, 'min' as const) : fc.constant('none' as const),
    min: fc.integer({ min: 1, max: 10 }),
    ttl: fc.integer({ min: 1, max: 40 }),
  });

const opsArb = (conditions = true): fc.Arbitrary<Op[]> =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: submitArb(conditions) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('amend' as const),
          pick: fc.nat(),
          lots: fc.option(fc.integer({ min: 1, max: 10 })),
          price: fc.option(fc.integer({ min: 98, max: 102 })),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 30 }) }) },
    ),
    { minLength: 5, maxLength: 80, size: 'max' },
  );

interface Step {
  op: Op;
  order: NewOrder | null;
  before: RestingOrder[];
  beforeHash: string;
  result: CommandResult<string>;
  nowMs: number;
}

/** Runs ops against a book, turning picks into resting order ids, and reports every step. */
function run(book: MatchingBook, ops: Op[], onStep: (s: Step) => void = () => {}): void {
  let nowMs = T0;
  let n = 0;
  for (const op of ops) {
    const before = [...book.restingOrders()];
    const beforeHash = book.stateHash();
    let result: CommandResult<string>;
    let order: NewOrder | null = null;
    const target = (pick: number): string => (before.length === 0 ? 'none' : (before[pick % before.length] as RestingOrder).orderId);
    switch (op.kind) {
      case 'submit':
        order = {
          orderId: `o${++n}`,
          orgId: op.org,
          side: op.side,
          priceTicks: ticks(op.price),
          lots: lots(op.lots),
          timeInForce: op.tif,
          expiresAtMs: op.tif === 'GTD' ? nowMs + op.ttl : null,
          allOrNone: op.side === 'sell' && op.cond === 'aon',
          minLots: op.side === 'sell' && op.cond === 'min' ? lots(Math.min(op.min, op.lots)) : null,
        };
        result = book.submit(order, nowMs);
        break;
      case 'cancel':
        result = book.cancel(target(op.pick), nowMs);
        break;
      case 'amend':
        result = book.amend(
          {
            orderId: target(op.pick),
            remainingLots: op.lots === null ? null : lots(op.lots),
            priceTicks: op.price === null ? null : ticks(op.price),
          },
          nowMs,
        );
        break;
      case 'advance':
        nowMs += op.ms;
        result = book.expire(nowMs);
        break;
    }
    book.checkInvariants();
    onStep({ op, order, before, beforeHash, result, nowMs });
  }
}

const better = (side: 'buy' | 'sell', a: RestingOrder, b: RestingOrder): number =>
  a.priceTicks !== b.priceTicks ? (side === 'buy' ? b.priceTicks - a.priceTicks : a.priceTicks - b.priceTicks) : a.priority - b.priority;

describe('order book properties (fast-check)', function () {
  this.timeout(60_000);

  it('the engine and the naive reference give identical results and state for any command sequence', () => {
    fc.assert(
      fc.property(opsArb(), (ops) => {
        const fast: CommandResult<string>[] = [];
        const slow: CommandResult<string>[] = [];
        const engine = new OrderBookEngine();
        const reference = new ReferenceBook();
        run(engine, ops, (s) => fast.push(s.result));
        run(reference, ops, (s) => slow.push(s.result));
        expect(fast).to.deep.equal(slow);
        expect(engine.stateHash()).to.equal(reference.stateHash());
      }),
      { numRuns: 300 },
    );
  });

  for (const impl of IMPLEMENTATIONS) {
    describe(impl.name, () => {
      it('price-time priority: an incoming order takes the opposite orders best price first, earliest first, each at its own price', () => {
        fc.assert(
          fc.property(opsArb(false), (ops) => {
            run(impl.create(), ops, ({ order, before, result, nowMs }) => {
              if (order === null || (result.code !== 'OK' && result.code !== 'SELF_TRADE')) return;
              const opposite = order.side === 'buy' ? 'sell' : 'buy';
              const acceptable = (r: RestingOrder): boolean =>
                order.side === 'buy' ? r.priceTicks <= order.priceTicks : r.priceTicks >= order.priceTicks;
              const notDue = (r: RestingOrder): boolean => r.expiresAtMs === null || r.expiresAtMs > nowMs;
              const eligible = before
                .filter((r) => r.side === opposite && acceptable(r) && notDue(r))
                .sort((a, b) => better(opposite, a, b));
              const makers = result.trades.map((t) => t.makerOrderId);
              expect(makers).to.deep.equal(eligible.slice(0, makers.length).map((r) => r.orderId));
              result.trades.forEach((t, i) => expect(t.priceTicks).to.equal((eligible[i] as RestingOrder).priceTicks));
              const final = result.events[result.events.length - 1];
              if (final?.kind === 'rested' || final?.reason === 'IOC_REMAINDER') expect(makers.length).to.equal(eligible.length);
              if (result.code === 'SELF_TRADE') expect(eligible[makers.length]?.orgId).to.equal(order.orgId);
            });
          }),
          { numRuns: 200 },
        );
      });

      it('FOK is all or nothing: filled entirely, or no trade and an unchanged book', () => {
        fc.assert(
          fc.property(opsArb(), (ops) => {
            const book = impl.create();
            run(book, ops, ({ op, order, result, beforeHash }) => {
              if (order === null || op.kind !== 'submit' || order.timeInForce !== 'FOK') return;
              const expiries = result.events.filter((e) => e.kind === 'expired').length;
              const traded = result.trades.reduce((s, t) => s + t.lots, 0);
              if (result.code === 'OK') {
                expect(traded).to.equal(order.lots);
              } else if (result.code === 'FOK_NOT_FILLABLE') {
                expect(result.trades).to.deep.equal([]);
                if (expiries === 0) expect(book.stateHash()).to.equal(beforeHash);
              } else {
                expect.fail(`a FOK ends OK or FOK_NOT_FILLABLE, not ${result.code}`);
              }
            });
          }),
          { numRuns: 200 },
        );
      });

      it('FOK fills exactly when the same order as IOC would fill completely', () => {
        fc.assert(
          fc.property(opsArb(), submitArb(true), (ops, last) => {
            const book = impl.create();
            run(book, ops);
            if (last.kind !== 'submit') return;
            const copy = impl.create();
            copy.restore(
              [...book.restingOrders()].sort((a, b) => a.priority - b.priority),
              book.nextPriority,
            );
            const order = {
              orderId: 'last',
              orgId: last.org,
              side: last.side,
              priceTicks: ticks(last.price),
              lots: lots(last.lots),
              allOrNone: last.side === 'sell' && last.cond === 'aon',
              minLots: last.side === 'sell' && last.cond === 'min' ? lots(Math.min(last.min, last.lots)) : null,
            };
            const fok = book.submit({ ...order, timeInForce: 'FOK' }, T0 + 10_000);
            const ioc = copy.submit({ ...order, timeInForce: 'IOC' }, T0 + 10_000);
            const iocFilled = ioc.trades.reduce((s, t) => s + t.lots, 0) === order.lots;
            expect(fok.code === 'OK').to.equal(iocFilled);
            if (iocFilled) expect(fok.trades).to.deep.equal(ioc.trades);
          }),
          { numRuns: 200 },
        );
      });

      it('all-or-none sells trade only whole, in one trade; minimum-fill sells never trade below their minimum', () => {
        fc.assert(
          fc.property(opsArb(), (ops) => {
            const aon = new Set<string>();
            const minimum = new Map<string, number>();
            const aonTrades = new Map<string, number>();
            run(impl.create(), ops, ({ order, result }) => {
              if (order?.allOrNone) aon.add(order.orderId);
              if (order?.minLots) minimum.set(order.orderId, order.minLots);
              for (const t of result.trades) {
                if (aon.has(t.sellOrderId)) {
                  aonTrades.set(t.sellOrderId, (aonTrades.get(t.sellOrderId) ?? 0) + 1);
                  expect(aonTrades.get(t.sellOrderId), `${t.sellOrderId} traded twice`).to.equal(1);
                  const ended = result.events.some((e) => e.orderId === t.sellOrderId && e.kind === 'filled');
                  expect(ended, `${t.sellOrderId} must be filled by its one trade`).to.equal(true);
                }
                const min = minimum.get(t.sellOrderId);
                if (min !== undefined) expect(t.lots).to.be.at.least(min);
              }
              for (const e of result.events) {
                if (aon.has(e.orderId)) expect(e.kind).to.not.equal('partially_filled');
              }
            });
          }),
          { numRuns: 200 },
        );
      });

      it('self-trade prevention: no trade ever has the same organisation on both sides', () => {
        fc.assert(
          fc.property(opsArb(), (ops) => {
            const book = impl.create();
            run(book, ops, ({ order, result }) => {
              for (const t of result.trades) expect(t.buyOrgId).to.not.equal(t.sellOrgId);
              if (order !== null && result.code === 'SELF_TRADE') {
                const last = result.events[result.events.length - 1];
                expect(last).to.include({ orderId: order.orderId, kind: 'cancelled', reason: 'SELF_TRADE' });
                // the resting order of the same organisation that stopped it is still there
                const own = [...book.restingOrders()].filter(
                  (r) =>
                    r.orgId === order.orgId &&
                    r.side !== order.side &&
                    (order.side === 'buy' ? r.priceTicks <= order.priceTicks : r.priceTicks >= order.priceTicks),
                );
                expect(own).to.not.deep.equal([]);
              }
            });
          }),
          { numRuns: 200 },
        );
      });

      it('conservation: for every seller, lots submitted = resting + filled + cancelled (incl. expired and reduced)', () => {
        fc.assert(
          fc.property(opsArb(), (ops) => {
            const book = impl.create();
            const submitted = new Map<string, number>();
            const filled = new Map<string, number>();
            const cancelled = new Map<string, number>();
            const add = (m: Map<string, number>, k: string, v: number): void => void m.set(k, (m.get(k) ?? 0) + v);
            run(book, ops, ({ order, result }) => {
              if (
                order !== null &&
                order.side === 'sell' &&
                (result.code === 'OK' || result.code === 'SELF_TRADE' || result.code === 'FOK_NOT_FILLABLE')
              ) {
                add(submitted, order.orgId, order.lots);
              }
              for (const t of result.trades) add(filled, t.sellOrgId, t.lots);
              for (const e of result.events) if (e.side === 'sell') add(cancelled, e.orgId, e.cancelledLots);
            });
            const resting = new Map<string, number>();
            for (const r of book.restingOrders()) if (r.side === 'sell') add(resting, r.orgId, r.remainingLots);
            for (const org of new Set([...submitted.keys(), ...filled.keys(), ...cancelled.keys(), ...resting.keys()])) {
              const inOut = (resting.get(org) ?? 0) + (filled.get(org) ?? 0) + (cancelled.get(org) ?? 0);
              expect(inOut, `seller ${org}`).to.equal(submitted.get(org) ?? 0);
            }
          }),
          { numRuns: 200 },
        );
      });

      it('restoring the resting orders into a new book gives the same state hash', () => {
        fc.assert(
          fc.property(opsArb(), (ops) => {
            const book = impl.create();
            run(book, ops);
            const copy = impl.create();
            copy.restore(
              [...book.restingOrders()].sort((a, b) => a.priority - b.priority),
              book.nextPriority,
            );
            copy.checkInvariants();
            expect(copy.stateHash()).to.equal(book.stateHash());
          }),
          { numRuns: 100 },
        );
      });
    });
  }
});
