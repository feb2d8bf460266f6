import { expect } from 'chai';
import type { MatchingBook, OrderEvent, Trade } from '../../server/orders/engine';
import { buy, IMPLEMENTATIONS, lots, sell, ticks } from './engine-helpers';

const T0 = 1_700_000_000_000;

const tradeSummary = (trades: Trade[]): string[] => trades.map((t) => `${t.buyOrderId}<-${t.sellOrderId} ${t.lots}@${t.priceTicks}`);
const eventSummary = (events: OrderEvent[]): string[] =>
  events.map(
    (e) =>
      `${e.orderId}:${e.kind}:${e.remainingLots}${e.cancelledLots > 0 ? `/-${e.cancelledLots}` : ''}` +
      `${e.reason === 'NONE' ? '' : `:${e.reason}`}`,
  );
const ids = (book: MatchingBook): string[] => [...book.restingOrders()].map((o) => o.orderId);

for (const impl of IMPLEMENTATIONS) {
  describe(`order book rules (${impl.name})`, () => {
    let book: MatchingBook;
    beforeEach(() => {
      book = impl.create();
    });
    afterEach(() => {
      book.checkInvariants();
    });

    describe('matching', () => {
      it('when a bid crosses the best ask, it fills at the ask price', () => {
        book.submit(sell('s1', 9000, 10), T0);
        const r = book.submit(buy('b1', 9100, 4), T0);
        expect(r.code).to.equal('OK');
        expect(tradeSummary(r.trades)).to.deep.equal(['b1<-s1 4@9000']);
        expect(r.trades[0]).to.include({
          makerOrderId: 's1',
          takerOrderId: 'b1',
          takerSide: 'buy',
          buyOrgId: 'buyer-org',
          sellOrgId: 'seller-org',
        });
        expect(eventSummary(r.events)).to.deep.equal(['s1:partially_filled:6', 'b1:filled:0']);
      });

      it('when an ask crosses the best bid, it fills at the bid price', () => {
        book.submit(buy('b1', 9100, 5), T0);
        const r = book.submit(sell('s1', 9000, 5), T0);
        expect(tradeSummary(r.trades)).to.deep.equal(['b1<-s1 5@9100']);
        expect(book.orderCount).to.equal(0);
      });

      it('fills the better price first, then the earlier order at the same price', () => {
        book.submit(sell('s-late-cheap', 9000, 2), T0);
        book.submit(sell('s-dear', 9050, 2), T0);
        book.submit(sell('s-cheap', 9000, 2), T0);
        const r = book.submit(buy('b', 9100, 5), T0);
        expect(tradeSummary(r.trades)).to.deep.equal(['b<-s-late-cheap 2@9000', 'b<-s-cheap 2@9000', 'b<-s-dear 1@9050']);
      });

      it('never trades beyond the incoming limit price; the rest rests at its limit', () => {
        book.submit(sell('s1', 9000, 2), T0);
        book.submit(sell('s2', 9200, 2), T0);
        const r = book.submit(buy('b', 9100, 5), T0);
        expect(tradeSummary(r.trades)).to.deep.equal(['b<-s1 2@9000']);
        expect(eventSummary(r.events)).to.deep.equal(['s1:filled:0', 'b:rested:3']);
        expect(book.depth(5)).to.deep.equal({
          bids: [{ priceTicks: ticks(9100), lots: lots(3), orderCount: 1 }],
          asks: [{ priceTicks: ticks(9200), lots: lots(2), orderCount: 1 }],
        });
      });

      it('aggregates depth per price, best first, limited to the requested number of levels', () => {
        book.submit(buy('b1', 9000, 1), T0);
        book.submit(buy('b2', 9000, 2), T0);
        book.submit(buy('b3', 8990, 4), T0);
        book.submit(buy('b4', 8980, 4), T0);
        book.submit(sell('s1', 9010, 3), T0);
        expect(book.depth(2).bids).to.deep.equal([
          { priceTicks: 9000, lots: 3, orderCount: 2 },
          { priceTicks: 8990, lots: 4, orderCount: 1 },
        ]);
        expect(book.depth(2).asks).to.deep.equal([{ priceTicks: 9010, lots: 3, orderCount: 1 }]);
        expect(book.bestBid()).to.equal(9000);
        expect(book.bestAsk()).to.equal(9010);
      });

      it('a partially filled resting order keeps its place at the front', () => {
        book.submit(sell('s1', 9000, 10), T0);
        book.submit(sell('s2', 9000, 10), T0);
        book.submit(buy('b1', 9000, 4), T0);
        const r = book.submit(buy('b2', 9000, 7), T0);
        expect(tradeSummary(r.trades)).to.deep.equal(['b2<-s1 6@9000', 'b2<-s2 1@9000']);
      });
    });

    describe('time in force', () => {
      it('IOC: what does not trade at once is cancelled, nothing rests', () => {
        book.submit(sell('s1', 9000, 3), T0);
        const r = book.submit(buy('b', 9000, 5, { tif: 'IOC' }), T0);
        expect(tradeSummary(r.trades)).to.deep.equal(['b<-s1 3@9000']);
        expect(eventSummary(r.events)).to.deep.equal(['s1:filled:0', 'b:cancelled:0/-2:IOC_REMAINDER']);
        expect(book.orderCount).to.equal(0);
      });

      it('FOK: fills entirely at once when it can', () => {
        book.submit(sell('s1', 9000, 3), T0);
        book.submit(sell('s2', 9010, 3), T0);
        const r = book.submit(buy('b', 9010, 6, { tif: 'FOK' }), T0);
        expect(r.code).to.equal('OK');
        expect(tradeSummary(r.trades)).to.deep.equal(['b<-s1 3@9000', 'b<-s2 3@9010']);
      });

      it('FOK: does nothing at all when it cannot fill entirely', () => {
        book.submit(sell('s1', 9000, 3), T0);
        book.submit(sell('s2', 9020, 3), T0);
        const before = book.stateHash();
        const r = book.submit(buy('b', 9010, 6, { tif: 'FOK' }), T0);
        expect(r.code).to.equal('FOK_NOT_FILLABLE');
        expect(r.trades).to.deep.equal([]);
        expect(eventSummary(r.events)).to.deep.equal(['b:cancelled:0/-6:FOK_NOT_FILLABLE']);
        expect(book.stateHash()).to.equal(before);
      });

      it('FOK: an order of its own organisation in the way makes it not fillable', () => {
        book.submit(sell('s-own', 9000, 3, { org: 'A' }), T0);
        book.submit(sell('s-other', 9000, 3, { org: 'B' }), T0);
        const r = book.submit(buy('b', 9000, 3, { tif: 'FOK', org: 'A' }), T0);
        expect(r.code).to.equal('FOK_NOT_FILLABLE');
        expect(book.orderCount).to.equal(2);
      });

      it('GTD: rests until its expiry and is removed by expire at that time, not before', () => {
        book.submit(sell('s1', 9000, 3, { expiresAtMs: T0 + 1000 }), T0);
        book.submit(sell('s2', 9000, 3, { expiresAtMs: T0 + 500 }), T0);
        book.submit(sell('s3', 9000, 3), T0);
        expect(book.nextExpiryMs()).to.equal(T0 + 500);
        expect(book.expire(T0 + 499).events).to.deep.equal([]);
        const r = book.expire(T0 + 1000);
        expect(eventSummary(r.events)).to.deep.equal(['s2:expired:0/-3:EXPIRED', 's1:expired:0/-3:EXPIRED']);
        expect(ids(book)).to.deep.equal(['s3']);
        expect(book.nextExpiryMs()).to.equal(null);
      });

      it('GTD: an order past its expiry never trades; the next command expires it first', () => {
        book.submit(sell('s1', 9000, 3, { expiresAtMs: T0 + 1000 }), T0);
        book.submit(sell('s2', 9010, 3), T0);
        const r = book.submit(buy('b', 9010, 3), T0 + 1000);
        expect(eventSummary(r.events)).to.deep.equal(['s1:expired:0/-3:EXPIRED', 's2:filled:0', 'b:filled:0']);
        expect(tradeSummary(r.trades)).to.deep.equal(['b<-s2 3@9010']);
      });

      it('GTD needs an expiry in the future; other kinds must not have one', () => {
        expect(book.submit(sell('s1', 9000, 3, { tif: 'GTD' }), T0).code).to.equal('INVALID_EXPIRY');
        expect(book.submit(sell('s1', 9000, 3, { expiresAtMs: T0 }), T0).code).to.equal('INVALID_EXPIRY');
        expect(book.submit(sell('s1', 9000, 3, { tif: 'GTC', expiresAtMs: T0 + 5 }), T0).code).to.equal('INVALID_EXPIRY');
        expect(book.orderCount).to.equal(0);
      });

      it('time never goes backwards: an earlier nowMs counts as the latest one seen', () => {
        book.submit(sell('s1', 9000, 3, { expiresAtMs: T0 + 1000 }), T0);
        book.expire(T0 + 2000);
        expect(book.submit(sell('s2', 9000, 3, { expiresAtMs: T0 + 1500 }), T0).code).to.equal('INVALID_EXPIRY');
        expect(book.orderCount).to.equal(0);
      });
    });

    describe('cancel and amend', () => {
      it('cancel removes the order and reports its open lots', () => {
        book.submit(sell('s1', 9000, 3), T0);
        const r = book.cancel('s1', T0);
        expect(r.code).to.equal('OK');
        expect(eventSummary(r.events)).to.deep.equal(['s1:cancelled:0/-3:CANCELLED']);
        expect(book.cancel('s1', T0).code).to.equal('UNKNOWN_ORDER');
        expect(book.depth(5)).to.deep.equal({ bids: [], asks: [] });
      });

      it("a cancel names its reason: a bid whose organisation's qualification lapsed", () => {
        book.submit(buy('b1', 9000, 2), T0);
        expect(eventSummary(book.cancel('b1', T0, 'QUALIFICATION_LAPSED').events)).to.deep.equal([
          'b1:cancelled:0/-2:QUALIFICATION_LAPSED',
        ]);
      });

      it('cancelling an order that is already due counts as unknown and changes nothing', () => {
        book.submit(sell('s1', 9000, 3, { expiresAtMs: T0 + 10 }), T0);
        const r = book.cancel('s1', T0 + 10);
        expect(r).to.deep.equal({ code: 'UNKNOWN_ORDER', trades: [], events: [] });
      });

      it('reducing quantity keeps time priority', () => {
        book.submit(sell('s1', 9000, 10), T0);
        book.submit(sell('s2', 9000, 10), T0);
        const r = book.amend({ orderId: 's1', remainingLots: lots(4) }, T0);
        expect(r.code).to.equal('OK');
        expect(eventSummary(r.events)).to.deep.equal(['s1:reduced:4/-6:REDUCED']);
        const fill = book.submit(buy('b', 9000, 5), T0);
        expect(tradeSummary(fill.trades)).to.deep.equal(['b<-s1 4@9000', 'b<-s2 1@9000']);
      });

      it('changing the price loses time priority: re-queued at the back', () => {
        book.submit(sell('s1', 9010, 10), T0);
        book.submit(sell('s2', 9000, 10), T0);
        const r = book.amend({ orderId: 's1', priceTicks: ticks(9000) }, T0);
        expect(eventSummary(r.events)).to.deep.equal(['s1:repriced:10:REENTERED', 's1:rested:10']);
        const fill = book.submit(buy('b', 9000, 12), T0);
        expect(tradeSummary(fill.trades)).to.deep.equal(['b<-s2 10@9000', 'b<-s1 2@9000']);
      });

      it('a new price that crosses trades at once, at the resting price', () => {
        book.submit(buy('b1', 9000, 5), T0);
        book.submit(sell('s1', 9100, 3), T0);
        const r = book.amend({ orderId: 's1', priceTicks: ticks(8900), remainingLots: lots(2) }, T0);
        expect(r.code).to.equal('OK');
        expect(tradeSummary(r.trades)).to.deep.equal(['b1<-s1 2@9000']);
        expect(eventSummary(r.events)).to.deep.equal(['s1:repriced:2/-1:REENTERED', 'b1:partially_filled:3', 's1:filled:0']);
      });

      it('refuses increases, empty amends, no-ops and unknown orders without changing anything', () => {
        book.submit(sell('s1', 9000, 5), T0);
        const before = book.stateHash();
        expect(book.amend({ orderId: 's1', remainingLots: lots(6) }, T0).code).to.equal('QUANTITY_INCREASE_NOT_ALLOWED');
        expect(book.amend({ orderId: 's1' }, T0).code).to.equal('INVALID_AMEND');
        expect(book.amend({ orderId: 's1', remainingLots: lots(5), priceTicks: ticks(9000) }, T0).code).to.equal('NO_CHANGE');
        expect(book.amend({ orderId: 's1', remainingLots: lots(0) }, T0).code).to.equal('INVALID_QUANTITY');
        expect(book.amend({ orderId: 's1', priceTicks: ticks(0) }, T0).code).to.equal('INVALID_PRICE');
        expect(book.amend({ orderId: 'nope', priceTicks: ticks(9001) }, T0).code).to.equal('UNKNOWN_ORDER');
        expect(book.stateHash()).to.equal(before);
      });
    });

    describe('all-or-none and minimum-fill sells', () => {
      it('an incoming buy passes over an all-or-none sell it cannot take whole, which keeps its place', () => {
        book.submit(sell('aon', 9000, 10, { allOrNone: true }), T0);
        book.submit(sell('s2', 9000, 5), T0);
        const r = book.submit(buy('b1', 9000, 4), T0);
        expect(tradeSummary(r.trades)).to.deep.equal(['b1<-s2 4@9000']);
        const whole = book.submit(buy('b2', 9000, 11), T0);
        expect(tradeSummary(whole.trades)).to.deep.equal(['b2<-aon 10@9000', 'b2<-s2 1@9000']);
      });

      it('an all-or-none sell is never partially filled, and may rest below a smaller bid', () => {
        book.submit(buy('b1', 9100, 6), T0);
        const r = book.submit(sell('aon', 9000, 10, { allOrNone: true }), T0);
        expect(r.trades).to.deep.equal([]);
        expect(eventSummary(r.events)).to.deep.equal(['aon:rested:10']);
        expect(book.bestBid()).to.equal(9100);
        expect(book.bestAsk()).to.equal(9000);
        const big = book.submit(buy('b2', 9000, 10), T0);
        expect(tradeSummary(big.trades)).to.deep.equal(['b2<-aon 10@9000']);
      });

      it('an incoming all-or-none sell trades only with one buy that takes it whole', () => {
        book.submit(buy('b1', 9100, 6), T0);
        book.submit(buy('b2', 9050, 12), T0);
        const r = book.submit(sell('aon', 9000, 10, { allOrNone: true }), T0);
        expect(tradeSummary(r.trades)).to.deep.equal(['b2<-aon 10@9050']);
      });

      it('reducing an all-or-none sell re-enters it: it loses priority and may trade at once', () => {
        book.submit(sell('aon', 9000, 10, { allOrNone: true }), T0);
        book.submit(buy('b1', 9100, 6), T0);
        const r = book.amend({ orderId: 'aon', remainingLots: lots(6) }, T0);
        expect(tradeSummary(r.trades)).to.deep.equal(['b1<-aon 6@9100']);
        expect(eventSummary(r.events)).to.deep.equal(['aon:repriced:6/-4:REENTERED', 'b1:filled:0', 'aon:filled:0']);
      });

      it('a buy smaller than a minimum fill passes over it; a large enough one trades', () => {
        book.submit(sell('min', 9000, 10, { minLots: 4 }), T0);
        book.submit(sell('s2', 9010, 10), T0);
        expect(tradeSummary(book.submit(buy('b1', 9010, 3), T0).trades)).to.deep.equal(['b1<-s2 3@9010']);
        expect(tradeSummary(book.submit(buy('b2', 9010, 4), T0).trades)).to.deep.equal(['b2<-min 4@9000']);
      });

      it('a minimum-fill remainder below the minimum is cancelled', () => {
        book.submit(sell('min', 9000, 10, { minLots: 4 }), T0);
        const r = book.submit(buy('b1', 9000, 7), T0);
        expect(tradeSummary(r.trades)).to.deep.equal(['b1<-min 7@9000']);
        expect(eventSummary(r.events)).to.deep.equal(['min:cancelled:0/-3:MIN_FILL_REMAINDER', 'b1:filled:0']);
        expect(book.orderCount).to.equal(0);
      });

      it('an incoming minimum-fill sell whose remainder falls below its minimum cancels it', () => {
        book.submit(buy('b1', 9000, 5), T0);
        book.submit(buy('b2', 9000, 2), T0);
        const r = book.submit(sell('min', 9000, 7, { minLots: 3 }), T0);
        expect(tradeSummary(r.trades)).to.deep.equal(['b1<-min 5@9000']);
        expect(eventSummary(r.events)).to.deep.equal(['b1:filled:0', 'min:cancelled:0/-2:MIN_FILL_REMAINDER']);
      });

      it('refuses a reduction below the minimum fill', () => {
        book.submit(sell('min', 9000, 10, { minLots: 4 }), T0);
        expect(book.amend({ orderId: 'min', remainingLots: lots(3) }, T0).code).to.equal('BELOW_MIN_QUANTITY');
        expect(book.amend({ orderId: 'min', remainingLots: lots(4) }, T0).code).to.equal('OK');
      });

      it('refuses conditions on buys, a minimum above the quantity, and both conditions at once', () => {
        expect(book.submit(buy('b', 9000, 5, { allOrNone: true }), T0).code).to.equal('CONDITIONS_ONLY_FOR_SELLS');
        expect(book.submit(buy('b', 9000, 5, { minLots: 2 }), T0).code).to.equal('CONDITIONS_ONLY_FOR_SELLS');
        expect(book.submit(sell('s', 9000, 5, { minLots: 6 }), T0).code).to.equal('INVALID_MIN_QUANTITY');
        expect(book.submit(sell('s', 9000, 5, { minLots: 0 }), T0).code).to.equal('INVALID_MIN_QUANTITY');
        expect(book.submit(sell('s', 9000, 5, { minLots: 2, allOrNone: true }), T0).code).to.equal('INVALID_MIN_QUANTITY');
        expect(book.orderCount).to.equal(0);
      });
    });

    describe('self-trade prevention', () => {
      it('cancels the incoming remainder and leaves the resting order of the same organisation', () => {
        book.submit(sell('other', 9000, 2, { org: 'B' }), T0);
        book.submit(sell('own', 9000, 5, { org: 'A' }), T0);
        book.submit(sell('behind', 9000, 5, { org: 'C' }), T0);
        const r = book.submit(buy('b', 9000, 6, { org: 'A' }), T0);
        expect(r.code).to.equal('SELF_TRADE');
        expect(tradeSummary(r.trades)).to.deep.equal(['b<-other 2@9000']);
        expect(eventSummary(r.events)).to.deep.equal(['other:filled:0', 'b:cancelled:0/-4:SELF_TRADE']);
        expect(ids(book)).to.deep.equal(['own', 'behind']);
      });

      it('is not triggered by an own order it could not have traded with', () => {
        book.submit(sell('own-aon', 9000, 10, { org: 'A', allOrNone: true }), T0);
        book.submit(sell('other', 9000, 5, { org: 'B' }), T0);
        const r = book.submit(buy('b', 9000, 3, { org: 'A' }), T0);
        expect(r.code).to.equal('OK');
        expect(tradeSummary(r.trades)).to.deep.equal(['b<-other 3@9000']);
      });

      it('applies to a re-entered order too', () => {
        book.submit(buy('own-bid', 9000, 5, { org: 'A' }), T0);
        book.submit(sell('s', 9100, 5, { org: 'A' }), T0);
        const r = book.amend({ orderId: 's', priceTicks: ticks(9000) }, T0);
        expect(r.code).to.equal('SELF_TRADE');
        expect(ids(book)).to.deep.equal(['own-bid']);
      });
    });

    describe('refusals', () => {
      it('refuses bad fields with a code, in precedence order, and changes nothing', () => {
        book.submit(sell('s1', 9000, 5), T0);
        const before = book.stateHash();
        const bad = (o: object): string => book.submit({ ...buy('x', 9000, 1), ...o }, T0).code;
        expect(bad({ side: 'hold' })).to.equal('INVALID_SIDE');
        expect(bad({ priceTicks: 0, lots: 0 })).to.equal('INVALID_PRICE');
        expect(bad({ priceTicks: 90.5 })).to.equal('INVALID_PRICE');
        expect(bad({ priceTicks: 1_000_000 })).to.equal('INVALID_PRICE');
        expect(bad({ lots: 0 })).to.equal('INVALID_QUANTITY');
        expect(bad({ lots: 1.5 })).to.equal('INVALID_QUANTITY');
        expect(bad({ lots: -3 })).to.equal('INVALID_QUANTITY');
        expect(bad({ timeInForce: 'DAY' })).to.equal('INVALID_TIME_IN_FORCE');
        expect(book.submit(sell('s1', 9000, 5), T0).code).to.equal('DUPLICATE_ORDER_ID');
        expect(book.stateHash()).to.equal(before);
      });

      it('treats a malformed id or time as a programmer error (throws)', () => {
        expect(() => book.submit(buy('', 9000, 1), T0)).to.throw();
        expect(() => book.submit(buy('b', 9000, 1), Number.NaN)).to.throw();
      });
    });

    describe('restore', () => {
      it('rebuilds an identical book (same state hash, same priorities) from its resting orders', () => {
        book.submit(sell('s1', 9000, 5, { minLots: 2 }), T0);
        book.submit(sell('s2', 9000, 5, { allOrNone: true, expiresAtMs: T0 + 99 }), T0);
        book.submit(buy('b1', 8900, 5), T0);
        book.submit(buy('b2', 8950, 5, { expiresAtMs: T0 + 50 }), T0);
        book.amend({ orderId: 'b1', priceTicks: ticks(8950) }, T0);
        const resting = [...book.restingOrders()].sort((a, b) => a.priority - b.priority);
        const copy = impl.create();
        copy.restore(resting);
        copy.checkInvariants();
        expect(copy.stateHash()).to.equal(book.stateHash());
        expect(copy.orderedStateHash()).to.equal(book.orderedStateHash());
        expect([...copy.restingOrders()]).to.deep.equal([...book.restingOrders()]);
        // and it goes on identically
        const a = book.submit(sell('s3', 8900, 20), T0 + 60);
        const b = copy.submit(sell('s3', 8900, 20), T0 + 60);
        expect(b).to.deep.equal(a);
      });

      it('refuses input that would leave a tradable pair crossed', () => {
        const base = { orgId: 'x', timeInForce: 'GTC' as const, expiresAtMs: null, allOrNone: false, minLots: null };
        expect(() =>
          book.restore([
            { ...base, orderId: 'b', side: 'buy', priceTicks: ticks(9100), remainingLots: lots(1), priority: 1 },
            { ...base, orderId: 's', side: 'sell', priceTicks: ticks(9000), remainingLots: lots(1), priority: 2 },
          ]),
        ).to.throw(/could trade/);
        book = impl.create(); // the refused book is corrupt by definition; afterEach checks a fresh one
      });
    });
  });
}
