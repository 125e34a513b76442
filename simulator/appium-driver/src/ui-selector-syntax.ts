/**
 * Reads the text of a `-android uiautomator` locator into calls, as Java
 * would: `new UiSelector().text("OK").instance(1)`, or
 * `new UiScrollable(new UiSelector().scrollable(true)).scrollIntoView(new UiSelector().text("Test FTP"))`.
 * Only the syntax is checked here; ui-selector.ts gives the calls meaning.
 * A mistake throws InvalidSelectorError naming what was expected and where.
 */
import { errors } from '@appium/base-driver';

/** A value passed to a method: a string, a number, a boolean or another `new ...(...)` chain. */
export type Argument =
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'boolean'; value: boolean; at: number }
  | { kind: 'chain'; value: Chain; at: number };

/** `.name(arguments)` after a constructor; `at` is its position in the text (0-based). */
export interface MethodCall {
  name: string;
  args: Argument[];
  at: number;
}

/** `new Class(arguments)` followed by method calls. */
export interface Chain {
  className: string;
  args: Argument[];
  calls: MethodCall[];
  at: number;
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; text: string; at: number }
  | { kind: 'punctuation'; text: string; at: number }
  | { kind: 'end'; text: ''; at: number };

/** An InvalidSelectorError that quotes the selector and points at the character at fault. */
export function selectorError(source: string, at: number, problem: string): Error {
  return new errors.InvalidSelectorError(`-android uiautomator selector ${JSON.stringify(source)}: ${problem} ` +
    `at character ${at + 1} (${JSON.stringify(source.slice(at, at + 20)) || 'the end'})`);
}

function readString(source: string, start: number): { text: string; end: number } {
  let text = '';
  for (let i = start + 1; i < source.length; i++) {
    const char = source[i] as string;
    if (char === '"') return { text, end: i + 1 };
    if (char === '\\') {
      const next = source[++i];
      if (next === undefined) break;
      text += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else {
      text += char;
    }
  }
  throw selectorError(source, start, 'a string is not closed with "');
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    const number = /^-?\d+/.exec(rest);
    if (space) {
      i += space[0].length;
    } else if (rest[0] === '"') {
      const { text, end } = readString(source, i);
      tokens.push({ kind: 'string', text, at: i });
      i = end;
    } else if (word) {
      // A class may come with its package (android.support.test.uiautomator.UiSelector); a method never.
      tokens.push({ kind: 'word', text: word[0], at: i });
      i += word[0].length;
    } else if (number) {
      tokens.push({ kind: 'number', text: number[0], at: i });
      i += number[0].length;
    } else if ('().,;'.includes(rest[0] as string)) {
      tokens.push({ kind: 'punctuation', text: rest[0] as string, at: i });
      i += 1;
    } else {
      throw selectorError(source, i, `unexpected character ${JSON.stringify(rest[0])}`);
    }
  }
  tokens.push({ kind: 'end', text: '', at: source.length });
  return splitMethodWords(tokens);
}

/** `UiSelector().text(...)` tokenizes `.text` apart, but `x).text` may glue: split words after `)` at dots. */
function splitMethodWords(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    const previous = out[out.length - 1];
    if (token.kind === 'word' && previous?.text === '.' && token.text.includes('.')) {
      const [first, ...others] = token.text.split('.');
      let at = token.at;
      out.push({ kind: 'word', text: first as string, at });
      for (const other of others) {
        at += 1 + (out[out.length - 1] as Token).text.length;
        out.push({ kind: 'punctuation', text: '.', at: at - 1 }, { kind: 'word', text: other, at });
      }
    } else {
      out.push(token);
    }
  }
  return out;
}

class Parser {
  #position = 0;
  constructor(private readonly source: string, private readonly tokens: Token[]) {}

  #peek(): Token {
    return this.tokens[this.#position] as Token;
  }

  #expect(text: string, what = `"${text}"`): Token {
    const token = this.#peek();
    if (token.text !== text || token.kind === 'string') throw this.#error(token, `${what} expected`);
    this.#position++;
    return token;
  }

  #error(token: Token, problem: string): Error {
    const found = token.kind === 'end' ? 'the end' : JSON.stringify(token.text);
    return selectorError(this.source, token.at, `${problem}, found ${found}`);
  }

  chain(): Chain {
    const start = this.#peek();
    if (start.kind === 'word' && start.text === 'new') this.#position++;
    const className = this.#peek();
    if (className.kind !== 'word') throw this.#error(className, 'a class name (UiSelector or UiScrollable) expected');
    this.#position++;
    const args = this.#arguments();
    const calls: MethodCall[] = [];
    while (this.#peek().text === '.' && this.#peek().kind === 'punctuation') {
      this.#position++;
      const name = this.#peek();
      if (name.kind !== 'word') throw this.#error(name, 'a method name expected after "."');
      this.#position++;
      calls.push({ name: name.text, args: this.#arguments(), at: name.at });
    }
    return { className: className.text.split('.').pop() as string, args, calls, at: className.at };
  }

  whole(): Chain {
    const chain = this.chain();
    if (this.#peek().text === ';' && this.#peek().kind === 'punctuation') this.#position++;
    if (this.#peek().kind !== 'end') throw this.#error(this.#peek(), 'the end of the selector or "." expected');
    return chain;
  }

  #arguments(): Argument[] {
    this.#expect('(');
    const args: Argument[] = [];
    if (this.#peek().text === ')' && this.#peek().kind === 'punctuation') {
      this.#position++;
      return args;
    }
    for (;;) {
      args.push(this.#argument());
      const token = this.#peek();
      if (token.kind === 'punctuation' && token.text === ',') {
        this.#position++;
      } else {
        this.#expect(')', '"," or ")"');
        return args;
      }
    }
  }

  #argument(): Argument {
    const token = this.#peek();
    if (token.kind === 'string') {
      this.#position++;
      return { kind: 'string', value: token.text, at: token.at };
    }
    if (token.kind === 'number') {
      this.#position++;
      return { kind: 'number', value: Number(token.text), at: token.at };
    }
    if (token.kind === 'word' && (token.text === 'true' || token.text === 'false')) {
      this.#position++;
      return { kind: 'boolean', value: token.text === 'true', at: token.at };
    }
    const after = this.tokens[this.#position + 1];
    if (token.kind === 'word' && (token.text === 'new' || after?.text === '(')) {
      return { kind: 'chain', value: this.chain(), at: token.at };
    }
    throw this.#error(token, 'a string, number, true, false or new UiSelector() expected');
  }
}

/** Parses a whole `-android uiautomator` locator into its constructor and method calls. */
export function parseUiAutomator(source: string): Chain {
  return new Parser(source, tokenize(source)).whole();
}
