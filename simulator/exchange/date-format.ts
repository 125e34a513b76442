/**
 * Date and time patterns made of tokens (YYYY, MM, DD, HH, mm, ss) and literal
 * characters, as the mapping writes them: `DD/MM/YYYY`, `YYYYMMDD_HHmmss`...
 * One compiled pattern both writes and reads; reading checks the calendar.
 */

/** The parts of a local date and time; the time parts are 0 for a date. */
export interface DateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** A token of a pattern and the part it stands for. */
export type DateToken = 'YYYY' | 'MM' | 'DD' | 'HH' | 'mm' | 'ss';

const TOKEN_PARTS: Readonly<Record<DateToken, keyof DateTimeParts>> = {
  YYYY: 'year', MM: 'month', DD: 'day', HH: 'hour', mm: 'minute', ss: 'second',
};
const TOKENS = Object.keys(TOKEN_PARTS) as DateToken[];

/** The date tokens, and the date and time tokens: what date and datetime patterns must hold. */
export const DATE_TOKENS: readonly DateToken[] = ['YYYY', 'MM', 'DD'];
export const DATE_TIME_TOKENS: readonly DateToken[] = TOKENS;

/** A piece of a pattern: a token, or one literal character. */
export type DatePatternPiece = { token: DateToken } | { literal: string };

/** A pattern ready to write and read values. */
export interface DatePattern {
  readonly pattern: string;
  /** The tokens in pattern order (a token may not appear twice). */
  readonly tokens: readonly DateToken[];
  format(parts: DateTimeParts): string;
  /** The parts of `text` if it has the pattern's shape, else undefined (calendar not checked). */
  match(text: string): DateTimeParts | undefined;
}

/** A pattern's tokens and literal characters, in order, as format and match read it. */
export function splitDatePattern(pattern: string): DatePatternPiece[] {
  const pieces: DatePatternPiece[] = [];
  let at = 0;
  while (at < pattern.length) {
    const token = TOKENS.find((candidate) => pattern.startsWith(candidate, at));
    if (token === undefined) {
      pieces.push({ literal: pattern[at]! });
      at += 1;
    } else {
      pieces.push({ token });
      at += token.length;
    }
  }
  return pieces;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Compiles a pattern. Throws Error if a token appears twice or if one of
 * `required` is missing (the message names the pattern and the token).
 */
export function compileDatePattern(pattern: string,
  required: readonly DateToken[] = []): DatePattern {
  const pieces = splitDatePattern(pattern);
  const tokens = pieces.flatMap((piece) => ('token' in piece ? [piece.token] : []));
  const repeated = tokens.find((token, index) => tokens.indexOf(token) !== index);
  if (repeated !== undefined) throw new Error(`"${pattern}" has ${repeated} twice`);
  const missing = required.filter((token) => !tokens.includes(token));
  if (missing.length > 0) throw new Error(`"${pattern}" lacks ${missing.join(', ')}`);

  const source = pieces.map((piece) => ('token' in piece
    ? (piece.token === 'YYYY' ? '(\\d{4})' : '(\\d{2})')
    : escapeRegExp(piece.literal))).join('');
  const regex = new RegExp(`^${source}$`);
  return {
    pattern,
    tokens,
    format: (parts) => pieces.map((piece) => ('token' in piece
      ? String(parts[TOKEN_PARTS[piece.token]]).padStart(piece.token.length, '0')
      : piece.literal)).join(''),
    match(text) {
      const found = regex.exec(text);
      if (found === null) return undefined;
      const parts: DateTimeParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
      tokens.forEach((token, index) => {
        parts[TOKEN_PARTS[token]] = Number(found[index + 1]);
      });
      return parts;
    },
  };
}

/** Whether the parts name a real day (1..9999) and time of day (00:00:00..23:59:59). */
export function isRealDateTime(parts: DateTimeParts): boolean {
  const { year, month, day, hour, minute, second } = parts;
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() -
    (month === 2 && !isLeapYear(year) ? 1 : 0);
  return day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The local date and time parts of a Date. */
export function localParts(at: Date): DateTimeParts {
  return {
    year: at.getFullYear(), month: at.getMonth() + 1, day: at.getDate(),
    hour: at.getHours(), minute: at.getMinutes(), second: at.getSeconds(),
  };
}

/**
 * The Date of local parts, or undefined if they are not a real date and time,
 * or a local time that does not exist (skipped when clocks go forward).
 */
export function dateOfLocalParts(parts: DateTimeParts): Date | undefined {
  if (!isRealDateTime(parts)) return undefined;
  const at = new Date(2000, 0, 1, parts.hour, parts.minute, parts.second);
  at.setFullYear(parts.year, parts.month - 1, parts.day);
  at.setHours(parts.hour, parts.minute, parts.second, 0);
  const back = localParts(at);
  const keys = Object.keys(parts) as (keyof DateTimeParts)[];
  return keys.every((key) => back[key] === parts[key]) ? at : undefined;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** The value of a date column for a moment: 'YYYY-MM-DD' in local time. */
export function localDate(at: Date): string {
  return `${at.getFullYear()}-${twoDigits(at.getMonth() + 1)}-${twoDigits(at.getDate())}`;
}

/** The value of a datetime column for a moment: 'YYYY-MM-DDTHH:mm:ss' in local time, without a zone. */
export function localDateTime(at: Date): string {
  return `${localDate(at)}T${twoDigits(at.getHours())}:${twoDigits(at.getMinutes())}:${twoDigits(at.getSeconds())}`;
}
