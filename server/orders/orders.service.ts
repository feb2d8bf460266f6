/**
 * Orders on the continuous book. Every accepted command (submit, cancel, expiry) gets the fund's next
 * sequence number and is committed, with its effects, journal row and audit entry, before any reply
 * (group commit batches several commands into one transaction). The books in memory are caches that
 * are rebuilt from the database on start and whenever a transaction fails.
 */
import { bookId } from './book-ids';
import { sql } from 'kysely';
import { canonicalJson } from '../../shared/canonical-json';
import type { WorkingDayCalendar } from '../../shared/calendar';
import { Dec, ticksToPct, type Lots, type Ticks } from '../../shared/decimal';
import type { DatabaseHandle, Tx } from '../../db/database';
import { OPEN_STATUS, type Fund, type OrderRow } from '../../db/schema';
import { prepared, preparedInsert } from '../../db/prepared';
import { appendAudit } from '../audit/audit-log';
import { fundStream } from '../audit/streams';
import type { Principal } from '../auth/tokens';
import type { Clock } from '../clock/clock';
import { iso } from '../clock/clock';
import {
  findIdempotentResponse,
  fundLock,
  keepRefusal,
  lockInOrder,
  openOrdersLock,
  type OrderedLock,
  readKeysAhead,
  requestHashOf,
  storeIdempotentResponse,
  type CommandOutcome,
} from '../commands';
import { AppError } from '../commands/errors';
import { insertLater, notifyLater } from '../commands/deferred-rows';
import { refusal } from '../i18n/refusal';
import type { OrderDesk, PublicTradeView } from './order-desk';
import { committedAfter, fundTrades, listOrders } from './order-reads';
import { CommittedChanges, type CommittedListener } from './committed-changes';
import { BookRegistry, loadBooks, type FundBook } from './book-registry';
import { writeEffects, type TradeListener } from './book-effects';
import { isRefusal, type CommandResult } from './engine';
import { GroupCommitter, type BatchScope, type ReadAhead } from './group-commit';
import { readOncePerBatch, readUntilWritten } from './batch-reads';
import { bookSeqKey, forgetChangedReads, fundKey, openOrdersKey, readFundsAhead, readOrderFactsAhead } from './batch-facts';
import { BidQualifications } from './bid-qualification';
import { LAPSE_ACTOR } from '../qualifications/lapse';
import {
  buyerRecords,
  checkBuyerQualified,
  checkOrder,
  checkPrice,
  checkTradableNav,
  checkTradingRole,
  wholeLots,
  type OrderRequest,
} from './pre-trade-checks';
import { toBookView, toOrderView, toTradeView, type BookView, type OrderView } from './order-views';

// The statements every order command runs, compiled once (db/prepared.ts).
// Open funds only: a pending fund is not tradable (its id answers 404, as for no fund).
const fundById = prepared(1, (db, $) => db.selectFrom('funds').selectAll().where('id', '=', $(0)).where('state', '=', 'open'));
export const openOrdersOfOrg = prepared(1, (db, $) =>
  db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('orgId', '=', $(0))
    .where('status', '=', OPEN_STATUS),
);
const orderById = prepared(1, (db, $) => db.selectFrom('orders').selectAll().where('id', '=', $(0)));
const insertJournal = preparedInsert('bookJournal', ['fundId', 'seq', 'kind', 'orderId', 'payload', 'at']);
const updateBookState = prepared(5, (db, $) =>
  db
    .updateTable('bookState')
    .set({ seq: $(1), nextPriority: $(2), stateHash: $(3), lastPriceTicks: $(4) })
    .where('fundId', '=', $(0)),
);
const insertBookState = preparedInsert('bookState', ['fundId', 'seq', 'nextPriority', 'stateHash', 'lastPriceTicks']);

/** The Idempotency-Keys of a batch's commands, read in one statement. */
const readKeys = (trx: Tx, items: unknown[]) => readKeysAhead(trx, items as { userId: string; key: string }[]);

/** The PostgreSQL notification channel announcing `<fundId>:<seq>` after each committed batch. */
export const BOOK_CHANNEL = 'sfund_book';

