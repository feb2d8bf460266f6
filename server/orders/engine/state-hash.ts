/**
 * State hashes of a book, for comparing a replayed or restored book with the original. Pure
 * JavaScript FNV-1a 64-bit on four 16-bit limbs (no node:crypto, no BigInt): deterministic everywhere.
 *
 * Two hashes of the same public state:
 * - `stateHash` (O(1) to read, maintained incrementally): the sum modulo 2^64 of one FNV-1a-64 hash
 *   per resting order over (id, side, price, organisation, all-or-none, minimum lots, expiry,
 *   priority, remaining lots), then FNV-1a-64 of that sum and the order count. Priority is in each
 *   order's hash and fixes its place in the FIFO, so equal sums mean equal ordered books (barring a
 *   64-bit accident). Each change of an order costs one cheap update (remaining lots are hashed last,
 *   from a per-order prefix kept in the order node), so it can be committed with every command.
 * - `orderedStateHash` (O(n)): FNV-1a-64 over the orders in book order (bids best first, then asks
 *   best first, FIFO within a price) of (id, side, price, remaining, organisation, all-or-none,
 *   minimum lots, expiry). Independent of priority numbers; for audits and cross-checks.
 *
 * Encoding (injective): strings length-prefixed, each UTF-16 code unit one byte when < 0x80 else
 * three (0x80-marked); numbers as two little-endian 32-bit words (low, high).
 */
export class Fnv1a64 {
  // offset basis 0xcbf29ce484222325 as four 16-bit limbs, low first
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;

  /** Hashes `length` bytes of `buf`: the hot loop, on local variables. */
  bytes(buf: Uint8Array, length: number): void {
    let h0 = this.h0;
    let h1 = this.h1;
    let h2 = this.h2;
    let h3 = this.h3;
    for (let i = 0; i < length; i++) {
      // h ^= b; h *= 0x100000001b3 (= 2^40 + 0x1b3), modulo 2^64, on 16-bit limbs
      const x = h0 ^ (buf[i] as number);
      const x0 = x * 0x1b3;
      const x1 = h1 * 0x1b3;
      const x2 = h2 * 0x1b3 + (x << 8);
      const x3 = h3 * 0x1b3 + (h1 << 8);
      const c1 = x1 + (x0 >>> 16);
      const c2 = x2 + (c1 >>> 16);
      h0 = x0 & 0xffff;
      h1 = c1 & 0xffff;
      h2 = c2 & 0xffff;
      h3 = (x3 + (c2 >>> 16)) & 0xffff;
    }
    this.h0 = h0;
    this.h1 = h1;
    this.h2 = h2;
    this.h3 = h3;
  }

  byte(b: number): void {
    ONE[0] = b;
    this.bytes(ONE, 1);
  }

  hex(): string {
    return hex64(this.h0, this.h1, this.h2, this.h3);
  }

  /** The current state as four 16-bit limbs, low first (a per-order prefix). */
  into(target: HashPrefix): void {
    target.hp0 = this.h0;
    target.hp1 = this.h1;
    target.hp2 = this.h2;
    target.hp3 = this.h3;
  }

  reset(): void {
    this.h0 = 0x2325;
    this.h1 = 0x8422;
    this.h2 = 0x9ce4;
    this.h3 = 0xcbf2;
  }
}

const ONE = new Uint8Array(1);

function hex64(h0: number, h1: number, h2: number, h3: number): string {
  const h = (n: number): string => n.toString(16).padStart(4, '0');
  return h(h3) + h(h2) + h(h1) + h(h0);
}

/** Where a per-order hash prefix is kept: fields of the order node. */
export interface HashPrefix {
  hp0: number;
  hp1: number;
  hp2: number;
  hp3: number;
}

/** Writes the injective byte encoding of a record into a reusable buffer. */
class Encoder {
  buf = new Uint8Array(256);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b & 0xff;
  }

  /** A 32-bit unsigned word, little-endian. */
  u32(v: number): void {
    this.room(4);
    const buf = this.buf;
    let i = this.length;
    buf[i++] = v & 0xff;
    buf[i++] = (v >>> 8) & 0xff;
    buf[i++] = (v >>> 16) & 0xff;
    buf[i++] = (v >>> 24) & 0xff;
    this.length = i;
  }

  /** A non-negative safe integer as two 32-bit words (low, high). */
  uint(v: number): void {
    this.u32(v >>> 0);
    this.u32(Math.floor(v / 0x1_0000_0000) >>> 0);
  }

  /** Length-prefixed; each UTF-16 code unit is one byte when < 0x80, else three (0x80-marked). */
  str(s: string): void {
    this.u32(s.length);
    this.room(s.length * 3);
    const buf = this.buf;
    let j = this.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) buf[j++] = c;
      else {
        buf[j++] = 0x80 | (c & 0x7f);
        buf[j++] = (c >>> 7) & 0xff;
        buf[j++] = c >>> 15;
      }
    }
    this.length = j;
  }
}

