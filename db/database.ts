/**
 * Opens the exchange's database from a URL: `sqlite:<path>` (the embedded default) or
 * `postgres://…`. Engine differences live in one capability object (`DbEngine`), never as
 * scattered `if (sqlite)` checks in features.
 */
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Pool } from 'pg';
import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  Transaction,
  sql,
  type DatabaseConnection,
  type Driver,
  type KyselyConfig,
  type KyselyProps,
  type SqliteDialectConfig,
} from 'kysely';
import { pipelinedBatchTransaction, plainBatchTransaction, type BatchBody } from './batch-transaction';
import type { Database } from './schema';
import { withStatementCache } from './statement-cache';
import { StatementNames, namingClient } from './named-statements';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface DbEngine {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Serialises writers of one key (a fund's book and audit stream, another audit stream) across
   * processes for the rest of the transaction. SQLite has one writer connection, which already
   * serialises everything. The lock order every transaction follows (so none can deadlock): a job's
   * lock, then transfers, then funds in sorted order (a fund's lock also guards its audit stream),
   * then organisations' open orders, then the other audit streams in sorted order, then confirmation numbers. The anchor lock is
   * taken alone, by the anchor job only: it is the one lock every fund's history passes through, and
   * no command waits for it. Several keys are taken one after another in the order given, in one round
   * trip (a batch of orders locks all its funds at once).
   */
  lock(trx: Tx, ...keys: LockKey[]): Promise<void>;
  /** True when the error is a unique-constraint violation (used by idempotency races). */
  isUniqueViolation(err: unknown): boolean;
  /**
   * True when a transaction failed only because another one ran at the same time, so running the same
   * commands again can succeed: on PostgreSQL a unique key inserted concurrently by another process
   * (an Idempotency-Key sent twice), a deadlock or a serialisation failure. Never on SQLite (one writer).
   */
  isConcurrencyConflict(err: unknown): boolean;
  /**
   * Several INSERTs can go to the database as one statement (PostgreSQL: data-modifying WITH queries),
   * saving a round trip each; SQLite, in-process, has no round trips to save.
   */
  readonly insertsInOneStatement: boolean;
  /**
   * Runs a group-commit batch in one transaction: `body` runs its commands and hands back its last write
   * unsent, which goes out just before `commit` (db/batch-transaction.ts). PostgreSQL opened with
   * `pipeline` sends each query as it comes: `begin`, the locks and the reads started with them in one
   * round trip, the last write with `commit`. Elsewhere a plain transaction.
   */
  batchTransaction<T>(db: Db, body: BatchBody<T>): Promise<T>;
}

export type LockKey =
  | { kind: 'fund'; fundId: string }
  | { kind: 'listing'; listingId: string }
  | { kind: 'transfer'; transferId: string }
  /** An organisation's open orders, for their cap: taken by a batch placing orders of it that may rest. */
  | { kind: 'open-orders'; orgId: string }
  /** An audit stream other than a fund's (server/audit/streams.ts). */
  | { kind: 'stream'; stream: string }
  /** The global anchor chain (server/audit/anchors.ts). */
  | { kind: 'anchor' }
  /** The year's confirmation numbers, taken one at a time (only when a transfer completes). */
  | { kind: 'confirmation-number' }
  /** A start-up job several processes may begin at once (e.g. sealing legacy bids). */
  | { kind: 'job'; name: string };

export interface DatabaseHandle {
  db: Db;
  engine: DbEngine;
  close(): Promise<void>;
}

const sqliteEngine: DbEngine = {
  name: 'sqlite',
  async lock() {},
  isUniqueViolation: (err) => err instanceof Error && /UNIQUE constraint failed/.test(err.message),
  isConcurrencyConflict: () => false,
  insertsInOneStatement: false,
  batchTransaction: plainBatchTransaction,
};

/** Advisory lock keys: a stable 32-bit namespace per kind and a 32-bit hash of the id. */
// 1 was the single audit chain's lock before migration 0018.
const LOCK_NAMESPACE = {
  fund: 2,
  listing: 3,
  transfer: 4,
  stream: 5,
  anchor: 6,
  'confirmation-number': 7,
  job: 8,
  'open-orders': 9,
} as const;

function lockId(key: LockKey): number {
  switch (key.kind) {
    case 'fund':
      return hash32(key.fundId);
    case 'listing':
      return hash32(key.listingId);
    case 'transfer':
      return hash32(key.transferId);
    case 'stream':
      return hash32(key.stream);
    case 'job':
      return hash32(key.name);
    case 'open-orders':
      return hash32(key.orgId);
    case 'anchor':
    case 'confirmation-number':
      return 0;
  }
}

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * A PostgreSQL engine; `pipeline` gives `batchTransaction` the props of a Kysely whose pool's connections
 * pipeline their queries.
 */
const postgresEngine = (pipeline: Omit<KyselyProps, 'executor'> | null): DbEngine => ({
  name: 'postgres',
  async lock(trx, ...keys) {
    if (keys.length === 1) {
      const key = keys[0]!;
      await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE[key.kind]}, ${lockId(key)})`.execute(trx);
      return;
    }
    // One statement per lock, sent together (the simple query protocol, so no parameters: the ids are
    // integers of our own): PostgreSQL runs them in the order written, as separate round trips would.
    const statements = keys.map((key) => {
      const [ns, id] = [LOCK_NAMESPACE[key.kind], lockId(key)];
      if (!Number.isSafeInteger(ns) || !Number.isSafeInteger(id)) throw new Error(`lock key ${ns}/${id} is not an integer`);
      return `select pg_advisory_xact_lock(${ns}, ${id})`;
    });
    if (statements.length) await sql.raw(statements.join('; ')).execute(trx);
  },
  isUniqueViolation: (err) => pgCode(err) === '23505',
  isConcurrencyConflict: (err) => ['23505', '40P01', '40001'].includes(pgCode(err) ?? ''),
  insertsInOneStatement: true,
  batchTransaction: (db, body) => (pipeline ? pipelinedBatchTransaction(db, pipeline, body) : plainBatchTransaction(db, body)),
});

function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as { code?: string }).code : undefined;
}

export interface OpenOptions {
  /** Maximum pooled PostgreSQL connections per process. */
  poolSize?: number;
  /** PostgreSQL: the connections pipeline queries issued together (DbEngine.batchTransaction); for a batch writer. */
  pipeline?: boolean;
  /** PostgreSQL: statements used again and again go as named, server-side prepared statements (db/named-statements.ts); on by default. */
  namedStatements?: boolean;
  /**
   * PostgreSQL: a pooled connection was lost (the server restarted, an administrator ended it, the network
   * failed), idle or in use. An idle one is dropped; one in use fails its query (its transaction rolls back)
   * and is dropped when released; the pool opens new ones when needed. Without a listener, pg throws the
   * error out of the event loop and ends the process (or the matching thread).
   */
  onConnectionLost?: (err: Error) => void;
  /**
   * Told every statement run, with its parameters and how long it took until answered (a trace log; tests that check
   * query plans). On a connection that pipelines, that time includes waiting behind the statements sent before it.
   */
  onQuery?: (query: { sql: string; parameters: readonly unknown[] }, ms: number) => void;
}

export function openDatabase(url: string, opts: OpenOptions = {}): DatabaseHandle {
  const plugins = [new CamelCasePlugin()];
  const onQuery = opts.onQuery;
  const log: KyselyConfig['log'] = onQuery
    ? (event) => {
        if (event.level === 'query') onQuery(event.query, event.queryDurationMillis);
      }
    : undefined;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new Pool({
      connectionString: url,
      max: opts.poolSize ?? 10,
      pipeline: opts.pipeline ?? false,
      ...(opts.namedStatements === false ? {} : { Client: namingClient(new StatementNames()) }),
    });
    // Each connection's own listener hears its loss, idle or in use (the pool listens only while it is idle,
    // and then re-emits the error on itself: heard here too, already reported by the connection's listener).
    pool.on('connect', (client) => client.on('error', (err) => opts.onConnectionLost?.(err)));
    pool.on('error', () => {});
    const dialect = new PostgresDialect({ pool });
    const db = new Kysely<Database>({ dialect, plugins, log });
    // A transaction never uses its driver (its own begin and commit went through the one that owns the connection), nor
    // its config's log: its connection comes from `db`, whose driver logs it.
    const props = opts.pipeline ? { config: { dialect, plugins }, dialect, driver: dialect.createDriver() } : null;
    return { db, engine: postgresEngine(props), close: () => db.destroy() };
  }
  if (!url.startsWith('sqlite:')) throw new Error(`unsupported DATABASE_URL scheme: ${url.split(':')[0]}`);
  const file = url.slice('sqlite:'.length);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: each commit is fsynced before we acknowledge it, so an acknowledged order survives a power
  // loss, not only a process kill (NORMAL in WAL mode would survive kill -9 but may lose the last
  // commits on power loss). The cost is one fsync per commit, amortised by group commit.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted content is overwritten, not left in free pages (e.g. plain-text sealed bids once sealed).
  sqlite.pragma('secure_delete = ON');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }), plugins, log });
  return { db, engine: sqliteEngine, close: () => db.destroy() };
}

/**
 * SQLite transactions that take the write lock when they begin (`begin immediate`). A process has two
 * writer connections (the HTTP thread's and the matching thread's, server/orders/matching/): a deferred
 * transaction that has read and then writes after the other connection committed cannot upgrade its
 * snapshot (SQLITE_BUSY at once, busy_timeout does not help), and two deferred readers upgrading at
 * once deadlock. Taken at `begin`, the lock waits under busy_timeout instead, and every transaction
 * reads the state it then writes on.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly sqliteConfig: SqliteDialectConfig) {
    super(sqliteConfig);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.sqliteConfig);
  }
}
