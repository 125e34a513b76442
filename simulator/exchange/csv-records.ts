/**
 * Reading a table file's lines into rows (the reading half of codec.ts):
 * bytes to text, text to records with csv-parse, the header matched against
 * the mapping's columns by name, each field checked by its column.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { ExchangeFormatError } from '../errors.ts';
import { logger } from '../log.ts';
import { checkLineEnding, decodeText, lineEndingsRead } from './text-encoding.ts';
import type {
  ColumnSpec, DecodedTable, LineProblem, Mapping, Row, TableSpec, Value,
} from './types.ts';
import { readValue, Refusal, valueCodec, type ValueCodec } from './values.ts';

const log = logger('hil:exchange');

interface ParsedRecord {
  record: string[];
  info: { bytes: number };
}

/** Line numbers of byte offsets in a buffer, asked in increasing order. */
function lineCounter(bytes: Buffer, lineEnding: string): (offset: number) => number {
  const mark = lineEnding.charCodeAt(lineEnding.length - 1);
  let line = 1;
  let scanned = 0;
  return (offset) => {
    for (; scanned < offset; scanned += 1) if (bytes[scanned] === mark) line += 1;
    return line;
  };
}

function parseRecords(mapping: Mapping, utf8: Buffer, source: string): ParsedRecord[] {
  let parsedBytes = 0;
  try {
    return parse(utf8, {
      delimiter: mapping.codec.separator,
      record_delimiter: lineEndingsRead(mapping.codec),
      quote: '"',
      escape: '"',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: false,
      info: true,
      on_record: (record, context) => {
        parsedBytes = context.bytes;
        return record;
      },
    }) as unknown as ParsedRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // The error's own offsets point past the trouble: the line after the last good record is it.
    const line = lineCounter(utf8, mapping.codec.lineEnding)(parsedBytes);
    throw new ExchangeFormatError({ file: source, line },
      `cannot split the file into lines from here on (${error.message}); ` +
      'a quote opened in a value is never closed', { cause: error });
  }
}

function describeHeaderMismatch(table: TableSpec, names: readonly string[]): string | undefined {
  const expected = table.columns.map((column) => column.name);
  const twice = names.filter((name, index) => names.indexOf(name) !== index);
  const missing = expected.filter((name) => !names.includes(name));
  const unknown = names.filter((name) => !expected.includes(name));
  if (twice.length + missing.length + unknown.length === 0) return undefined;

  const parts = [
    missing.length > 0 ? `missing ${missing.join(', ')}` : '',
    unknown.length > 0 ? `unknown ${unknown.join(', ')}` : '',
    twice.length > 0 ? `named twice ${twice.join(', ')}` : '',
  ].filter((part) => part !== '');
  return `the header does not name the columns of table ${table.name}: ${parts.join('; ')}; ` +
    `expected ${expected.join(', ')}`;
}

/** The column of each field: from the header, matched by name (see codec.ts). */
function headerColumns(table: TableSpec, header: string[], source: string): ColumnSpec[] {
  const mismatch = describeHeaderMismatch(table, header);
  if (mismatch !== undefined) throw new ExchangeFormatError({ file: source, line: 1 }, mismatch);
  const columns = header.map((name) => table.columns.find((column) => column.name === name)!);
  if (columns.some((column, index) => column !== table.columns[index])) {
    log('%s: columns in another order than the mapping, read by name: %s', source, header.join(', '));
  }
  return columns;
}

interface LineReader {
  table: TableSpec;
  codecs: ValueCodec;
  /** The column of each field, in file order. */
  columns: ColumnSpec[];
  source: string;
  /** Key (as JSON) to the line it was first seen on. */
  seenKeys: Map<string, number>;
}

/** A row's key as a reader finds it in the file: `LOT_CODE=L1, INFO_CODE=DATE_MEP`. */
export function describeKey(table: TableSpec, row: Row): string {
  return table.key.map((name) => `${name}=${row[name] ?? ''}`).join(', ');
}

