/**
 * The tables of a mapping as SQLite tables (better-sqlite3), shared by the BO
 * and the device. Storage: text, date and datetime as TEXT, integer as
 * INTEGER, decimal as REAL, boolean as INTEGER 0/1, an empty value as NULL.
 */
import Database from 'better-sqlite3';
import { ExchangeFormatError } from '../errors.ts';
import { lineExpression, vouchedLines } from './sql-lines.ts';
import type { RowLines } from './table-chunks.ts';
import type { ColumnSpec, ColumnType, Mapping, Row, TableSpec, Value } from './types.ts';

type Stored = string | number | null;

const STORAGE: Readonly<Record<ColumnType, string>> = {
  text: 'TEXT', date: 'TEXT', datetime: 'TEXT',
  integer: 'INTEGER', decimal: 'REAL', boolean: 'INTEGER',
};

/** An SQL identifier in double quotes, quotes inside doubled. */
function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function sqlName(table: TableSpec, prefix: string | undefined): string {
  return quote(`${prefix ?? ''}${table.name}`);
}

/**
 * CREATE TABLE IF NOT EXISTS for each table: one column per spec column (key
 * columns NOT NULL), PRIMARY KEY from spec.key; the SQLite name is spec.name,
 * or `${prefix}${spec.name}` when a prefix is given.
 */
export function createTables(db: Database.Database, tables: readonly TableSpec[],
  prefix?: string): void {
  const statements = tables.map((table) => {
    const columns = table.columns.map((column) => {
      const notNull = table.key.includes(column.name) ? ' NOT NULL' : '';
      return `${quote(column.name)} ${STORAGE[column.type]}${notNull}`;
    });
    if (table.key.length > 0) columns.push(`PRIMARY KEY (${table.key.map(quote).join(', ')})`);
    return `CREATE TABLE IF NOT EXISTS ${sqlName(table, prefix)} (${columns.join(', ')});`;
  });
  db.exec(statements.join('\n'));
}

const EXPECTED: Readonly<Record<ColumnType, string>> = {
  text: 'string', date: 'string', datetime: 'string',
  integer: 'number', decimal: 'number', boolean: 'boolean',
};

