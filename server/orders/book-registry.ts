/**
 * The in-memory books, one per fund: caches of the database. Each is rebuilt from its open orders in
 * priority order and checked against the state hash committed with its last command; on PostgreSQL a
 * book whose sequence lags the database's (another process committed) is rebuilt under the fund lock.
 */
import type { Lots, Ticks } from '../../shared/decimal';
import type { Db, Tx } from '../../db/database';
import { OPEN_STATUS, type BookStateTable, type OrderRow } from '../../db/schema';
import type { Selectable } from 'kysely';
import { OrderBookEngine, type RestingOrder } from './engine';

export interface FundBook {
  readonly fundId: string;
  engine: OrderBookEngine;
  /** Sequence number of the last command applied (book_journal.seq). */
  seq: number;
  lastPriceTicks: Ticks | null;
  /**
   * Before this instant every resting bid's organisation is known to be qualified (OrdersService's
   * lapse check); -Infinity when not known, as for a book just built from the database, so the first
   * command on it looks.
   */
  bidsQualifiedUntilMs: number;
}

export class BookStateMismatch extends Error {}

/**
 * Reads a fund's committed state and open orders in the caller's transaction, which must either hold the
 * fund's lock or read one snapshot (REPEATABLE READ): on PostgreSQL two reads of READ COMMITTED outside
 * the lock could straddle another process's commit (the state of one sequence, the orders of the next),
 * and the book would be refused as a mismatch or built wrong.
 */
export async function loadBook(db: Tx, fundId: string): Promise<FundBook> {
  const state = await db.selectFrom('bookState').selectAll().where('fundId', '=', fundId).executeTakeFirst();
  const rows = await db
    .selectFrom('orders')
    .selectAll()
    .where('fundId', '=', fundId)
    .where('status', '=', OPEN_STATUS)
    .orderBy('priority')
    .execute();
  return bookOf(fundId, state, rows);
}

/**
 * Several funds' books, as loadBook reads each (same conditions on the caller's transaction), in two
 * statements for all of them. A book whose state hash does not match is left out and reported in `refused`.
 */
export async function loadBooks(db: Tx, fundIds: readonly string[]): Promise<{ books: FundBook[]; refused: BookStateMismatch[] }> {
  if (!fundIds.length) return { books: [], refused: [] };
  const states = await db.selectFrom('bookState').selectAll().where('fundId', 'in', fundIds).execute();
  const rows = await db
    .selectFrom('orders')
    .selectAll()
    .where('fundId', 'in', fundIds)
    .where('status', '=', OPEN_STATUS)
    .orderBy('fundId')
    .orderBy('priority')
    .execute();
  const out: { books: FundBook[]; refused: BookStateMismatch[] } = { books: [], refused: [] };
  for (const fundId of fundIds) {
    try {
      const state = states.find((s) => s.fundId === fundId);
      out.books.push(
        bookOf(
          fundId,
          state,
          rows.filter((r) => r.fundId === fundId),
        ),
      );
    } catch (err) {
      if (!(err instanceof BookStateMismatch)) throw err;
      out.refused.push(err);
    }
  }
  return out;
}

function bookOf(fundId: string, state: Selectable<BookStateTable> | undefined, rows: readonly OrderRow[]): FundBook {
  const engine = new OrderBookEngine();
  const resting: RestingOrder[] = rows.map((r) => ({
    orderId: r.id,
    orgId: r.orgId,
    side: r.side,
    priceTicks: r.priceTicks as Ticks,
    remainingLots: r.remainingLots as Lots,
    timeInForce: r.timeInForce as 'GTC' | 'GTD',
    expiresAtMs: r.expiresAt ? Date.parse(r.expiresAt) : null,
    allOrNone: r.allOrNone === 1,
    minLots: (r.minLots ?? null) as Lots | null,
    priority: r.priority,
  }));
  engine.restore(resting, state?.nextPriority);
  if (state && engine.stateHash() !== state.stateHash) {
    throw new BookStateMismatch(
      `book ${fundId}: rebuilt state hash ${engine.stateHash()} differs from the committed ${state.stateHash} at seq ${state.seq}`,
    );
  }
  return {
    fundId,
    engine,
    seq: state?.seq ?? 0,
    lastPriceTicks: (state?.lastPriceTicks ?? null) as Ticks | null,
    bidsQualifiedUntilMs: Number.NEGATIVE_INFINITY,
  };
}

