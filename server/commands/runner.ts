/**
 * Runs a state-changing command: in ONE database transaction it checks the Idempotency-Key, runs the
 * command (which appends its audit entry), and stores the response under the key (idempotency.ts).
 *
 * A refused command changes nothing (its transaction rolls back), and its refusal is then kept under
 * the key in a transaction of its own, so the same request gets the same refusal again and another
 * body gets 409. Not kept: requests refused before any command ran (a body that fails the route's
 * schema, a missing role). A transaction that failed only on a concurrency conflict (the engine
 * capability object decides) runs again, at most CONFLICT_RETRIES times.
 */
import type { DatabaseHandle, Tx } from '../../db/database';
import {
  type CommandOutcome,
  findIdempotentResponse,
  isStoredRefusal,
  requestHashOf,
  storeIdempotentResponse,
  storeRefusal,
} from './idempotency';
import { retryOnConflict } from './retry';
import type { AppError } from './errors';

export interface CommandRequest {
  userId: string;
  /** Absent: the command runs without replay protection (clients are told to send one). */
  idempotencyKey: string | undefined;
  /** Method, path and body: what makes two requests "the same". */
  fingerprint: unknown;
  nowIso: string;
}

export type CommandRunner = <T>(req: CommandRequest, run: (trx: Tx) => Promise<CommandOutcome<T>>) => Promise<CommandOutcome<T | unknown>>;

/** @param afterCommit told after each command that committed (not a replay, not a refusal): e.g. the quote feed looks at once. */
export function createCommandRunner(handle: DatabaseHandle, afterCommit: () => void = () => {}): CommandRunner {
  const { db, engine } = handle;

  const replay = (req: CommandRequest, requestHash: string, trx?: Tx) =>
    findIdempotentResponse(trx ?? db, req.userId, req.idempotencyKey, requestHash);

  /**
   * After the refused command's transaction rolled back: the refusal goes under the key in a
   * transaction of its own. If the key was taken meanwhile (the same key sent twice at once), the
   * first answer stands and is the one given (replayed or thrown).
   */
  const keepRefusal = async (req: CommandRequest, requestHash: string, err: AppError): Promise<CommandOutcome | null> => {
    try {
      return await db.transaction().execute(async (trx) => {
        const earlier = await replay(req, requestHash, trx);
        if (!earlier) await storeRefusal(trx, req.userId, req.idempotencyKey, requestHash, err, req.nowIso);
        return earlier;
      });
    } catch (stored) {
      if (!engine.isUniqueViolation(stored)) throw stored;
      return replay(req, requestHash);
    }
  };

  const once = async (
    req: CommandRequest,
    requestHash: string,
    run: (trx: Tx) => Promise<CommandOutcome>,
  ): Promise<{ outcome: CommandOutcome; ran: boolean }> => {
    let ran = false;
    try {
      const outcome = await db.transaction().execute(async (trx) => {
        const earlier = await replay(req, requestHash, trx);
        if (earlier) return earlier;
        const result = await run(trx);
        await storeIdempotentResponse(trx, req.userId, req.idempotencyKey, requestHash, result, req.nowIso);
        ran = true;
        return result;
      });
      return { outcome, ran };
    } catch (err) {
      // Two concurrent requests with one key (PostgreSQL, several processes): the loser's insert
      // violates the primary key and its transaction rolled back; answer with the winner's response.
      if (engine.isUniqueViolation(err)) {
        const earlier = await replay(req, requestHash);
        if (earlier) return { outcome: earlier, ran: false };
      }
      if (req.idempotencyKey && isStoredRefusal(err)) {
        const earlier = await keepRefusal(req, requestHash, err);
        if (earlier) return { outcome: earlier, ran: false };
      }
      throw err;
    }
  };

  return async (req, run) => {
    const requestHash = requestHashOf(req.fingerprint);
    const { outcome, ran } = await retryOnConflict(engine, () => once(req, requestHash, run));
    // After the commit, outside it: a listener's failure must not turn a committed command into an error.
    if (ran) {
      try {
        afterCommit();
      } catch {
        /* nothing to undo */
      }
    }
    return outcome;
  };
}
