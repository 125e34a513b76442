/**
 * Table files: rows to the bytes of one file and back, every detail taken
 * from mapping.codec (separator, line ending, header, encoding, decimal
 * separator, date patterns, booleans). The CSV layer (quoting of values that
 * hold the separator, quotes or line breaks) is csv-stringify / csv-parse.
 *
 * Reading follows the header: columns are matched by name, so a file whose
 * columns come in another order than the mapping's is read the same; a
 * column missing, unknown or named twice is a structural error.
 */
import iconv from 'iconv-lite';
import { stringify } from 'csv-stringify/sync';
import { ExchangeFormatError } from '../errors.ts';
import { describeKey, readRecords } from './csv-records.ts';
import { describeCharacter, unencodable } from './text-encoding.ts';
import type { DecodedTable, LineProblem, Mapping, Row, SingleRowFileName, TableSpec } from './types.ts';
import { Refusal, valueCodec, writeValue, type ValueCodec } from './values.ts';

/** What writing one table file needs, and where a refused value lies. */
interface Writing {
  mapping: Mapping;
  table: TableSpec;
  codecs: ValueCodec;
  columnNames: ReadonlySet<string>;
}

function refuse(writing: Writing, index: number, column: string | undefined, reason: string): never {
  const { table, mapping } = writing;
  const line = index + (mapping.codec.header ? 2 : 1);
  const at = column === undefined ? { file: table.file, line } : { file: table.file, line, column };
  throw new ExchangeFormatError(at, `table ${table.name}, row ${index + 1}: ${reason}`);
}

function rowFields(writing: Writing, row: Row, index: number): string[] {
  for (const name in row) {
    if (!writing.columnNames.has(name)) {
      const known = [...writing.columnNames].join(', ');
      refuse(writing, index, name, `unknown column ${name}; the columns are ${known}`);
    }
  }
  return writing.table.columns.map((column) => {
    const field = writeValue(writing.codecs, column, row[column.name]);
    if (field instanceof Refusal) refuse(writing, index, column.name, field.reason);
    return field;
  });
}

// Called once the whole file failed its round trip, to name the first field at fault.
function refuseUnencodable(writing: Writing, records: readonly string[][]): never {
  const { table, mapping: { codec } } = writing;
  const firstRow = codec.header ? 1 : 0;
  records.forEach((fields, recordIndex) => {
    fields.forEach((field, columnIndex) => {
      const character = unencodable(field, codec.encoding);
      if (character === undefined) return;
      const reason = `${describeCharacter(character)} cannot be written in ${codec.encoding}`;
      if (recordIndex < firstRow) {
        throw new ExchangeFormatError({ file: table.file, line: 1 }, `table ${table.name}, header: ${reason}`);
      }
      refuse(writing, recordIndex - firstRow, table.columns[columnIndex]?.name, reason);
    });
  });
  throw new ExchangeFormatError({ file: table.file },
    `table ${table.name}: the text does not survive ${codec.encoding}`);
}

function checkKeysUnique(writing: Writing, rows: readonly Row[]): void {
  const { table } = writing;
  if (table.key.length === 0) return;
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const key = JSON.stringify(table.key.map((name) => row[name] ?? null));
    const first = seen.get(key);
    if (first !== undefined) {
      refuse(writing, index, undefined, `key ${describeKey(table, row)} already in row ${first + 1}`);
    }
    seen.set(key, index);
  });
}

/**
 * The bytes of one table file: the header line (if the codec has one), then
 * one line per row in the mapping's column order. Throws ExchangeFormatError
 * naming the table, row and column for a value the column refuses (wrong
 * type, empty when required, too long, NaN, impossible date, a character the
 * encoding cannot hold), an unknown column, or a key that appears twice.
 */
export function encodeTable(mapping: Mapping, table: TableSpec, rows: readonly Row[]): Buffer {
  const { codec } = mapping;
  const columnNames = new Set(table.columns.map((column) => column.name));
  const writing: Writing = { mapping, table, codecs: valueCodec(codec), columnNames };
  const records: string[][] = codec.header ? [[...columnNames]] : [];
  rows.forEach((row, index) => records.push(rowFields(writing, row, index)));
  checkKeysUnique(writing, rows);

  const text = stringify(records, {
    delimiter: codec.separator,
    record_delimiter: codec.lineEnding,
    quote: '"',
    quoted_match: /[\r\n]/,
  });
  const bytes = iconv.encode(text, codec.encoding);
  // iconv-lite writes '?' for what the encoding lacks: a failed round trip is the sign of it.
  if (iconv.decode(bytes, codec.encoding) !== text) refuseUnencodable(writing, records);
  return bytes;
}

/**
 * Reads a table file leniently: good lines go to rows, bad ones to problems
 * (file, line with the header as line 1, column, reason such as `required`,
 * `too long (57 > 50)`, `not a number: "12.5"`, `31/02/2024 is not a date`).
 * Throws ExchangeFormatError for what spoils the whole file: empty (0 bytes)
 * with a header expected, undecodable bytes, a UTF-8 byte order mark in a
 * non-Unicode encoding, other line endings, a header that does not name the
 * mapping's columns, a quote never closed. `source` names the file in messages.
 */
export function decodeTable(mapping: Mapping, table: TableSpec, bytes: Buffer,
  source: string): DecodedTable {
  return readRecords(mapping, table, bytes, source);
}

function firstProblem({ file, line, column, reason }: LineProblem): ExchangeFormatError {
  return new ExchangeFormatError(column === undefined ? { file, line } : { file, line, column }, reason);
}

/** Reads a table file strictly: throws ExchangeFormatError at the first bad line (see decodeTable). */
export function decodeTableStrict(mapping: Mapping, table: TableSpec, bytes: Buffer,
  source: string): Row[] {
  const decoded = decodeTable(mapping, table, bytes, source);
  const problem = decoded.problems[0];
  if (problem !== undefined) throw firstProblem(problem);
  return decoded.rows.map((decodedRow) => decodedRow.row);
}

/** The bytes of a single-row file (header and one line), e.g. Version.txt. Throws as encodeTable. */
export function encodeSingleRowFile(mapping: Mapping, which: SingleRowFileName, row: Row): Buffer {
  return encodeTable(mapping, mapping.files[which], [row]);
}

/**
 * Reads a single-row file strictly. Throws ExchangeFormatError naming `source`
 * if a line is bad or if the file holds no line or more than one after the header.
 */
export function decodeSingleRowFile(mapping: Mapping, which: SingleRowFileName, bytes: Buffer,
  source: string): Row {
  const rows = decodeTableStrict(mapping, mapping.files[which], bytes, source);
  if (rows.length !== 1) {
    const after = mapping.codec.header ? ' after the header' : '';
    throw new ExchangeFormatError({ file: source },
      `holds ${rows.length} lines of values; a ${which} file holds exactly one${after}`);
  }
  return rows[0]!;
}