/** What an amend asks for: a smaller remaining quantity and/or a new price. */
export interface AmendRequest {
  remainingQuantity?: string | undefined;
  pricePct?: string | undefined;
}

/** Engine refusals of an amend that are the caller's to fix, with what to say. */
const AMEND_REFUSALS: Partial<Record<string, string>> = {
  QUANTITY_INCREASE_NOT_ALLOWED: 'remainingQuantity can only go down; place another order to trade more',
  BELOW_MIN_QUANTITY: "remainingQuantity would be below the order's minimum fill",
  NO_CHANGE: 'the order already has this remaining quantity and price',
};

/** A command's caller and Idempotency-Key, with the hash of its request. */
interface Keyed {
  who: Principal;
  key: string | undefined;
  requestHash: string;
}

/** Most open orders one organisation may have across all books (a limit on everything). */
export const MAX_OPEN_ORDERS_PER_ORG = 1000;

export class OrdersService implements OrderDesk {
  readonly books = new BookRegistry();
  private readonly committer: GroupCommitter<OrderedLock>;
  private readonly changes = new CommittedChanges();
  private readonly syncedInBatch = new WeakMap<object, Set<string>>();
  private readonly bidQualifications = new BidQualifications();
  /** The batch's funds, read ahead once for all its commands (one function, so the batch calls it once). */
  private readonly readFunds = (trx: Tx, items: unknown[]) => readFundsAhead(trx, this.h.engine, items as string[]);

  constructor(
    private readonly h: DatabaseHandle,
    private readonly clock: Clock,
    private readonly calendar: WorkingDayCalendar,
    private readonly onTrade: TradeListener,
    private readonly maxOpenOrdersPerOrg = MAX_OPEN_ORDERS_PER_ORG,
  ) {
    // A failed batch may have changed books in memory that the database never saw: rebuild them all.
    this.committer = new GroupCommitter<OrderedLock>(
      h.db,
      () => this.books.rebuildAll(h.db, (trx, fundId) => lockInOrder(h.engine, trx, fundLock(fundId))),
      async (trx, keys) => {
        await lockInOrder(h.engine, trx, ...keys);
      },
      undefined,
      undefined,
      (err) => h.engine.isConcurrencyConflict(err),
      h.engine.insertsInOneStatement,
      h.engine.batchTransaction,
    );
  }

  /** Registers a listener for committed changes (committed-changes.ts); returns its removal. */
  onCommitted(listener: CommittedListener): () => void {
    return this.changes.listen(listener);
  }

  /** The book's depth view from memory; only consistent when called from a committed-change listener or between batches. */
  bookViewNow(fundId: string, lotSize: string, depth: number): BookView | null {
    const b = this.books.get(fundId);
    return b ? toBookView(fundId, b.seq, b.engine.depth(depth), lotSize) : null;
  }

  /** Rebuilds every book from the database, checks its state hash, then applies expiries due while the exchange was down. */
  async recover(): Promise<void> {
    await this.books.loadAll(this.h.db, (trx, fundId) => lockInOrder(this.h.engine, trx, fundLock(fundId)));
    await this.expireDue();
  }

  quote(fundId: string) {
    const b = this.books.get(fundId);
    const bid = b?.engine.bestBid() ?? null;
    const ask = b?.engine.bestAsk() ?? null;
    return {
      bestBidPct: bid === null ? null : ticksToPct(bid),
      bestAskPct: ask === null ? null : ticksToPct(ask),
      lastPct: b?.lastPriceTicks == null ? null : ticksToPct(b.lastPriceTicks),
    };
  }

