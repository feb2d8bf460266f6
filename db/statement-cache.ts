/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running the small
 * statements the exchange issues. This wrapper hands Kysely the same prepared statement for the same
 * SQL text. Safe because Kysely drives SQLite through one connection, one query at a time.
 */
import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';

/** Bound on cached statements; query shapes in this code base are few, ad-hoc ones evict the oldest. */
const MAX_CACHED_STATEMENTS = 1000;

export function withStatementCache(db: SqliteDatabase.Database): KyselySqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) return hit;
      const stmt = db.prepare(sql) as unknown as SqliteStatement;
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
