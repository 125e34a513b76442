/**
 * Lines of a table file written by SQLite itself: one SQL expression per
 * table that gives each row's line (fields joined by the separator, without
 * the line ending) exactly as TableChunkEncoder writes it, or NULL when it
 * cannot vouch for that. Reading one string per row instead of a JavaScript
 * value per column, and writing no field in JavaScript, is what makes the
 * export of a large catalog fast.
 *
 * A field is written by SQLite only when its value is plainly good: text of
 * the right type, not too long, with nothing that needs quotes; an integer;
 * a whole decimal, or a decimal whose rounding to its scale is not a tie;
 * a real date or date and time in ISO shape; a boolean stored as 0 or 1; an
 * empty value in a column that allows it. Anything else makes the whole line
 * NULL, and the row goes through writeValue (values.ts), which writes it or
 * refuses it with its usual message. What the encoding cannot hold is still
 * found by the encoder, chunk by chunk, as for any other line.
 */
import { splitDatePattern, type DateToken } from './date-format.ts';
import { quotedColumns } from './table-chunks.ts';
import type { CodecSpec, ColumnSpec, Mapping, TableSpec } from './types.ts';

// Where each token lies in a row's ISO date and time (YYYY-MM-DDTHH:mm:ss): first character, length.
const ISO_PLACES: Readonly<Record<DateToken, readonly [number, number]>> = {
  YYYY: [1, 4], MM: [6, 2], DD: [9, 2], HH: [12, 2], mm: [15, 2], ss: [18, 2],
};
const DIGIT = '[0-9]';
const ISO_DATE_GLOB = `${DIGIT.repeat(4)}-${DIGIT.repeat(2)}-${DIGIT.repeat(2)}`;
const ISO_DATE_TIME_GLOB = `${ISO_DATE_GLOB}T${DIGIT.repeat(2)}:${DIGIT.repeat(2)}:${DIGIT.repeat(2)}`;
// The safe integers of JavaScript: what writeValue writes for an integer column.
const MAX_SAFE = '9007199254740991';
// Whole decimals below this are written directly (table-chunks.ts, MAX_PLAIN_WHOLE), others not here.
const MAX_PLAIN = '1000000000';
// Decimals that are not whole, with more digits than this, are left to writeValue: plainDecimal rounds
// on 15 significant digits, which leaves at least 2 decimals of the shifted value below 1e9 * 10^3.
const MAX_SCALE = 3;
// How far from a tie (x.5) the shifted value must be for SQLite's rounding and plainDecimal's to agree.
const TIE_MARGIN = '0.01';

/** An SQL string literal. */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** What a text value must be for SQLite to write it: text, not empty if required, not too long. */
function textCondition(column: ColumnSpec, value: string): string {
  const checks = [`typeof(${value}) = 'text'`];
  if (column.required) checks.push(`${value} <> ''`);
  if (column.length !== undefined) checks.push(`length(${value}) <= ${column.length}`);
  return column.required ? checks.join(' AND ') : `(${value} IS NULL OR (${checks.join(' AND ')}))`;
}

function decimalField(codec: CodecSpec, column: ColumnSpec, value: string): string {
  const scale = column.scale ?? 0;
  const decimals = scale === 0 ? '' : literal(`${codec.decimalSeparator}${'0'.repeat(scale)}`);
  const suffix = decimals === '' ? '' : ` || ${decimals}`;
  const whole = `WHEN typeof(${value}) = 'integer' AND abs(${value}) < ${MAX_PLAIN} ` +
    `THEN CAST(${value} AS TEXT)${suffix} ` +
    `WHEN typeof(${value}) = 'real' AND abs(${value}) < ${MAX_PLAIN} AND ${value} = CAST(${value} AS INTEGER) ` +
    `THEN CAST(CAST(${value} AS INTEGER) AS TEXT)${suffix}`;
  if (column.scale === undefined || scale === 0 || scale > MAX_SCALE) return whole;

  // plainDecimal: the absolute value times 10^scale rounded half away from zero, the sign put back
  // unless it rounds to 0, then the digits with `scale` decimals.
  const factor = 10 ** scale;
  const shifted = `(abs(${value}) * ${factor})`;
  const rounded = `CAST(${shifted} + 0.5 AS INTEGER)`;
  return `${whole} WHEN typeof(${value}) = 'real' AND abs(${value}) < ${MAX_PLAIN} ` +
    `AND abs(${shifted} - CAST(${shifted} AS INTEGER) - 0.5) > ${TIE_MARGIN} ` +
    `THEN CASE WHEN ${value} < 0 AND ${rounded} > 0 THEN '-' ELSE '' END || (${rounded} / ${factor}) || ` +
    `${literal(codec.decimalSeparator)} || substr(${literal('0'.repeat(scale))} || (${rounded} % ${factor}), ` +
    `-${scale})`;
}

