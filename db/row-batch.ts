/**
 * Rows of one table gathered during a transaction and written by one multi-row INSERT (per chunk)
 * just before it commits: a group-commit batch of N orders sends one journal statement, not N. Only
 * for append-only rows that nothing in the same transaction reads back.
 */
import type { Insertable } from 'kysely';
import type { Tx } from './database';
import type { Database } from './schema';

/** Rows per statement: far below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters at a dozen columns. */
const CHUNK = 500;

export class RowBatch<T extends keyof Database & string> {
  private rows: Insertable<Database[T]>[] = [];

  constructor(private readonly table: T) {}

  add(row: Insertable<Database[T]>): void {
    this.rows.push(row);
  }

  async flush(trx: Tx): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      // The builder's value type is per table; the rows were typed on the way in.
      await trx.insertInto(this.table).values(rows.slice(i, i + CHUNK) as never).execute();
    }
  }
}
