/**
 * Runs a state-changing command: in ONE database transaction it checks the Idempotency-Key, runs the
 * command (which appends its audit entry), and stores the response under the key. The same key with
 * the same body returns the first response; with a different body, 409 IDEMPOTENCY_KEY_REUSED.
 *
 * Only successful outcomes are stored: a refused command changes nothing (its transaction rolls back),
 * so retrying it with the same key after fixing the cause is allowed.
 */
import crypto from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import type { DatabaseHandle, Tx } from '../../db/database';
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

export function validateIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!KEY_RE.test(key)) throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 8–128 characters of A–Z, a–z, 0–9, _ . : -');
  return key;
}

export type CommandRunner = <T>(req: CommandRequest, run: (trx: Tx) => Promise<CommandOutcome<T>>) => Promise<CommandOutcome<T | unknown>>;

export function createCommandRunner(handle: DatabaseHandle): CommandRunner {
  const { db, engine } = handle;

  async function replay(req: CommandRequest, requestHash: string, trx?: Tx): Promise<CommandOutcome | null> {
    if (!req.idempotencyKey) return null;
    const row = await (trx ?? db).selectFrom('idempotencyKeys').selectAll()
      .where('userId', '=', req.userId).where('key', '=', req.idempotencyKey).executeTakeFirst();
    if (!row) return null;
    if (row.requestHash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request');
    }
    return { status: row.status, body: JSON.parse(row.response) };
  }

  return async (req, run) => {
    const requestHash = crypto.createHash('sha256').update(canonicalJson(req.fingerprint)).digest('hex');
    try {
      return await db.transaction().execute(async (trx) => {
        const earlier = await replay(req, requestHash, trx);
        if (earlier) return earlier;
        const outcome = await run(trx);
        if (req.idempotencyKey) {
          await trx.insertInto('idempotencyKeys').values({
            userId: req.userId, key: req.idempotencyKey, requestHash, status: outcome.status,
            response: JSON.stringify(outcome.body), createdAt: req.nowIso,
          }).execute();
        }
        return outcome;
      });
    } catch (err) {
      // Two concurrent requests with one key (PostgreSQL, several processes): the loser's insert
      // violates the primary key and its transaction rolled back; answer with the winner's response.
      if (engine.isUniqueViolation(err)) {
        const earlier = await replay(req, requestHash);
        if (earlier) return earlier;
      }
      throw err;
    }
  };
}
