/**
 * Reads scenario files: YAML, validated against the scenario schema. A wrong
 * file gets one YamlFileError that lists every problem found, one line each,
 * naming the file, the line, the step and the key, e.g.
 * `full-cycle.yaml:14: step 3 (device.move): quantity: expected a number,
 * got text "six"`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { COMPANIES_FOLDER, companyFile, loadCompany } from '../../simulator/company.ts';
import { loadMapping, MAPPINGS_FOLDER } from '../../simulator/exchange/index.ts';
import { YamlFile, type FilePart, type YamlPath } from '../../simulator/yaml-file.ts';
import {
  scenarioHeadSchema,
  stepBodies,
  stepDeviceRule,
  type ActionName,
  type Scenario,
  type ScenarioSetup,
  type Step,
} from './schema.ts';
import { resolveFtpFiles } from './ftp-files.ts';
import { stepShapeProblem } from './step-shape.ts';

/** What a scenario file holds, told when the file holds something else. */
const SCENARIO_NEEDS = 'a scenario is a mapping with setup: (its devices: at least) and ' +
  'steps: (a list of actions), and optionally name: and description:; see docs/scenarios.md';

/** A step as a part of its file: its problems read `step 3 (device.move): key: problem`. */
function stepPart(index: number, action: string): FilePart {
  return { name: `step ${index + 1} (${action})`, whole: '(arguments)' };
}

/** The name a scenario goes by when its file gives none: the file's name without `.yaml`. */
export function defaultScenarioName(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}

/** Reads and validates a scenario file. Throws YamlFileError (a ConfigError) listing every problem. */
export function loadScenario(file: string): Scenario {
  const source = YamlFile.read(file, 'scenario file');
  const raw = source.data();
  if (!source.isMapping(raw, SCENARIO_NEEDS)) throw source.error();

  const head = scenarioHeadSchema.safeParse(raw);
  if (head.success) {
    checkSetup(source, head.data.setup);
  } else {
    for (const issue of head.error.issues) source.addIssue([], issue);
  }
  const rawSteps = Array.isArray(raw.steps) ? (raw.steps as unknown[]) : [];
  const devices = head.data?.setup.devices;
  const steps = rawSteps.map((_, index) => readStep(source, rawSteps, index, devices));
  if (head.success) resolveFtpFiles(source, head.data.setup, steps, (step) => stepPart(step.index, step.action));
  if (!head.success || source.problems.length > 0) throw source.error();

  return {
    file,
    name: head.data.name ?? defaultScenarioName(file),
    description: head.data.description ?? '',
    setup: head.data.setup,
    steps: steps as Step[],
  };
}

/** Checks one step and returns it, or records its problems and returns undefined. */
function readStep(source: YamlFile, rawSteps: unknown[], index: number, devices: string[] | undefined):
  Step | undefined {
  const path: YamlPath = ['steps', index];
  const shape = stepShapeProblem(rawSteps, index);
  if (shape !== undefined) {
    const { key, problem } = shape;
    source.addAt(key === undefined ? source.lineOf(path) : source.lineOfKey(path, key), problem);
    return undefined;
  }
  const raw = rawSteps[index] as Record<string, unknown>;
  const action = Object.keys(raw)[0] as ActionName;
  const step = stepPart(index, action);
  const rawBody = raw[action] ?? {};
  const parsed = stepBodies[action].safeParse(rawBody);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) source.addIssue([...path, action], issue, step);
  }
  const given = isRecord(rawBody) && typeof rawBody.device === 'string' ? rawBody.device : undefined;
  const rule = stepDeviceRule(action, isRecord(rawBody) ? rawBody : {});
  const device = stepDevice(source, [...path, action], step, given, rule === 'setup' ? devices : undefined);
  const misplaced = rule === 'any' ? given === undefined && 'device: name the device'
    : rule === 'none' && given !== undefined && `device: ${action} acts on no single device here; leave device out`;
  if (misplaced !== false) source.add([...path, action], misplaced, step);
  if (!parsed.success || device === undefined && rule !== 'none' || misplaced !== false) return undefined;

  const body = rule === 'setup' ? { ...parsed.data, device } : parsed.data;
  return { index, line: source.lineOf(path), action, body } as Step;
}

/**
 * The device a step acts on: the one it names, or the setup's only device;
 * records the problem if neither. Without `devices` (the setup's, unknown or
 * not to check against), the one it names.
 */
function stepDevice(source: YamlFile, path: YamlPath, step: FilePart, given: string | undefined,
  devices: string[] | undefined): string | undefined {
  if (devices === undefined) return given;
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
function checkSetup(source: YamlFile, setup: ScenarioSetup): void {
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
