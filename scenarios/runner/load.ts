/**
 * Reads scenario files: YAML, validated against the scenario schema. A wrong
 * file gets one ConfigError that names the file, the line, the step and the
 * key, e.g. `full-cycle.yaml:14: step 3 (device.move): quantity: expected number`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../../simulator/errors.ts';
import {
  ACTION_NAMES,
  scenarioHeadSchema,
  stepBodies,
  type ActionName,
  type Scenario,
  type Step,
} from './schema.ts';

type Path = (string | number)[];

/** Where a problem is in a scenario file, to build messages that point at it. */
class ScenarioSource {
  readonly file: string;
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
      if (node?.range) return this.lines.linePos(node.range[0]).line;
    }
    return undefined;
  }

  error(path: Path, problem: string, step?: { index: number; action: string }): ConfigError {
    const line = this.lineOf(path);
    const where = line === undefined ? this.file : `${this.file}:${line}`;
    const stepText = step ? ` step ${step.index + 1} (${step.action}):` : '';
    return new ConfigError(`${where}:${stepText} ${problem}`);
  }
}

/** Reads and validates one scenario file. Throws ConfigError on any problem. */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the scenario file: ${(error as Error).message}`, { cause: error });
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const source = new ScenarioSource(file, document, lines);
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const line = syntaxError.linePos?.[0].line;
    throw new ConfigError(`${file}${line ? `:${line}` : ''}: not valid YAML: ${syntaxError.message.split('\n')[0]}`);
  }

  const head = scenarioHeadSchema.safeParse(document.toJS());
  if (!head.success) throw issueError(source, [], head.error.issues[0]!);
  const { setup } = head.data;
  const steps = head.data.steps.map((raw, index) => readStep(source, raw, index, setup.devices));

  return {
    file,
    name: head.data.name ?? basename(file).replace(/\.ya?ml$/, ''),
    description: head.data.description ?? '',
    setup,
    steps,
  };
}

function readStep(source: ScenarioSource, raw: unknown, index: number, devices: string[]): Step {
  const path: Path = ['steps', index];
  const keys = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? Object.keys(raw) : [];
  if (keys.length !== 1) {
    throw source.error(path, `step ${index + 1}: a step is one action, e.g. "- device.send: {}"; ` +
      `the actions are ${ACTION_NAMES.join(', ')}`);
  }
  const action = keys[0]!;
  if (!(ACTION_NAMES as string[]).includes(action)) {
    throw source.error(path,
      `step ${index + 1}: unknown action "${action}"; the actions are ${ACTION_NAMES.join(', ')}`);
  }
  const schema = stepBodies[action as ActionName];
  const parsed = schema.safeParse((raw as Record<string, unknown>)[action] ?? {});
  if (!parsed.success) throw issueError(source, [...path, action], parsed.error.issues[0]!, { index, action });

  const body = parsed.data as { device?: string };
  if (body.device === undefined) {
    if (devices.length !== 1) {
      throw source.error([...path, action], 'device: name the device, since the setup has several', { index, action });
    }
    body.device = devices[0];
  } else if (!devices.includes(body.device)) {
    throw source.error([...path, action, 'device'],
      `device: ${body.device} is not in setup.devices (${devices.join(', ')})`, { index, action });
  }
  const line = source.lineOf(path);
  return { index, line, action, body } as Step;
}

function issueError(
  source: ScenarioSource,
  prefix: Path,
  issue: z.core.$ZodIssue,
  step?: { index: number; action: string },
): ConfigError {
  const path = [...prefix, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))];
  const key = issue.path.length > 0 ? issue.path.join('.') : step ? '(arguments)' : '(top)';
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return source.error(path, `${key}: ${message}`, step);
}
