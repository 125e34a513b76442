import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExchangeFormatError } from '../errors.ts';
import { encodeTable } from './codec.ts';
import { loadMapping } from './mapping.ts';
import { TABLE_CHUNK_CHARS, TableChunkEncoder } from './table-chunks.ts';
import type { CodecSpec, Mapping, Row, TableSpec } from './types.ts';

const mapping = loadMapping('eStock', '1.00');

/** A table with one column of each type. */
const SAMPLE: TableSpec = {
  name: 'SAMPLE',
  file: 'SAMPLE.txt',
  key: ['CODE'],
  columns: [
    { name: 'CODE', type: 'text', length: 12, required: true },
    { name: 'LABEL', type: 'text', length: 50, required: false },
    { name: 'COUNT', type: 'integer', required: false },
    { name: 'QUANTITY', type: 'decimal', scale: 3, required: false },
    { name: 'RATIO', type: 'decimal', required: false },
    { name: 'DAY', type: 'date', required: false },
    { name: 'AT', type: 'datetime', required: false },
    { name: 'ACTIVE', type: 'boolean', required: true },
  ],
};

const LABELS = ['', 'plain', 'a;b', 'say "hi"', 'two\r\nlines', 'cr\ronly', 'lf\nonly', '"', ';', 'é«»œ€àç',
  'Fût de chêne n° 3', '  spaces  ', 'x'.repeat(50), 'ends with \r'];
const QUANTITIES = [0, -0, 1, -1, 12, 1.5, -2.25, 0.1 + 0.2, 1.0005, 123456.789, 999_999_999, 1e9, 1e12, -1e12,
  2 ** 40 + 0.5, 1e-7];
const RATIOS = [0, 3, 1 / 3, 1e-7, 1e14 / 3, -1e14, 5e-324];

/** Rows that meet every rule of writing: quotes, separators, line breaks, numbers, dates, nulls. */
function trickyRows(count: number): Row[] {
  return Array.from({ length: count }, (_, n) => ({
    CODE: `C${String(n).padStart(7, '0')}`,
    LABEL: n % 17 === 0 ? null : LABELS[n % LABELS.length]!,
    COUNT: n % 5 === 0 ? null : n * 7919 - 40_000,
    QUANTITY: n % 11 === 0 ? null : QUANTITIES[n % QUANTITIES.length]! * (n % 2 === 0 ? 1 : n % 10),
    RATIO: n % 13 === 0 ? null : RATIOS[n % RATIOS.length]!,
    DAY: n % 7 === 0 ? null : `20${String(10 + (n % 20))}-${String(1 + (n % 12)).padStart(2, '0')}-28`,
    AT: n % 3 === 0 ? null : `2026-12-03T${String(n % 24).padStart(2, '0')}:41:3${n % 10}`,
    ACTIVE: n % 2 === 0,
  }));
}

function encodeAll(table: TableSpec, encode: (encoder: TableChunkEncoder) => Iterable<Buffer>,
  on: Mapping, count: number): { bytes: Buffer; chunks: number } {
  const encoder = new TableChunkEncoder(on, table);
  const chunks = [...encode(encoder)];
  const bytes = Buffer.concat(chunks);
  assert.equal(encoder.rows, count);
  assert.equal(encoder.bytes, bytes.length);
  return { bytes, chunks: chunks.length };
}

function outcome<T>(work: () => T): T | Error {
  try {
    return work();
  } catch (error) {
    return error as Error;
  }
}

/**
 * The chunks of `rows`, checked to be those of the same rows given as values
 * in column order (chunksOfValues), or refused with the same message; rows
 * with a column the table lacks have no values form and are given as rows only.
 */
function streamed(on: Mapping, table: TableSpec, rows: readonly Row[]): { bytes: Buffer; chunks: number } {
  const fromRows = outcome(() => encodeAll(table, (encoder) => encoder.chunks(rows), on, rows.length));
  const names = new Set(table.columns.map((column) => column.name));
  if (rows.every((row) => Object.keys(row).every((name) => names.has(name)))) {
    const values = rows.map((row) => table.columns.map((column) => row[column.name]));
    const fromValues = outcome(() => encodeAll(table, (encoder) => encoder.chunksOfValues(values), on, rows.length));
    if (fromRows instanceof Error) {
      assert.ok(fromValues instanceof Error, `values encoded where rows are refused: ${fromRows.message}`);
      assert.equal(fromValues.message, fromRows.message);
    } else {
      assert.ok(!(fromValues instanceof Error), `values refused where rows are not: ${String(fromValues)}`);
      assert.ok(fromValues.bytes.equals(fromRows.bytes), 'values and rows give other bytes');
      assert.equal(fromValues.chunks, fromRows.chunks);
    }
  }
  if (fromRows instanceof Error) throw fromRows;
  return fromRows;
}

