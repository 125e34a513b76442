/**
 * What the launcher chose for an Appium run, handed to the WebdriverIO
 * configuration and to each worker through one environment variable of JSON:
 * the device slots (a device profile each), the scenarios, and where the
 * scenario folders and the Allure results go.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../simulator/errors.ts';

/** The environment variable that carries the run's choice as JSON. */
export const E2E_RUN_ENV = 'HIL_E2E_RUN';

/** The project's root: the folder of package.json. */
export const PROJECT_ROOT = resolve(import.meta.dirname, '..');

const deviceSlotSchema = z.strictObject({
  /** A device profile name (`virtual`) or the path of a profile file. */
  profile: z.string().min(1),
  /** 1-based among the slots of the same profile: the second `--device virtual` is slot 2. */
  slot: z.number().int().min(1),
  /** The app to install (an APK, or the virtual app's JSON); default the profile's. */
  app: z.string().min(1).optional(),
  /** The device's serial; default the profile's for its slot. */
  udid: z.string().min(1).optional(),
});

const e2eRunSchema = z.strictObject({
  devices: z.array(deviceSlotSchema).min(1),
  /** A glob or a scenario name, to run only those; default every scenario of scenarios/. */
  scenarios: z.string().min(1).optional(),
  /** Where each worker puts the folders of its scenarios (`<reports>/<slot>/<scenario>/`). */
  reportsFolder: z.string().min(1),
  /** Where @wdio/allure-reporter writes its results. */
  resultsFolder: z.string().min(1),
});

/** One device of the run: a profile in a slot. */
export type DeviceSlot = z.infer<typeof deviceSlotSchema>;

/** The run's choice. */
export type E2eRun = z.infer<typeof e2eRunSchema>;

/** The run of `npm run e2e` without options: one virtual device, every scenario, into the project's folders. */
export function defaultE2eRun(): E2eRun {
  return {
    devices: [{ profile: 'virtual', slot: 1 }],
    reportsFolder: resolve(PROJECT_ROOT, 'reports', 'e2e'),
    resultsFolder: resolve(PROJECT_ROOT, 'allure-results'),
  };
}

/**
 * Gives each device its slot: the n-th `--device` of a profile is its slot
 * n, and the n-th `--udid` goes to the n-th device.
 */
export function deviceSlots(profiles: readonly string[], options: { app?: string; udids?: readonly string[] } = {}):
  DeviceSlot[] {
  const udids = options.udids ?? [];
  if (udids.length > profiles.length) {
    throw new ConfigError(`${udids.length} --udid for ${profiles.length} --device: give one --device per udid, ` +
      'in the same order');
  }
  const counts = new Map<string, number>();
  return profiles.map((profile, index) => {
    const slot = (counts.get(profile) ?? 0) + 1;
    counts.set(profile, slot);
    const udid = udids[index];
    return { profile, slot, ...(options.app !== undefined && { app: options.app }),
      ...(udid !== undefined && { udid }) };
  });
}

/** `virtual #2`, or `uiautomator2 #1 (R58N12ABC)`: how reports name a slot. */
export function slotLabel(slot: DeviceSlot): string {
  return `${slot.profile} #${slot.slot}${slot.udid === undefined ? '' : ` (${slot.udid})`}`;
}

/** `Scenarios on virtual #2`: the suite of a slot's tests, which keeps the same scenario apart on two devices. */
export function suiteTitle(slot: DeviceSlot): string {
  return `Scenarios on ${slotLabel(slot)}`;
}

/**
 * Where a run's logs go: `logs/` in the run's own folder (`<reports>/<run>-e2e/logs/`), so two runs never
 * write into each other's files. WebdriverIO writes `wdio.log` (the launcher) and `wdio-<worker>.log` (one per
 * worker) there, Appium `appium.log` (its whole log, from its start) and the service `wdio-appium.log`.
 */
export function runLogsFolder(run: E2eRun): string {
  return join(run.reportsFolder, 'logs');
}

/** The run as the environment variable's value; folders made absolute, since workers may start elsewhere. */
export function encodeE2eRun(run: E2eRun): string {
  const absolute = (folder: string) => (isAbsolute(folder) ? folder : resolve(folder));
  return JSON.stringify({ ...run, reportsFolder: absolute(run.reportsFolder),
    resultsFolder: absolute(run.resultsFolder) });
}

/** The run from the environment, or the default run when the variable is unset. Throws ConfigError if it is wrong. */
export function readE2eRun(env: NodeJS.ProcessEnv = process.env): E2eRun {
  const text = env[E2E_RUN_ENV];
  if (text === undefined || text === '') return defaultE2eRun();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${E2E_RUN_ENV} is not JSON (${(error as Error).message}); start the run with ` +
      '`npm run e2e`, which sets it', { cause: error });
  }
  const run = e2eRunSchema.safeParse(parsed);
  if (!run.success) {
    const problems = run.error.issues.map((issue) => `${issue.path.join('.') || '(run)'}: ${issue.message}`);
    throw new ConfigError(`${E2E_RUN_ENV} is not a run: ${problems.join('; ')}; start the run with \`npm run e2e\``);
  }
  return run.data;
}

/** The slot of this WebdriverIO worker: its capability's index, the first number of WDIO_WORKER_ID (`1-0`). */
export function workerSlot(run: E2eRun, env: NodeJS.ProcessEnv = process.env): DeviceSlot {
  const id = env.WDIO_WORKER_ID ?? '0-0';
  const index = Number(id.split('-')[0]);
  const slot = run.devices[index];
  if (slot === undefined) {
    throw new ConfigError(`WebdriverIO worker ${id} has no device slot: the run has ${run.devices.length}`);
  }
  return slot;
}