const prefixFnv = new Fnv1a64();
const prefixEnc = new Encoder();

/** Hashes everything of an order but its remaining lots into `target` (recomputed on re-entry). */
export function orderHashPrefix(
  target: HashPrefix,
  orderId: string,
  isBuy: boolean,
  priceTicks: number,
  orgId: string,
  allOrNone: boolean,
  minLots: number,
  expiresAtMs: number,
  priority: number,
): void {
  const e = prefixEnc;
  e.reset();
  e.str(orderId);
  e.byte(isBuy ? 1 : 2);
  e.uint(priceTicks);
  e.str(orgId);
  e.byte(allOrNone ? 1 : 0);
  e.uint(minLots);
  e.uint(expiresAtMs);
  e.uint(priority);
  prefixFnv.reset();
  prefixFnv.bytes(e.buf, e.length);
  prefixFnv.into(target);
}

/**
 * The running sum behind `stateHash`: add an order's hash when it starts resting, subtract it when
 * it stops, and both around a change of its remaining lots.
 */
export class StateHashSum {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** Adds (sign 1) or subtracts (sign -1) the hash of an order with `prefix` and `remainingLots`. */
  apply(prefix: HashPrefix, remainingLots: number, sign: 1 | -1): void {
    let h0 = prefix.hp0;
    let h1 = prefix.hp1;
    let h2 = prefix.hp2;
    let h3 = prefix.hp3;
    const lo = remainingLots >>> 0;
    const hi = Math.floor(remainingLots / 0x1_0000_0000) >>> 0;
    for (let k = 0; k < 8; k++) {
      const b = k < 4 ? (lo >>> (8 * k)) & 0xff : (hi >>> (8 * (k - 4))) & 0xff;
      const x = h0 ^ b;
      const x0 = x * 0x1b3;
      const c1 = h1 * 0x1b3 + (x0 >>> 16);
      const c2 = h2 * 0x1b3 + (x << 8) + (c1 >>> 16);
      h3 = (h3 * 0x1b3 + (h1 << 8) + (c2 >>> 16)) & 0xffff;
      h0 = x0 & 0xffff;
      h1 = c1 & 0xffff;
      h2 = c2 & 0xffff;
    }
    if (sign === 1) {
      let t = this.s0 + h0;
      this.s0 = t & 0xffff;
      t = this.s1 + h1 + (t >>> 16);
      this.s1 = t & 0xffff;
      t = this.s2 + h2 + (t >>> 16);
      this.s2 = t & 0xffff;
      this.s3 = (this.s3 + h3 + (t >>> 16)) & 0xffff;
    } else {
      let t = this.s0 - h0;
      this.s0 = t & 0xffff;
      t = this.s1 - h1 - (t < 0 ? 1 : 0);
      this.s1 = t & 0xffff;
      t = this.s2 - h2 - (t < 0 ? 1 : 0);
      this.s2 = t & 0xffff;
      this.s3 = (this.s3 - h3 - (t < 0 ? 1 : 0)) & 0xffff;
    }
  }

  equals(other: StateHashSum): boolean {
    return this.s0 === other.s0 && this.s1 === other.s1 && this.s2 === other.s2 && this.s3 === other.s3;
  }

  /** FNV-1a-64 of the sum and the order count, as 16 hex digits. */
  digest(orderCount: number): string {
    const e = new Encoder();
    e.u32(this.s0 | (this.s1 << 16));
    e.u32(this.s2 | (this.s3 << 16));
    e.uint(orderCount);
    const f = new Fnv1a64();
    f.bytes(e.buf, e.length);
    return f.hex();
  }
}

/** Builds the ordered hash (see the top of this file); both books use it. */
export class BookStateHasher {
  private readonly fnv = new Fnv1a64();
  private readonly enc = new Encoder();
  private count = 0;

  addOrder(
    orderId: string,
    isBuy: boolean,
    priceTicks: number,
    remainingLots: number,
    orgId: string,
    allOrNone: boolean,
    minLots: number,
    expiresAtMs: number,
  ): void {
    const e = this.enc;
    e.reset();
    e.str(orderId);
    e.byte(isBuy ? 1 : 2);
    e.uint(priceTicks);
    e.uint(remainingLots);
    e.str(orgId);
    e.byte(allOrNone ? 1 : 0);
    e.uint(minLots);
    e.uint(expiresAtMs);
    this.fnv.bytes(e.buf, e.length);
    this.count++;
  }

  digest(): string {
    const e = this.enc;
    e.reset();
    e.uint(this.count);
    this.fnv.bytes(e.buf, e.length);
    return this.fnv.hex();
  }
}