  /**
   * The fund's book, in step with the database (its lock was taken at the start of the batch). When
   * another process committed to it meanwhile (PostgreSQL), the book is rebuilt and what it missed is
   * passed on to the committed-change listeners with this batch's own changes.
   */
  private async bookFor(trx: Tx, scope: BatchScope, fund: Fund): Promise<FundBook> {
    if (this.h.engine.name !== 'postgres') return this.books.get(fund.id) ?? this.books.reload(trx, fund.id);
    // Once per batch: later commands of the batch see book_state as it was before the batch (it is
    // written just before commit), so comparing again would rebuild from a half-written state.
    let synced = this.syncedInBatch.get(scope.batch);
    if (!synced) this.syncedInBatch.set(scope.batch, (synced = new Set()));
    const current = this.books.get(fund.id);
    if (current && synced.has(fund.id)) return current;
    synced.add(fund.id);
    const cached = this.books.get(fund.id)?.seq ?? 0;
    const committed = await readOncePerBatch(trx, bookSeqKey(fund.id), async () => {
      const state = await trx.selectFrom('bookState').select('seq').where('fundId', '=', fund.id).executeTakeFirst();
      return state?.seq ?? 0;
    });
    const book = await this.books.sync(trx, fund.id, committed);
    if (book.seq > cached && this.changes.heard) {
      const missed = (await committedAfter(trx, [{ fundId: fund.id, seq: cached }])).get(fund.id)!;
      this.changes.note(scope, fund, book.seq, missed.trades, missed.orderIds);
    }
    return book;
  }

  /** Records one accepted command: journal row, audit entry, and (once per batch) the book's state. */
  private async record(
    trx: Tx,
    scope: BatchScope,
    book: FundBook,
    kind: string,
    orderId: string | null,
    who: Principal | null,
    payload: unknown,
    result: CommandResult<string>,
    nowIso: string,
    fund: Fund,
  ) {
    book.seq += 1;
    const seq = book.seq;
    const effects = await writeEffects(trx, {
      fund,
      result,
      nowIso,
      fundSeq: seq,
      onTrade: this.onTrade,
      ...(kind === 'submit' ? { newOrder: (payload as { row: never }).row } : {}),
    });
    const last = result.trades.at(-1);
    if (last) book.lastPriceTicks = last.priceTicks;
    forgetChangedReads(trx, fund.id, result, effects);
    const journal = { fundId: fund.id, seq, kind, orderId, payload: canonicalJson({ payload, code: result.code }), at: nowIso };
    // Nothing in the batch reads its own journal back: written with the batch's other appended rows.
    if (!insertLater(trx, 'bookJournal', journal)) await insertJournal.run(trx, journal);
    await appendAudit(trx, this.h.engine, {
      stream: fundStream(fund.id),
      at: nowIso,
      actorUserId: who?.userId ?? null,
      actorOrgId: who?.orgId ?? null,
      action: `order.${kind}`,
      entityType: 'order',
      entityId: orderId ?? fund.id,
      payload: { fundId: fund.id, seq, code: result.code, trades: effects.trades.map((t) => t.id), events: result.events.length },
    });
    scope.beforeCommit(`book:${fund.id}`, async (t) => {
      const values = {
        seq: book.seq,
        nextPriority: book.engine.nextPriority,
        stateHash: book.engine.stateHash(),
        lastPriceTicks: book.lastPriceTicks,
      };
      // With the batch's other deferred rows (an upsert), or at once where the transaction does not defer.
      if (!insertLater(t, 'bookState', { fundId: fund.id, ...values })) {
        const updated = await updateBookState.run(t, [fund.id, values.seq, values.nextPriority, values.stateHash, values.lastPriceTicks]);
        if (updated === 0) await insertBookState.run(t, { fundId: fund.id, ...values });
      }
      // Other processes on the same PostgreSQL database follow this book (see book-follower.ts);
      // NOTIFY is delivered only when this transaction commits.
      const note = `${fund.id}:${book.seq}`;
      if (this.h.engine.name === 'postgres' && !notifyLater(t, BOOK_CHANNEL, note))
        await sql`select pg_notify(${BOOK_CHANNEL}, ${note})`.execute(t);
    });
    this.changes.note(scope, fund, seq, effects.trades, orderId ? [orderId, ...effects.changed.keys()] : effects.changed.keys());
    return effects;
  }

  private async fund(trx: Tx, fundId: string): Promise<Fund> {
    const f = await readOncePerBatch(trx, fundKey(fundId), () => fundById.first(trx, [fundId]));
    if (!f) throw new AppError('NOT_FOUND', `fund ${fundId} not found`);
    return f;
  }

