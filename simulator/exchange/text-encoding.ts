/**
 * The text level of a table file: characters to bytes in the mapping's
 * encoding and back, refusing what the encoding cannot hold instead of
 * writing '?' or reading U+FFFD, and telling which lines of a file read in
 * cannot be trusted as text (bytes the encoding lacks, UTF-8 in windows-1252).
 */
import iconv from 'iconv-lite';
import { ExchangeFormatError } from '../errors.ts';
import { logger } from '../log.ts';
import type { CodecSpec } from './types.ts';

const log = logger('hil:exchange');

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

/** A file's text, and the lines whose bytes could not be read as text of the encoding. */
export interface FileText {
  text: string;
  /** The encoding the text was read in: the mapping's, or UTF-8 after a UTF-8 byte order mark. */
  encoding: string;
  /** 1-based line number to why its bytes are refused. */
  badLines: Map<number, string>;
}

const UNICODE_ENCODING = /^(utf|ucs|cesu)/i;
// Two to four bytes that UTF-8 writes for one character past U+007F (not checked for overlongs here).
const UTF8_SEQUENCE = /[\xC2-\xF4][\x80-\xBF]/;
const ASCII_SAMPLE = '\r\n;",.0123456789AZaz';
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

const asciiCompatibility = new Map<string, boolean>();
const singleByteness = new Map<string, boolean>();

/** Whether the encoding writes ASCII (line endings, separators, digits) as ASCII bytes. */
function isAsciiCompatible(encoding: string): boolean {
  let found = asciiCompatibility.get(encoding);
  if (found === undefined) {
    found = iconv.encode(ASCII_SAMPLE, encoding).equals(Buffer.from(ASCII_SAMPLE, 'latin1'));
    asciiCompatibility.set(encoding, found);
  }
  return found;
}

