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
import type { IdempotencyKeysTable } from '../../db/schema';
import type { Selectable } from 'kysely';
import { insertLater, pendingRows } from './deferred-rows';
import { txMemo } from './tx-memo';
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

type KeyRow = Selectable<IdempotencyKeysTable>;
/** Keys a transaction read ahead (readKeysAhead): the stored row, or null for a key not stored then. */
const readAhead = txMemo<Map<string, KeyRow | null>>();
const keyOf = (userId: string, key: string) => `${userId}\n${key}`;

/** The stored rows of a list argument of [userId, key] tuples. */
const storedKeys = prepared(1, (db, $) =>
  db
    .selectFrom('idempotencyKeys')
    .selectAll()
    .where((eb) =>
      eb(
        eb.refTuple('userId', 'key'),
        'in',
        $.tuples(0, 2).map(([userId, key]) => eb.tuple(userId, key)),
      ),
    ),
);

/**
 * Reads the stored answers of many keys in one statement, for a transaction that will look them up
 * one by one (a group-commit batch: one read for its N commands, not N). A key answered later in the
 * same transaction is found among its deferred rows first (lookUpKey).
 */
export async function readKeysAhead(trx: Tx, keys: readonly { userId: string; key: string }[]): Promise<void> {
  if (!keys.length) return;
  let known = readAhead.get(trx);
  if (!known) readAhead.set(trx, (known = new Map()));
  const wanted = keys.filter((k) => !known.has(keyOf(k.userId, k.key)));
  if (!wanted.length) return;
  const rows = await storedKeys.all(trx, [wanted.map((k) => [k.userId, k.key])]);
  for (const k of wanted) known.set(keyOf(k.userId, k.key), null);
  for (const r of rows) known.set(keyOf(r.userId, r.key), r);
}

/** The key's stored row: one this transaction will write at commit, one read ahead, else the database's. */
async function lookUpKey(db: Db | Tx, userId: string, key: string): Promise<KeyRow | undefined> {
  if (db.isTransaction) {
    const trx = db as Tx;
    const pending = pendingRows(trx, 'idempotencyKeys').find((r) => r.userId === userId && r.key === key);
    if (pending) return pending as KeyRow;
    const known = readAhead.get(trx)?.get(keyOf(userId, key));
    if (known !== undefined) return known ?? undefined;
  }
  return findKey.first(db, [userId, key]);
}

async function insertKeyRow(trx: Tx, row: KeyRow): Promise<void> {
  if (!insertLater(trx, 'idempotencyKeys', row)) await insertKey.run(trx, row);
}

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
  const row = await lookUpKey(db, userId, key);
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
  await insertKeyRow(trx, { userId, key, requestHash, status: REFUSED, response: JSON.stringify(response), createdAt: nowIso });
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
  if (await lookUpKey(trx, userId, key)) return;
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
  await insertKeyRow(trx, {
    userId,
    key,
    requestHash,
    status: outcome.status,
    response: JSON.stringify(outcome.body),
    createdAt: nowIso,
  });
}