  /** Expires the book's due GTD orders as a command of its own, so a later refusal cannot lose them. */
  private async expireInTx(trx: Tx, scope: BatchScope, book: FundBook, fund: Fund, nowMs: number): Promise<void> {
    const next = book.engine.nextExpiryMs();
    if (next === null || next > nowMs) return;
    const result = book.engine.expire(nowMs);
    if (result.events.length) await this.record(trx, scope, book, 'expire', null, null, { nowMs }, result, iso(nowMs), fund);
  }

  /**
   * Cancels the book's resting bids of organisations no longer qualified at `nowMs` (bid-qualification.ts),
   * each as the cancel command the qualification-lapse task would have run, by the same system actor.
   */
  private async lapseBidsInTx(trx: Tx, scope: BatchScope, book: FundBook, fund: Fund, nowMs: number): Promise<void> {
    for (const [orgId, orderIds] of await this.bidQualifications.lapsedBids(trx, book, nowMs)) {
      const system: Principal = { userId: LAPSE_ACTOR, username: LAPSE_ACTOR, orgId, orgName: '', roles: [] };
      for (const orderId of orderIds) {
        const result = book.engine.cancel(orderId, nowMs, 'QUALIFICATION_LAPSED');
        // Due already (a GTD bid the engine's clock has passed): it leaves with the book's expiries, not here.
        if (result.code !== 'OK') continue;
        await this.record(
          trx,
          scope,
          book,
          'cancel',
          orderId,
          system,
          { orderId, reason: 'qualification_lapsed' },
          result,
          iso(nowMs),
          fund,
        );
      }
    }
  }

  /**
   * Queues one command of the book on `fundIds`: the books' due expiries, and the cancels of bids whose
   * organisation's qualification has lapsed, run first, as commands of their own that a refusal of this one
   * does not undo (the batch's prelude), at the same instant `nowMs` the command then sees. A keyed
   * command replays a stored answer under its Idempotency-Key, or runs and keeps its answer there; a
   * refusal is kept there after its writes were rolled back.
   */
  private inBatch<T>(
    fundIds: readonly string[],
    keyed: Keyed | null,
    command: (trx: Tx, scope: BatchScope, nowMs: number) => Promise<T>,
    readAhead: readonly ReadAhead[] = [],
    moreLocks: readonly OrderedLock[] = [],
  ): Promise<T> {
    let nowMs = 0;
    return this.committer.run(
      async (trx, scope) => {
        if (!keyed) return command(trx, scope, nowMs);
        const earlier = await findIdempotentResponse(trx, keyed.who.userId, keyed.key, keyed.requestHash);
        if (earlier) return earlier as T;
        const outcome = await command(trx, scope, nowMs);
        await storeIdempotentResponse(trx, keyed.who.userId, keyed.key, keyed.requestHash, outcome as CommandOutcome, iso(nowMs));
        return outcome;
      },
      [...fundIds.map(fundLock), ...moreLocks],
      {
        prelude: async (trx, scope) => {
          nowMs = this.clock.now();
          for (const fundId of fundIds) {
            const fund = await readOncePerBatch(trx, fundKey(fundId), () => fundById.first(trx, [fundId]));
            if (!fund) continue;
            const book = await this.bookFor(trx, scope, fund);
            await this.expireInTx(trx, scope, book, fund, nowMs);
            await this.lapseBidsInTx(trx, scope, book, fund, nowMs);
          }
        },
        onRefused: keyed ? (trx, err) => keepRefusal(trx, keyed.who.userId, keyed.key, keyed.requestHash, err, iso(nowMs)) : undefined,
        // Every refusal of the book's commands comes from a check before the command writes (or
        // changes its book in memory, which a rollback would not undo either).
        refusesBeforeWriting: true,
        readAhead: [
          ...fundIds.map((fundId) => ({ load: this.readFunds, item: fundId })),
          ...(keyed?.key ? [{ load: readKeys, item: { userId: keyed.who.userId, key: keyed.key } }] : []),
          ...readAhead,
        ],
      },
    );
  }

