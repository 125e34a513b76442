/**
 * YAML files that people write (scenarios, companies files, company files),
 * read so that every problem names the file and the line to look at, e.g.
 * `bench.companies.yaml:4: companies.1.catalog.size: expected one of small,
 * medium, large, got text "huge"`.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.ts';
import { describeValue, issueText, plainIssues, type FoundValue } from './schema-issue.ts';
import { syntaxProblems } from './yaml-syntax.ts';

/** A place in a YAML file's data, as zod gives it: `['steps', 2, 'device.move', 'quantity']`. */
export type YamlPath = (string | number)[];

/** A part of a file that problems are told within, e.g. a scenario's step. */
export interface FilePart {
  /** Put before its problems: `step 3 (device.move)`. */
  name: string;
  /** What a problem of the whole part is about, where a key would be: `(arguments)`. */
  whole: string;
}

/** A YAML file that is wrong: `problems` holds each problem, one a line: `file:line: key: problem`. */
export class YamlFileError extends ConfigError {
  readonly file: string;
  readonly problems: readonly string[];

  constructor(file: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(problems.join('\n'), options);
    this.file = file;
    this.problems = problems;
  }
}

/**
 * Runs `check` and, when it throws YamlFileError, throws one with only its
 * first problem instead: for files whose problem is told on one line, e.g.
 * within the problem of the scenario or companies file that names them.
 */
export function withFirstProblemOnly<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof YamlFileError) || error.problems.length < 2) throw error;
    throw new YamlFileError(error.file, error.problems.slice(0, 1), { cause: error.cause });
  }
}

/** A YAML file being checked: where each of its values stands, and the problems found so far. */
export class YamlFile {
  readonly file: string;
  readonly problems: string[] = [];
  private readonly text: string;
  private readonly document: Document;
  private readonly lines: LineCounter;

  private constructor(file: string, text: string, document: Document, lines: LineCounter) {
    this.file = file;
    this.text = text;
    this.document = document;
    this.lines = lines;
  }

  /**
   * Reads a file and parses its YAML; `kind` names the file in messages
   * (`scenario file`). Throws YamlFileError when it cannot be read or is not
   * valid YAML, listing every syntax error.
   */
  static read(file: string, kind: string): YamlFile {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const problem = `${file}: cannot read the ${kind}: ${(error as Error).message}`;
      throw new YamlFileError(file, [problem], { cause: error });
    }

