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
 *
 * A command that declares it refuses only before its first write (`refusesBeforeWriting`) runs without
 * the savepoint (two round trips fewer on PostgreSQL). The batch counts every row written and every
 * row deferred to the commit: if such a command refuses after writing anyway, the declaration was
 * wrong, and the batch aborts as for any other bug rather than commit half a command.
 *
 * The rows the batch's commands append (journal, audit entries, idempotency answers, orders closed on
 * arrival, book states) are written together just before the commit (commands/deferred-rows.ts), and
 * reads its commands share (`readAhead`) run once for the batch.
 */
import { together } from '../../db/together';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Db, DbEngine, Tx } from '../../db/database';
import { plainBatchTransaction } from '../../db/batch-transaction';
import { deferInserts, deferredMark, finishDeferred } from '../commands/deferred-rows';
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
  /**
   * The command throws AppError only before it writes anything: it runs without a savepoint of its
   * own. Checked: a refusal after a write aborts the whole batch instead.
   */
  refusesBeforeWriting?: boolean;
  /**
   * A read the command shares with its batch-mates: `load` runs once per batch (per distinct `load`),
   * after the batch's locks and before its commands, with the `item` of every command that named it.
   * The batch's loads run at the same time (their statements share a round trip on PostgreSQL), so a load
   * only reads: it takes no lock the batch does not hold already (lockInOrder's record is not made for concurrent takers)
   * and keeps what it read under keys no other load writes.
   */
  readAhead?: readonly ReadAhead[];
}

export interface ReadAhead {
  load: (trx: Tx, items: unknown[]) => Promise<void>;
  item: unknown;
}

/** Counts the rows a transaction's statements wrote (a write with no row counts none). */
class WriteCounter implements KyselyPlugin {
  rows = 0n;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.rows += args.result.numAffectedRows ?? 0n;
    return args.result;
  }
}

interface Job<K> {
  run(trx: Tx, scope: BatchScope): Promise<unknown>;
  prelude: CommandOptions['prelude'];
  onRefused: CommandOptions['onRefused'];
  refusesBeforeWriting: boolean;
  readAhead: CommandOptions['readAhead'];
  retries: number;
  lockKeys: readonly K[];
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export class GroupCommitter<K = string> {
  private queue: Job<K>[] = [];
  private draining = false;

  /**
   * @param lockAll takes the locks a batch needs, given its commands' keys in no particular order, before any
   *   command runs: every batch locks in one global order (lockInOrder sorts the keys and takes each once, the
   *   audit streams last), so two processes' batches, or a batch and a transfer action, cannot deadlock.
   * @param maxBatch most commands in one transaction: bounds the latency a batch adds to its first command.
   * @param maxQueue most commands waiting: beyond it new commands are refused (RATE_LIMITED) rather than queued without bound.
   * @param isConcurrencyConflict errors that mean "another process ran at the same time" (DbEngine): the
   *   batch rolled back whole, nothing of it was acknowledged, so its commands run again in a new batch,
   *   where, e.g., a twice-sent Idempotency-Key now finds the other process's committed response.
   * @param insertsInOneStatement the deferred rows go in one statement (DbEngine.insertsInOneStatement).
   * @param batchTransaction runs the batch in one transaction whose locks and read-aheads (sent after the
   *   locks) share one round trip, and whose deferred rows go with its commit (DbEngine.batchTransaction).
   */
  constructor(
    private readonly db: Db,
    private readonly onAbort: (err: unknown) => Promise<void>,
    private readonly lockAll: (trx: Tx, keys: K[]) => Promise<void> = async () => {},
    private readonly maxBatch = 200,
    private readonly maxQueue = 10_000,
    private readonly isConcurrencyConflict: (err: unknown) => boolean = () => false,
    private readonly insertsInOneStatement = false,
    private readonly batchTransaction: DbEngine['batchTransaction'] = plainBatchTransaction,
  ) {}

  /** Queues a command; `lockKeys` name what it will touch (e.g. its fund), locked for its whole batch. */
  run<T>(command: (trx: Tx, scope: BatchScope) => Promise<T>, lockKeys: readonly K[] = [], options: CommandOptions = {}): Promise<T> {
    if (this.queue.length >= this.maxQueue)
      return Promise.reject(refusal('RATE_LIMITED', 'the exchange is busy; retry with the same Idempotency-Key', { reason: 'busy' }));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        run: command,
        prelude: options.prelude,
        onRefused: options.onRefused,
        refusesBeforeWriting: options.refusesBeforeWriting ?? false,
        readAhead: options.readAhead,
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
          const writes = new WriteCounter();
          await this.batchTransaction(this.db, async (outer) => {
            // One transaction object for the whole batch: per-transaction memos (locks held, audit heads) key on it.
            const trx = outer.withPlugin(writes);
            const finalizers = new Map<string, (trx: Tx) => Promise<void>>();
            const batchId = {};
            deferInserts(trx);
            const reads = new Map<ReadAhead['load'], unknown[]>();
            for (const { load, item } of batch.flatMap((j) => j.readAhead ?? [])) {
              const items = reads.get(load);
              if (items) items.push(item);
              else reads.set(load, [item]);
            }
            // The locks, then the independent reads, sent together: the database runs them in the order sent, so
            // every read runs under the locks, and where it pipelines they cost one round trip with `begin`. All are
            // answered before the batch goes on (or rolls back); a lock's failure is the one reported.
            await together([
              this.lockAll(
                trx,
                batch.flatMap((j) => j.lockKeys),
              ),
              ...[...reads].map(([load, items]) => load(trx, items)),
            ]);
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
              const [rowsBefore, deferredBefore] = [writes.rows, deferredMark(trx)];
              try {
                const value = job.refusesBeforeWriting
                  ? await job.run(trx, scope)
                  : await withSavepoint(trx, 'batch_command', () => job.run(trx, scope));
                outcomes.push({ ok: true, value });
                for (const [key, fn] of staged.finalizers) finalizers.set(key, fn);
                for (const [key, fn] of staged.committed) committed.set(key, fn);
              } catch (err) {
                if (!(err instanceof AppError)) throw err;
                if (job.refusesBeforeWriting && (writes.rows !== rowsBefore || deferredMark(trx) !== deferredBefore)) {
                  throw new Error(`a command declared to refuse before writing refused (${err.code}) after writing`, { cause: err });
                }
                await job.onRefused?.(trx, err);
                outcomes.push({ ok: false, error: err });
              }
            }
            for (const fn of finalizers.values()) await fn(trx);
            // PostgreSQL: the rows go with the commit, in one statement (past its parameter limit, only the
            // notifications do: finishDeferred); elsewhere they are written now.
            return { value: undefined, last: await finishDeferred(trx, this.insertsInOneStatement) };
          });
        } catch (err) {
          await this.onAbort(err).catch(() => {});
          const retry = this.isConcurrencyConflict(err);
          const again: Job<K>[] = [];
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
