/**
 * `npm run e2e`: runs every scenario through Appium on the chosen devices
 * with WebdriverIO (wdio.conf.ts), writes the Allure results, and prints
 * `N passed, N failed, N broken` as its last line. Exits with 1 when a
 * scenario did not pass or did not run, 2 for a wrong option.
 */
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { Launcher } from '@wdio/cli';
import { createAppiumHome } from '../simulator/appium-driver/appium-server.ts';
import { ConfigError } from '../simulator/errors.ts';
import { newRunId } from '../scenarios/runner/run-suite.ts';
import { clearResults, countResults, readTestResults } from '../e2e/allure-results.ts';
import {
  deviceSlots, E2E_RUN_ENV, encodeE2eRun, PROJECT_ROOT, runLogsFolder, slotLabel, type E2eRun,
} from '../e2e/e2e-run.ts';
import { writeMissingResults } from '../e2e/missing-results.ts';
import { watchSessionErrors, writeSessionErrors } from '../e2e/session-errors.ts';
import { scenarioTitle, selectScenarioFiles } from '../e2e/scenario-selection.ts';
import { slotProfile } from '../e2e/slot-profile.ts';
import { checkAppFile } from '../devices/profile.ts';
import { loadLocatorMap } from '../devices/appium/locator-map.ts';

interface E2eOptions {
  device: string[];
  app?: string;
  udid: string[];
  scenarios?: string;
  results: string;
  reports: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const program = new Command('e2e')
  .description('run the scenarios through Appium on each device given, in parallel, into Allure results')
  .option('--device <profile>', 'a device profile name or file, once per device (default: virtual)', collect, [])
  .option('--app <apk>', 'the app to install on every device (default: each profile\'s)')
  .option('--udid <serial>', 'the serial of a device, the n-th --udid for the n-th --device', collect, [])
  .option('--scenarios <glob|name>', 'only the scenarios whose file, path or name matches, or this file or folder')
  .option('--results <folder>', 'where the Allure results go (emptied of an earlier run first)', 'allure-results')
  .option('--reports <folder>', 'where the run\'s scenario folders go, in <folder>/<run>-e2e/', 'reports')
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

/** The run the options describe. Throws ConfigError for options that do not fit together. */
function chosenRun(options: E2eOptions): E2eRun {
  const profiles = options.device.length > 0 ? options.device : ['virtual'];
  return {
    devices: deviceSlots(profiles, { app: options.app && appOption(options.app), udids: options.udid }),
    ...(options.scenarios !== undefined && { scenarios: options.scenarios }),
    reportsFolder: resolve(options.reports, `${newRunId()}-e2e`),
    resultsFolder: resolve(options.results),
  };
}

/** An app file resolved from the working folder; a URL as given, for Appium to fetch. */
function appOption(app: string): string {
  return /^https?:\/\//i.test(app) ? app : resolve(app);
}

async function main(): Promise<number> {
  const options = program.parse().opts<E2eOptions>();
  const run = chosenRun(options);
  const titles = selectScenarioFiles(run.scenarios).map(scenarioTitle);
  // A profile that does not load (no udid for a tablet, a wrong file), names an app file that is not there
  // or a locator map that is wrong is said here, before the results are emptied and Appium starts.
  for (const slot of run.devices) {
    const profile = slotProfile(slot);
    checkAppFile(profile);
    if (profile.locators !== undefined) loadLocatorMap(profile.locators);
  }
  clearResults(run.resultsFolder);
  process.env[E2E_RUN_ENV] = encodeE2eRun(run);
  // Appium loads this checkout's drivers from a home of its own (createAppiumHome says why).
  const home = createAppiumHome();
  process.env.APPIUM_HOME = home.folder;

  const started = performance.now();
  let wdioExit: number;
  const watch = watchSessionErrors();
  let sessionErrors: Map<number, string>;
  try {
    wdioExit = await new Launcher(join(PROJECT_ROOT, 'wdio.conf.ts')).run() ?? 1;
  } finally {
    sessionErrors = watch.stop();
    home.remove();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  // One capability per slot, in order: the worker's cid starts with the slot's index.
  const causes = new Map([...sessionErrors].flatMap(([index, message]) =>
    run.devices[index] === undefined ? [] : [[slotLabel(run.devices[index]), message] as const]));
  if (causes.size > 0) writeSessionErrors(join(run.reportsFolder, 'session-errors.json'), causes);
  const missing = writeMissingResults(run, titles, readTestResults(run.resultsFolder), new Date(), causes);
  const counts = countResults(readTestResults(run.resultsFolder));
  process.stdout.write(`\nAllure results: ${run.resultsFolder} (npm run report); scenario folders: ` +
    `${run.reportsFolder}; ${seconds} s\n`);
  if (missing > 0) {
    process.stdout.write(`${missing} of ${titles.length * run.devices.length} scenario runs never ran (a device ` +
      `whose session did not open?): see the output above and ${runLogsFolder(run)}; each has a broken result\n`);
  }
  process.stdout.write(`${counts.passed} passed, ${counts.failed} failed, ${counts.broken + counts.other} broken\n`);
  return wdioExit === 0 && counts.failed + counts.broken + counts.other === 0 ? 0 : 1;
}

/** Writes the text, then exits once it is out: WebdriverIO's exit hook would end the process with 0 otherwise. */
function exitWith(code: number, text = '', stream: NodeJS.WriteStream = process.stdout): void {
  stream.write(text, () => process.exit(code));
}

try {
  exitWith(await main());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  exitWith(2, `e2e: ${error.message}\n`, process.stderr);
}
