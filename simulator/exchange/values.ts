/**
 * One value of a table file: a row's value to the text of a field and back,
 * by column type, with every format detail taken from the mapping's codec.
 */
import {
  compileDatePattern, DATE_TIME_TOKENS, DATE_TOKENS, isRealDateTime, type DatePattern,
} from './date-format.ts';
import type { CodecSpec, ColumnSpec, Value } from './types.ts';

/** Why a value or a field was refused, e.g. `not a number: "12.5"`. */
export class Refusal {
  constructor(readonly reason: string) {}
}

/** A codec compiled once: the patterns of dates and times, in files and in rows. */
export interface ValueCodec {
  readonly codec: CodecSpec;
  readonly fileDate: DatePattern;
  readonly fileDateTime: DatePattern;
  readonly decimal: RegExp;
}

// Rows carry dates and datetimes in ISO shape, whatever the files use.
const ROW_DATE = compileDatePattern('YYYY-MM-DD', DATE_TOKENS);
const ROW_DATE_TIME = compileDatePattern('YYYY-MM-DDTHH:mm:ss', DATE_TIME_TOKENS);
// Past 15 significant digits a double no longer holds every decimal exactly.
const MAX_DECIMAL = 1e15;

const compiled = new WeakMap<CodecSpec, ValueCodec>();

/** The compiled form of a codec (kept per codec object). Throws Error on a bad date pattern. */
export function valueCodec(codec: CodecSpec): ValueCodec {
  let found = compiled.get(codec);
  if (found === undefined) {
    const separator = codec.decimalSeparator.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    found = {
      codec,
      fileDate: compileDatePattern(codec.dateFormat, DATE_TOKENS),
      fileDateTime: compileDatePattern(codec.dateTimeFormat, DATE_TIME_TOKENS),
      decimal: new RegExp(`^-?\\d+(?:${separator}(\\d+))?$`),
    };
    compiled.set(codec, found);
  }
  return found;
}

/** The number of characters of a text, counting each Unicode character once. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _character of text) count += 1;
  return count;
}

function plainDecimal(value: number, scale: number | undefined): string | Refusal {
  if (!Number.isFinite(value)) return new Refusal(`${value} is not a finite number`);
  if (Math.abs(value) >= MAX_DECIMAL) {
    return new Refusal(`${value} is too large (limit ${MAX_DECIMAL})`);
  }
  if (scale !== undefined) {
    // Round half away from zero on the decimal digits a person reads (1.0005 -> 1.001), not on
    // the binary value as toFixed does (1.0005 is stored as 1.000499999...).
    const shifted = Number((Math.abs(value) * 10 ** scale).toPrecision(15));
    return (Math.sign(value) * Math.round(shifted) / 10 ** scale + 0).toFixed(scale);
  }
  const text = String(value + 0);
  return text.includes('e') ? value.toFixed(20).replace(/\.?0+$/, '') : text;
}

function describePattern(rowPattern: DatePattern): string {
  return rowPattern === ROW_DATE ? 'date' : 'date and time';
}

function writeDate(pattern: DatePattern, rowPattern: DatePattern, value: string): string | Refusal {
  const parts = rowPattern.match(value);
  if (parts === undefined || !isRealDateTime(parts)) {
    return new Refusal(`"${value}" is not a ${describePattern(rowPattern)} ${rowPattern.pattern}`);
  }
  return pattern.format(parts);
}

function wrongType(column: ColumnSpec, value: Value, expected: string): Refusal {
  const shown = JSON.stringify(value);
  return new Refusal(`${shown} is not ${expected} (column type ${column.type})`);
}

/**
 * The field text of a row's value. Undefined, null and '' are empty (refused
 * in a required column); text longer than `length`, NaN, Infinity, impossible
 * dates and values of the wrong type are refused.
 */
