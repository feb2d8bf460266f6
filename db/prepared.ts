/**
 * Queries built and compiled by Kysely ONCE, then run again with new parameter values.
 *
 * Why: on the order hot path Kysely's per-call work (building the operation tree, the camel-case
 * transform, compiling to SQL) cost more than SQLite running the statement. A prepared query is
 * written with the ordinary typed builder, but its values are placeholders `$(i)`; the first run
 * compiles it for the database's dialect and plugins, remembers which parameter slot holds which
 * placeholder, and every later run only swaps the values in. Results still pass through the
 * plugins (camel-case keys), exactly as with `execute()`.
 *
 * Rules: the builder must not branch on values (it only ever sees placeholders); every varying value
 * is a placeholder; constants written in the builder stay constants. Only for statements whose shape
 * never changes. The compiled form is kept per dialect adapter, so SQLite and PostgreSQL databases in
 * one process each get their own SQL.
 */
import type { Compilable, CompiledQuery, DialectAdapter, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema';

/** A placeholder for the i-th argument of a prepared query. */
class Placeholder {
  constructor(readonly index: number) {}
}

/** The placeholder maker handed to the builder; typed as `any` so it fits every column. */
type Placeholders = (index: number) => any;

interface Template {
  compiled: CompiledQuery;
  /** For each parameter slot: the argument index it takes, or -1 for a constant kept from the build. */
  slots: number[];
}

export class PreparedQuery<Row> {
  private readonly templates = new WeakMap<DialectAdapter, Template>();

  constructor(
    private readonly build: (db: Kysely<Database>, $: Placeholders) => Compilable<Row>,
    private readonly arity: number,
  ) {}

  private template(db: Kysely<Database>): Template {
    const adapter = db.getExecutor().adapter;
    let t = this.templates.get(adapter);
    if (!t) {
      const compiled = this.build(db, (i) => new Placeholder(i)).compile();
      const slots = compiled.parameters.map((p) => (p instanceof Placeholder ? p.index : -1));
      const seen = new Set(slots.filter((s) => s >= 0));
      for (let i = 0; i < this.arity; i++)
        if (!seen.has(i)) throw new Error(`prepared query does not use its argument $(${i}): ${compiled.sql}`);
      t = { compiled, slots };
      this.templates.set(adapter, t);
    }
    return t;
  }

  /** Runs the statement with these argument values. */
  execute(db: Kysely<Database>, args: readonly unknown[]): Promise<QueryResult<Row>> {
    if (args.length !== this.arity) throw new Error(`prepared query expects ${this.arity} arguments, got ${args.length}`);
    const { compiled, slots } = this.template(db);
    const parameters = slots.map((s, i) => (s < 0 ? compiled.parameters[i] : args[s]));
    return db.executeQuery<Row>({ ...compiled, parameters } as CompiledQuery<Row>);
  }

  async all(db: Kysely<Database>, args: readonly unknown[]): Promise<Row[]> {
    return (await this.execute(db, args)).rows;
  }

  async first(db: Kysely<Database>, args: readonly unknown[]): Promise<Row | undefined> {
    return (await this.execute(db, args)).rows[0];
  }

  /** Rows inserted, updated or deleted. */
  async run(db: Kysely<Database>, args: readonly unknown[]): Promise<number> {
    return Number((await this.execute(db, args)).numAffectedRows ?? 0n);
  }
}

/** Declares a prepared query taking `arity` arguments, used as `$(0)`, `$(1)`, … in the builder. */
export function prepared<Row>(arity: number, build: (db: Kysely<Database>, $: Placeholders) => Compilable<Row>): PreparedQuery<Row> {
  return new PreparedQuery(build, arity);
}

/**
 * A prepared INSERT of one row into `table` with exactly these columns (in this order); `run` takes
 * the row as an object, so a call cannot mix up the order.
 */
export function preparedInsert<T extends keyof Database & string, C extends keyof Database[T] & string>(table: T, columns: readonly C[]) {
  const q = prepared(columns.length, (db, $) =>
    // The builder's value types are per column; placeholders stand for all of them.
    db.insertInto(table).values(Object.fromEntries(columns.map((c, i) => [c, $(i)])) as never),
  );
  return {
    run: (db: Kysely<Database>, row: { [K in C]: unknown }): Promise<number> =>
      q.run(
        db,
        columns.map((c) => row[c]),
      ),
  };
}