  submit(who: Principal, req: OrderRequest, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    const requestHash = requestHashOf(['POST /api/orders', req]);
    return this.inBatch(
      [req.fundId],
      { who, key: idempotencyKey, requestHash },
      (trx, scope, nowMs) => this.place(trx, scope, who, req, nowMs),
      [{ load: readOrderFactsAhead, item: { fundId: req.fundId, orgId: who.orgId, side: req.side } }],
      // An order that may rest adds to its organisation's open orders: counted and added under the organisation's
      // lock, so batches of several processes cannot each admit the last place under the cap. One that never
      // rests (IOC, FOK) takes no such lock: it is refused at the cap, but cannot pass it.
      req.timeInForce === 'GTC' || req.timeInForce === 'GTD' ? [openOrdersLock(who.orgId)] : [],
    );
  }

  /**
   * Reduces an open order's remaining quantity, keeping its time priority, and/or gives it a new price,
   * which re-enters it behind that price's queue where it may trade at once (domain.md: "cancel and
   * reduce"; the engine's amend). A quantity only goes down (to buy or sell more, place another
   * order); a buy's new price re-checks its qualification, as a new order would.
   */
  async amend(who: Principal, orderId: string, req: AmendRequest, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    const requestHash = requestHashOf(['PATCH /api/orders', orderId, req]);
    const lockKeys = await this.lockKeysOfOrder(orderId);
    return this.inBatch(lockKeys, { who, key: idempotencyKey, requestHash }, async (trx, scope, nowMs) => {
      const { row, fund, book } = await this.openOrderInBatch(trx, scope, who, orderId, 'changed', (r) => checkTradingRole(who, r.side));
      const remainingLots =
        req.remainingQuantity === undefined ? null : wholeLots(new Dec(req.remainingQuantity), new Dec(fund.lotSize), 'remainingQuantity');
      const priceTicks = req.pricePct === undefined ? null : checkPrice(req.pricePct);
      if (priceTicks !== null) await checkTradableNav(trx, fund);
      if (priceTicks !== null && row.side === 'buy') await checkBuyerQualified(trx, who.orgId, nowMs);
      const result = book.engine.amend(
        { orderId, remainingLots: remainingLots as Lots | null, priceTicks: priceTicks as Ticks | null },
        nowMs,
      );
      // The engine refuses before it changes anything.
      const refused = AMEND_REFUSALS[result.code];
      if (refused) throw new AppError('VALIDATION_FAILED', refused);
      if (isRefusal(result.code)) throw new Error(`engine refused an amend of open order ${orderId}: ${result.code}`);
      const { trades } = await this.record(
        trx,
        scope,
        book,
        'amend',
        orderId,
        who,
        { orderId, remainingLots, priceTicks },
        result,
        iso(nowMs),
        fund,
      );
      const after = await orderById.first(trx, [orderId]);
      return { status: 200, body: { order: toOrderView(after!, fund.lotSize), trades: trades.map(toTradeView) } };
    });
  }

  /** The fund of an order as its batch's lock key: an order's fund never changes, so it is read before the batch. */
  private async lockKeysOfOrder(orderId: string): Promise<string[]> {
    const row = await orderById.first(this.h.db, [orderId]);
    return row ? [row.fundId] : [];
  }

  /**
   * In a batch: the caller's organisation's order, its fund and book, after due expiries, refused
   * unless it is still open (404 for another organisation's order, as if absent). `check` runs on the
   * order as found, before the book is touched.
   */
  private async openOrderInBatch(
    trx: Tx,
    scope: BatchScope,
    who: Principal,
    orderId: string,
    verb: string,
    check: (row: OrderRow) => void = () => {},
  ) {
    const found = await orderById.first(trx, [orderId]);
    if (!found || found.orgId !== who.orgId) throw new AppError('NOT_FOUND', `order ${orderId} not found`);
    check(found);
    const fund = await this.fund(trx, found.fundId);
    const book = await this.bookFor(trx, scope, fund);
    const row = (await orderById.first(trx, [orderId]))!;
    if (row.status !== 'open') {
      throw refusal('INVALID_STATE', `order ${orderId} is ${row.status}; only open orders can be ${verb}`, {
        reason: 'order_not_open',
        state: row.status,
      });
    }
    return { row, fund, book };
  }

