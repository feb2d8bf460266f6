/**
 * One side of a book: its price levels in an array sorted so that the BEST level is LAST (bids by
 * ascending price, asks by descending price). Best level and removing it are O(1) (the common case:
 * a level emptied by matching is the best one); finding or inserting another level is a binary
 * search plus an array shift, O(log L + L) for L levels, which stays small because prices of one fund
 * cluster within a few hundred ticks. A Map gives O(1) lookup of a level by price.
 */
import { PriceLevel } from './price-level';

export class BookSide {
  /** Sorted by `key` ascending: best level last. */
  readonly levels: PriceLevel[] = [];
  private readonly byPrice = new Map<number, PriceLevel>();

  constructor(readonly isBid: boolean) {}

  keyOf(price: number): number {
    return this.isBid ? price : -price;
  }

  best(): PriceLevel | null {
    const n = this.levels.length;
    return n === 0 ? null : (this.levels[n - 1] as PriceLevel);
  }

  get(price: number): PriceLevel | undefined {
    return this.byPrice.get(price);
  }

  getOrCreate(price: number): PriceLevel {
    const existing = this.byPrice.get(price);
    if (existing !== undefined) return existing;
    const key = this.keyOf(price);
    const level = new PriceLevel(price, key);
    const levels = this.levels;
    const n = levels.length;
    if (n === 0 || (levels[n - 1] as PriceLevel).key < key) levels.push(level);
    else levels.splice(this.lowerBound(key), 0, level);
    this.byPrice.set(price, level);
    return level;
  }

  /** Removes an (empty) level; `indexHint` is its index when the caller knows it. */
  removeLevel(level: PriceLevel, indexHint = -1): void {
    const levels = this.levels;
    const n = levels.length;
    let i = indexHint;
    if (i < 0 || levels[i] !== level) i = n > 0 && levels[n - 1] === level ? n - 1 : this.lowerBound(level.key);
    if (i === n - 1) levels.pop();
    else levels.splice(i, 1);
    this.byPrice.delete(level.price);
  }

  get levelCount(): number {
    return this.levels.length;
  }

  mapSize(): number {
    return this.byPrice.size;
  }

  /** First index whose key is >= `key`. */
  private lowerBound(key: number): number {
    const levels = this.levels;
    let lo = 0;
    let hi = levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((levels[mid] as PriceLevel).key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