function withCodec(changes: Partial<CodecSpec>): Mapping {
  return { ...mapping, codec: { ...mapping.codec, ...changes } };
}

function errorOf(work: () => unknown): ExchangeFormatError {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof ExchangeFormatError, String(error));
    return error;
  }
  assert.fail('no ExchangeFormatError');
}

/** The same bytes as encodeTable, or the same refusal. */
function assertSameAsEncodeTable(on: Mapping, table: TableSpec, rows: readonly Row[], what: string): void {
  let expected: Buffer;
  try {
    expected = encodeTable(on, table, rows);
  } catch (error) {
    assert.equal(errorOf(() => streamed(on, table, rows)).message, (error as Error).message, what);
    return;
  }
  assert.ok(streamed(on, table, rows).bytes.equals(expected), what);
}

test('the chunks make the bytes encodeTable makes, over many chunks', () => {
  const rows = trickyRows(6000);
  const { bytes, chunks } = streamed(mapping, SAMPLE, rows);
  assert.ok(chunks > 3, `only ${chunks} chunks`);
  assert.ok(bytes.equals(encodeTable(mapping, SAMPLE, rows)));
  assert.ok(bytes.length > 3 * TABLE_CHUNK_CHARS);
});

test('every table of the mapping, with and without rows, encodes as encodeTable does', () => {
  for (const table of mapping.exportTables) {
    const rows = trickyRows(40).map((row, n) => Object.fromEntries(table.columns.map((column) => {
      const value = column.type === 'text' ? `${table.name}${n}é` : row[column.type === 'integer' ? 'COUNT'
        : column.type === 'decimal' ? 'QUANTITY' : column.type === 'date' ? 'DAY'
          : column.type === 'datetime' ? 'AT' : 'ACTIVE'] ?? null;
      return [column.name, typeof value === 'string' ? value.slice(0, column.length) : value];
    }))).filter((row) => table.columns.every((column) => !column.required || row[column.name] !== null));
    const keyed = rows.filter((row, n) => n === rows.findIndex((other) =>
      table.key.every((name) => other[name] === row[name])));
    for (const sample of [[], keyed]) assertSameAsEncodeTable(mapping, table, sample, table.name);
  }
});

test('other codecs: UTF-8, latin1, no header, separators of one and two characters, LF', () => {
  const rows = trickyRows(500);
  const codecs: Partial<CodecSpec>[] = [
    { encoding: 'utf-8' }, { header: false }, { separator: '::' }, { separator: ',', lineEnding: '\n' },
    { separator: '\t', decimalSeparator: '.' }, { encoding: 'latin1' },
  ];
  for (const codec of codecs) {
    assertSameAsEncodeTable(withCodec(codec), SAMPLE, rows, JSON.stringify(codec));
  }
  const latin1 = rows.map((row) => ({ ...row, LABEL: typeof row.LABEL === 'string' ? row.LABEL.replace(/[œ€]/g, 'e')
    : null }));
  assertSameAsEncodeTable(withCodec({ encoding: 'latin1' }), SAMPLE, latin1, 'latin1 it can hold');
});

test('a value refused is refused with encodeTable\'s message, naming the row and column', () => {
  const rows = trickyRows(3000);
  const cases: [string, Row][] = [
    ['too long', { LABEL: 'y'.repeat(51) }],
    ['not in windows-1252', { LABEL: 'Kőszeg' }],
    ['wrong type', { COUNT: '12' }],
    ['required', { ACTIVE: null }],
    ['impossible date', { DAY: '2026-02-30' }],
    ['unknown column', { COLOUR: 'red' }],
  ];
  for (const [what, change] of cases) {
    const bad = rows.map((row, n) => (n === 2500 ? { ...row, ...change } : row));
    const expected = errorOf(() => encodeTable(mapping, SAMPLE, bad));
    const found = errorOf(() => streamed(mapping, SAMPLE, bad));
    assert.equal(found.message, expected.message, what);
    assert.match(found.message, /row 2501/, what);
  }
});

test('a key repeated on the next row is refused as encodeTable refuses it', () => {
  const rows = trickyRows(10);
  rows.splice(5, 0, { ...rows[4]!, LABEL: 'again' });
  const found = errorOf(() => streamed(mapping, SAMPLE, rows));
  assert.equal(found.message, errorOf(() => encodeTable(mapping, SAMPLE, rows)).message);
  assert.match(found.message, /CODE=C0000004 already in row 5/);
});

test('a header the encoding cannot hold is refused', () => {
  const table: TableSpec = { ...SAMPLE, columns: [{ name: 'CŐDE', type: 'text', required: true }], key: [] };
  const found = errorOf(() => streamed(mapping, table, []));
  assert.equal(found.message, errorOf(() => encodeTable(mapping, table, [])).message);
});