/** Whether each byte is one character (windows-1252, ISO-8859-x), so UTF-8 in it reads as mojibake. */
function isSingleByte(encoding: string): boolean {
  let found = singleByteness.get(encoding);
  if (found === undefined) {
    const high = Buffer.from(Array.from({ length: 128 }, (_, index) => 0x80 + index));
    found = !UNICODE_ENCODING.test(encoding) && isAsciiCompatible(encoding) &&
      iconv.decode(high, encoding).length === 128;
    singleByteness.set(encoding, found);
  }
  return found;
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Why the bytes of one line cannot be taken as text of the encoding, or undefined if they can. */
function lineBytesProblem(bytes: Buffer, encoding: string): string | undefined {
  const text = iconv.decode(bytes, encoding, { stripBOM: false });
  const bad = text.indexOf(REPLACEMENT);
  // U+FFFD is also a real character in Unicode encodings: a failed round trip proves bad bytes.
  if (bad !== -1 && !iconv.encode(text, encoding).equals(bytes)) {
    const offset = iconv.encode(text.slice(0, bad), encoding).length;
    return `byte ${hex(bytes[offset]!)} is not valid ${encoding}; the line is refused: ` +
      `the file must be saved as ${encoding}`;
  }
  if (!isSingleByte(encoding) || !UTF8_SEQUENCE.test(bytes.toString('latin1'))) return undefined;

  // A line that is valid UTF-8 with characters past ASCII was written in UTF-8: read as the
  // mapping says, "é" would become "Ã©". Genuine windows-1252 text is almost never valid UTF-8;
  // when it is, it is an accented capital and a symbol ("É" and a no-break space read as "ɠ"):
  // so a two-byte character counts only if the encoding has it too.
  let utf8: string;
  try {
    utf8 = STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
  const wide = [...utf8].filter((candidate) => candidate.codePointAt(0)! > 0x7f);
  const plausible = wide.every((candidate) => candidate.codePointAt(0)! > 0x7ff ||
    survives(candidate, encoding));
  if (wide.length === 0 || !plausible) return undefined;
  const character = wide[0]!;
  const mojibake = iconv.decode(Buffer.from(character, 'utf8'), encoding);
  return `UTF-8 text in a ${encoding} file: ${JSON.stringify(mojibake)} would be read for ` +
    `${describeCharacter(character)}; the line is refused: the file must be saved as ${encoding}`;
}

function badLinesOf(bytes: Buffer, encoding: string): Map<number, string> {
  const badLines = new Map<number, string>();
  let line = 1;
  for (let start = 0; start <= bytes.length; line += 1) {
    const found = bytes.indexOf(0x0a, start);
    const end = found === -1 ? bytes.length : found;
    const problem = lineBytesProblem(bytes.subarray(start, end), encoding);
    if (problem !== undefined) badLines.set(line, problem);
    start = end + 1;
  }
  return badLines;
}

/**
 * The text of a file's bytes. A UTF-8 byte order mark is skipped, and the
 * file is then read as UTF-8 whatever the mapping's encoding (the mark says
 * how it was saved). Lines whose bytes the encoding cannot decode, and, in a
 * single-byte encoding such as windows-1252, lines that are UTF-8 text, are
 * in `badLines`: the reader refuses them one by one. Throws
 * ExchangeFormatError naming `source` if the encoding is not ASCII-compatible
 * (UTF-16) and some bytes cannot be decoded, since lines cannot be told apart.
 */
export function decodeText(codec: CodecSpec, bytes: Buffer, source: string): FileText {
  const hasUtf8Bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const encoding = hasUtf8Bom ? 'utf-8' : codec.encoding;
  const body = hasUtf8Bom ? bytes.subarray(3) : bytes;
  if (hasUtf8Bom && !UNICODE_ENCODING.test(codec.encoding)) {
    log('%s: UTF-8 byte order mark: read as UTF-8, not %s', source, codec.encoding);
  }
  let text = iconv.decode(body, encoding, { stripBOM: false });
  if (text.startsWith('\uFEFF')) text = text.slice(1);

  if (!isAsciiCompatible(encoding)) {
    const bad = text.indexOf(REPLACEMENT);
    if (bad !== -1 && !iconv.encode(text, encoding, { addBOM: false }).equals(body)) {
      throw new ExchangeFormatError({ file: source, line: lineAt(text, bad) },
        `bytes that are not valid ${encoding}; save the file as ${encoding}`);
    }
    return { text, encoding, badLines: new Map() };
  }
  const suspect = text.includes(REPLACEMENT) ||
    (isSingleByte(encoding) && UTF8_SEQUENCE.test(body.toString('latin1')));
  return { text, encoding, badLines: suspect ? badLinesOf(body, encoding) : new Map() };
}

/** The line endings a file may use: CRLF and LF both when the codec has either, else the codec's. */
export function lineEndingsRead(codec: CodecSpec): string[] {
  return codec.lineEnding === '\r\n' || codec.lineEnding === '\n' ? ['\r\n', '\n'] : [codec.lineEnding];
}

/**
 * Throws ExchangeFormatError if the first line ends with a line ending that
 * lineEndingsRead does not allow (CR alone where CRLF is expected), rather
 * than reading the file as one long line. A file of a single line is not checked.
 */
export function checkLineEnding(codec: CodecSpec, text: string, source: string): void {
  const end = text.search(/[\r\n]/);
  if (end === -1 || text.lastIndexOf('"', end) !== -1) return;
  const found = text.startsWith('\r\n', end) ? '\r\n' : text[end]!;
  const allowed = lineEndingsRead(codec);
  if (!allowed.includes(found)) {
    const names = allowed.map((ending) => LINE_ENDING_NAMES[ending] ?? JSON.stringify(ending));
    throw new ExchangeFormatError({ file: source, line: 1 },
      `lines end with ${LINE_ENDING_NAMES[found]}; the mapping's codec.lineEnding allows ${names.join(' or ')}`);
  }
}
