import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { loadMapping } from './mapping.ts';
import { lineExpression, vouchedLines } from './sql-lines.ts';
import { createTables, iterateRowValues, keyIsUnique, tableLines } from './sqlite.ts';
import { TableChunkEncoder } from './table-chunks.ts';
import type { CodecSpec, Mapping, TableSpec } from './types.ts';

const mapping = loadMapping('eStock', '1.00');

/** One column of each type, required and not, decimals of each scale the shortcut writes and one it leaves. */
const SAMPLE: TableSpec = {
  name: 'SAMPLE',
  file: 'SAMPLE.txt',
  key: ['CODE'],
  columns: [
    { name: 'CODE', type: 'text', length: 12, required: true },
    { name: 'LABEL', type: 'text', length: 6, required: false },
    { name: 'NOTE', type: 'text', required: false },
    { name: 'COUNT', type: 'integer', required: false },
    { name: 'QUANTITY', type: 'decimal', scale: 3, required: false },
    { name: 'PRICE', type: 'decimal', scale: 2, required: false },
    { name: 'WHOLE', type: 'decimal', scale: 0, required: false },
    { name: 'RATIO', type: 'decimal', required: false },
    { name: 'FINE', type: 'decimal', scale: 5, required: false },
    { name: 'DAY', type: 'date', required: false },
    { name: 'AT', type: 'datetime', required: false },
    { name: 'ACTIVE', type: 'boolean', required: true },
  ],
};

type Stored = string | number | bigint | Buffer | null;

// Values as SQLite may hold them, good and bad.
const VALUES: Readonly<Record<string, readonly Stored[]>> = {
  CODE: ['', 'C;1', 'x'.repeat(13), 'é'.repeat(12), 'C"1', 7],
  LABEL: [null, '', 'plain', 'a;b', 'say "', 'two\r\n', 'lf\n', 'nul\0x', 'éééééé', 'ééééééé', 'Kőszeg',
    '€œ', 12, Buffer.from('ab')],
  NOTE: [null, 'x'.repeat(300), ';', '"', '«»', '\t', ' lead', '\ud83d\ude00'],
  COUNT: [null, 0, -1, 7919, 2 ** 53 - 1, 2 ** 53, BigInt(2) ** BigInt(60), 3.0, 2.5, 'text', ''],
  QUANTITY: [null, 0, -0, 1, -1, 1.0005, 2.675, -2.0005, 0.0004, -0.0004, -0.0005, 0.1 + 0.2, 123456.789,
    999_999_999, 999_999_999.9996, 1e9, 1e12, -1e12, 2 ** 40 + 0.5, 1e-7, 12, 'x', 5e-324, 1e15],
  PRICE: [null, 19.99, 1.005, 1.015, 2.675, 0.125, -0.125, -19.99, 1e15, 0.5, -0.5, 1234.5678, 7],
  WHOLE: [null, 1, 2.5, -2.5, 1.4999, 1e9 - 1, 3.0],
  RATIO: [null, 0, 3, 1 / 3, 1e-7, 1e14 / 3, -1e14, 5e-324],
  FINE: [null, 2, 1.123456],
  DAY: [null, '2026-12-03', '2024-02-29', '2023-02-29', '2026-02-30', '0000-01-01', '0001-01-01', '2026-13-01',
    '2026-1-01', '2026-12-03T00:00:00', '26-12-03', '２０２６-12-03', 20261203, ''],
  AT: [null, '2026-12-03T10:41:30', '2026-12-03 10:41:30', '2026-01-01T24:00:00', '2026-01-01T23:60:00',
    '2026-01-01T23:59:60', '2026-02-30T10:00:00', '2026-12-03T10:41'],
  ACTIVE: [1, 0, 2, -1, null, '1', 1.0],
};

// Of those, values the encoder writes in every codec of the second test.
const ACCEPTED: Readonly<Record<string, readonly Stored[]>> = {
  LABEL: [null, '', 'plain', 'a;b', 'say "', 'two\r\n', 'lf\n', 'nul\0x', 'éééééé'],
  NOTE: [null, 'x'.repeat(300), ';', '"', '«»', '\t', ' lead'],
  COUNT: [null, 0, -1, 7919, 2 ** 53 - 1, 3.0],
  QUANTITY: [null, 0, -0, 1, -1, 1.0005, 2.675, -2.0005, 0.0004, -0.0004, -0.0005, 0.1 + 0.2, 123456.789,
    999_999_999, 999_999_999.9996, 1e9, 1e12, -1e12, 2 ** 40 + 0.5, 1e-7, 12, 5e-324],
  PRICE: [null, 19.99, 1.005, 1.015, 2.675, 0.125, -0.125, -19.99, 0.5, -0.5, 1234.5678, 7],
  WHOLE: VALUES.WHOLE!,
  RATIO: VALUES.RATIO!,
  FINE: VALUES.FINE!,
  DAY: [null, '2026-12-03', '2024-02-29', '0001-01-01', ''],
  AT: [null, '2026-12-03T10:41:30', '2026-12-03T00:00:00', '2026-12-31T23:59:59'],
  ACTIVE: [1, 0, 2, -1, 1.0],
};