    // Without pretty errors, messages are free of the code frame and its "at line L, column C:".
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const yaml = new YamlFile(file, text, document, lines);
    for (const { line, column, message } of syntaxProblems(text, document.errors, lines)) {
      yaml.addAt(line, `not valid YAML (column ${column}): ${message}`);
    }
    yaml.checkAliases();
    yaml.throwIfWrong();
    return yaml;
  }

  /** The file's data as plain values. Throws YamlFileError when the YAML does not convert. */
  data(): unknown {
    try {
      return this.document.toJS();
    } catch (error) {
      const problem = `${this.file}: not valid YAML: ${(error as Error).message}`;
      throw new YamlFileError(this.file, [problem], { cause: error });
    }
  }

  /**
   * Whether `data`, the file's data, is a mapping; if not, records what the
   * file holds instead and what it needs (`needs`: `a scenario needs setup: ...`).
   */
  isMapping(data: unknown, needs: string): data is Record<string, unknown> {
    if (isRecord(data)) return true;
    if (data === null || data === undefined) {
      const but = this.text.trim() === '' ? '' : ' but for comments';
      this.addAt(undefined, `the file is empty${but}; ${needs}`);
    } else {
      const holds = Array.isArray(data) ? 'is a list, not a mapping' : `holds only ${describeValue(data)}`;
      this.add([], `the file ${holds}; ${needs}`);
    }
    return false;
  }

  /**
   * The file's data, checked to be a mapping (`needs` as for isMapping) that
   * `schema` accepts. Throws YamlFileError with every problem found.
   */
  parseMapping<T>(schema: z.ZodType<T>, needs: string): T {
    const raw = this.data();
    if (!this.isMapping(raw, needs)) throw this.error();
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    for (const issue of result.error.issues) this.addIssue([], issue);
    throw this.error();
  }

  /** The line of the deepest node of `path` that exists in the file. */
  lineOf(path: YamlPath): number | undefined {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = this.nodeAt(path.slice(0, depth)) as { range?: [number, number, number] } | undefined;
      if (node?.range) return this.lineAt(node.range[0]);
    }
    return undefined;
  }

  /** The line of key `key` in the mapping at `path`, or of the mapping when it lacks the key. */
  lineOfKey(path: YamlPath, key: string): number | undefined {
    const map = this.nodeAt(path);
    if (isMap(map)) {
      const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      const range = isScalar(pair?.key) ? pair.key.range : undefined;
      if (range) return this.lineAt(range[0]);
    }
    return this.lineOf(path);
  }

  /** The 1-based line of a character offset in the file. */
  lineAt(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  /** Records a problem at a line: `file:line: step 3 (device.move): problem`. */
  addAt(line: number | undefined, problem: string, part?: FilePart): void {
    const where = line === undefined ? this.file : `${this.file}:${line}`;
    this.problems.push(`${where}:${part ? ` ${part.name}:` : ''} ${problem}`);
  }

  /** Records a problem at the deepest node of `path` found in the file. */
  add(path: YamlPath, problem: string, part?: FilePart): void {
    this.addAt(this.lineOf(path), problem, part);
  }

  /**
   * Records a schema issue of the data at `prefix`, named by its key:
   * `setup.devices: expected a list, got text "Tab001"`. An unknown key is
   * recorded on its own line, one problem per key.
   */
  addIssue(prefix: YamlPath, issue: z.core.$ZodIssue, part?: FilePart): void {
    for (const plain of plainIssues([issue])) this.addPlainIssue(prefix, plain, part);
  }

  private addPlainIssue(prefix: YamlPath, issue: z.core.$ZodIssue, part?: FilePart): void {
    const path = [...prefix, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))];
    const key = issue.path.length > 0 ? issue.path.join('.') : (part?.whole ?? '(top)');
    if (issue.code === 'unrecognized_keys') {
      for (const unknown of issue.keys) {
        this.addAt(this.lineOfKey(path, unknown), `${key}: unknown key "${unknown}"`, part);
      }
      return;
    }
    this.add(path, `${key}: ${issueText(issue, this.foundAt(path))}`, part);
  }

  /** A YamlFileError with every problem recorded so far, to throw. */
  error(options?: { cause?: unknown }): YamlFileError {
    return new YamlFileError(this.file, [...this.problems], options);
  }

  /** Throws a YamlFileError with every problem recorded, if there is any. */
  throwIfWrong(): void {
    if (this.problems.length > 0) throw this.error();
  }

  /** What the file holds at `path`, in words; undefined when nothing is written there. */
  private foundAt(path: YamlPath): FoundValue {
    // A short form (`bandwidth: 5g`) is checked as its long one (`bandwidth.network`): find the plain value.
    const shortForm = path.map((_key, end) => this.nodeAt(path.slice(0, end))).find(isScalar);
    if (shortForm !== undefined) return describeValue(shortForm.value);
    const node = this.nodeAt(path);
    if (node === undefined) return undefined;
    if (isMap(node)) return 'a mapping';
    if (isSeq(node)) return 'a list';
    return describeValue(isScalar(node) ? node.value : this.document.getIn(path));
  }

  private nodeAt(path: YamlPath): unknown {
    return path.length === 0 ? this.document.contents : this.document.getIn(path, true);
  }

  // An alias whose anchor is missing is no parse error: the library throws only when converting.
  private checkAliases(): void {
    visit(this.document, {
      Alias: (_key, alias) => {
        if (alias.resolve(this.document) !== undefined) return;
        const line = alias.range ? this.lineAt(alias.range[0]) : undefined;
        const name = alias.source;
        this.addAt(line, `not valid YAML: alias *${name} has no anchor &${name} before it`);
      },
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
