/** Order and trade ids (server/orders/book-ids.ts): version-7 UUIDs in the exchange clock's time order, unique within a millisecond. */
import { expect } from 'chai';
import { bookId } from '../../server/orders/book-ids';

describe('order and trade ids', () => {
  const at = Date.parse('2026-12-07T04:00:00.000Z');

  it('are version-7 UUIDs that begin with the given time in milliseconds', () => {
    const id = bookId(at);
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).to.equal(at);
  });

  it('differ within one millisecond (a simulated clock that stands still) and sort in time order across milliseconds', () => {
    const same = new Set(Array.from({ length: 10_000 }, () => bookId(at)));
    expect(same.size).to.equal(10_000);
    const times = [at + 86_400_000, at, at + 1, at - 60_000, at + 5_000];
    const ids = times.map((t) => bookId(t));
    const byId = [...ids].sort();
    expect(byId).to.deep.equal([...times].sort((a, b) => a - b).map((t) => ids[times.indexOf(t)]));
  });
});