type Refuse = (reason: string, column?: string) => void;

function readFields(reader: LineReader, fields: string[], refuse: Refuse): Row | undefined {
  const { columns, codecs, table } = reader;
  if (fields.length === 1 && fields[0] === '' && columns.length > 1) return void refuse('empty line');
  if (fields.length !== columns.length) {
    return void refuse(`wrong number of fields (${fields.length}, expected ${columns.length})`);
  }

  const values = new Map<string, Value | Refusal>();
  columns.forEach((column, index) => values.set(column.name, readValue(codecs, column, fields[index]!)));
  let refused = false;
  const row: Row = {};
  for (const column of table.columns) {
    const value = values.get(column.name)!;
    if (value instanceof Refusal) {
      refused = true;
      refuse(value.reason, column.name);
    } else {
      row[column.name] = value;
    }
  }
  return refused ? undefined : row;
}

function readLine(reader: LineReader, fields: string[], line: number, problems: LineProblem[]) {
  const { table, source } = reader;
  const refuse: Refuse = (reason, column) => problems.push(column === undefined
    ? { file: source, line, reason }
    : { file: source, line, column, reason });
  const row = readFields(reader, fields, refuse);
  if (row === undefined || table.key.length === 0) return row;

  const key = JSON.stringify(table.key.map((name) => row[name]));
  const first = reader.seenKeys.get(key);
  if (first !== undefined) {
    return void refuse(`duplicate key ${describeKey(table, row)} (first at line ${first})`);
  }
  reader.seenKeys.set(key, line);
  return row;
}

/** Why the first of lines `first` to `last` (one record) cannot be read as text, if one cannot. */
function firstBadLine(badLines: ReadonlyMap<number, string>, first: number, last: number): string | undefined {
  if (badLines.size === 0) return undefined;
  for (let line = first; line <= last; line += 1) {
    const reason = badLines.get(line);
    if (reason !== undefined) return line === first ? reason : `line ${line}: ${reason}`;
  }
  return undefined;
}

/** decodeTable of codec.ts: see there. */
export function readRecords(mapping: Mapping, table: TableSpec, bytes: Buffer,
  source: string): DecodedTable {
  const { codec } = mapping;
  if (bytes.length === 0 && codec.header) {
    throw new ExchangeFormatError({ file: source },
      'empty file (0 bytes): expected at least the header line');
  }
  const { text, badLines } = decodeText(codec, bytes, source);
  const headerProblem = codec.header ? badLines.get(1) : undefined;
  if (headerProblem !== undefined) throw new ExchangeFormatError({ file: source, line: 1 }, headerProblem);
  checkLineEnding(codec, text, source);
  // csv-parse counts offsets in UTF-8 bytes: give it bytes, and count lines on the same bytes.
  const utf8 = Buffer.from(text, 'utf8');
  const records = parseRecords(mapping, utf8, source);

  const header = codec.header ? records.shift() : undefined;
  if (codec.header && header === undefined) {
    const expected = table.columns.map((column) => column.name).join(codec.separator);
    throw new ExchangeFormatError({ file: source }, `no header line: expected ${expected}`);
  }
  const columns = header === undefined ? table.columns : headerColumns(table, header.record, source);
  const codecs = valueCodec(codec);
  const reader: LineReader = { table, codecs, columns, source, seenKeys: new Map() };

  const lineOf = lineCounter(utf8, codec.lineEnding);
  const decoded: DecodedTable = { rows: [], problems: [] };
  let start = header?.info.bytes ?? 0;
  for (const { record, info } of records) {
    const line = lineOf(start);
    const lastLine = lineOf(Math.max(start, info.bytes - 1));
    start = info.bytes;
    const badBytes = firstBadLine(badLines, line, lastLine);
    if (badBytes !== undefined) {
      decoded.problems.push({ file: source, line, reason: badBytes });
      continue;
    }
    const row = readLine(reader, record, line, decoded.problems);
    if (row !== undefined) decoded.rows.push({ line, row });
  }
  return decoded;
}