// A good value of each column.
const GOOD: Readonly<Record<string, Stored>> = {
  LABEL: 'plain', NOTE: 'n', COUNT: 1, QUANTITY: 1.5, PRICE: 19.99, WHOLE: 1, RATIO: 3, FINE: 2,
  DAY: '2026-12-03', AT: '2026-12-03T10:41:30', ACTIVE: 1,
};

/** `count` rows of good values; in one row out of three, each column of `varied` takes its next value. */
function fill(db: Database.Database, table: TableSpec, count: number,
  varied: Readonly<Record<string, readonly Stored[]>> = {}): void {
  createTables(db, [table]);
  const names = table.columns.map((column) => `"${column.name}"`).join(', ');
  const insert = db.prepare(`INSERT INTO "${table.name}" (${names}) VALUES (${table.columns.map(() => '?')})`);
  for (let n = 0; n < count; n++) {
    insert.run(table.columns.map((column, at) => {
      if (column.name === 'CODE') return `C${String(n).padStart(6, '0')}`;
      const choices = varied[column.name];
      return choices !== undefined && n % 3 === 0 ? choices[(n / 3 + at) % choices.length]! : GOOD[column.name]!;
    }));
  }
}

function encoded(work: () => Iterable<Buffer>): Buffer | string {
  try {
    return Buffer.concat([...work()]);
  } catch (error) {
    return (error as Error).message;
  }
}

function withCodec(changes: Partial<CodecSpec>): Mapping {
  return { ...mapping, codec: { ...mapping.codec, ...changes } };
}

/** The file from SQLite's lines equals the file written from the values, or both are refused alike. */
function assertSameFile(on: Mapping, db: Database.Database, table: TableSpec, what: string,
  refusalExpected = true): void {
  const lines = tableLines(db, on, table);
  assert.ok(lines !== undefined, `${what}: no lines`);
  const fromLines = encoded(() => new TableChunkEncoder(on, table).chunksOfLines(lines));
  const fromValues = encoded(() => new TableChunkEncoder(on, table).chunksOfValues(iterateRowValues(db, table)));
  assert.ok(refusalExpected || Buffer.isBuffer(fromValues), `${what}: ${String(fromValues)}`);
  if (typeof fromValues === 'string') assert.equal(fromLines, fromValues, what);
  else assert.ok(Buffer.isBuffer(fromLines) && fromLines.equals(fromValues), `${what}: ${String(fromLines)}`);
}

test('each value SQLite writes is written as the encoder writes it, or left to the encoder', () => {
  for (const [name, choices] of Object.entries(VALUES)) {
    const table: TableSpec = { ...SAMPLE, columns: SAMPLE.columns.filter((column) =>
      column.name === 'CODE' || column.name === name || column.name === 'ACTIVE') };
    const db = new Database(':memory:');
    fill(db, table, 10);
    for (const [at, value] of choices.entries()) {
      db.prepare(`UPDATE SAMPLE SET "${name}" = ? WHERE rowid = 5`).run(value);
      assertSameFile(mapping, db, table, `${name} = ${JSON.stringify(String(value))} (${at})`);
    }
    db.close();
  }
});

test('a table of every kind of value, in several codecs, gives the same file through SQLite\'s lines', () => {
  const db = new Database(':memory:');
  fill(db, SAMPLE, 6000, ACCEPTED);
  const codecs: Partial<CodecSpec>[] = [{}, { separator: ',', lineEnding: '\n', decimalSeparator: '.' },
    { separator: '\t', decimalSeparator: '.' },
    { dateFormat: 'YYYYMMDD', dateTimeFormat: 'YYYY-MM-DD HH:mm:ss', booleanTrue: 'O', booleanFalse: 'N' },
    { header: false }, { encoding: 'latin1' }, { encoding: 'utf-8' }];
  for (const codec of codecs) assertSameFile(withCodec(codec), db, SAMPLE, JSON.stringify(codec), false);

  const lines = [...tableLines(db, mapping, SAMPLE)!.lines];
  const written = lines.filter((line) => line !== null).length;
  assert.ok(written > lines.length / 2, `SQLite wrote ${written} lines of ${lines.length}`);
  db.close();
});

test('no lines from SQLite for a codec it does not write, or a key the database does not keep unique', () => {
  assert.equal(lineExpression(withCodec({ separator: '::' }), SAMPLE), undefined);
  assert.equal(lineExpression(withCodec({ lineEnding: '|' }), SAMPLE), undefined);
  assert.equal(lineExpression(withCodec({ decimalSeparator: ';' }), SAMPLE), undefined);
  const db = new Database(':memory:');
  db.exec('CREATE TABLE SAMPLE (CODE TEXT, LABEL TEXT)');
  const table: TableSpec = { ...SAMPLE, columns: SAMPLE.columns.slice(0, 2) };
  assert.equal(keyIsUnique(db, table), false);
  assert.equal(tableLines(db, mapping, table), undefined);
  db.exec('CREATE UNIQUE INDEX sample_code ON SAMPLE (CODE)');
  assert.equal(keyIsUnique(db, table), true);
  assert.equal(keyIsUnique(db, { ...table, key: ['LABEL'] }), false);
  db.close();
});

test('lines with a quote, a line break or NUL are left to the encoder', () => {
  const lines = ['a;b', 'a"b', 'a\nb', 'a\rb', 'a\0b', null];
  assert.deepEqual([...vouchedLines(lines)], ['a;b', null, null, null, null, null]);
});
