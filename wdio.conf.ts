/**
 * WebdriverIO configuration of the Appium suites: every scenario runs as a
 * mocha test on each device slot the launcher chose (`npm run e2e -- --device
 * virtual --device virtual` is two workers, in parallel), through an Appium
 * server that @wdio/appium-service starts from node_modules on 127.0.0.1.
 * The choice comes from bin/e2e.ts in the HIL_E2E_RUN environment variable;
 * without it, one virtual device. docs/e2e.md describes the run.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, readE2eRun, runLogsFolder } from './e2e/e2e-run.ts';
import { slotCapabilities } from './e2e/slot-profile.ts';

const run = readE2eRun();
const logsFolder = runLogsFolder(run);

/** The drivers Appium loads: the virtual eStock driver and UiAutomator2 for real tablets and emulators. */
export const APPIUM_DRIVERS = 'estock-virtual,uiautomator2';

/** The installed app's version is read through `mobile: shell` (dumpsys package), an insecure feature of both. */
export const ALLOW_INSECURE = '*:adb_shell';

/** A scenario's longest run on one device, in ms: the virtual device takes seconds, a tablet's screens more. */
export const SCENARIO_TIMEOUT_MS = 300_000;

// Appium rebuilds its list of drivers only when this manifest is missing: a stale one hides a driver added to
// the workspace (docs/appium-notes.md). It is the project's when Appium has no home of its own (`npx wdio run`
// without bin/e2e.ts). Deleted by the launcher's process, before Appium starts; not by workers.
if (process.env.WDIO_WORKER_ID === undefined) {
  rmSync(join(PROJECT_ROOT, 'node_modules', '.cache', 'appium'), { recursive: true, force: true });
}

/** The configuration @wdio/cli reads. */
export const config: WebdriverIO.Config = {
  runner: 'local',
  specs: [join(PROJECT_ROOT, 'e2e', 'scenarios.e2e.ts')],
  // One capability per device slot, each its own worker running every scenario on its device.
  capabilities: run.devices.map((slot) => slotCapabilities(slot, run.reportsFolder)),
  maxInstances: run.devices.length,
  // info: each worker's log says which commands it sent; the logs go to files only, the terminal stays as it was.
  logLevel: 'info',
  // wdio.log of the launcher and wdio-<worker>.log of each worker, in the run's folder.
  outputDir: logsFolder,
  autoXvfb: false,
  bail: 0,
  waitforTimeout: 10_000,
  connectionRetryCount: 0,
  services: [['appium', {
    // Appium writes its whole log to appium.log itself: the service's wdio-appium.log starts only once
    // Appium listens, without its start lines.
    args: { address: '127.0.0.1', useDrivers: APPIUM_DRIVERS, allowInsecure: ALLOW_INSECURE, logLevel: 'info',
      logNoColors: true, log: join(logsFolder, 'appium.log') },
    logPath: logsFolder,
    appiumStartTimeout: 30_000,
  }]],
  framework: 'mocha',
  mochaOpts: { ui: 'bdd', timeout: SCENARIO_TIMEOUT_MS },
  reporters: [
    'spec',
    ['allure', {
      outputDir: run.resultsFolder,
      disableWebdriverStepsReporting: true,
      disableWebdriverScreenshotsReporting: true,
      disableMochaHooks: true,
    }],
  ],
};
