/**
 * The HTTP side of the matching thread: an `OrderDesk` that hands commands over (structured clone) and
 * resolves each with the thread's answer, which comes only after its batch has committed. Committed
 * changes arrive before the answers of their batch and keep a mirror of each book's top (depth, last
 * price, sequence) for the synchronous reads (the quote feed's views, fund summaries, the scheduler's
 * next expiry). Reads that need no book run here, on the HTTP side's own connection.
 */
import path from 'node:path';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Db } from '../../../db/database';
import { ticksToPct, type Ticks } from '../../../shared/decimal';
import type { Principal } from '../../auth/tokens';
import type { Clock } from '../../clock/clock';
import type { CommandOutcome } from '../../commands';
import { AppError } from '../../commands/errors';
import type { OrderDesk, PublicTradeView } from '../order-desk';
import { fundTrades, listOrders } from '../order-reads';
import { toBookView, type BookView, type OrderView } from '../order-views';
import type { AmendRequest } from '../orders.service';
import type { CommittedListener } from '../committed-changes';
import type { OrderRequest } from '../pre-trade-checks';
import {
  deserializeError,
  MIRROR_DEPTH,
  type BookTop,
  type FromMatching,
  type MatchingOp,
  type MatchingSetup,
  type ToMatching,
} from './protocol';

export class MatchingClient implements OrderDesk {
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private readonly tops = new Map<string, BookTop>();
  private readonly listeners = new Set<CommittedListener>();
  private nextId = 1;
  private nextExpiry: number | null = null;
  /** Set once the thread has stopped (closed, or died): every later command is refused. */
  private gone: Error | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Starts the thread and resolves once it has recovered every book (or rejects with why it could not). */
  static start(setup: MatchingSetup, db: Db, clock: Clock, log: Logger): Promise<MatchingClient> {
    const client = new MatchingClient(startWorker(setup), db, clock, log);
    return new Promise((resolve, reject) => {
      let started = false;
      client.worker.on('message', (m: FromMatching) => {
        if (m.t === 'ready') {
          for (const top of m.tops) client.tops.set(top.fundId, top);
          client.nextExpiry = m.nextExpiryMs;
          started = true;
          resolve(client);
        } else if (!started && m.t === 'reply' && !m.ok) {
          void client.worker.terminate();
          reject(deserializeError(m.error));
        } else client.receive(m);
      });
      client.worker.on('error', (err) => {
        client.fail(err);
        if (!started) reject(err);
      });
      client.worker.on('exit', (code) => {
        client.fail(new Error(`the matching thread exited (code ${code})`));
        if (!started) reject(new Error(`the matching thread exited during start-up (code ${code})`));
      });
    });
  }

  private receive(m: FromMatching): void {
    if (m.t === 'committed') {
      this.tops.set(m.top.fundId, m.top);
      this.nextExpiry = m.nextExpiryMs;
      for (const l of this.listeners) {
        try {
          l(m.change);
        } catch (err) {
          this.log.error({ err }, 'a committed-change listener failed');
        }
      }
    } else if (m.t === 'reply') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(deserializeError(m.error));
    }
  }

  private fail(err: Error): void {
    if (!this.gone && !this.closing) this.log.error({ err }, 'the matching thread stopped; order commands are refused until restart');
    this.gone ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private send<T>(op: MatchingOp): Promise<T> {
    if (this.gone || this.closing) return Promise.reject(AppError.retryLater('NOT_READY', 'the matching engine is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // The simulated clock moves on the HTTP side (an operator's command); the thread's follows it.
      const m: ToMatching = { t: 'cmd', id, clockMs: this.clock.simulated ? this.clock.now() : null, ...op };
      this.worker.postMessage(m);
    });
  }

  submit(who: Principal, req: OrderRequest, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    return this.send({ op: 'submit', args: [who, req, idempotencyKey] });
  }

  amend(who: Principal, orderId: string, req: AmendRequest, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    return this.send({ op: 'amend', args: [who, orderId, req, idempotencyKey] });
  }

  cancel(who: Principal, orderId: string): Promise<{ order: OrderView }> {
    return this.send({ op: 'cancel', args: [who, orderId] });
  }

  settle(fundIds: readonly string[]): Promise<void> {
    return this.send({ op: 'settle', args: [fundIds] });
  }

  async expireDue(): Promise<void> {
    this.nextExpiry = await this.send<number | null>({ op: 'expireDue', args: [] });
  }

  nextExpiryMs(): number | null {
    return this.nextExpiry;
  }

  book(fundId: string, depth: number): Promise<BookView> {
    return this.send({ op: 'book', args: [fundId, depth] });
  }

  bookViewNow(fundId: string, lotSize: string, depth: number): BookView | null {
    const top = this.tops.get(fundId);
    if (!top) return null;
    const n = Math.min(depth, MIRROR_DEPTH);
    return toBookView(fundId, top.seq, { bids: top.depth.bids.slice(0, n), asks: top.depth.asks.slice(0, n) }, lotSize);
  }

  bookSeq(fundId: string): number | undefined {
    return this.tops.get(fundId)?.seq;
  }

  quote(fundId: string) {
    const top = this.tops.get(fundId);
    const bid = top?.depth.bids[0]?.priceTicks ?? null;
    const ask = top?.depth.asks[0]?.priceTicks ?? null;
    const last = top?.lastPriceTicks ?? null;
    return {
      bestBidPct: bid === null ? null : ticksToPct(bid),
      bestAskPct: ask === null ? null : ticksToPct(ask),
      lastPct: last === null ? null : ticksToPct(last as Ticks),
    };
  }

  onCommitted(listener: CommittedListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The matching thread's event-loop utilisation (for benchmarks: which thread is the bottleneck). */
  threadUtilization(): EventLoopUtilization {
    return this.worker.performance.eventLoopUtilization();
  }

  running(): boolean {
    return !this.gone;
  }

  /** A calendar year was approved here: the thread reloads its calendar (it also does every few seconds). */
  calendarChanged(): void {
    if (!this.gone && !this.closing) this.worker.postMessage({ t: 'calendar' } satisfies ToMatching);
  }

  listOrders(orgId: string, status: string | undefined): Promise<OrderView[]> {
    return listOrders(this.db, orgId, status);
  }

  trades(fundId: string, limit: number): Promise<PublicTradeView[]> {
    return fundTrades(this.db, fundId, limit);
  }

  /** Answers the commands already handed over, then stops the thread (its connection closed). */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.gone) return resolve();
      this.worker.on('message', (m: FromMatching) => {
        if (m.t === 'closed') resolve();
      });
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ t: 'close' } satisfies ToMatching);
    });
    return this.closing;
  }
}

/** As the PDF workers (server/pdf/worker-pool.ts): under tsx the thread is bootstrapped with tsx's CJS hook first. */
function startWorker(setup: MatchingSetup): Worker {
  const isTs = path.extname(__filename) === '.ts';
  const entry = path.join(__dirname, isTs ? 'matching-thread.ts' : 'matching-thread.js');
  if (!isTs) return new Worker(entry, { workerData: setup });
  const tsx = require.resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true, workerData: setup });
}
