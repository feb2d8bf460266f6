/**
 * No bid of an organisation whose qualified-investor record has lapsed can fill. The book checks a buyer's
 * qualification when its order arrives, and a scheduler task acts only on its next pass after an expiry. So
 * before each command on a book (in the batch's prelude, where due expiries run too) the book asks here which
 * of its resting bids belong to organisations no longer qualified at the command's instant, and cancels them
 * first: a sell that arrives a millisecond after the expiry cannot meet them. The qualification-lapse task
 * (server/qualifications/lapse.ts) runs such a command on the books nobody trades, and writes the summary.
 *
 * Cheap on every command: each book keeps the instant before which all its bidders are known qualified
 * (FundBook.bidsQualifiedUntilMs), and this process keeps, per organisation, the instant until which it is
 * known qualified (qualifiedUntil). Records are only ever added, never changed or removed, so a known instant
 * never overstates, in this process or any other. Only when a book's instant has passed (or is unknown, as
 * after a rebuild) are its bids looked through, and the records of the organisations not known qualified
 * read, in one statement.
 */
import { qualifiedUntil, type QualificationRecord } from '../../shared/rules';
import type { Tx } from '../../db/database';
import type { FundBook } from './book-registry';
import { qualificationRecordsOfEach } from '../qualifications/qualification-records';

export class BidQualifications {
  /** Per organisation: the instant (epoch ms, exclusive) until which it is known qualified. */
  private readonly until = new Map<string, number>();

  /**
   * The resting bids of `book` whose organisation is not qualified at `nowMs`, by organisation, for the
   * caller to cancel at once; afterwards the book's instant covers the bids left.
   */
  async lapsedBids(trx: Tx, book: FundBook, nowMs: number): Promise<Map<string, string[]>> {
    const lapsed = new Map<string, string[]>();
    if (nowMs < book.bidsQualifiedUntilMs) return lapsed;
    const bids = new Map<string, string[]>();
    for (const o of book.engine.restingOrders('buy')) {
      const ids = bids.get(o.orgId);
      if (ids) ids.push(o.orderId);
      else bids.set(o.orgId, [o.orderId]);
    }
    await this.read(
      trx,
      [...bids.keys()].filter((orgId) => !(this.knownUntil(orgId) > nowMs)),
      nowMs,
    );
    let until = Number.POSITIVE_INFINITY;
    for (const [orgId, ids] of bids) {
      const orgUntil = this.knownUntil(orgId);
      if (orgUntil > nowMs) until = Math.min(until, orgUntil);
      else lapsed.set(orgId, ids);
    }
    book.bidsQualifiedUntilMs = until;
    return lapsed;
  }

  /**
   * A bid of `orgId`, whose records are `records` (as its qualification was checked), now rests on `book`:
   * the book's instant comes no later than the organisation's.
   */
  noteRestingBid(book: FundBook, orgId: string, records: readonly QualificationRecord[], nowMs: number): void {
    if (!(this.knownUntil(orgId) > nowMs)) this.note(orgId, records, nowMs);
    book.bidsQualifiedUntilMs = Math.min(book.bidsQualifiedUntilMs, this.knownUntil(orgId));
  }

  private knownUntil(orgId: string): number {
    return this.until.get(orgId) ?? Number.NEGATIVE_INFINITY;
  }

  /** Reads the organisations' records and notes until when each is qualified (not at all: -Infinity). */
  private async read(trx: Tx, orgIds: readonly string[], nowMs: number): Promise<void> {
    if (!orgIds.length) return;
    for (const [orgId, records] of await qualificationRecordsOfEach(trx, orgIds)) this.note(orgId, records, nowMs);
  }

  private note(orgId: string, records: readonly QualificationRecord[], nowMs: number): void {
    const at = qualifiedUntil(records, new Date(nowMs).toISOString());
    this.until.set(orgId, at === null ? Number.NEGATIVE_INFINITY : Date.parse(at));
  }
}