export class BookRegistry {
  private readonly books = new Map<string, FundBook>();

  /**
   * At start: every book, each read under its fund's lock (another process on the same PostgreSQL
   * database may be committing to it meanwhile). A book that does not match its committed state fails
   * the start, loudly.
   */
  async loadAll(db: Db, lockFund: (trx: Tx, fundId: string) => Promise<void>): Promise<void> {
    const funds = await db.selectFrom('funds').select('id').execute();
    for (const f of funds) {
      this.books.set(
        f.id,
        await db.transaction().execute(async (trx) => {
          await lockFund(trx, f.id);
          return loadBook(trx, f.id);
        }),
      );
    }
  }

  /**
   * After a failed batch, whose commands may have changed books in memory: every book is rebuilt
   * under its fund's lock (so another process's commit cannot fall between the reads). A book that
   * cannot be rebuilt now is dropped rather than kept in its unknown state: the next command on its
   * fund rebuilds it under the lock (`sync`), and reads rebuild it too.
   */
  async rebuildAll(db: Db, lockFund: (trx: Tx, fundId: string) => Promise<void>): Promise<void> {
    const funds = await db
      .selectFrom('funds')
      .select('id')
      .execute()
      .catch(() => [...this.books.keys()].map((id) => ({ id })));
    const failures: unknown[] = [];
    for (const f of funds) {
      try {
        this.books.set(
          f.id,
          await db.transaction().execute(async (trx) => {
            await lockFund(trx, f.id);
            return loadBook(trx, f.id);
          }),
        );
      } catch (err) {
        this.books.delete(f.id);
        failures.push(err);
      }
    }
    if (failures.length)
      throw new AggregateError(failures, `${failures.length} book(s) could not be rebuilt; dropped until their next use`);
  }

  get(fundId: string): FundBook | undefined {
    return this.books.get(fundId);
  }

  all(): IterableIterator<FundBook> {
    return this.books.values();
  }

  /** Under the fund's lock, in the caller's transaction (see loadBook). */
  async reload(db: Tx, fundId: string): Promise<FundBook> {
    const book = await loadBook(db, fundId);
    this.books.set(fundId, book);
    return book;
  }

  /**
   * Installs a book read without the fund's lock (a snapshot of what was committed) only if this
   * process's book of the fund is still `expected` at sequence `expectedSeq`, i.e. no local batch
   * rebuilt or advanced it meanwhile, and the snapshot is ahead of it. Returns whether it was installed.
   * A local batch that holds the fund's lock has already brought its book to the committed sequence,
   * so no snapshot can be ahead of it then: a batch never has its book replaced under it.
   */
  installIfUnchanged(book: FundBook, expected: FundBook | undefined, expectedSeq: number): boolean {
    const current = this.books.get(book.fundId);
    if (current !== expected || (current?.seq ?? 0) !== expectedSeq || book.seq <= expectedSeq) return false;
    this.books.set(book.fundId, book);
    return true;
  }

  /**
   * Under the fund's lock: brings this process's book up to the database's sequence (`committedSeq`
   * when the caller read it under the lock already). Another process may have committed commands for
   * the fund; rather than guess, the book is rebuilt from the rows.
   */
  async sync(trx: Tx, fundId: string, committedSeq?: number): Promise<FundBook> {
    const book = this.books.get(fundId);
    const seq = committedSeq ?? (await trx.selectFrom('bookState').select('seq').where('fundId', '=', fundId).executeTakeFirst())?.seq ?? 0;
    if (book && seq === book.seq) return book;
    return this.reload(trx, fundId);
  }
}
