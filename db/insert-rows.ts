/**
 * Multi-row INSERTs (optionally upserts) whose SQL Kysely compiles once per dialect, table and column
 * list: the statement for N rows repeats the compiled VALUES tuple N times, numbering PostgreSQL's
 * `$n` on. Why: a group-commit batch writes its deferred rows (commands/deferred-rows.ts) in one INSERT
 * per table, and Kysely building those statements value by value (parsing each row, the camel-case
 * transform of every identifier, compiling) took a tenth of the matching thread's time, more than
 * SQLite running them. The SQL is Kysely's own (its quoting, its names), as with db/prepared.ts.
 *
 * A row's columns are its keys with a defined value, as Kysely's `values()` takes them; rows whose
 * columns differ go in separate statements, in their order, so the table's rows keep the order given.
 */
import { CompiledQuery, type DialectAdapter } from 'kysely';
import type { Tx } from './database';
import { Placeholder } from './prepared';

/** Rows per INSERT: far below both engines' bound-parameter limits at a dozen columns. */
export const ROWS_PER_INSERT = 500;

/** Parameters one PostgreSQL statement may take: its wire protocol counts them in 16 bits. */
export const MAX_PARAMETERS_PER_STATEMENT = 65_535;

/** One row's statement, cut around its VALUES tuple. */
interface Shape {
  head: string;
  /** The tuple's text between its placeholders: `(`, `, `, …, `)`. */
  between: string[];
  tail: string;
  /** PostgreSQL numbers its placeholders ($1, $2, …); SQLite writes `?`. */
  numbered: boolean;
}

const shapes = new WeakMap<DialectAdapter, Map<string, Shape>>();

function shapeOf(trx: Tx, table: string, columns: readonly string[], upsertKey: string | undefined): Shape {
  const adapter = trx.getExecutor().adapter;
  let byKey = shapes.get(adapter);
  if (!byKey) shapes.set(adapter, (byKey = new Map()));
  const key = `${table}|${upsertKey ?? ''}|${columns.join(',')}`;
  let shape = byKey.get(key);
  if (!shape) {
    shape = compileShape(trx, table, columns, upsertKey);
    byKey.set(key, shape);
  }
  return shape;
}

function compileShape(trx: Tx, table: string, columns: readonly string[], upsertKey: string | undefined): Shape {
  // The builder's value types are per table; placeholders stand for every column.
  const insert = trx.insertInto(table as never).values(Object.fromEntries(columns.map((c, i) => [c, new Placeholder(i)])) as never);
  const others = columns.filter((c) => c !== upsertKey);
  const compiled = (
    upsertKey
      ? insert.onConflict((oc) =>
          oc
            .column(upsertKey as never)
            .doUpdateSet((eb) => Object.fromEntries(others.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never),
        )
      : insert
  ).compile();
  // The parameters are exactly the placeholders, in column order: then the tuple is the only place they appear.
  if (compiled.parameters.length !== columns.length || compiled.parameters.some((p, i) => !(p instanceof Placeholder) || p.index !== i))
    throw new Error(`unexpected parameters compiling an insert into ${table}: ${compiled.sql}`);
  const numbered = /\$1\b/.test(compiled.sql);
  const placeholder = numbered ? /\$\d+/g : /\?/g;
  const start = compiled.sql.indexOf(' values (') + ' values '.length;
  const end = compiled.sql.indexOf(')', start) + 1;
  const tuple = compiled.sql.slice(start, end);
  const between = tuple.split(placeholder);
  if (start < ' values '.length || between.length !== columns.length + 1)
    throw new Error(`unexpected VALUES tuple compiling an insert into ${table}: ${compiled.sql}`);
  return { head: compiled.sql.slice(0, start), between, tail: compiled.sql.slice(end), numbered };
}

/**
 * The statements writing `rows` into `table` in this order (upserting on `upsertKey` when given), at most
 * ROWS_PER_INSERT rows each. With `parametersBefore`, the statements are to be joined into one (PostgreSQL's
 * data-modifying WITH queries): their `$n` continue after that many parameters and after each other's,
 * where without it each statement numbers its own from `$1`.
 */
export function insertRows(
  trx: Tx,
  table: string,
  rows: readonly Record<string, unknown>[],
  upsertKey?: string,
  parametersBefore?: number,
): CompiledQuery[] {
  let numberedFrom = parametersBefore ?? 0;
  return runsOfEqualColumns(rows, ROWS_PER_INSERT).map((run) => {
    const q = statement(shapeOf(trx, table, run.columns, upsertKey), run.columns, run.rows, numberedFrom);
    if (parametersBefore !== undefined) numberedFrom += q.parameters.length;
    return q;
  });
}

/** The rows in runs of equal columns (a row's keys with a defined value), in their order, at most `most` rows a run. */
function runsOfEqualColumns(
  rows: readonly Record<string, unknown>[],
  most = Number.POSITIVE_INFINITY,
): { columns: string[]; rows: Record<string, unknown>[] }[] {
  const runs: { columns: string[]; signature: string; rows: Record<string, unknown>[] }[] = [];
  for (const row of rows) {
    const columns = Object.keys(row).filter((c) => row[c] !== undefined);
    const signature = columns.join(',');
    const run = runs.at(-1);
    if (run && run.signature === signature && run.rows.length < most) run.rows.push(row);
    else runs.push({ columns, signature, rows: [row] });
  }
  return runs;
}

function statement(
  shape: Shape,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  numberedFrom: number,
): CompiledQuery {
  const parameters: unknown[] = [];
  const tuples: string[] = [];
  for (const row of rows) {
    let tuple = shape.between[0]!;
    for (let i = 0; i < columns.length; i++) {
      parameters.push(row[columns[i]!]);
      tuple += (shape.numbered ? `$${numberedFrom + parameters.length}` : '?') + shape.between[i + 1]!;
    }
    tuples.push(tuple);
  }
  return CompiledQuery.raw(`${shape.head}${tuples.join(', ')}${shape.tail}`, parameters);
}

/** `insert into "t" ("c1", "c2") values ` as Kysely compiles it: the table and its columns, quoted. */
const HEAD = /^insert into ("(?:[^"]|"")+") \(((?:"(?:[^"]|"")+"(?:, )?)+)\) values $/;

