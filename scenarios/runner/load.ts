/**
 * Reads scenario files: YAML, validated against the scenario schema. A wrong
 * file gets one ScenarioFileError that lists every problem found, one line
 * each, naming the file, the line, the step and the key, e.g.
 * `full-cycle.yaml:14: step 3 (device.move): quantity: expected number`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { COMPANIES_FOLDER, companyFile, loadCompany } from '../../simulator/company.ts';
import { ConfigError } from '../../simulator/errors.ts';
import { loadMapping, MAPPINGS_FOLDER } from '../../simulator/exchange/index.ts';
import {
  ACTION_NAMES,
  scenarioHeadSchema,
  stepBodies,
  type ActionName,
  type Scenario,
  type ScenarioSetup,
  type Step,
} from './schema.ts';

type Path = (string | number)[];

/** The step a problem belongs to, for the `step 3 (device.move):` part of its message. */
interface StepPlace {
  index: number;
  action: string;
}

/** A scenario file that cannot run as written: `problems` holds each problem, one line each. */
export class ScenarioFileError extends ConfigError {
  readonly file: string;
  readonly problems: readonly string[];

  constructor(file: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(problems.join('\n'), options);
    this.file = file;
    this.problems = problems;
  }
}

/** The name a scenario goes by when its file gives none: the file's name without `.yaml`. */
export function defaultScenarioName(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}

/** Where problems are in a scenario file, and the problems found so far. */
class ScenarioSource {
  readonly file: string;
  readonly problems: string[] = [];
  private readonly document: Document;
  private readonly lines: LineCounter;

  constructor(file: string, document: Document, lines: LineCounter) {
    this.file = file;
    this.document = document;
    this.lines = lines;
  }

  /** The line of the deepest node of `path` that exists in the file. */
  lineOf(path: Path): number | undefined {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = this.document.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return this.lineAt(node.range[0]);
    }
    return undefined;
  }

  /** The line of key `key` in the map at `path`, or of the map itself when the key is not found. */
  lineOfKey(path: Path, key: string): number | undefined {
    const map = path.length === 0 ? this.document.contents : this.document.getIn(path, true);
    if (isMap(map)) {
      const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      const range = isScalar(pair?.key) ? pair.key.range : undefined;
      if (range) return this.lineAt(range[0]);
    }
    return this.lineOf(path);
  }

  lineAt(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  /** Records a problem at a line: `file:line: step 3 (device.move): problem`. */
  addAt(line: number | undefined, problem: string, step?: StepPlace): void {
    const where = line === undefined ? this.file : `${this.file}:${line}`;
    const stepText = step ? ` step ${step.index + 1} (${step.action}):` : '';
    this.problems.push(`${where}:${stepText} ${problem}`);
  }

  /** Records a problem at the deepest node of `path` found in the file. */
  add(path: Path, problem: string, step?: StepPlace): void {
    this.addAt(this.lineOf(path), problem, step);
  }

  /** Throws a ScenarioFileError with every problem recorded, if there is any. */
  throwIfWrong(): void {
    if (this.problems.length > 0) throw new ScenarioFileError(this.file, this.problems);
  }
}

/** Reads and validates one scenario file. Throws ScenarioFileError (a ConfigError) listing every problem. */
export function loadScenario(file: string): Scenario {
  const { source, toJS } = parseScenarioFile(file);
  const raw = toJS();
  const head = scenarioHeadSchema.safeParse(raw);
  if (head.success) {
    checkSetup(source, head.data.setup);
  } else {
    for (const issue of head.error.issues) reportIssue(source, [], issue);
  }
  const rawSteps = isRecord(raw) && Array.isArray(raw.steps) ? (raw.steps as unknown[]) : [];
  const steps = rawSteps.map((rawStep, index) => readStep(source, rawStep, index, head.data?.setup.devices));
  if (!head.success || source.problems.length > 0) throw new ScenarioFileError(file, source.problems);

  return {
    file,
    name: head.data.name ?? defaultScenarioName(file),
    description: head.data.description ?? '',
    setup: head.data.setup,
    steps: steps as Step[],
  };
}

/** Reads the file and parses its YAML; throws on unreadable files and on YAML errors, listing them all. */
function parseScenarioFile(file: string): { source: ScenarioSource; toJS: () => unknown } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const problem = `${file}: cannot read the scenario file: ${(error as Error).message}`;
    throw new ScenarioFileError(file, [problem], { cause: error });
  }

  // Without pretty errors, messages are free of the code frame and its "at line L, column C:" head.
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const source = new ScenarioSource(file, document, lines);
  for (const error of document.errors) {
    const { line, col } = lines.linePos(error.pos[0]);
    source.addAt(line, `not valid YAML (column ${col}): ${error.message}`);
  }
  // An alias whose anchor is missing is no parse error: the yaml library throws only when converting.
  visit(document, {
    Alias(_key, alias) {
      if (alias.resolve(document) === undefined) {
        const line = alias.range ? source.lineAt(alias.range[0]) : undefined;
        source.addAt(line, `not valid YAML: alias *${alias.source} has no anchor &${alias.source} before it`);
      }
    },
  });
  source.throwIfWrong();

  const toJS = () => {
    try {
      return document.toJS();
    } catch (error) {
      const problem = `${file}: not valid YAML: ${(error as Error).message}`;
      throw new ScenarioFileError(file, [problem], { cause: error });
    }
  };
  return { source, toJS };
}

