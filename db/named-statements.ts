/**
 * PostgreSQL statements the exchange sends again and again go as named (server-side prepared)
 * statements: each connection parses a text once, and PostgreSQL may then keep a generic plan for it
 * instead of planning it at every use. Kysely and pg send every query unnamed, which costs a parse and
 * a plan each time; for a group-commit batch's reads and rows that was about 40% of PostgreSQL's time
 * per batch (bench/RESULTS.md, "2026-12-07 15:04–15:33: named statements").
 *
 * Which texts are named:
 * - only texts with parameters: the extended protocol they already use takes one statement, where a text without
 *   parameters goes by the simple protocol (several statements, such as a batch's advisory locks, in one message);
 * - none that selects or returns `*`: a prepared statement's result columns are fixed, so once a migration added a
 *   column (a rolling deploy: another process migrates while this one runs) PostgreSQL would refuse it at every use
 *   ("cached plan must not change result type"), where an unnamed one simply returns the new column;
 * - none with more than MAX_NAMED_PARAMETERS parameters: a long multi-row statement prepared for each row count would
 *   hold megabytes in every backend;
 * - from a text's third use, so one-off statements never take a name, and at most MAX_NAMED_STATEMENTS texts per pool,
 *   so no connection keeps an unbounded set in the server's memory (a named statement lives as long as its connection).
 *
 * A named statement that failed as prepared statements can (its result type changed after all, 0A000; or pg lost
 * track of it, 26000, as when a value could not be encoded and pg closed it) is forgotten by that connection and the
 * text takes a new name: the query fails once, as any statement failing on a schema change would, and the next use
 * prepares it anew. Named statements outlive the transaction that prepared them.
 *
 * Not for a transaction-pooling proxy that does not track prepared statements (PgBouncer before 1.21):
 * openDatabase's `namedStatements: false` (PG_NAMED_STATEMENTS=0) turns them off.
 */
import { Client, type QueryArrayConfig, type QueryConfig } from 'pg';

/** Texts named per pool; each connection prepares the ones it runs. */
export const MAX_NAMED_STATEMENTS = 400;
/** Parameters of the longest text named. */
export const MAX_NAMED_PARAMETERS = 64;
/** Uses of a text before it is named. */
const USES_BEFORE_NAMING = 3;
/** `select *`, `select "t".*`, `, "t".*` and `returning *`: result columns that follow the table's (not count(*)). */
const SELECTS_EVERY_COLUMN = /\b(?:select|returning)\s+(?:distinct\s+)?(?:"[^"]*"\.)?\*|,\s*"[^"]*"\.\*/i;
/** Errors after which a connection's prepared statement is not to be used again. */
const STALE_STATEMENT = new Set(['0A000', '26000']);

/** Which texts carry which names, for the connections of one pool. */
export class StatementNames {
  private readonly uses = new Map<string, number>();
  private readonly names = new Map<string, string>();
  private issued = 0;

  /** The name `text` goes under, or undefined while (or because) it is sent unnamed. */
  nameOf(text: string, parameters: number): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined) return name;
    if (this.names.size >= MAX_NAMED_STATEMENTS || parameters > MAX_NAMED_PARAMETERS || SELECTS_EVERY_COLUMN.test(text)) return undefined;
    const uses = (this.uses.get(text) ?? 0) + 1;
    if (uses < USES_BEFORE_NAMING) {
      // Bounded like the names: past the bound, a text that was never repeated is forgotten first.
      if (this.uses.size >= MAX_NAMED_STATEMENTS * 4) this.uses.delete(this.uses.keys().next().value as string);
      this.uses.set(text, uses);
      return undefined;
    }
    this.uses.delete(text);
    const named = `sfund_${++this.issued}`;
    this.names.set(text, named);
    return named;
  }

  /** The text's name no longer serves (a stale prepared statement): its next use takes a new one. */
  retire(text: string): void {
    this.names.delete(text);
  }

  get size(): number {
    return this.names.size;
  }
}

/** A pg Client class whose queries of a text with parameters go named, as `names` decides. */
export function namingClient(names: StatementNames): typeof Client {
  return class NamingClient extends Client {
    // pg's overloads: only the (text, values) form that returns a promise, which Kysely uses, is named.
    override query(config: unknown, values?: unknown, callback?: unknown): never {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
        const name = names.nameOf(config, values.length);
        if (name !== undefined) {
          const named: QueryConfig | QueryArrayConfig = { name, text: config, values };
          return (super.query(named) as Promise<unknown>).catch((err: unknown) => {
            const code = (err as { code?: unknown }).code;
            // pg's own record of what this connection prepared: a statement it closed or PostgreSQL refused is dropped.
            const parsed = (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
            if (typeof code !== 'string' || STALE_STATEMENT.has(code)) {
              delete parsed[name];
              if (typeof code === 'string') names.retire(config);
            }
            throw err;
          }) as never;
        }
      }
      return (super.query as (...args: unknown[]) => unknown).call(this, config, values, callback) as never;
    }
  } as unknown as typeof Client;
}
