/**
 * 64-bit FNV-1a over the public state of a book, for comparing a replayed or restored book with the
 * original. Pure JavaScript on four 16-bit limbs (no node:crypto, no BigInt), so it is deterministic
 * everywhere and cheap: about 80 bytes hashed per resting order.
 *
 * Encoding (injective, so different states cannot collide by construction of the byte stream):
 * per order, in book order (bids best first, then asks best first, FIFO within a price):
 * id, side, price, remaining lots, organisation, all-or-none, minimum lots, expiry (0 = none).
 * Strings are length-prefixed; numbers are written as two 32-bit words (low, high).
 */
export class Fnv1a64 {
  // offset basis 0xcbf29ce484222325 as four 16-bit limbs, low first
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;

  byte(b: number): void {
    // h ^= b; h *= 0x100000001b3 (= 2^40 + 0x1b3), modulo 2^64
    const x0 = (this.h0 ^ (b & 0xff)) * 0x1b3;
    const x1 = this.h1 * 0x1b3;
    const x2 = this.h2 * 0x1b3 + ((this.h0 ^ (b & 0xff)) << 8);
    const x3 = this.h3 * 0x1b3 + (this.h1 << 8);
    const c1 = x1 + (x0 >>> 16);
    const c2 = x2 + (c1 >>> 16);
    this.h0 = x0 & 0xffff;
    this.h1 = c1 & 0xffff;
    this.h2 = c2 & 0xffff;
    this.h3 = (x3 + (c2 >>> 16)) & 0xffff;
  }

  /** A 32-bit unsigned word, little-endian. */
  u32(v: number): void {
    this.byte(v & 0xff);
    this.byte((v >>> 8) & 0xff);
    this.byte((v >>> 16) & 0xff);
    this.byte((v >>> 24) & 0xff);
  }

  /** A non-negative safe integer as two 32-bit words. */
  uint(v: number): void {
    this.u32(v >>> 0);
    this.u32(Math.floor(v / 0x1_0000_0000) >>> 0);
  }

  /** Length-prefixed; each UTF-16 code unit is one byte when < 0x80, else three (0x80-marked). */
  str(s: string): void {
    this.u32(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) this.byte(c);
      else {
        this.byte(0x80 | (c & 0x7f));
        this.byte((c >>> 7) & 0xff);
        this.byte(c >>> 15);
      }
    }
  }

  hex(): string {
    const h = (n: number): string => n.toString(16).padStart(4, '0');
    return h(this.h3) + h(this.h2) + h(this.h1) + h(this.h0);
  }
}

/** The state hash builder both books use, so equal states give equal hashes by construction. */
export class BookStateHasher {
  private readonly fnv = new Fnv1a64();
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
    const f = this.fnv;
    f.str(orderId);
    f.byte(isBuy ? 1 : 2);
    f.uint(priceTicks);
    f.uint(remainingLots);
    f.str(orgId);
    f.byte(allOrNone ? 1 : 0);
    f.uint(minLots);
    f.uint(expiresAtMs);
    this.count++;
  }

  digest(): string {
    this.fnv.uint(this.count);
    return this.fnv.hex();
  }
}
