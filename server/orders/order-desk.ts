/**
 * What the HTTP side (routes, quotes, scheduler, fund summaries, demo activity) asks of the book:
 * served either by an `OrdersService` in the same thread (`MATCHING_THREAD=0`) or by the matching
 * thread's client (`matching/matching-client.ts`, the default), which forwards commands to the thread
 * that owns the books and keeps a committed mirror of their tops for the synchronous reads.
 */
import type { Principal } from '../auth/tokens';
import type { CommandOutcome } from '../commands';
import type { QuoteSource } from '../funds/funds.service';
import type { AmendRequest } from './orders.service';
import type { CommittedListener } from './committed-changes';
import type { BookView, OrderView, TradeView } from './order-views';
import type { OrderRequest } from './pre-trade-checks';

export type PublicTradeView = Omit<TradeView, 'buyOrderId' | 'sellOrderId' | 'listingId' | 'transferId' | 'fundId'>;

export interface OrderDesk extends QuoteSource {
  submit(who: Principal, req: OrderRequest, idempotencyKey: string | undefined): Promise<CommandOutcome>;
  amend(who: Principal, orderId: string, req: AmendRequest, idempotencyKey: string | undefined): Promise<CommandOutcome>;
  cancel(who: Principal, orderId: string): Promise<{ order: OrderView }>;
  /** Expires due GTD orders in every book (the scheduler's task). */
  expireDue(): Promise<void>;
  /** Brings the funds' books up to the clock: due expiries, and bids of organisations no longer qualified cancelled. */
  settle(fundIds: readonly string[]): Promise<void>;
  /** Earliest GTD expiry across books, for the scheduler (synchronous: a committed figure). */
  nextExpiryMs(): number | null;
  /** The book's depth as committed, with its sequence number (a read that needs the book). */
  book(fundId: string, depth: number): Promise<BookView>;
  /** The committed depth view, synchronously: consistent inside a committed-change listener and between batches. */
  bookViewNow(fundId: string, lotSize: string, depth: number): BookView | null;
  /** The book's committed sequence number, if the book is loaded. */
  bookSeq(fundId: string): number | undefined;
  onCommitted(listener: CommittedListener): () => void;
  listOrders(orgId: string, status: string | undefined): Promise<OrderView[]>;
  trades(fundId: string, limit: number): Promise<PublicTradeView[]>;
  /** Told after a calendar year's approval committed (the matching thread reloads its calendar). */
  calendarChanged?(): void;
  /** False once the matching thread has stopped unexpectedly (`/readyz` then answers 503). */
  running?(): boolean;
}
