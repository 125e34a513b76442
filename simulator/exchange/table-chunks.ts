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

/**
 * The text of a field. Text that is not too long even counted in UTF-16 code
 * units (never fewer than characters) is written as is; writeValue decides
 * the rest, and every other type.
 */
function fieldWriter(codec: CodecSpec, column: ColumnSpec): FieldWriter {
  const codecs = valueCodec(codec);
  if (column.type !== 'text') return (value) => writeValue(codecs, column, value);
  const length = column.length ?? Number.POSITIVE_INFINITY;
  return (value) => (typeof value === 'string' && value !== '' && value.length <= length
    ? value : writeValue(codecs, column, value));
}

/** Whether `text` followed by `separator` would let a reader find the separator inside it. */
function emitsSeparator(text: string, separator: string): boolean {
  if (separator === '') return false;
  if (text.includes(separator)) return true;
  // A tail of a longer separator fuses with the separator written after it ("a:" + "::").
  return separator.length > 1 && `${text}${separator}`.indexOf(separator) < text.length;
}

/**
 * The quoting of csv-stringify as codec.ts calls it (quote `"`, doubled
 * inside; quoted_match /[\r\n]/): a field is quoted when it holds a quote, a
 * CR or LF, or would emit the separator or the line ending.
 */
function fieldQuoter(codec: CodecSpec): (field: string) => string {
  const { separator, lineEnding } = codec;
  const plain = separator.length === 1 && /^[\r\n]+$/.test(lineEnding);
  const special = plain ? new RegExp(`["\\r\\n${separator.replace(/[\\\]^-]/g, '\\$&')}]`) : undefined;
  const needsQuotes = (field: string): boolean => (special !== undefined ? special.test(field)
    : /["\r\n]/.test(field) || emitsSeparator(field, separator) || emitsSeparator(field, lineEnding));
  return (field) => (field !== '' && needsQuotes(field) ? `"${field.replaceAll('"', '""')}"` : field);
}

const singleByteTables = new Map<string, Uint8Array | undefined>();

/**
 * For an encoding that writes each UTF-16 code unit as one byte (windows-1252,
 * latin1...): 1 for each code unit it holds, 0 for the others. Undefined for
 * other encodings (UTF-8...), whose text is checked by a round trip instead.
 */
function singleByteTable(encoding: string): Uint8Array | undefined {
  if (singleByteTables.has(encoding)) return singleByteTables.get(encoding);
  let table: Uint8Array | undefined;
  const units: number[] = [];
  for (let unit = 0; unit <= 0xffff; unit++) if (unit < 0xd800 || unit > 0xdfff) units.push(unit);
  const text = String.fromCharCode(...units);
  const bytes = iconv.encode(text, encoding);
  const back = bytes.length === text.length ? iconv.decode(bytes, encoding, { stripBOM: false }) : '';
  if (back.length === text.length) {
    table = new Uint8Array(0x10000);
    units.forEach((unit, index) => {
      table![unit] = back.charCodeAt(index) === unit ? 1 : 0;
    });
  }
  singleByteTables.set(encoding, table);
  return table;
}

/** The first character of `field` the encoding cannot hold, or undefined. */
function unencodableIn(field: string, encoding: string, table: Uint8Array | undefined): string | undefined {
  if (table === undefined) return /[^\x00-\x7f]/.test(field) ? unencodable(field, encoding) : undefined;
  for (let index = 0; index < field.length; index++) {
    if (table[field.charCodeAt(index)] === 0) return unencodable(field, encoding) ?? field[index];
  }
  return undefined;
}

/**
 * Encodes one table file in chunks: `chunks(rows)` gives the bytes out as it
 * goes; `rows` and `bytes` count what has been given out. One encoder per file.
 */
export class TableChunkEncoder {
  /** Rows encoded so far. */
  rows = 0;
  /** Bytes given out so far. */
  bytes = 0;
  private readonly writers: FieldWriter[];
  private readonly quote: (field: string) => string;
  private readonly encodingTable: Uint8Array | undefined;
  private readonly keyIndexes: number[];
  private readonly columnNames: ReadonlySet<string>;

  constructor(private readonly mapping: Mapping, private readonly table: TableSpec) {
    const { codec } = mapping;
    this.writers = table.columns.map((column) => fieldWriter(codec, column));
    this.quote = fieldQuoter(codec);
    this.encodingTable = singleByteTable(codec.encoding);
    this.columnNames = new Set(table.columns.map((column) => column.name));
    this.keyIndexes = table.key.map((name) => table.columns.findIndex((column) => column.name === name));
  }

  /**
   * The bytes of the file for `rows`, in chunks. Throws ExchangeFormatError
   * as encodeTable does, naming the table, row and column, when it meets the
   * row at fault (the chunks before it have been given out).
   */
  *chunks(rows: Iterable<Row>): Generator<Buffer> {
    const { codec } = this.mapping;
    const encoder = iconv.getEncoder(codec.encoding);
    let text = codec.header ? this.headerLine() : '';
    let previousKey: Value[] | undefined;
    for (const row of rows) {
      const fields = this.rowFields(row, this.rows);
      previousKey = this.checkKey(row, previousKey);
      text += this.line(fields);
      this.rows += 1;
      if (text.length >= TABLE_CHUNK_CHARS) {
        yield this.count(encoder.write(text));
        text = '';
      }
    }
    const last = Buffer.concat([encoder.write(text), encoder.end() ?? Buffer.alloc(0)]);
    if (last.length > 0) yield this.count(last);
  }

  private count(bytes: Buffer): Buffer {
    this.bytes += bytes.length;
    return bytes;
  }

  private headerLine(): string {
    const names = this.table.columns.map((column) => column.name);
    names.forEach((name) => {
      const character = unencodableIn(name, this.mapping.codec.encoding, this.encodingTable);
      if (character === undefined) return;
      throw new ExchangeFormatError({ file: this.table.file, line: 1 }, `table ${this.table.name}, header: ` +
        `${describeCharacter(character)} cannot be written in ${this.mapping.codec.encoding}`);
    });
    return this.line(names);
  }

  private line(fields: readonly string[]): string {
    const { separator, lineEnding } = this.mapping.codec;
    let line = this.quote(fields[0] ?? '');
    for (let index = 1; index < fields.length; index++) line += separator + this.quote(fields[index]!);
    return line + lineEnding;
  }

  private rowFields(row: Row, index: number): string[] {
    const { columns } = this.table;
    for (const name in row) {
      if (!this.columnNames.has(name)) {
        const known = [...this.columnNames].join(', ');
        this.refuse(index, name, `unknown column ${name}; the columns are ${known}`);
      }
    }
    const fields = new Array<string>(columns.length);
    for (let at = 0; at < columns.length; at++) {
      const column = columns[at]!;
      const field = this.writers[at]!(row[column.name]);
      if (field instanceof Refusal) this.refuse(index, column.name, field.reason);
      const character = unencodableIn(field, this.mapping.codec.encoding, this.encodingTable);
      if (character !== undefined) {
        this.refuse(index, column.name,
          `${describeCharacter(character)} cannot be written in ${this.mapping.codec.encoding}`);
      }
      fields[at] = field;
    }
    return fields;
  }

  /** Refuses a key equal to the previous row's; returns this row's key. */
  private checkKey(row: Row, previous: Value[] | undefined): Value[] | undefined {
    if (this.keyIndexes.length === 0) return undefined;
    const key = this.keyIndexes.map((at) => row[this.table.columns[at]!.name] ?? null);
    if (previous !== undefined && key.every((value, at) => value === previous[at])) {
      this.refuse(this.rows, undefined, `key ${describeKey(this.table, row)} already in row ${this.rows}`);
    }
    return key;
  }

  private refuse(index: number, column: string | undefined, reason: string): never {
    const line = index + (this.mapping.codec.header ? 2 : 1);
    const at = column === undefined ? { file: this.table.file, line } : { file: this.table.file, line, column };
    throw new ExchangeFormatError(at, `table ${this.table.name}, row ${index + 1}: ${reason}`);
  }
}