  /**
   * Checks, matches and records one order in the batch's transaction. A refusal (AppError) undoes its
   * writes (the batch's savepoint), not the book in memory: the engine refuses before it changes anything.
   */
  private async place(trx: Tx, scope: BatchScope, who: Principal, req: OrderRequest, nowMs: number): Promise<CommandOutcome> {
    const nowIso = iso(nowMs);
    checkTradingRole(who, req.side);
    const fund = await this.fund(trx, req.fundId);
    const book = await this.bookFor(trx, scope, fund);
    const checked = await checkOrder(trx, who, req, fund, nowMs, this.calendar);
    const open = await readUntilWritten(trx, openOrdersKey(who.orgId), () => openOrdersOfOrg.first(trx, [who.orgId]));
    // Not a rate: retrying will not help until some of the organisation's orders are cancelled or filled.
    if (Number(open?.n ?? 0) >= this.maxOpenOrdersPerOrg) {
      throw refusal('LIMIT_REACHED', `your organisation already has ${this.maxOpenOrdersPerOrg} open orders; cancel some first`, {
        reason: 'open_orders',
        limit: String(this.maxOpenOrdersPerOrg),
      });
    }

    const id = bookId(nowMs);
    const result = book.engine.submit(
      {
        orderId: id,
        orgId: who.orgId,
        side: req.side,
        priceTicks: checked.priceTicks as Ticks,
        lots: checked.lots as Lots,
        timeInForce: req.timeInForce,
        expiresAtMs: checked.expiresAtMs,
        allOrNone: req.allOrNone ?? false,
        minLots: checked.minLots as Lots | null,
      },
      nowMs,
    );
    // The checks above leave the engine nothing to refuse; a refusal here is a bug, not bad input.
    if (isRefusal(result.code)) throw new Error(`engine refused a checked order: ${result.code}`);
    if (result.code === 'SELF_TRADE' && result.trades.length === 0) {
      throw new AppError('SELF_TRADE', 'the order would trade with a resting order of your own organisation; it was not placed');
    }
    if (req.side === 'buy' && book.engine.getOrder(id))
      this.bidQualifications.noteRestingBid(book, who.orgId, await buyerRecords(trx, who.orgId), nowMs);
    const row = {
      id,
      fundId: fund.id,
      orgId: who.orgId,
      userId: who.userId,
      side: req.side,
      priceTicks: checked.priceTicks,
      lots: checked.lots,
      timeInForce: req.timeInForce,
      expiresAt: checked.expiresAtMs === null ? null : iso(checked.expiresAtMs),
      allOrNone: req.allOrNone ? 1 : 0,
      minLots: checked.minLots,
      createdAt: nowIso,
    };
    const { trades, inserted } = await this.record(trx, scope, book, 'submit', id, who, { row, request: req }, result, nowIso, fund);
    return { status: 201, body: { order: toOrderView(inserted!, fund.lotSize), trades: trades.map(toTradeView) } };
  }

  async cancel(who: Principal, orderId: string): Promise<{ order: OrderView }> {
    const lockKeys = await this.lockKeysOfOrder(orderId);
    return this.inBatch(lockKeys, null, async (trx, scope, nowMs) => {
      const { fund, book } = await this.openOrderInBatch(trx, scope, who, orderId, 'cancelled');
      const result = book.engine.cancel(orderId, nowMs);
      if (result.code !== 'OK') throw new Error(`open order ${orderId} missing from the book (${result.code})`);
      await this.record(trx, scope, book, 'cancel', orderId, who, { orderId }, result, iso(nowMs), fund);
      const after = await orderById.first(trx, [orderId]);
      return { order: toOrderView(after!, fund.lotSize) };
    });
  }

