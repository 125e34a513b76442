/**
 * Reads what @wdio/allure-reporter wrote: the test results of a run, by
 * status, and clears a results folder before a run so that it holds that run
 * only.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** One test result as Allure writes it (`<uuid>-result.json`), the fields the harness reads. */
export interface AllureTestResult {
  name: string;
  status?: 'passed' | 'failed' | 'broken' | 'skipped' | 'unknown';
  statusDetails?: { message?: string; trace?: string };
  labels: { name: string; value: string }[];
  parameters?: { name: string; value: string }[];
  steps: AllureStepResult[];
  attachments: { name: string; source: string; type?: string }[];
}

/** A step of a test result, with its own steps and attachments. */
export interface AllureStepResult {
  name: string;
  status?: string;
  statusDetails?: { message?: string };
  steps: AllureStepResult[];
  attachments: { name: string; source: string; type?: string }[];
}

/** The counts of a run's tests. */
export interface ResultCounts {
  passed: number;
  failed: number;
  broken: number;
  /** Skipped or of unknown status. */
  other: number;
}

// The files an Allure results folder holds: results, containers, attachments, and run-wide files.
const RESULT_FILE = new RegExp('-(result|container)\\.json$|-attachment(\\.\\w+)?$|' +
  '^(environment\\.properties|executor\\.json|categories\\.json)$');

/** Every test result of the folder (none for a folder that does not exist). */
export function readTestResults(folder: string): AllureTestResult[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('-result.json'))
    .map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as AllureTestResult);
}

/** The tests of the results by status. */
export function countResults(results: readonly AllureTestResult[]): ResultCounts {
  const counts: ResultCounts = { passed: 0, failed: 0, broken: 0, other: 0 };
  for (const result of results) {
    if (result.status === 'passed' || result.status === 'failed' || result.status === 'broken') {
      counts[result.status] += 1;
    } else {
      counts.other += 1;
    }
  }
  return counts;
}

/**
 * Removes the Allure files of an earlier run from the folder, and nothing
 * else: a folder given by mistake (the project's root) loses no file of its own.
 */
export function clearResults(folder: string): void {
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder)) {
    if (RESULT_FILE.test(name)) rmSync(join(folder, name), { force: true });
  }
}
