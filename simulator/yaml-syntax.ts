/**
 * The YAML library's syntax errors put in a person's words, each at the line
 * that shows the mistake: most are misplaced indentation, which the library
 * often reports on the line before the one that is wrong.
 */
import type { LineCounter, YAMLError } from 'yaml';

/** One syntax error of a YAML file: where to look (line and column from 1) and what is wrong. */
export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

// A key may follow the "- " of list items: `  - bo.export:` has its key in column 5.
const KEY_START = String.raw`^((?:[ \t]*-[ \t]+)*[ \t]*)([^\s:#\-"'{[][^:#\n]*):`;
const KEY = new RegExp(String.raw`${KEY_START}(\s|$)`);
const DASH = /^([ \t]*)(-)(\s|$)/;
// `key: value`, the value without a comment after it.
const KEY_AND_VALUE = new RegExp(String.raw`${KEY_START}[ \t]+(.*?)(?:[ \t]+#.*)?[ \t]*$`, 'd');

/** The problems of a file's syntax errors, one per mistake, in the file's order. */
export function syntaxProblems(text: string, errors: readonly YAMLError[], lines: LineCounter):
  SyntaxProblem[] {
  // A line indented too far raises both errors at the same place; the second one says more.
  const runOn = new Set(errors.filter((e) => e.code === 'MULTILINE_IMPLICIT_KEY').map((e) => e.pos[0]));
  return errors
    .filter((error) => !(error.code === 'BLOCK_AS_IMPLICIT_KEY' && runOn.has(error.pos[0])))
    .map((error) => syntaxProblem(text, error, lines))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

function syntaxProblem(text: string, error: YAMLError, lines: LineCounter): SyntaxProblem {
  const [start, end] = error.pos;
  if (error.code === 'MULTILINE_IMPLICIT_KEY' && lines.linePos(end).line > lines.linePos(start).line) {
    return runOnKey(text, start, end, lines);
  }
  if (error.code === 'BAD_INDENT') {
    // The library points at the end of the line before, or at the spaces before the item.
    const at = firstNonSpace(text, start);
    const { line, col } = lines.linePos(at);
    return { line, column: col, message: misplacedItem(text, at, col, lines) ?? error.message };
  }
  if (error.code === 'BLOCK_AS_IMPLICIT_KEY') {
    const unquoted = unquotedColon(text, start, lines);
    if (unquoted !== undefined) return unquoted;
  }
  const { line, col } = lines.linePos(start);
  return { line, column: col, message: error.message };
}

/**
 * A plain value holding ": " (`system: UNIX Type: L8`), which YAML reads as
 * a mapping inside the value; the fix is to quote it. Undefined when the line
 * is not `key: value` with such a value.
 */
function unquotedColon(text: string, offset: number, lines: LineCounter): SyntaxProblem | undefined {
  const start = lineStart(text, offset);
  const match = KEY_AND_VALUE.exec(text.slice(start, lineEnd(text, offset)));
  if (match === null) return undefined;
  const [, , key, value] = match as unknown as [string, string, string, string];
  if (!value.includes(': ') || /^["'{[|>&*!]/.test(value)) return undefined;
  // The value's own column: it is the value that needs quotes.
  const { line, col } = lines.linePos(start + match.indices![3]![0]);
  const quoted = value.includes("'") ? JSON.stringify(value) : `'${value}'`;
  return { line, column: col, message: `the value of ${key}: holds ": ", which YAML reads as a key ` +
    `inside it; quote the value: ${key}: ${quoted}` };
}

/**
 * A plain value that runs on into the next line, which holds `key:`: the
 * library reads both lines as one key (`demo devices`). The mistake is
 * almost always the indentation of the second line, so that is the line named.
 */
function runOnKey(text: string, start: number, end: number, lines: LineCounter): SyntaxProblem {
  const first = lines.linePos(start).line;
  const value = text.slice(start, lineEnd(text, start)).trim();
  const at = firstNonSpace(text, lineStart(text, end));
  const key = text.slice(at, end).trim();
  const { line, col } = lines.linePos(at);
  const message = `this line is read as the rest of line ${first} ("${value}"), and a key ` +
    `cannot run over two lines; if ${key}: starts a key of its own, line it up with the keys above it`;
  return { line, column: col, message };
}

/**
 * For a key or a list item's "- " in no column of those above it: what it
 * is, and which are above and where. Undefined when it is in line with one.
 */
function misplacedItem(text: string, at: number, column: number, lines: LineCounter):
  string | undefined {
  const line = text.slice(lineStart(text, at), lineEnd(text, at));
  const isDash = DASH.exec(line)?.[1]?.length === column - 1;
  const key = KEY.exec(line);
  if (!isDash && key?.[1]?.length !== column - 1) return undefined;
  const above = itemsAbove(text, at, lines, isDash ? DASH : KEY);
  if (above.has(column)) return undefined;

  const [item, kind, fix] = isDash
    ? ['the "- " of this list item', 'list items', 'list']
    : [`${key![2]}:`, 'keys', 'key'];
  return `${item} is in column ${column}, in line with none of the ${kind} above it ` +
    `(${[...above.values()].join(', ') || 'none'}); indent it like the ${fix} it belongs with`;
}

/**
 * The nearest item above `offset` in each column, up to the first line that
 * starts in column 1: `bo.export: line 3 column 5`, `"- " line 3 column 3`.
 */
function itemsAbove(text: string, offset: number, lines: LineCounter, pattern: RegExp):
  Map<number, string> {
  const found = new Map<number, string>();
  let start = lineStart(text, offset);
  while (start > 0) {
    start = lineStart(text, start - 1);
    const line = text.slice(start, lineEnd(text, start));
    const match = pattern.exec(line);
    const column = (match?.[1]?.length ?? 0) + 1;
    if (match !== null && !found.has(column)) {
      const name = match[2] === '-' ? '"- "' : `${match[2]}:`;
      found.set(column, `${name} line ${lines.linePos(start).line} column ${column}`);
    }
    if (/^[^\s#]/.test(line)) break;
  }
  return found;
}

function firstNonSpace(text: string, offset: number): number {
  let at = offset;
  while (at < text.length && /\s/.test(text[at]!)) at += 1;
  return at < text.length ? at : offset;
}

/** Where the line holding `offset` starts. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
}
