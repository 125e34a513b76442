/**
 * Runs a set of scenario files one after the other into a run folder
 * (`reports/<run>/`), each in its own sub-folder, and sums them up. A file
 * that does not load is a broken result of its own; the others still run.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, HilError } from '../../simulator/errors.ts';
import { makeFolders } from '../../simulator/folders.ts';
import { faultSpecText } from '../../simulator/ftp/faults/fault-spec-text.ts';
import { defaultScenarioName, loadScenario } from './load.ts';
import type { RunFtpExtras, RunSummary, ScenarioResult, StepResult } from './result.ts';
import {
  runScenario, writeResult, type DriverFactory, type FtpExtras, type SimulatorAddress,
} from './run-scenario.ts';

/** The folder of the scenarios shipped with the project. */
export const SCENARIOS_FOLDER = resolve(import.meta.dirname, '..');

/** How many folders may share one name (`name`, `name-02`... `name-99`) before we give up. */
const MAX_FOLDERS_OF_A_NAME = 99;

interface RunSuiteCommon {
  files: readonly string[];
  openDriver?: DriverFactory;
  /** Where each scenario's simulator listens and how devices reach it; default 127.0.0.1. */
  simulatorAddress?: SimulatorAddress;
  /** Faults, seed and profile added to every scenario's FTP server (FtpExtras). */
  ftpExtras?: FtpExtras;
  /** Called with the run's folder once it is made, before the first scenario. */
  onRunStart?: (folder: string) => void;
  onScenarioStart?: (file: string) => void;
  onStep?: (file: string, result: StepResult) => void;
  onScenarioEnd?: (result: ScenarioResult) => void;
}

/**
 * Where the run goes: `reports`, a folder in which the run makes its own
 * folder named by its start time, or `folder`, the run's folder itself. Either
 * way the run's folder is new: a name already taken gets a suffix (`-02`...).
 */
export type RunSuiteOptions = RunSuiteCommon &
  ({ reports: string; folder?: never } | { folder: string; reports?: never });

/** Every scenario file of a folder (`*.yaml`, `*.yml`), sorted by name. */
export function scenarioFiles(folder: string = SCENARIOS_FOLDER): string[] {
  return readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(folder, name));
}

/**
 * A run id that sorts by start time, to the millisecond, and is safe as a
 * folder name: 2026-12-03T19-41-31.042. Two runs may still start in the same
 * millisecond: createNewFolder tells them apart.
 */
export function newRunId(now: Date = new Date()): string {
  return now.toISOString().slice(0, 23).replace(/:/g, '-');
}

/**
 * Makes a folder that did not exist: `folder`, or `folder-02`, `folder-03`...
 * when another run holds the name, and returns its path. Names still sort in
 * the order they were made. The parent is made if missing. Never reuses or
 * empties an existing folder: each mkdir is exclusive, so parallel runs
 * sharing a reports folder each get their own. Throws ConfigError when the
 * folder cannot be made.
 */
export function createNewFolder(folder: string): string {
  try {
    makeFolders(dirname(folder));
  } catch (error) {
    throw folderError(folder, error);
  }
  for (let count = 1; count <= MAX_FOLDERS_OF_A_NAME; count += 1) {
    const candidate = count === 1 ? folder : `${folder}-${String(count).padStart(2, '0')}`;
    try {
      mkdirSync(candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw folderError(candidate, error);
    }
  }
  throw new ConfigError(`cannot create ${folder}: it and ${MAX_FOLDERS_OF_A_NAME - 1} folders of that name ` +
    'with a suffix exist already; clear out the reports folder');
}

function folderError(folder: string, error: unknown): ConfigError {
  return new ConfigError(`cannot create the folder ${folder}: ${(error as Error).message}; ` +
    'choose a reports folder that can be created and written (estock-hil run --reports <folder>)', { cause: error });
}

/**
 * Runs the files in order and returns the summary (the caller writes and
 * prints it). Throws ConfigError when the run's folder cannot be made or written.
 */
export async function runSuite(options: RunSuiteOptions): Promise<RunSummary> {
  const startedAt = new Date();
  const started = performance.now();
  const requested = options.folder ?? join(options.reports, newRunId(startedAt));
  const folder = createNewFolder(resolve(requested));
  options.onRunStart?.(folder);

  const scenarios: ScenarioResult[] = [];
  for (const file of options.files) {
    options.onScenarioStart?.(file);
    const result = await runFile(file, folder, options);
    scenarios.push(result);
    options.onScenarioEnd?.(result);
  }
  return {
    run: basename(folder),
    folder,
    startedAt: startedAt.toISOString(),
    ms: Math.round(performance.now() - started),
    passed: scenarios.filter((s) => s.status === 'passed').length,
    failed: scenarios.filter((s) => s.status === 'failed').length,
    broken: scenarios.filter((s) => s.status === 'broken').length,
    ...(runFtpExtras(options.ftpExtras) !== undefined && { ftp: runFtpExtras(options.ftpExtras) }),
    scenarios,
  };
}

/** The run's FTP extras as the summary records them; undefined when the run gave none. */
function runFtpExtras(extras: FtpExtras | undefined): RunFtpExtras | undefined {
  if (extras === undefined) return undefined;
  const { faults = [], seed, profile } = extras;
  if (faults.length === 0 && seed === undefined && profile === undefined) return undefined;
  return {
    faults: faults.map(faultSpecText),
    ...(seed !== undefined && { seed }),
    ...(profile !== undefined && { profile: profile.name }),
  };
}

/** The run's FTP extras in words, for the line under "Running N scenarios": undefined when none. */
export function runFtpExtrasText(extras: FtpExtras | undefined): string | undefined {
  const given = runFtpExtras(extras);
  if (given === undefined) return undefined;
  return [
    ...(given.profile !== undefined ? [`server profile ${given.profile}`] : []),
    ...given.faults.map((fault) => `fault ${fault}`),
    ...(given.seed !== undefined ? [`seed ${given.seed}`] : []),
  ].join('; ');
}

async function runFile(file: string, runFolder: string, options: RunSuiteOptions): Promise<ScenarioResult> {
  // Two files of one name (a/x.yaml, b/x.yaml) get folders of their own.
  const folder = createNewFolder(join(runFolder, defaultScenarioName(file)));
  let scenario;
  try {
    scenario = loadScenario(file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof HilError ? error.code : undefined;
    const result: ScenarioResult = { name: defaultScenarioName(file), file, status: 'broken', steps: [],
      movementsImported: 0, ftpBytes: 0, ms: 0, folder, error: { code, message } };
    writeResult(result);
    return result;
  }
  return runScenario(scenario, { folder, openDriver: options.openDriver, simulatorAddress: options.simulatorAddress,
    ftpExtras: options.ftpExtras, onStep: (r) => options.onStep?.(file, r) });
}
