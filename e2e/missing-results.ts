/**
 * A broken Allure result for each scenario a device never ran: a session
 * that did not open (a tablet unplugged, an emulator not started) or a worker
 * that died leaves no result of its own, and the report must still show
 * that these scenarios did not run there, and why to look in the logs.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AllureTestResult } from './allure-results.ts';
import { runLogsFolder, slotLabel, suiteTitle, type E2eRun } from './e2e-run.ts';

/**
 * Writes the missing results into the run's results folder and returns how
 * many: for each slot, each title of `titles` that has no result labelled
 * with the slot's device. `causes` gives, by device label, why the device's
 * session did not open, when the launcher could tell.
 */
export function writeMissingResults(run: E2eRun, titles: readonly string[],
  results: readonly AllureTestResult[], now: Date = new Date(),
  causes: ReadonlyMap<string, string> = new Map()): number {
  mkdirSync(run.resultsFolder, { recursive: true });
  let written = 0;
  for (const slot of run.devices) {
    const device = slotLabel(slot);
    const ran = new Set(results.filter((result) => labelOf(result, 'device') === device).map((result) => result.name));
    for (const title of titles.filter((candidate) => !ran.has(candidate))) {
      writeBroken(run.resultsFolder, { suite: suiteTitle(slot), device, profile: slot.profile, title, now,
        logs: runLogsFolder(run), cause: causes.get(device) });
      written += 1;
    }
  }
  return written;
}

interface Missing {
  suite: string;
  device: string;
  profile: string;
  title: string;
  now: Date;
  /** The run's logs folder, named in the message. */
  logs: string;
  cause?: string;
}

function writeBroken(folder: string, missing: Missing): void {
  const uuid = randomUUID();
  const fullName = `${missing.suite} ${missing.title}`;
  const result = {
    uuid,
    historyId: createHash('md5').update(fullName).digest('hex'),
    name: missing.title,
    fullName,
    status: 'broken',
    statusDetails: { message: notRunMessage(missing) },
    stage: 'finished',
    start: missing.now.getTime(),
    stop: missing.now.getTime(),
    labels: [
      { name: 'parentSuite', value: missing.suite },
      { name: 'device', value: missing.device },
      { name: 'profile', value: missing.profile },
      { name: 'framework', value: 'wdio' },
    ],
    parameters: [{ name: 'device', value: missing.device }],
    steps: [],
    attachments: [],
  };
  writeFileSync(join(folder, `${uuid}-result.json`), `${JSON.stringify(result, null, 2)}\n`);
}

function notRunMessage({ device, cause, logs }: Missing): string {
  if (cause !== undefined) {
    return `not run on ${device}: its Appium session did not open: ${cause} (more in ${join(logs, 'appium.log')})`;
  }
  return `not run on ${device}: its WebdriverIO worker ended before this scenario (its Appium session did not ` +
    `open, or the worker stopped); the output of npm run e2e and ${logs} (appium.log, the worker's log) say why`;
}

function labelOf(result: AllureTestResult, name: string): string | undefined {
  return result.labels.find((label) => label.name === name)?.value;
}