/** Checks one step and returns it, or records its problems and returns undefined. */
function readStep(source: ScenarioSource, raw: unknown, index: number, devices: string[] | undefined):
  Step | undefined {
  const path: Path = ['steps', index];
  const keys = isRecord(raw) ? Object.keys(raw) : [];
  if (keys.length !== 1) {
    source.add(path, `step ${index + 1}: a step is one action, e.g. "- device.send: {}"; ` +
      `the actions are ${ACTION_NAMES.join(', ')}`);
    return undefined;
  }
  const action = keys[0]!;
  if (!(ACTION_NAMES as string[]).includes(action)) {
    source.add(path, `step ${index + 1}: unknown action "${action}"; the actions are ${ACTION_NAMES.join(', ')}`);
    return undefined;
  }
  const step = { index, action };
  const rawBody = (raw as Record<string, unknown>)[action] ?? {};
  const parsed = stepBodies[action as ActionName].safeParse(rawBody);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reportIssue(source, [...path, action], issue, step);
  }
  const given = isRecord(rawBody) && typeof rawBody.device === 'string' ? rawBody.device : undefined;
  const device = stepDevice(source, [...path, action], step, given, devices);
  if (!parsed.success || device === undefined) return undefined;

  const body = { ...parsed.data, device };
  return { index, line: source.lineOf(path), action, body } as Step;
}

/** The device a step acts on: the one it names, or the setup's only device; records the problem if neither. */
function stepDevice(source: ScenarioSource, path: Path, step: StepPlace, given: string | undefined,
  devices: string[] | undefined): string | undefined {
  if (devices === undefined) return undefined;
  if (given === undefined) {
    if (devices.length === 1) return devices[0];
    source.add(path, 'device: name the device, since the setup has several', step);
    return undefined;
  }
  if (!devices.includes(given)) {
    source.add([...path, 'device'], `device: ${given} is not in setup.devices (${devices.join(', ')})`, step);
    return undefined;
  }
  return given;
}

/**
 * Checks what the run would find wrong before its first step: the company
 * file, the mapping, and that each device is in the company's device registry.
 */
function checkSetup(source: ScenarioSource, setup: ScenarioSetup): void {
  const companyPath = ['setup', 'company'];
  let registry: string[] | undefined;
  try {
    const company = loadCompany(setup.company);
    registry = company.registry.map((device) => device.deviceId);
  } catch (error) {
    const file = companyFile(setup.company);
    const problem = existsSync(file)
      ? (error as Error).message
      : `no company file ${file}; name a company of simulator/companies (${shippedCompanies().join(', ')}) ` +
        'or give the path of a company file';
    source.add(companyPath, `setup.company: ${problem}`);
  }
  setup.devices.forEach((device, index) => {
    if (registry === undefined || registry.includes(device)) return;
    source.add(['setup', 'devices', index], `setup.devices.${index}: ${device} is not in the device registry of ` +
      `company ${setup.company}; choose one of ${registry.join(', ')}, or register it in the company file`);
  });

  const { format, version } = setup.mapping;
  try {
    loadMapping(format, version);
  } catch (error) {
    const problem = existsSync(join(MAPPINGS_FOLDER, format, `${version}.yaml`))
      ? (error as Error).message
      : `no mapping ${format} ${version}; the mappings are ${mappingNames().join(', ') || '(none)'}`;
    source.add(['setup', 'mapping'], `setup.mapping: ${problem}`);
  }
}

/** The companies shipped, by name: the company files of simulator/companies (other files live there too). */
function shippedCompanies(): string[] {
  return namesIn(COMPANIES_FOLDER).split(', ').filter((name) => {
    try {
      loadCompany(name);
      return true;
    } catch {
      return false;
    }
  });
}

/** The YAML files of a folder by name without extension, e.g. `demo`. */
function namesIn(folder: string): string {
  return readdirSync(folder).filter((name) => /\.ya?ml$/.test(name)).map(defaultScenarioName).sort().join(', ');
}

/** Every mapping shipped, as `format version`: `eStock 1.00`. */
function mappingNames(): string[] {
  return readdirSync(MAPPINGS_FOLDER, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => namesIn(join(MAPPINGS_FOLDER, entry.name)).split(', ').filter(Boolean)
      .map((version) => `${entry.name} ${version}`));
}

/** Records a schema issue; an unknown key is reported on its own line, one problem per key. */
function reportIssue(source: ScenarioSource, prefix: Path, issue: z.core.$ZodIssue, step?: StepPlace): void {
  const issuePath = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
  const path = [...prefix, ...issuePath];
  const key = issue.path.length > 0 ? issue.path.join('.') : step ? '(arguments)' : '(top)';
  if (issue.code === 'unrecognized_keys') {
    for (const unknown of issue.keys) {
      source.addAt(source.lineOfKey(path, unknown), `${key}: unknown key "${unknown}"`, step);
    }
    return;
  }
  source.add(path, `${key}: ${issue.message}`, step);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
