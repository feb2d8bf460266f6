/**
 * Rows a transaction appends (journal, audit entries, idempotency answers, orders closed on arrival),
 * gathered in memory and written together just before it commits: a group-commit batch of N orders
 * then sends their rows in one statement (PostgreSQL: one data-modifying WITH for all tables, each table's
 * rows one JSON parameter: db/insert-rows.ts, insertRowsAsJson) or one multi-row INSERT per table (SQLite),
 * not up to 4N single-row INSERTs, each a round trip on PostgreSQL.
 *
 * Only rows that nothing in the same transaction updates, and that its readers look up here first
 * (the audit chain's head, an Idempotency-Key's answer). A rollback to a savepoint drops the rows
 * appended after it (withSavepoint), as it would drop inserted rows; a transaction that fails writes
 * none of them. Nothing is deferred unless the transaction's owner asked for it (deferInserts).
 */
import { CompiledQuery, sql, type Insertable } from 'kysely';
import { insertRows, insertRowsAsJson } from '../../db/insert-rows';
import type { Tx } from '../../db/database';
import type { Database } from '../../db/schema';

export type DeferredTable = 'bookJournal' | 'auditLog' | 'idempotencyKeys' | 'orders' | 'bookState';

/** Tables whose deferred row replaces the stored row with the same key (an upsert): a book's state. */
const UPSERT_KEY: Partial<Record<DeferredTable, string>> = { bookState: 'fundId' };

interface Entry {
  table: DeferredTable;
  row: Record<string, unknown>;
}

const buffers = new WeakMap<Tx, Entry[]>();
/** PostgreSQL notifications to send with the deferred rows (delivered when the transaction commits). */
const notifications = new WeakMap<Tx, { channel: string; payload: string }[]>();

/** From now on, this transaction's rows of the deferred tables wait for finishDeferred. */
export function deferInserts(trx: Tx): void {
  if (!buffers.has(trx)) buffers.set(trx, []);
}

/** Appends a row to be written at flush; false when the transaction does not defer (the caller inserts now). */
export function insertLater<T extends DeferredTable>(trx: Tx, table: T, row: Insertable<Database[T]>): boolean {
  const buffer = buffers.get(trx);
  if (!buffer) return false;
  buffer.push({ table, row: row as Record<string, unknown> });
  return true;
}

/**
 * A NOTIFY sent with the commit, in the statement of the deferred rows (PostgreSQL only: finishDeferred
 * refuses it elsewhere); false when the transaction does not defer (the caller sends it now).
 */
export function notifyLater(trx: Tx, channel: string, payload: string): boolean {
  if (!buffers.has(trx)) return false;
  let notes = notifications.get(trx);
  if (!notes) notifications.set(trx, (notes = []));
  notes.push({ channel, payload });
  return true;
}

/** The transaction's rows of `table` not yet written, oldest first. */
export function pendingRows<T extends DeferredTable>(trx: Tx, table: T): Insertable<Database[T]>[] {
  const buffer = buffers.get(trx) ?? [];
  return buffer.filter((e) => e.table === table).map((e) => e.row as Insertable<Database[T]>);
}

/** A position in the transaction's deferred rows, to drop what follows it (a savepoint's rollback). */
export function deferredMark(trx: Tx): number {
  return buffers.get(trx)?.length ?? 0;
}

export function dropDeferredAfter(trx: Tx, mark: number): void {
  buffers.get(trx)?.splice(mark);
}

/**
 * Ends the transaction's deferral and hands back what goes with its commit. Where inserts go in one
 * statement (PostgreSQL), that is the gathered rows and notifications as one statement: a parameter per
 * table's rows (their JSON) and two for the notifications, however many rows, so PostgreSQL's limit of
 * 65,535 parameters a statement is never near. Elsewhere the rows are written now and nothing is left:
 * notifications are PostgreSQL's.
 */
export async function finishDeferred(trx: Tx, oneStatement: boolean): Promise<CompiledQuery | null> {
  if (!oneStatement) await flushDeferred(trx);
  const last = deferredStatement(trx);
  if (last && !oneStatement) throw new Error('notifications with deferred rows are for PostgreSQL only (deferredStatement)');
  return last;
}

/**
 * Writes the gathered rows now, grouped by table in the order the tables first appeared, in one INSERT
 * per table (per ROWS_PER_INSERT rows). Notifications are left for deferredStatement.
 */
async function flushDeferred(trx: Tx): Promise<void> {
  for (const [table, rows] of takeByTable(trx)) for (const q of insertRows(trx, table, rows, UPSERT_KEY[table])) await trx.executeQuery(q);
}

/**
 * PostgreSQL: the gathered rows and notifications as one statement, not sent (finishDeferred hands it
 * to the batch, whose DbEngine.batchTransaction sends it with the commit): every INSERT as data-modifying WITH
 * queries, none of which reads another's rows, constraints checked as for separate statements. Null
 * when nothing was gathered.
 */
function deferredStatement(trx: Tx): CompiledQuery | null {
  const notes = notifications.get(trx)?.splice(0) ?? [];
  const byTable = takeByTable(trx);
  if (!byTable.size && !notes.length) return null;
  // Each INSERT's $n numbered on after the ones before it, as they are built.
  const queries: CompiledQuery[] = [];
  let parameters = 0;
  for (const [table, rows] of byTable) {
    for (const q of insertRowsAsJson(trx, table, rows, UPSERT_KEY[table], parameters)) {
      queries.push(q);
      parameters += q.parameters.length;
    }
  }
  if (notes.length) {
    const [channels, payloads] = [notes.map((n) => n.channel), notes.map((n) => n.payload)];
    const notify =
      sql`select pg_notify(n.channel, n.payload) from unnest(${channels}::text[], ${payloads}::text[]) as n(channel, payload)`.compile(trx);
    // Its text holds no `$` but its two parameters' (the names are quoted identifiers).
    queries.push(
      CompiledQuery.raw(
        notify.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + parameters}`),
        [...notify.parameters],
      ),
    );
  }
  return withQueries(queries);
}

/** The gathered rows by table, in the order the tables first appeared; the buffer is emptied. */
function takeByTable(trx: Tx): Map<DeferredTable, Record<string, unknown>[]> {
  const byTable = new Map<DeferredTable, Record<string, unknown>[]>();
  for (const e of buffers.get(trx)?.splice(0) ?? []) {
    let rows = byTable.get(e.table);
    if (!rows) byTable.set(e.table, (rows = []));
    rows.push(e.row);
  }
  return byTable;
}

/** `with "w0" as (insert …), "w1" as (insert …) insert …` (or `… select pg_notify(…)`): the queries' `$n` already numbered on. */
function withQueries(queries: CompiledQuery[]): CompiledQuery {
  const texts = queries.map((q) => q.sql);
  const last = texts.pop()!;
  const sql = texts.length ? `with ${texts.map((t, i) => `"w${i}" as (${t})`).join(', ')} ${last}` : last;
  return CompiledQuery.raw(
    sql,
    queries.flatMap((q) => q.parameters),
  );
}