/** A date or date and time written in the codec's pattern from the row's ISO text. */
function dateField(pattern: string, value: string, withTime: boolean): string {
  const date = `substr(${value}, 1, 10)`;
  const checks = [`typeof(${value}) = 'text'`, `${value} GLOB '${withTime ? ISO_DATE_TIME_GLOB : ISO_DATE_GLOB}'`,
    `substr(${value}, 1, 4) <> '0000'`, `date(${date}) = ${date}`];
  if (withTime) {
    checks.push(`substr(${value}, 12, 2) <= '23'`, `substr(${value}, 15, 2) <= '59'`,
      `substr(${value}, 18, 2) <= '59'`);
  }
  const pieces = splitDatePattern(pattern).map((piece) => ('token' in piece
    ? `substr(${value}, ${ISO_PLACES[piece.token].join(', ')})` : literal(piece.literal)));
  return `WHEN ${checks.join(' AND ')} THEN ${pieces.join(' || ')}`;
}

/** The SQL of a field other than text, NULL where SQLite cannot vouch for it; undefined if it never can. */
function fieldExpression(codec: CodecSpec, column: ColumnSpec): string | undefined {
  const value = quote(column.name);
  let written: string | undefined;
  switch (column.type) {
    case 'text':
      return undefined;
    case 'integer':
      written = `WHEN typeof(${value}) = 'integer' AND ${value} BETWEEN -${MAX_SAFE} AND ${MAX_SAFE} ` +
        `THEN CAST(${value} AS TEXT)`;
      break;
    case 'decimal':
      written = decimalField(codec, column, value);
      break;
    case 'date':
      written = dateField(codec.dateFormat, value, false);
      break;
    case 'datetime':
      written = dateField(codec.dateTimeFormat, value, true);
      break;
    case 'boolean':
      written = `WHEN typeof(${value}) = 'integer' AND ${value} = 1 THEN ${literal(codec.booleanTrue)} ` +
        `WHEN typeof(${value}) = 'integer' AND ${value} = 0 THEN ${literal(codec.booleanFalse)}`;
      break;
  }
  if (written === undefined) return undefined;
  // writeValue writes undefined, null and '' as an empty field, and refuses them in a required column.
  const empty = column.required ? '' : `WHEN ${value} IS NULL OR ${value} = '' THEN '' `;
  return `CASE ${empty}${written} END`;
}

/**
 * The SQL expression of a row's line in `table` (its columns named as in the
 * mapping), NULL for a row it cannot vouch for; undefined when the codec is
 * one it does not write (a separator of several characters, line endings
 * other than CR and LF, fields other than text that could need quotes).
 * Text is only checked here for its type, its length and the separator:
 * the lines must then go through vouchedLines, which looks for the rest.
 */
export function lineExpression(mapping: Mapping, table: TableSpec): string | undefined {
  const { codec } = mapping;
  if (codec.separator.length !== 1 || !/^[\r\n]+$/.test(codec.lineEnding)) return undefined;
  const quoted = quotedColumns(codec, table.columns);
  if (table.columns.some((column, at) => column.type !== 'text' && quoted[at])) return undefined;
  const texts = table.columns.filter((column) => column.type === 'text');
  const fields = table.columns.map((column) => (column.type === 'text'
    ? (column.required ? quote(column.name) : `ifnull(${quote(column.name)}, '')`)
    : fieldExpression(codec, column)));
  if (fields.length === 0 || fields.some((field) => field === undefined)) return undefined;
  const line = fields.join(` || ${literal(codec.separator)} || `);
  if (texts.length === 0) return line;

  const conditions = texts.map((column) => textCondition(column, quote(column.name)));
  const allText = texts.map((column) => `ifnull(${quote(column.name)}, '')`).join(' || ');
  conditions.push(`instr(${allText}, ${literal(codec.separator)}) = 0`);
  return `CASE WHEN ${conditions.join(' AND ')} THEN ${line} END`;
}

// What a field SQLite wrote may hold that needs quotes, beside the separator (the codec's line
// endings are CR and LF), or that SQLite counts otherwise than JavaScript (length() stops at NUL).
const UNVOUCHED = /["\r\n\0]/;

/** The lines of lineExpression, with null for each one that holds a character it does not check. */
export function* vouchedLines(lines: Iterable<string | null>): Generator<string | null> {
  for (const line of lines) yield line === null || UNVOUCHED.test(line) ? null : line;
}
