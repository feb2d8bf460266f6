/**
 * Runs a state-changing command: in ONE database transaction it checks the Idempotency-Key, runs the
 * command (which appends its audit entry), and stores the response under the key. The same key with
 * the same body returns the first response; with a different body, 409 IDEMPOTENCY_KEY_REUSED
 * (api.md).
 *
 * A refusal is a response too: a command refused with a 4xx changes nothing (its transaction rolls
 * back), and the refusal is then stored under the key, so the same request gets the same refusal
 * again and another body gets 409. Not stored: refusals that only describe the moment and ask for a
 * retry (TRANSIENT_REFUSALS), and requests refused before any command ran (a body that fails the
 * route's schema, a missing role), as with other exchanges' idempotency keys.
 */
import { sha256Hex } from '../sha256';
import { canonicalJson } from '../../shared/canonical-json';
import type { DatabaseHandle, Db, Tx } from '../../db/database';
import { prepared, preparedInsert } from '../../db/prepared';
import { AppError } from './errors';

export interface CommandOutcome<T = unknown> {
  status: number;
  body: T;
}

export interface CommandRequest {
  userId: string;
  /** Absent: the command runs without replay protection (clients are told to send one). */
  idempotencyKey: string | undefined;
  /** Method, path and body: what makes two requests "the same". */
  fingerprint: unknown;
  nowIso: string;
}

const KEY_RE = /^[A-Za-z0-9_.:-]{8,128}$/;

/** Refusals that hold only for the moment (busy, a concurrent change, a race on the key itself): a retry with the same key runs again. */
const TRANSIENT_REFUSALS: ReadonlySet<string> = new Set(['RATE_LIMITED', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'UNAUTHENTICATED', 'NOT_READY']);

/** Whether a command's failure is a refusal to keep under its Idempotency-Key. */
export function isStoredRefusal(err: unknown): err is AppError {
  return err instanceof AppError && err.status >= 400 && err.status < 500 && !TRANSIENT_REFUSALS.has(err.code);
}

interface StoredRefusal { code: string; detail: string; extra?: Record<string, unknown> }

export function validateIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!KEY_RE.test(key)) throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 8–128 characters of A–Z, a–z, 0–9, _ . : -');
  return key;
}

export function requestHashOf(fingerprint: unknown): string {
  return sha256Hex(canonicalJson(fingerprint));
}

const findKey = prepared(2, (db, $) => db.selectFrom('idempotencyKeys').selectAll().where('userId', '=', $(0)).where('key', '=', $(1)));
const insertKey = preparedInsert('idempotencyKeys', ['userId', 'key', 'requestHash', 'status', 'response', 'createdAt']);

/**
 * The stored response for this user's key, or null; 409 when the key was used for a different request.
 * A stored refusal is thrown again, as the same AppError (the same problem+json answer).
 */
export async function findIdempotentResponse(db: Db | Tx, userId: string, key: string | undefined, requestHash: string): Promise<CommandOutcome | null> {
  if (!key) return null;
  const row = await findKey.first(db, [userId, key]);
  if (!row) return null;
  if (row.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request');
  if (row.status >= 400) {
    const r = JSON.parse(row.response) as StoredRefusal;
    throw new AppError(r.code, r.detail, row.status, r.extra);
  }
  return { status: row.status, body: JSON.parse(row.response) };
}

/** Stores a refusal under the key (see isStoredRefusal), in the caller's transaction. */
export async function storeRefusal(trx: Tx, userId: string, key: string | undefined, requestHash: string, err: AppError, nowIso: string): Promise<void> {
  if (!key) return;
  const response: StoredRefusal = { code: err.code, detail: err.message, ...(err.extra ? { extra: err.extra } : {}) };
  await insertKey.run(trx, { userId, key, requestHash, status: err.status, response: JSON.stringify(response), createdAt: nowIso });
}

export async function storeIdempotentResponse(trx: Tx, userId: string, key: string | undefined, requestHash: string, outcome: CommandOutcome, nowIso: string): Promise<void> {
  if (!key) return;
  await insertKey.run(trx, { userId, key, requestHash, status: outcome.status, response: JSON.stringify(outcome.body), createdAt: nowIso });
}

export type CommandRunner = <T>(req: CommandRequest, run: (trx: Tx) => Promise<CommandOutcome<T>>) => Promise<CommandOutcome<T | unknown>>;

/** @param afterCommit told after each command that committed (not a replay, not a refusal): e.g. the quote feed looks at once. */
export function createCommandRunner(handle: DatabaseHandle, afterCommit: () => void = () => {}): CommandRunner {
  const { db, engine } = handle;

  const replay = (req: CommandRequest, requestHash: string, trx?: Tx) => findIdempotentResponse(trx ?? db, req.userId, req.idempotencyKey, requestHash);

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

  return async (req, run) => {
    const requestHash = requestHashOf(req.fingerprint);
    let ran = false;
    let outcome: CommandOutcome;
    try {
      outcome = await db.transaction().execute(async (trx) => {
        const earlier = await replay(req, requestHash, trx);
        if (earlier) return earlier;
        const result = await run(trx);
        await storeIdempotentResponse(trx, req.userId, req.idempotencyKey, requestHash, result, req.nowIso);
        ran = true;
        return result;
      });
    } catch (err) {
      // Two concurrent requests with one key (PostgreSQL, several processes): the loser's insert
      // violates the primary key and its transaction rolled back; answer with the winner's response.
      if (engine.isUniqueViolation(err)) {
        const earlier = await replay(req, requestHash);
        if (earlier) return earlier;
      }
      if (req.idempotencyKey && isStoredRefusal(err)) {
        const earlier = await keepRefusal(req, requestHash, err);
        if (earlier) return earlier;
      }
      throw err;
    }
    // After the commit, outside it: a listener's failure must not turn a committed command into an error.
    if (ran) { try { afterCommit(); } catch { /* nothing to undo */ } }
    return outcome;
  };
}
