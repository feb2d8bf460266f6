/**
 * The idempotency store: what a command answered, kept under its caller's Idempotency-Key in the
 * command's own transaction. The same key with the same request gets the first answer again; with a
 * different request, IDEMPOTENCY_KEY_REUSED (api.md).
 *
 * A refusal is an answer too: its code, detail and params are kept (row status `REFUSED`), and thrown
 * again on replay as the same AppError. Not kept: refusals that only describe the moment and ask for a
 * retry (TRANSIENT_REFUSALS, `AppError.retryLater`).
 */
import { sha256Hex } from '../sha256';
import { canonicalJson } from '../../shared/canonical-json';
import type { Db, Tx } from '../../db/database';
import { prepared, preparedInsert } from '../../db/prepared';
import { AppError, type Params } from './errors';

export interface CommandOutcome<T = unknown> {
  status: number;
  body: T;
}

const KEY_RE = /^[A-Za-z0-9_.:-]{8,128}$/;

/** Refusals that hold only for the moment (busy, a concurrent change, a race on the key itself): a retry with the same key runs again. */
const TRANSIENT_REFUSALS: ReadonlySet<string> = new Set([
  'RATE_LIMITED',
  'CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'UNAUTHENTICATED',
  'NOT_READY',
]);

/**
 * The row status of a kept refusal. Rows written before the command layer hold the refusal's HTTP
 * status (4xx) instead; both read as refusals.
 */
const REFUSED = 0;
const isRefusalRow = (status: number) => status === REFUSED || status >= 400;

/** Whether a command's failure is a refusal to keep under its Idempotency-Key. */
export function isStoredRefusal(err: unknown): err is AppError {
  return err instanceof AppError && !err.retryLater && !TRANSIENT_REFUSALS.has(err.code);
}

interface StoredRefusal {
  code: string;
  detail: string;
  extra?: Params;
}

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
export async function findIdempotentResponse(
  db: Db | Tx,
  userId: string,
  key: string | undefined,
  requestHash: string,
): Promise<CommandOutcome | null> {
  if (!key) return null;
  const row = await findKey.first(db, [userId, key]);
  if (!row) return null;
  if (row.requestHash !== requestHash)
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request');
  if (isRefusalRow(row.status)) {
    const r = JSON.parse(row.response) as StoredRefusal;
    throw new AppError(r.code, r.detail, r.extra);
  }
  return { status: row.status, body: JSON.parse(row.response) };
}

/** Stores a refusal under the key (see isStoredRefusal), in the caller's transaction. */
export async function storeRefusal(
  trx: Tx,
  userId: string,
  key: string | undefined,
  requestHash: string,
  err: AppError,
  nowIso: string,
): Promise<void> {
  if (!key) return;
  const response: StoredRefusal = { code: err.code, detail: err.message, ...(err.extra ? { extra: err.extra } : {}) };
  await insertKey.run(trx, { userId, key, requestHash, status: REFUSED, response: JSON.stringify(response), createdAt: nowIso });
}

/**
 * Keeps a refusal under its key after the command's writes were undone (a rolled-back savepoint),
 * unless the key already holds an answer: a refusal that was itself a replay, or a reused key.
 */
export async function keepRefusal(
  trx: Tx,
  userId: string,
  key: string | undefined,
  requestHash: string,
  err: unknown,
  nowIso: string,
): Promise<void> {
  if (!key || !isStoredRefusal(err)) return;
  if (await findKey.first(trx, [userId, key])) return;
  await storeRefusal(trx, userId, key, requestHash, err, nowIso);
}

export async function storeIdempotentResponse(
  trx: Tx,
  userId: string,
  key: string | undefined,
  requestHash: string,
  outcome: CommandOutcome,
  nowIso: string,
): Promise<void> {
  if (!key) return;
  await insertKey.run(trx, { userId, key, requestHash, status: outcome.status, response: JSON.stringify(outcome.body), createdAt: nowIso });
}
