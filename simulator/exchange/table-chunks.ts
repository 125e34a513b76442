/**
 * Table files written a piece at a time: rows to the bytes of one table file,
 * given out in chunks of about TABLE_CHUNK_CHARS characters, so that a table
 * of any size never lies whole in memory. The bytes are those of encodeTable
 * (codec.ts) for the same rows, byte for byte, and the same values are
 * refused with the same messages; the one difference is that rows must come
 * ordered by key (as iterateRows gives them), since only a key repeated on
 * the next row is seen.
 */
import iconv from 'iconv-lite';
import { ExchangeFormatError } from '../errors.ts';
import { describeKey } from './csv-records.ts';
import { describeCharacter, unencodable } from './text-encoding.ts';
import type { CodecSpec, ColumnSpec, Mapping, Row, TableSpec, Value } from './types.ts';
import { Refusal, valueCodec, writeValue } from './values.ts';

/** Characters of text gathered before they are encoded and given out as one chunk. */
export const TABLE_CHUNK_CHARS = 64 * 1024;

type FieldWriter = (value: Value | undefined) => string | Refusal;

// Dates repeat (a catalog has a few thousand days): their text is kept, up to this many per column.
const MAX_REMEMBERED_DATES = 4096;
// Whole numbers below this are written with String(); larger ones go through writeValue.
const MAX_PLAIN_WHOLE = 1e9;

/** writeValue for dates and datetimes, remembering the text of the last values met. */
function rememberingWriter(write: FieldWriter): FieldWriter {
  const known = new Map<string, string | Refusal>();
  return (value) => {
    if (typeof value !== 'string') return write(value);
    let field = known.get(value);
    if (field === undefined) {
      if (known.size >= MAX_REMEMBERED_DATES) known.clear();
      field = write(value);
      known.set(value, field);
    }
    return field;
  };
}

/**
 * A whole decimal as plainDecimal (values.ts) writes it: the digits, then
 * `scale` zeros after the decimal separator. Other numbers go to writeValue.
 */
function decimalWriter(codec: CodecSpec, column: ColumnSpec, write: FieldWriter): FieldWriter {
  const decimals = column.scale === undefined || column.scale === 0 ? ''
    : `${codec.decimalSeparator}${'0'.repeat(column.scale)}`;
  return (value) => (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < MAX_PLAIN_WHOLE
    ? `${value + 0}${decimals}` : write(value));
}

/**
 * The text of a field, as writeValue (values.ts) gives it. Text that is not
 * too long even counted in UTF-16 code units (never fewer than characters)
 * is written as is, whole decimals directly, dates remembered; writeValue
 * decides the rest.
 */
function fieldWriter(codec: CodecSpec, column: ColumnSpec): FieldWriter {
  const codecs = valueCodec(codec);
  const write: FieldWriter = (value) => writeValue(codecs, column, value);
  switch (column.type) {
    case 'text': {
      const length = column.length ?? Number.POSITIVE_INFINITY;
      return (value) => (typeof value === 'string' && value !== '' && value.length <= length
        ? value : write(value));
    }
    case 'decimal':
      return decimalWriter(codec, column, write);
    case 'date':
    case 'datetime':
      return rememberingWriter(write);
    default:
      return write;
  }
}

/** Whether `text` followed by `separator` would let a reader find the separator inside it. */
function emitsSeparator(text: string, separator: string): boolean {
  if (separator === '') return false;
  if (text.includes(separator)) return true;
  // A tail of a longer separator fuses with the separator written after it ("a:" + "::").
  return separator.length > 1 && `${text}${separator}`.indexOf(separator) < text.length;
}

