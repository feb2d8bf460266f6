/**
 * What matching tells the rest of the process after a commit: per fund, its new sequence, trades and touched
 * orders (conventions practice 9: matching marks a book changed; it never sends). A batch's commands note
 * their changes as they record them; the batch delivers them synchronously right after its commit, before
 * the next batch runs, so a listener reading the in-memory book then reads the committed one. Changes another
 * process committed (PostgreSQL) are delivered the same way when this process catches up with them.
 */
import { performance } from 'node:perf_hooks';
import type { Fund, TradeRow } from '../../db/schema';
import type { BatchScope } from './group-commit';

/** What one committed batch changed in one fund: the quote publisher's only input from matching. */
export interface CommittedFundChange {
  fundId: string;
  lotSize: string;
  seq: number;
  trades: TradeRow[];
  orderIds: string[];
  /** performance.timeOrigin + performance.now() at the commit, for latency measurements. */
  committedAt: number;
}
export type CommittedListener = (change: CommittedFundChange) => void;

export class CommittedChanges {
  private readonly listeners = new Set<CommittedListener>();
  /** Per batch, per fund: the change its commands have noted so far. */
  private readonly pending = new WeakMap<object, Map<string, CommittedFundChange>>();

  /** Registers a listener; returns its removal. */
  listen(listener: CommittedListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get heard(): boolean {
    return this.listeners.size > 0;
  }

  /** A command of the batch changed `fund` (its book is now at `seq`): told to the listeners once the batch commits. */
  note(scope: BatchScope, fund: Fund, seq: number, trades: readonly TradeRow[], orderIds: Iterable<string>): void {
    if (!this.listeners.size) return;
    let byFund = this.pending.get(scope.batch);
    if (!byFund) this.pending.set(scope.batch, (byFund = new Map()));
    let change = byFund.get(fund.id);
    if (!change) byFund.set(fund.id, (change = { fundId: fund.id, lotSize: fund.lotSize, seq, trades: [], orderIds: [], committedAt: 0 }));
    // Registered by every command that changes the fund (the batch keeps the first that was not refused).
    const c = change;
    scope.afterCommit(`committed:${fund.id}`, () => this.deliver(c));
    change.seq = seq;
    change.trades.push(...trades);
    for (const id of orderIds) if (!change.orderIds.includes(id)) change.orderIds.push(id);
  }

  /** Tells the listeners of a change already committed, stamped now. */
  deliver(change: CommittedFundChange): void {
    change.committedAt = performance.timeOrigin + performance.now();
    for (const l of this.listeners) l(change);
  }
}