function stored(table: TableSpec, column: ColumnSpec, value: Value | undefined, index: number): Stored {
  if (value === undefined || value === null) return null;
  const expected = EXPECTED[column.type];
  if (typeof value !== expected) {
    throw new ExchangeFormatError({ file: `SQLite table ${table.name}`, column: column.name },
      `row ${index + 1}: ${JSON.stringify(value)} is not a ${expected} (column type ${column.type})`);
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function checkColumns(table: TableSpec, known: ReadonlySet<string>, row: Row, index: number): void {
  for (const name in row) {
    if (!known.has(name)) {
      throw new ExchangeFormatError({ file: `SQLite table ${table.name}`, column: name },
        `row ${index + 1}: unknown column ${name}`);
    }
  }
}

/**
 * INSERT OR REPLACE of rows, in one transaction with one prepared statement.
 * Throws ExchangeFormatError (nothing inserted) for an unknown column or a
 * value of the wrong type; a missing value is NULL.
 */
export function insertRows(db: Database.Database, table: TableSpec, rows: readonly Row[],
  prefix?: string): void {
  const names = table.columns.map((column) => quote(column.name)).join(', ');
  const slots = table.columns.map(() => '?').join(', ');
  const sql = `INSERT OR REPLACE INTO ${sqlName(table, prefix)} (${names}) VALUES (${slots})`;
  const statement = db.prepare(sql);
  const known = new Set(table.columns.map((column) => column.name));
  const insertAll = db.transaction(() => {
    rows.forEach((row, index) => {
      checkColumns(table, known, row, index);
      const values = table.columns.map((column) => stored(table, column, row[column.name], index));
      statement.run(values);
    });
  });
  insertAll();
}

function value(column: ColumnSpec, stored: unknown): Value {
  if (stored === null || stored === undefined) return null;
  if (column.type === 'boolean') return stored !== 0;
  return stored as Value;
}

/**
 * Every row, one at a time, ordered by key (then by rowid), each as its
 * values in column order, converted back (booleans as boolean): what
 * iterateRows gives, without making an object of each row; from the row at
 * index `from` (0-based) on. The statement stays open until the loop ends or
 * breaks (see iterateRows).
 */
export function* iterateRowValues(db: Database.Database, table: TableSpec, prefix?: string,
  from = 0): Generator<Value[]> {
  const order = [...table.key.map(quote), 'rowid'].join(', ');
  const names = table.columns.map((column) => quote(column.name)).join(', ');
  const sql = `SELECT ${names} FROM ${sqlName(table, prefix)} ORDER BY ${order} LIMIT -1 OFFSET ${from}`;
  const booleans = table.columns.flatMap((column, index) => (column.type === 'boolean' ? [index] : []));
  for (const values of db.prepare(sql).raw(true).iterate() as IterableIterator<Value[]>) {
    for (const index of booleans) values[index] = value(table.columns[index]!, values[index]);
    yield values;
  }
}

/**
 * Whether the database keeps the key of `table` unique itself: the key is
 * empty, or a unique index that is not partial (the primary key's among
 * them) covers key columns only. Rows read from such a table need no key check.
 */
export function keyIsUnique(db: Database.Database, table: TableSpec, prefix?: string): boolean {
  if (table.key.length === 0) return true;
  const key = new Set(table.key);
  const indexes = db.pragma(`index_list(${sqlName(table, prefix)})`) as
    { name: string; unique: number; partial: number }[];
  return indexes.some((index) => index.unique === 1 && index.partial === 0 &&
    (db.pragma(`index_info(${quote(index.name)})`) as { name: string | null }[])
      .every((column) => column.name !== null && key.has(column.name)));
}

/**
 * Every row of `table`, ordered by key (then by rowid), as lines SQLite
 * writes in the mapping's codec (sql-lines.ts), or undefined when it cannot
 * write them or the database does not keep the key unique (keyIsUnique).
 */
export function tableLines(db: Database.Database, mapping: Mapping, table: TableSpec,
  prefix?: string): RowLines | undefined {
  const line = lineExpression(mapping, table);
  if (line === undefined || !keyIsUnique(db, table, prefix)) return undefined;
  const order = [...table.key.map(quote), 'rowid'].join(', ');
  const sql = `SELECT ${line} FROM ${sqlName(table, prefix)} ORDER BY ${order}`;
  return {
    lines: vouchedLines(db.prepare(sql).pluck(true).iterate() as IterableIterator<string | null>),
    valuesFrom: (from) => iterateRowValues(db, table, prefix, from),
  };
}

/**
 * Every row, one at a time, ordered by key (then by rowid), with values
 * converted back (booleans as boolean): what selectRows returns, without
 * holding the table in memory. The statement stays open until the loop ends
 * or breaks; the connection cannot write meanwhile, so long readers use a
 * connection of their own (openReadSnapshot).
 */
export function* iterateRows(db: Database.Database, table: TableSpec, prefix?: string): Generator<Row> {
  const { columns } = table;
  for (const values of iterateRowValues(db, table, prefix)) {
    const row: Row = {};
    for (let index = 0; index < columns.length; index++) row[columns[index]!.name] = values[index]!;
    yield row;
  }
}

/** Every row, ordered by key (then by rowid), with values converted back (booleans as boolean). */
export function selectRows(db: Database.Database, table: TableSpec, prefix?: string): Row[] {
  return [...iterateRows(db, table, prefix)];
}

/**
 * A second, read-only connection to the database file `file`, inside one
 * read transaction: every read sees the database as it was when it opened,
 * whatever the first connection writes meanwhile (the file must be in WAL
 * mode for that writer not to wait). Close it with `close()`, which ends the
 * transaction. Throws SqliteError if the file cannot be opened.
 */
export function openReadSnapshot(file: string): Database.Database {
  const snapshot = new Database(file, { readonly: true, fileMustExist: true });
  try {
    snapshot.exec('BEGIN');
    // A deferred transaction takes its snapshot at the first read, not at BEGIN.
    snapshot.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    snapshot.close();
    throw error;
  }
  return snapshot;
}