/** Whether a field needs quotes: csv-stringify's rule, as codec.ts calls it (quoted_match /[\r\n]/). */
export function quotesNeeded(codec: CodecSpec): (field: string) => boolean {
  const { separator, lineEnding } = codec;
  if (separator.length === 1 && /^[\r\n]+$/.test(lineEnding)) {
    const special = new RegExp(`["\\r\\n${separator.replace(/[\\\]^-]/g, '\\$&')}]`);
    return (field) => special.test(field);
  }
  return (field) => /["\r\n]/.test(field) || emitsSeparator(field, separator) || emitsSeparator(field, lineEnding);
}

/**
 * For each column, whether its fields may need quotes: text always; other
 * types only when what they are written with (digits, minus, decimal
 * separator, date patterns, booleans) could need them.
 */
export function quotedColumns(codec: CodecSpec, columns: readonly ColumnSpec[]): boolean[] {
  const needsQuotes = quotesNeeded(codec);
  const literals = [codec.decimalSeparator, codec.dateFormat, codec.dateTimeFormat, codec.booleanTrue,
    codec.booleanFalse, '-0123456789'];
  const typedMayNeedQuotes = literals.some((text) => text !== '' && needsQuotes(text));
  return columns.map((column) => column.type === 'text' || typedMayNeedQuotes);
}

/**
 * How text is checked and encoded for an encoding that writes each UTF-16
 * code unit as one byte (windows-1252, latin1...): a pattern that finds a
 * unit it cannot hold, and one that finds a unit not written as the byte of
 * the same value (text without any is encoded as latin1, natively; text with
 * some is encoded so too, and those units' bytes put right after).
 */
interface SingleByteEncoding {
  unencodable: RegExp;
  notSameByte: RegExp;
  /** notSameByte, global: each unit to put right. */
  everyNotSameByte: RegExp;
  /** The byte of each unit the encoding holds and does not write as its own value (€: 0x80). */
  byteOf: ReadonlyMap<number, number>;
}

const singleByteEncodings = new Map<string, SingleByteEncoding | undefined>();

/** A character class of the code units outside `units` (sorted), e.g. [^\u0000-\u007f\u00a0-\u00ff]. */
function outside(units: readonly number[]): RegExp {
  const hex = (unit: number): string => `\\u${unit.toString(16).padStart(4, '0')}`;
  let ranges = '';
  for (let at = 0; at < units.length;) {
    let end = at;
    while (end + 1 < units.length && units[end + 1] === units[end]! + 1) end += 1;
    ranges += end === at ? hex(units[at]!) : `${hex(units[at]!)}-${hex(units[end]!)}`;
    at = end + 1;
  }
  return new RegExp(`[^${ranges}]`);
}

/** The patterns of a single-byte encoding; undefined for others (UTF-8...), checked by a round trip. */
function singleByteEncoding(encoding: string): SingleByteEncoding | undefined {
  if (singleByteEncodings.has(encoding)) return singleByteEncodings.get(encoding);
  let found: SingleByteEncoding | undefined;
  const units: number[] = [];
  for (let unit = 0; unit <= 0xffff; unit++) if (unit < 0xd800 || unit > 0xdfff) units.push(unit);
  const text = String.fromCharCode(...units);
  const bytes = iconv.encode(text, encoding);
  const back = bytes.length === text.length ? iconv.decode(bytes, encoding, { stripBOM: false }) : '';
  if (back.length === text.length) {
    const kept = units.filter((unit, index) => back.charCodeAt(index) === unit);
    const same = units.filter((unit, index) => back.charCodeAt(index) === unit && bytes[index] === unit);
    const byteOf = new Map(units.flatMap((unit, index) => (back.charCodeAt(index) === unit && bytes[index] !== unit
      ? [[unit, bytes[index]!] as const] : [])));
    const notSameByte = outside(same);
    found = { unencodable: outside(kept), notSameByte, everyNotSameByte: new RegExp(notSameByte.source, 'g'), byteOf };
  }
  singleByteEncodings.set(encoding, found);
  return found;
}

/** A row's values in the order of its table's columns (booleans as boolean), as a row source gives them. */
export type RowValues = readonly (Value | undefined)[];

/**
 * A table's rows as lines that SQLite wrote (sql-lines.ts), in key order,
 * each without its line ending, or null for a row it could not vouch for;
 * and the same rows as values, from any row on, to go on after such a row.
 */
export interface RowLines {
  lines: Iterable<string | null>;
  /** The rows from the one at index `from` (0-based) on. */
  valuesFrom(from: number): Iterable<RowValues>;
}

/**
 * Encodes one table file in chunks: `chunks(rows)`, `chunksOfValues(rows)` or `chunksOfLines(rows)`
 * gives the bytes out as it goes; `rows` and `bytes` count what has been
 * given out. One encoder per file.
 */
export class TableChunkEncoder {
  /** Rows encoded so far. */
  rows = 0;
  /** Bytes given out so far. */
  bytes = 0;
  private readonly writers: FieldWriter[];
  private readonly needsQuotes: (field: string) => boolean;
  /** Per column: whether its fields are checked for quotes. */
  private readonly quoted: boolean[];
  private readonly singleByte: SingleByteEncoding | undefined;
  private readonly columnNames: ReadonlySet<string>;
  /** Where each key column is among the columns. */
  private readonly keyIndexes: number[];
  /** The rows of the chunk being gathered, to name the field at fault (index -1: the header). */
  private pending: ({ index: number; values: RowValues } | { index: number; line: string })[] = [];
  private readonly encoder: ReturnType<typeof iconv.getEncoder>;

  constructor(private readonly mapping: Mapping, private readonly table: TableSpec) {
    const { codec } = mapping;
    this.writers = table.columns.map((column) => fieldWriter(codec, column));
    this.needsQuotes = quotesNeeded(codec);
    this.quoted = quotedColumns(codec, table.columns);
    this.singleByte = singleByteEncoding(codec.encoding);
    this.columnNames = new Set(table.columns.map((column) => column.name));
    this.keyIndexes = table.key.map((name) => table.columns.findIndex((column) => column.name === name));
    this.encoder = iconv.getEncoder(codec.encoding);
  }

  /**
   * The bytes of the file for `rows`, in chunks. Throws ExchangeFormatError
   * as encodeTable does, naming the table, row and column, when it meets the
   * chunk at fault (the chunks before it have been given out).
   */
  chunks(rows: Iterable<Row>): Generator<Buffer> {
    return this.chunksOfValues(this.valuesOf(rows));
  }

  /**
   * As chunks, from each row's values in column order: what a database
   * gives without making an object of each row. The arrays are kept until
   * their chunk is given out, and not changed.
   */
  *chunksOfValues(rows: Iterable<RowValues>): Generator<Buffer> {
    const text = yield* this.gatherValues(rows, this.header());
    yield* this.finish(text);
  }

  /**
   * As chunks, from the lines SQLite wrote (sql-lines.ts): each line is
   * taken as it is; from the first row without one on, the rows are read
   * again as values and written here. The rows' keys are not compared: the
   * source gives lines only for a table whose key is unique in the database.
   */
  *chunksOfLines(source: RowLines): Generator<Buffer> {
    const { lineEnding } = this.mapping.codec;
    let text = this.header();
    let complete = true;
    for (const line of source.lines) {
      if (line === null) {
        complete = false;
        break;
      }
      this.pending.push({ index: this.rows, line });
      text += line + lineEnding;
      this.rows += 1;
      if (text.length >= TABLE_CHUNK_CHARS) {
        yield this.encode(text);
        text = '';
      }
    }
    if (!complete) text = yield* this.gatherValues(source.valuesFrom(this.rows), text);
    yield* this.finish(text);
  }

  /** The header line, if the codec has one. */
  private header(): string {
    if (!this.mapping.codec.header) return '';
    const names = this.table.columns.map((column) => column.name);
    this.pending.push({ index: -1, values: names });
    return this.line(names.map((name) => this.quote(name)));
  }

  /** Writes `rows` after `text`, giving out each chunk as it fills; returns the text left. */
  private *gatherValues(rows: Iterable<RowValues>, text: string): Generator<Buffer, string> {
    const { separator, lineEnding } = this.mapping.codec;
    const names = this.table.columns.map((column) => column.name);
    const { writers, quoted, needsQuotes } = this;
    const count = names.length;
    let previous: RowValues | undefined;
    for (const values of rows) {
      let line = '';
      for (let at = 0; at < count; at++) {
        let field = writers[at]!(values[at]);
        if (typeof field !== 'string') this.refuse(this.rows, names[at], field.reason);
        if (quoted[at] && field !== '' && needsQuotes(field)) field = `"${field.replaceAll('"', '""')}"`;
        line = at === 0 ? field : line + separator + field;
      }
      if (previous !== undefined) this.checkKey(values, previous);
      previous = values;
      this.pending.push({ index: this.rows, values });
      text += line + lineEnding;
      this.rows += 1;
      if (text.length >= TABLE_CHUNK_CHARS) {
        yield this.encode(text);
        text = '';
      }
    }
    return text;
  }

  /** The last chunk: the text left and the end of the encoder's output. */
  private *finish(text: string): Generator<Buffer> {
    const last = Buffer.concat([this.encode(text), this.count(this.encoder.end() ?? Buffer.alloc(0))]);
    if (last.length > 0) yield last;
  }

  /** Each row's values in column order, after refusing a column the table does not have. */
  private *valuesOf(rows: Iterable<Row>): Generator<RowValues> {
    const { columns } = this.table;
    for (const row of rows) {
      for (const name in row) {
        if (!this.columnNames.has(name)) {
          const known = [...this.columnNames].join(', ');
          // chunksOfValues counts a row once it is written: this.rows is this row's index.
          this.refuse(this.rows, name, `unknown column ${name}; the columns are ${known}`);
        }
      }
      yield columns.map((column) => row[column.name]);
    }
  }

  /** The bytes of a chunk of text; refuses the first field the encoding cannot hold. */
  private encode(text: string): Buffer {
    const { encoder } = this;
    let bytes: Buffer;
    if (this.singleByte === undefined) {
      bytes = encoder.write(text);
      // iconv-lite writes '?' for what the encoding lacks: a failed round trip is the sign of it.
      if (iconv.decode(bytes, this.mapping.codec.encoding) !== text) this.refuseUnencodable();
    } else if (!this.singleByte.notSameByte.test(text)) {
      bytes = Buffer.from(text, 'latin1');
    } else {
      if (this.singleByte.unencodable.test(text)) this.refuseUnencodable();
      bytes = Buffer.from(text, 'latin1');
      // One byte per UTF-16 unit: a unit's byte is at its index in the text.
      const { everyNotSameByte, byteOf } = this.singleByte;
      everyNotSameByte.lastIndex = 0;
      for (let found = everyNotSameByte.exec(text); found !== null; found = everyNotSameByte.exec(text)) {
        bytes[found.index] = byteOf.get(text.charCodeAt(found.index))!;
      }
    }
    this.pending = [];
    return this.count(bytes);
  }

  private count(bytes: Buffer): Buffer {
    this.bytes += bytes.length;
    return bytes;
  }

  private refuseUnencodable(): never {
    const { encoding, separator } = this.mapping.codec;
    for (const row of this.pending) {
      const { index } = row;
      // A line SQLite wrote has no separator inside a field; a row's values are written again.
      const fields = 'line' in row ? row.line.split(separator)
        : row.values.map((value, at) => (index < 0 ? String(value) : this.writers[at]!(value)));
      fields.forEach((field, at) => {
        const character = typeof field === 'string' ? unencodable(field, encoding) : undefined;
        if (character === undefined) return;
        const reason = `${describeCharacter(character)} cannot be written in ${encoding}`;
        if (index < 0) {
          throw new ExchangeFormatError({ file: this.table.file, line: 1 },
            `table ${this.table.name}, header: ${reason}`);
        }
        this.refuse(index, this.table.columns[at]?.name, reason);
      });
    }
    throw new ExchangeFormatError({ file: this.table.file },
      `table ${this.table.name}: the text does not survive ${encoding}`);
  }

  /** A field in quotes, its quotes doubled, if it needs them. */
  private quote(field: string): string {
    return this.needsQuotes(field) ? `"${field.replaceAll('"', '""')}"` : field;
  }

  /** The line of fields already quoted where needed. */
  private line(fields: readonly string[]): string {
    return fields.join(this.mapping.codec.separator) + this.mapping.codec.lineEnding;
  }

  /** Refuses a row whose key is the previous row's. */
  private checkKey(values: RowValues, previous: RowValues): void {
    const { keyIndexes } = this;
    if (keyIndexes.length === 0) return;
    for (const at of keyIndexes) if ((values[at] ?? null) !== (previous[at] ?? null)) return;
    const row: Row = {};
    this.table.columns.forEach((column, at) => {
      row[column.name] = values[at] ?? null;
    });
    this.refuse(this.rows, undefined, `key ${describeKey(this.table, row)} already in row ${this.rows}`);
  }

  private refuse(index: number, column: string | undefined, reason: string): never {
    const line = index + (this.mapping.codec.header ? 2 : 1);
    const at = column === undefined ? { file: this.table.file, line } : { file: this.table.file, line, column };
    throw new ExchangeFormatError(at, `table ${this.table.name}, row ${index + 1}: ${reason}`);
  }
}
