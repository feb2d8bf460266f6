/**
 * Group commit: commands queue here and run one after another inside ONE database transaction per
 * batch, so a burst of orders shares one fsync. No reply leaves before its batch has committed.
 *
 * Each command runs under a savepoint of its own: a command that refuses (throws AppError) leaves
 * nothing of what it wrote, whatever it wrote before refusing, and the batch's other commands still
 * commit; its `onRefused` then writes what a refusal keeps (its answer under its Idempotency-Key,
 * commands/idempotency.ts), which commits with the batch. Work a refused command registered on the
 * batch scope is dropped with it. Any other error aborts the whole batch: every command in it fails, and
 * the `onAbort` hook lets the caller rebuild in-memory state (the books) from the database.
 */
import type { Db, Tx } from '../../db/database';
import { AppError } from '../commands/errors';
import { CONFLICT_RETRIES } from '../commands/retry';
import { withSavepoint } from '../commands/savepoint';
import { refusal } from '../i18n/refusal';

/** Per-batch scope: work registered here runs once per key, after the batch's commands and before its commit. */
export interface BatchScope {
  /** The batch's identity: the same object for every command of one batch, for per-batch memos. */
  readonly batch: object;
  beforeCommit(key: string, fn: (trx: Tx) => Promise<void>): void;
  /**
   * Runs once per key, synchronously, right after the batch commits (never after an abort): for cheap notes such as "book X changed",
   * never for I/O.
   */
  afterCommit(key: string, fn: () => void): void;
}

export interface CommandOptions {
  /**
   * Runs before the command's savepoint, so what it writes stays even when the command is refused
   * (e.g. the book's due expiries, commands of their own). It must not refuse.
   */
  prelude?(trx: Tx, scope: BatchScope): Promise<void>;
  /** Told in the batch's transaction, after the refused command's writes were rolled back. */
  onRefused?(trx: Tx, err: AppError): Promise<void>;
}

interface Job {
  run(trx: Tx, scope: BatchScope): Promise<unknown>;
  prelude: CommandOptions['prelude'];
  onRefused: CommandOptions['onRefused'];
  retries: number;
  lockKeys: readonly string[];
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export class GroupCommitter {
  private queue: Job[] = [];
  private draining = false;

  /**
   * @param lockAll takes the locks a batch needs, given its commands' keys in sorted order, before any
   *   command runs: every batch locks in one global order (and the audit chain last), so two processes'
   *   batches, or a batch and a transfer action, cannot deadlock.
   * @param maxBatch most commands in one transaction: bounds the latency a batch adds to its first command.
   * @param maxQueue most commands waiting: beyond it new commands are refused (RATE_LIMITED) rather than queued without bound.
   * @param isConcurrencyConflict errors that mean "another process ran at the same time" (DbEngine): the
   *   batch rolled back whole, nothing of it was acknowledged, so its commands run again in a new batch,
   *   where, e.g., a twice-sent Idempotency-Key now finds the other process's committed response.
   */
  constructor(
    private readonly db: Db,
    private readonly onAbort: (err: unknown) => Promise<void>,
    private readonly lockAll: (trx: Tx, sortedKeys: string[]) => Promise<void> = async () => {},
    private readonly maxBatch = 200,
    private readonly maxQueue = 10_000,
    private readonly isConcurrencyConflict: (err: unknown) => boolean = () => false,
  ) {}

  /** Queues a command; `lockKeys` name what it will touch (fund ids), locked for its whole batch. */
  run<T>(command: (trx: Tx, scope: BatchScope) => Promise<T>, lockKeys: readonly string[] = [], options: CommandOptions = {}): Promise<T> {
    if (this.queue.length >= this.maxQueue)
      return Promise.reject(refusal('RATE_LIMITED', 'the exchange is busy; retry with the same Idempotency-Key', { reason: 'busy' }));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        run: command,
        prelude: options.prelude,
        onRefused: options.onRefused,
        retries: 0,
        lockKeys,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        // Let the event loop take in the requests that arrived meanwhile before closing the batch:
        // with the synchronous SQLite driver a transaction never yields to I/O, so without this
        // pause every batch would hold one command and pay its own fsync.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, this.maxBatch);
        const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
        const committed = new Map<string, () => void>();
        try {
          await this.db.transaction().execute(async (trx) => {
            const finalizers = new Map<string, (trx: Tx) => Promise<void>>();
            const batchId = {};
            await this.lockAll(trx, [...new Set(batch.flatMap((j) => j.lockKeys))].sort());
            for (const job of batch) {
              if (job.prelude) {
                await job.prelude(trx, {
                  batch: batchId,
                  beforeCommit: (key, fn) => {
                    if (!finalizers.has(key)) finalizers.set(key, fn);
                  },
                  afterCommit: (key, fn) => {
                    if (!committed.has(key)) committed.set(key, fn);
                  },
                });
              }
              // What the command registers counts only if it is not refused.
              const staged = { finalizers: new Map<string, (trx: Tx) => Promise<void>>(), committed: new Map<string, () => void>() };
              const scope: BatchScope = {
                batch: batchId,
                beforeCommit: (key, fn) => {
                  if (!finalizers.has(key) && !staged.finalizers.has(key)) staged.finalizers.set(key, fn);
                },
                afterCommit: (key, fn) => {
                  if (!committed.has(key) && !staged.committed.has(key)) staged.committed.set(key, fn);
                },
              };
              try {
                outcomes.push({ ok: true, value: await withSavepoint(trx, 'batch_command', () => job.run(trx, scope)) });
                for (const [key, fn] of staged.finalizers) finalizers.set(key, fn);
                for (const [key, fn] of staged.committed) committed.set(key, fn);
              } catch (err) {
                if (!(err instanceof AppError)) throw err;
                await job.onRefused?.(trx, err);
                outcomes.push({ ok: false, error: err });
              }
            }
            for (const fn of finalizers.values()) await fn(trx);
          });
        } catch (err) {
          await this.onAbort(err).catch(() => {});
          const retry = this.isConcurrencyConflict(err);
          const again: Job[] = [];
          for (const job of batch) {
            if (retry && job.retries < CONFLICT_RETRIES) {
              job.retries += 1;
              again.push(job);
            } else job.reject(err);
          }
          this.queue.unshift(...again);
          continue;
        }
        // Synchronously, before the next batch can touch the books: listeners see the committed state.
        for (const fn of committed.values()) {
          try {
            fn();
          } catch {
            /* a listener's failure must not fail committed commands */
          }
        }
        batch.forEach((job, i) => {
          const o = outcomes[i]!;
          if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
      }
    } finally {
      this.draining = false;
    }
  }
}
