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
 * is a placeholder; constants written in the builder stay constants. The compiled form is kept per
 * dialect adapter, so SQLite and PostgreSQL databases in one process each get their own SQL.
 *
 * Lists: an argument may be an array, whose elements the builder takes as `$.each(i)` (e.g. `in`) or,
 * for an array of tuples, `$.tuples(i, width)` (e.g. `(fund_id, org_id) in ((…), …)`). The statement's
 * shape then depends on the lists' lengths, which is what its compiled forms are kept by: one per set
 * of lengths seen (a batch's reads come in a few sizes), the least recently used dropped past MAX_SHAPES.
 */
import type { Compilable, CompiledQuery, DialectAdapter, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema';

/** Compiled forms kept per prepared query and dialect: one per set of list lengths. */
const MAX_SHAPES = 64;

/**
 * A placeholder for the i-th argument of a prepared query, or for an element (and a field of it) of a list argument;
 * also a column's slot in the one-row INSERT db/insert-rows.ts compiles.
 */
export class Placeholder {
  constructor(
    readonly index: number,
    readonly item = -1,
    readonly field = -1,
  ) {}

  valueIn(args: readonly unknown[]): unknown {
    const arg = args[this.index];
    if (this.item < 0) return arg;
    const element = (arg as readonly unknown[])[this.item];
    return this.field < 0 ? element : (element as readonly unknown[])[this.field];
  }
}

/** The placeholder maker handed to the builder; typed as `any` so it fits every column. */
interface Placeholders {
  (index: number): any;
  /** One placeholder per element of the list argument `index`. */
  each(index: number): any[];
  /** For a list of tuples (arrays of `width` values): one row of placeholders per tuple. */
  tuples(index: number, width: number): any[][];
}

interface Template {
  compiled: CompiledQuery;
  /** For each parameter slot: the placeholder it takes, or null for a constant kept from the build. */
  slots: (Placeholder | null)[];
}

export class PreparedQuery<Row> {
  private readonly templates = new WeakMap<DialectAdapter, Map<string, Template>>();

  constructor(
    private readonly build: (db: Kysely<Database>, $: Placeholders) => Compilable<Row>,
    private readonly arity: number,
  ) {}

  private template(db: Kysely<Database>, args: readonly unknown[]): Template {
    const adapter = db.getExecutor().adapter;
    let shapes = this.templates.get(adapter);
    if (!shapes) this.templates.set(adapter, (shapes = new Map()));
    // A list's length, and a list of tuples' width (its first tuple's), so that another width compiles (and is refused) anew.
    const shape = args.map((a) => (Array.isArray(a) ? `${a.length}${Array.isArray(a[0]) ? `x${a[0].length}` : ''}` : '')).join(',');
    let t = shapes.get(shape);
    if (t) {
      // Most recently used last: the first key is the one to drop.
      shapes.delete(shape);
      shapes.set(shape, t);
    } else {
      const list = (i: number): readonly unknown[] => {
        const a = args[i];
        if (!Array.isArray(a) || a.length === 0) throw new Error(`prepared query: argument $(${i}) must be a non-empty list`);
        return a;
      };
      const $ = Object.assign((i: number) => new Placeholder(i), {
        each: (i: number) => list(i).map((_, j) => new Placeholder(i, j)),
        tuples: (i: number, width: number) =>
          list(i).map((tuple, j) => {
            // The width is the builder's: tuples of another width are the caller's mistake.
            if (!Array.isArray(tuple) || tuple.length !== width)
              throw new Error(`prepared query: $(${i}) holds a tuple not of ${width} values`);
            return Array.from({ length: width }, (_, k) => new Placeholder(i, j, k));
          }),
      });
      const compiled = this.build(db, $).compile();
      const slots = compiled.parameters.map((p) => (p instanceof Placeholder ? p : null));
      const seen = new Set(slots.map((p) => p?.index));
      for (let i = 0; i < this.arity; i++)
        if (!seen.has(i)) throw new Error(`prepared query does not use its argument $(${i}): ${compiled.sql}`);
      t = { compiled, slots };
      if (shapes.size >= MAX_SHAPES) shapes.delete(shapes.keys().next().value as string);
      shapes.set(shape, t);
    }
    return t;
  }

  /** Runs the statement with these argument values. */
  execute(db: Kysely<Database>, args: readonly unknown[]): Promise<QueryResult<Row>> {
    if (args.length !== this.arity) throw new Error(`prepared query expects ${this.arity} arguments, got ${args.length}`);
    const { compiled, slots } = this.template(db, args);
    const parameters = slots.map((p, i) => (p ? p.valueIn(args) : compiled.parameters[i]));
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
