/** The seeded random command stream shared by the engine-vs-reference specs (and handy for debugging). */
import type { AmendOrder, CommandResult, MatchingBook, NewOrder, TimeInForce } from '../../server/orders/engine';
import { lots, mulberry32, ticks } from './engine-helpers';

export type Command =
  | { kind: 'submit'; order: NewOrder }
  | { kind: 'cancel'; orderId: string }
  | { kind: 'amend'; amend: AmendOrder }
  | { kind: 'expire' };

/**
 * A seeded stream of every kind of command: all times in force, GTD expiries, cancels, reductions,
 * price changes, all-or-none and minimum-fill sells, five organisations (so self-trades happen), a
 * few refused commands (bad fields, duplicates, unknown ids), prices in a narrow band around 100% so
 * about half of the orders cross.
 *
 * It watches the results (`observe`) to aim cancels and amends at orders that are really resting,
 * which also keeps the book at a steady few hundred orders.
 */
export class CommandStream {
  private readonly rnd: () => number;
  private nowMs = 1_700_000_000_000;
  private nextId = 1;
  private readonly live: string[] = [];
  private readonly liveIndex = new Map<string, number>();
  private readonly tifs: TimeInForce[] = ['GTC', 'GTC', 'GTD', 'GTD', 'IOC', 'FOK'];

  constructor(seed: number) {
    this.rnd = mulberry32(seed);
  }

  get time(): number {
    return this.nowMs;
  }

  next(): Command {
    const { rnd } = this;
    if (this.int(0, 3) === 0) this.nowMs += this.int(0, 400);
    // past a few hundred resting orders, cancel more: keeps the book (and the reference book) small
    if (this.live.length > 250 && rnd() < 0.3) return { kind: 'cancel', orderId: this.pick(this.live) };
    const roll = rnd();
    if (roll < 0.66) {
      const side = rnd() < 0.5 ? 'buy' : 'sell';
      const quantity = rnd() < 0.9 ? this.int(1, 12) : this.int(13, 60);
      const timeInForce = this.pick(this.tifs);
      const condition = side === 'sell' ? rnd() : 1;
      return {
        kind: 'submit',
        order: {
          orderId: `o${this.nextId++}`,
          orgId: `org${this.int(1, 5)}`,
          side,
          // bids centred slightly below asks: the book keeps a spread and about half the orders cross
          priceTicks: ticks(side === 'buy' ? this.int(9970, 10005) : this.int(9995, 10030)),
          lots: lots(quantity),
          timeInForce,
          expiresAtMs: timeInForce === 'GTD' ? this.nowMs + this.int(1, 20_000) : null,
          allOrNone: condition < 0.12,
          minLots: condition >= 0.12 && condition < 0.24 ? lots(this.int(1, quantity)) : null,
        },
      };
    }
    if (roll < 0.68) {
      const base: NewOrder = {
        orderId: this.target(),
        orgId: 'org1',
        side: 'sell',
        priceTicks: ticks(10000),
        lots: lots(1),
        timeInForce: 'GTC',
      };
      return {
        kind: 'submit',
        order: this.pick<NewOrder>([
          base, // usually a duplicate id
          { ...base, orderId: `bad${this.nextId}`, lots: lots(0) },
          { ...base, orderId: `bad${this.nextId}`, side: 'buy', allOrNone: true },
          { ...base, orderId: `bad${this.nextId}`, timeInForce: 'GTD', expiresAtMs: this.nowMs },
        ]),
      };
    }
    if (roll < 0.78) return { kind: 'cancel', orderId: this.target() };
    if (roll < 0.96) {
      const r = rnd();
      const orderId = this.target();
      const price = ticks(this.int(9970, 10030));
      const amend: AmendOrder =
        r < 0.45
          ? { orderId, remainingLots: lots(this.int(1, 12)) }
          : r < 0.85
            ? { orderId, priceTicks: price }
            : { orderId, priceTicks: price, remainingLots: lots(this.int(1, 8)) };
      return { kind: 'amend', amend };
    }
    return { kind: 'expire' };
  }

  /** Follows which orders rest, from a command's events. */
  observe(result: CommandResult<string>): void {
    for (const e of result.events) {
      if (e.kind === 'rested') this.add(e.orderId);
      else if (e.kind === 'filled' || e.kind === 'cancelled' || e.kind === 'expired' || e.kind === 'repriced') this.remove(e.orderId);
    }
  }

  /** Mostly a resting order; sometimes any id ever used (usually gone), rarely one never used. */
  private target(): string {
    const r = this.rnd();
    if (r < 0.9 && this.live.length > 0) return this.pick(this.live);
    if (r < 0.98) return `o${this.int(1, this.nextId)}`;
    return 'never-used';
  }

  private add(id: string): void {
    if (this.liveIndex.has(id)) return;
    this.liveIndex.set(id, this.live.length);
    this.live.push(id);
  }

  private remove(id: string): void {
    const i = this.liveIndex.get(id);
    if (i === undefined) return;
    const last = this.live.pop() as string;
    this.liveIndex.delete(id);
    if (last !== id) {
      this.live[i] = last;
      this.liveIndex.set(last, i);
    }
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)] as T;
  }
}

export function apply(book: MatchingBook, c: Command, nowMs: number): CommandResult<string> {
  switch (c.kind) {
    case 'submit':
      return book.submit(c.order, nowMs);
    case 'cancel':
      return book.cancel(c.orderId, nowMs);
    case 'amend':
      return book.amend(c.amend, nowMs);
    case 'expire':
      return book.expire(nowMs);
  }
}
