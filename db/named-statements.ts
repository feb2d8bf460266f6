/**
 * PostgreSQL statements the exchange sends again and again go as named (server-side prepared)
 * statements: each connection parses a text once, and PostgreSQL may then keep a generic plan for it
 * instead of planning it at every use. Kysely and pg send every query unnamed, which costs a parse and
 * a plan each time; for a group-commit batch's reads and rows that was about 40% of PostgreSQL's time
 * per batch (bench/RESULTS.md, "2026-12-07 15:04–15:33: named statements").
 *
 * Only texts with parameters are named: the extended protocol they already use takes one statement,
 * where a text without parameters goes by the simple protocol (several statements, such as a batch's
 * advisory locks, in one message). A text is named from its third use, so one-off statements never take
 * a name, and at most MAX_NAMED_STATEMENTS texts per pool are, so no connection keeps an unbounded set
 * in the server's memory (a named statement lives as long as its connection). Named statements outlive
 * the transaction that prepared them, and PostgreSQL replans one whose tables changed.
 *
 * Not for a transaction-pooling proxy that does not track prepared statements (PgBouncer before 1.21):
 * openDatabase's `namedStatements: false` turns them off.
 */
import { Client, type QueryArrayConfig, type QueryConfig } from 'pg';

/** Texts named per pool; each connection prepares the ones it runs. */
export const MAX_NAMED_STATEMENTS = 400;
/** Uses of a text before it is named. */
const USES_BEFORE_NAMING = 3;

/** Which texts carry which names, for the connections of one pool. */
export class StatementNames {
  private readonly uses = new Map<string, number>();
  private readonly names = new Map<string, string>();

  /** The name `text` goes under, or undefined while it is still sent unnamed. */
  nameOf(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined || this.names.size >= MAX_NAMED_STATEMENTS) return name;
    const uses = (this.uses.get(text) ?? 0) + 1;
    if (uses < USES_BEFORE_NAMING) {
      // Bounded like the names: past the bound, a text that was never repeated is forgotten first.
      if (this.uses.size >= MAX_NAMED_STATEMENTS * 4) this.uses.delete(this.uses.keys().next().value as string);
      this.uses.set(text, uses);
      return undefined;
    }
    this.uses.delete(text);
    const named = `sfund_${this.names.size + 1}`;
    this.names.set(text, named);
    return named;
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
        const name = names.nameOf(config);
        if (name !== undefined) {
          const named: QueryConfig | QueryArrayConfig = { name, text: config, values };
          return super.query(named) as never;
        }
      }
      return (super.query as (...args: unknown[]) => unknown).call(this, config, values, callback) as never;
    }
  } as unknown as typeof Client;
}