/**
 * PostgreSQL: the statements writing `rows` into `table` (upserting on `upsertKey` when given), numbered as
 * insertRows numbers them (with `parametersBefore`, to be joined into one). Per run of rows with the same
 * columns, ONE parameter: the rows as a JSON array, which `json_populate_recordset` reads as the table's row
 * type (each value converted by its column's type, as a bound parameter would be). Why: a batch's rows as
 * placeholders were ~1,200 parameters in a statement text PostgreSQL parsed and planned anew each batch
 * (1.65 ms of its time per batch, bench/RESULTS.md); this text is the same for every batch of the same tables
 * and columns, and its plan does not depend on how many rows it brings.
 */
export function insertRowsAsJson(
  trx: Tx,
  table: string,
  rows: readonly Record<string, unknown>[],
  upsertKey?: string,
  parametersBefore?: number,
): CompiledQuery[] {
  return runsOfEqualColumns(rows).map((run, i) => {
    const { prefix, names, suffix } = jsonShapeOf(shapeOf(trx, table, run.columns, upsertKey), table);
    const json = JSON.stringify(run.rows.map((row) => Object.fromEntries(run.columns.map((c, k) => [names[k], row[c]]))));
    // Joined (parametersBefore given): numbered on after the ones before; alone: each its own $1.
    const n = parametersBefore === undefined ? 1 : parametersBefore + i + 1;
    return CompiledQuery.raw(`${prefix}$${n}::json${suffix}`, [json]);
  });
}

/** A shape's statement around its JSON parameter, and its columns' names as PostgreSQL knows them; once per shape. */
const jsonShapes = new WeakMap<Shape, { prefix: string; names: string[]; suffix: string }>();

function jsonShapeOf(shape: Shape, table: string): { prefix: string; names: string[]; suffix: string } {
  let json = jsonShapes.get(shape);
  if (!json) {
    const head = HEAD.exec(shape.head);
    if (!head || !shape.numbered) throw new Error(`unexpected insert compiling ${table} for json_populate_recordset: ${shape.head}`);
    const [, quotedTable, quotedColumns] = head as unknown as [string, string, string];
    json = {
      prefix: `insert into ${quotedTable} (${quotedColumns}) select ${quotedColumns} from json_populate_recordset(null::${quotedTable}, `,
      names: quotedColumns.split(', ').map((c) => c.slice(1, -1).replace(/""/g, '"')),
      suffix: `)${shape.tail}`,
    };
    jsonShapes.set(shape, json);
  }
  return json;
}
