/**
 * All resting orders at one price on one side: a FIFO as an intrusive doubly linked list, so that
 * appending, removing any order (cancel, fill, expiry) and reading the head are O(1) whatever the
 * number of orders at the price.
 */
import type { OrderNode } from './order-node';

export class PriceLevel {
  head: OrderNode | null = null;
  tail: OrderNode | null = null;
  totalLots = 0;
  count = 0;

  /** `key` orders levels so the best one sorts last: the price for bids, minus the price for asks. */
  constructor(
    readonly price: number,
    readonly key: number,
  ) {}

  append(node: OrderNode): void {
    node.level = this;
    node.prev = this.tail;
    node.next = null;
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.totalLots += node.remaining;
    this.count++;
  }

  remove(node: OrderNode): void {
    const { prev, next } = node;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    node.prev = null;
    node.next = null;
    node.level = null;
    this.totalLots -= node.remaining;
    this.count--;
  }
}
