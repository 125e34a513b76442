/**
 * Runs a set of scenario files one after the other into a run folder
 * (`reports/<run>/`), each in its own sub-folder, and sums them up. A file
 * that does not load is a broken result of its own; the others still run.
 */
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { HilError } from '../../simulator/errors.ts';
import { loadScenario } from './load.ts';
import type { RunSummary, ScenarioResult, StepResult } from './result.ts';
import { runScenario, type DriverFactory } from './run-scenario.ts';

/** The folder of the scenarios shipped with the project. */
export const SCENARIOS_FOLDER = resolve(import.meta.dirname, '..');

export interface RunSuiteOptions {
  files: readonly string[];
  /** The run's folder, e.g. reports/2026-12-03T19-41-31. */
  folder: string;
  openDriver?: DriverFactory;
  onScenarioStart?: (file: string) => void;
  onStep?: (file: string, result: StepResult) => void;
  onScenarioEnd?: (result: ScenarioResult) => void;
}

/** Every scenario file of a folder (`*.yaml`, `*.yml`), sorted by name. */
export function scenarioFiles(folder: string = SCENARIOS_FOLDER): string[] {
  return readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(folder, name));
}

/** A run id that sorts by time and is safe as a folder name: 2026-12-03T19-41-31. */
export function newRunId(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19).replace(/:/g, '-');
}

/** Runs the files in order and returns the summary (the caller writes and prints it). */
export async function runSuite(options: RunSuiteOptions): Promise<RunSummary> {
  const startedAt = new Date();
  const started = performance.now();
  const scenarios: ScenarioResult[] = [];
  for (const file of options.files) {
    options.onScenarioStart?.(file);
    const result = await runFile(file, options);
    scenarios.push(result);
    options.onScenarioEnd?.(result);
  }
  return {
    run: basename(options.folder),
    startedAt: startedAt.toISOString(),
    ms: Math.round(performance.now() - started),
    passed: scenarios.filter((s) => s.status === 'passed').length,
    failed: scenarios.filter((s) => s.status === 'failed').length,
    broken: scenarios.filter((s) => s.status === 'broken').length,
    scenarios,
  };
}

async function runFile(file: string, options: RunSuiteOptions): Promise<ScenarioResult> {
  const folder = join(options.folder, basename(file).replace(/\.ya?ml$/, ''));
  let scenario;
  try {
    scenario = loadScenario(file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof HilError ? error.code : undefined;
    return { name: basename(file), file, status: 'broken', steps: [], movementsImported: 0, ftpBytes: 0, ms: 0,
      folder, error: { code, message } };
  }
  return runScenario(scenario, { folder, openDriver: options.openDriver, onStep: (r) => options.onStep?.(file, r) });
}