  /**
   * Brings this process's books of some funds up to what other processes committed (PostgreSQL), and
   * tells the committed-change listeners (quotes) what changed, exactly as after a local commit. It takes
   * no lock, so it never makes a batch of any process wait: the books' rows are read in one REPEATABLE
   * READ snapshot (a consistent committed state), in the same few statements however many funds, and
   * each rebuilt book replaces this process's only if no local batch rebuilt or advanced it meanwhile
   * (BookRegistry.installIfUnchanged); otherwise the batch has already caught up under the lock and
   * published what it missed. Matching never relies on this. A book whose state hash does not match is
   * left as it is (the others are followed) and reported by the error this then throws.
   */
  async follow(fundIds: string | readonly string[]): Promise<void> {
    const ids = typeof fundIds === 'string' ? [fundIds] : [...new Set(fundIds)];
    const expected = new Map(ids.map((id) => [id, this.books.get(id)]));
    const before = (fundId: string) => expected.get(fundId)?.seq ?? 0;
    const read = await this.h.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const { books, refused } = await loadBooks(trx, ids);
        const ahead = books.filter((b) => b.seq > before(b.fundId));
        if (!ahead.length) return { ahead, refused, funds: [], missed: new Map() };
        const funds = await trx
          .selectFrom('funds')
          .selectAll()
          .where(
            'id',
            'in',
            ahead.map((b) => b.fundId),
          )
          .where('state', '=', 'open')
          .execute();
        const missed = await committedAfter(
          trx,
          ahead.map((b) => ({ fundId: b.fundId, seq: before(b.fundId) })),
        );
        return { ahead, refused, funds, missed };
      });
    for (const book of read.ahead) {
      const fund = read.funds.find((f) => f.id === book.fundId);
      if (!fund || !this.books.installIfUnchanged(book, expected.get(book.fundId), before(book.fundId))) continue;
      this.changes.deliver({ fundId: book.fundId, lotSize: fund.lotSize, seq: book.seq, ...read.missed.get(book.fundId)!, committedAt: 0 });
    }
    if (read.refused.length) throw read.refused.length === 1 ? read.refused[0] : new AggregateError(read.refused, 'books refused');
  }

  /**
   * Brings the funds' books up to the exchange's clock now: a command of each book that does nothing itself, so
   * that its prelude runs (due expiries, bids of organisations no longer qualified). For the scheduler's tasks.
   */
  async settle(fundIds: readonly string[]): Promise<void> {
    for (const fundId of new Set(fundIds)) if (this.books.get(fundId)) await this.inBatch([fundId], null, async () => {});
  }

  /** Expires due GTD orders in every book (driven by the exchange's clock, and on recovery). */
  async expireDue(): Promise<void> {
    const nowMs = this.clock.now();
    for (const book of this.books.all()) {
      const next = book.engine.nextExpiryMs();
      if (next === null || next > nowMs) continue;
      // The batch's prelude expires the book's due orders; the command itself has nothing left to do.
      await this.inBatch([book.fundId], null, async () => {});
    }
  }

  /** Earliest GTD expiry across books, for the scheduler. */
  nextExpiryMs(): number | null {
    let next: number | null = null;
    for (const b of this.books.all()) {
      const n = b.engine.nextExpiryMs();
      if (n !== null && (next === null || n < next)) next = n;
    }
    return next;
  }

  listOrders(orgId: string, status: string | undefined): Promise<OrderView[]> {
    return listOrders(this.h.db, orgId, status);
  }

  bookSeq(fundId: string): number | undefined {
    return this.books.get(fundId)?.seq;
  }

  async book(fundId: string, depth: number): Promise<BookView> {
    const fund = await this.h.db
      .selectFrom('funds')
      .select(['id', 'lotSize'])
      .where('id', '=', fundId)
      .where('state', '=', 'open')
      .executeTakeFirst();
    if (!fund) throw new AppError('NOT_FOUND', `fund ${fundId} not found`);
    // A book dropped after a failed rebuild (BookRegistry.rebuildAll) is rebuilt here, under its lock.
    const b =
      this.books.get(fundId) ??
      (await this.h.db.transaction().execute(async (trx) => {
        await lockInOrder(this.h.engine, trx, fundLock(fundId));
        return this.books.sync(trx, fundId);
      }));
    return toBookView(fundId, b.seq, b.engine.depth(depth), fund.lotSize);
  }

  trades(fundId: string, limit: number): Promise<PublicTradeView[]> {
    return fundTrades(this.h.db, fundId, limit);
  }
}