export function writeValue(codecs: ValueCodec, column: ColumnSpec,
  value: Value | undefined): string | Refusal {
  if (value === undefined || value === null || value === '') {
    return column.required ? new Refusal('required') : '';
  }
  const { codec } = codecs;
  switch (column.type) {
    case 'text': {
      if (typeof value !== 'string') return wrongType(column, value, 'a string');
      const count = characterCount(value);
      if (column.length !== undefined && count > column.length) {
        return new Refusal(`too long (${count} > ${column.length})`);
      }
      return value;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        return wrongType(column, value, 'an integer');
      }
      return String(value + 0);
    case 'decimal': {
      if (typeof value !== 'number') return wrongType(column, value, 'a number');
      const text = plainDecimal(value, column.scale);
      return text instanceof Refusal ? text : text.replace('.', codec.decimalSeparator);
    }
    case 'date':
      if (typeof value !== 'string') return wrongType(column, value, 'a date');
      return writeDate(codecs.fileDate, ROW_DATE, value);
    case 'datetime':
      if (typeof value !== 'string') return wrongType(column, value, 'a date and time');
      return writeDate(codecs.fileDateTime, ROW_DATE_TIME, value);
    case 'boolean':
      if (typeof value !== 'boolean') return wrongType(column, value, 'a boolean');
      return value ? codec.booleanTrue : codec.booleanFalse;
  }
}

// Digits grouped by three with '.', ',', an apostrophe or a space (plain, no-break, narrow
// no-break), then maybe decimals: 1.234,5 or 1 234 567.
const GROUPED_DIGITS = /^-?\d{1,3}([.,' \u00A0\u202F])\d{3}(?:\1\d{3})*(?:[.,]\d+)?$/;

/**
 * Why a field is not a decimal of the codec, with a hint when it looks like a
 * number written for a person: `12.5` where the separator is ',', or
 * thousands grouped as in `1.234,5` or `1 234,5`. These are refused, not
 * guessed: `1.234` may be 1234 or 1.234, and a quantity off by a thousand
 * times is worse than a refused line.
 */
function notADecimal(codec: CodecSpec, text: string): Refusal {
  const separator = codec.decimalSeparator;
  const point = separator === ',' ? '.' : ',';
  const group = GROUPED_DIGITS.exec(text)?.[1];
  const decimalWithPoint = new RegExp(`^-?\\d+\\${point}\\d+$`).test(text);
  if (decimalWithPoint && group === point) {
    return new Refusal(`not a number: "${text}": the decimal separator is "${separator}", ` +
      'and thousands separators are refused');
  }
  if (decimalWithPoint) return new Refusal(`not a number: "${text}": the decimal separator is "${separator}"`);
  if (group !== undefined && group !== separator) {
    return new Refusal(`not a number: "${text}": thousands separators are refused, ` +
      `write ${JSON.stringify(text.replaceAll(group, ''))}`);
  }
  return new Refusal(`not a number: "${text}"`);
}

function readDecimal(codecs: ValueCodec, column: ColumnSpec, text: string): number | Refusal {
  const found = codecs.decimal.exec(text);
  if (found === null) return notADecimal(codecs.codec, text);
  const decimals = found[1]?.length ?? 0;
  if (column.scale !== undefined && decimals > column.scale) {
    return new Refusal(`too many decimals (${decimals} > ${column.scale}): "${text}"`);
  }
  return Number(text.replace(codecs.codec.decimalSeparator, '.')) + 0;
}

function readDate(pattern: DatePattern, rowPattern: DatePattern, text: string): string | Refusal {
  const what = describePattern(rowPattern);
  const parts = pattern.match(text);
  if (parts === undefined) return new Refusal(`not a ${what} ${pattern.pattern}: "${text}"`);
  if (!isRealDateTime(parts)) return new Refusal(`${text} is not a ${what}`);
  return rowPattern.format(parts);
}

/** The row value of a field's text: an empty field is null (refused in a required column). */
export function readValue(codecs: ValueCodec, column: ColumnSpec, text: string): Value | Refusal {
  if (text === '') return column.required ? new Refusal('required') : null;
  const { codec } = codecs;
  switch (column.type) {
    case 'text': {
      const count = characterCount(text);
      if (column.length !== undefined && count > column.length) {
        return new Refusal(`too long (${count} > ${column.length})`);
      }
      return text;
    }
    case 'integer': {
      const value = Number(text);
      if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
        return new Refusal(`not an integer: "${text}"`);
      }
      return value + 0;
    }
    case 'decimal':
      return readDecimal(codecs, column, text);
    case 'date':
      return readDate(codecs.fileDate, ROW_DATE, text);
    case 'datetime':
      return readDate(codecs.fileDateTime, ROW_DATE_TIME, text);
    case 'boolean':
      if (text === codec.booleanTrue) return true;
      if (text === codec.booleanFalse) return false;
      return new Refusal(
        `not a boolean (${codec.booleanTrue} or ${codec.booleanFalse}): "${text}"`);
  }
}
