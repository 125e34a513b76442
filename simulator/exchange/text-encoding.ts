/**
 * The text level of a table file: characters to bytes in the mapping's
 * encoding and back, refusing what the encoding cannot hold instead of
 * writing '?' or reading U+FFFD.
 */
import iconv from 'iconv-lite';
import { ExchangeFormatError } from '../errors.ts';
import type { CodecSpec } from './types.ts';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const REPLACEMENT = '\uFFFD';
const LINE_ENDING_NAMES: Readonly<Record<string, string>> = {
  '\r\n': 'CRLF', '\n': 'LF', '\r': 'CR',
};

function survives(text: string, encoding: string): boolean {
  return iconv.decode(iconv.encode(text, encoding), encoding) === text;
}

/** The first character of `text` the encoding cannot hold, or undefined if it holds them all. */
export function unencodable(text: string, encoding: string): string | undefined {
  if (survives(text, encoding)) return undefined;
  for (const character of text) {
    if (!survives(character, encoding)) return character;
  }
  return undefined;
}

/** A character as a reader can find it: `"ő" (U+0151)`. */
export function describeCharacter(character: string): string {
  const code = character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `${JSON.stringify(character)} (U+${code})`;
}

/** The 1-based line of a position in a text. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  let at = text.indexOf('\n');
  while (at !== -1 && at < index) {
    line += 1;
    at = text.indexOf('\n', at + 1);
  }
  return line;
}

/**
 * The text of a file's bytes. A UTF-8 byte order mark is skipped when the
 * encoding is a Unicode one, and refused otherwise (the file was saved in
 * UTF-8 while the mapping says e.g. windows-1252); bytes the encoding cannot
 * decode are refused. Throws ExchangeFormatError naming `source` and the line.
 */
export function decodeText(codec: CodecSpec, bytes: Buffer, source: string): string {
  const text = iconv.decode(bytes, codec.encoding, { stripBOM: false });
  if (text.startsWith('\uFEFF')) return text.slice(1);
  if (bytes.subarray(0, 3).equals(UTF8_BOM)) {
    throw new ExchangeFormatError({ file: source, line: 1 },
      `the file starts with a UTF-8 byte order mark but the mapping's encoding is ` +
      `${codec.encoding}: it was saved as UTF-8; save it as ${codec.encoding}`);
  }
  const bad = text.indexOf(REPLACEMENT);
  // U+FFFD is also a real character in Unicode encodings: a failed round trip proves bad bytes.
  if (bad !== -1 && !iconv.encode(text, codec.encoding).equals(bytes)) {
    throw new ExchangeFormatError({ file: source, line: lineAt(text, bad) },
      `bytes that are not valid ${codec.encoding}; save the file as ${codec.encoding}`);
  }
  return text;
}

/**
 * Throws ExchangeFormatError if the first line does not end with the codec's
 * line ending (a file saved with LF where CRLF is expected), rather than
 * reading it as one long line. A file of a single line is not checked.
 */
export function checkLineEnding(codec: CodecSpec, text: string, source: string): void {
  const end = text.search(/[\r\n]/);
  if (end === -1 || text.lastIndexOf('"', end) !== -1) return;
  const found = text.startsWith('\r\n', end) ? '\r\n' : text[end]!;
  if (found !== codec.lineEnding) {
    const expected = LINE_ENDING_NAMES[codec.lineEnding] ?? codec.lineEnding;
    throw new ExchangeFormatError({ file: source, line: 1 },
      `lines end with ${LINE_ENDING_NAMES[found]}, the mapping's codec.lineEnding is ${expected}`);
  }
}
