/**
 * Runs one scenario: starts a simulator of its own on free loopback ports,
 * seeds the BO's catalog, opens a driver per device, runs the steps in order
 * and stops at the first that does not pass. Everything the scenario leaves
 * (FTP tree, transcripts, BO and device stores) stays in its folder.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCompany } from '../../simulator/company.ts';
import { ConfigError, HilError } from '../../simulator/errors.ts';
import { loadMapping, type Mapping } from '../../simulator/exchange/index.ts';
import { logger } from '../../simulator/log.ts';
import {
  faultServerOptions, startSimulator, type RunningSimulator, type OneCompanyFtpOptions,
} from '../../simulator/simulator.ts';
import type { DeviceDriver } from '../../devices/device-driver.ts';
import { openVirtualDriver } from '../../devices/virtual-driver.ts';
import type { FaultSpec } from '../../simulator/ftp/faults/fault-schema.ts';
import { loadServerProfile } from '../../simulator/ftp/profiles/load-profile.ts';
import type { ServerProfile } from '../../simulator/ftp/profiles/profile-schema.ts';
import { runAction, type ScenarioContext } from './actions.ts';
import { faultsOf } from './ftp-actions.ts';
import { OccupiedConnections } from './ftp-occupy.ts';
import { NO_PROFILE, type FtpSetup } from './ftp-schema.ts';
import { ExpectationError, ScenarioError } from './expect.ts';
import type { ErrorReport, ScenarioResult, Status, StepResult } from './result.ts';
import type { Scenario, Step } from './schema.ts';

/** Opens the driver of one device of a scenario. */
export type DriverFactory = (deviceId: string, folder: string, mapping: Mapping) => Promise<DeviceDriver>;

/** What a step wrapper may look at around its step: the scenario's simulator and device drivers. */
export interface StepScope {
  readonly simulator: RunningSimulator;
  readonly drivers: ReadonlyMap<string, DeviceDriver>;
}

/**
 * Runs around each step, e.g. to open a report's step before it and attach
 * what the step exchanged after it. It must call `run` once and return its
 * result (it may add nothing to it); a step that is not run (an earlier one
 * did not pass) is wrapped too, and `run` then returns it as `skipped`. A
 * wrapper that throws makes the step broken.
 */
export type StepWrapper = (step: Step, run: () => Promise<StepResult>, scope: StepScope) => Promise<StepResult>;

/** Where the scenario's FTP server listens and the address devices are given for it. */
export interface SimulatorAddress {
  /** Bind address, e.g. `0.0.0.0` for tablets of the LAN; default 127.0.0.1. */
  listen?: string;
  /**
   * The host the device is set to (device.configure) and the server gives in
   * its passive replies, e.g. the bench's LAN address, or 10.0.2.2 for an
   * emulator; default the listen address.
   */
  advertised?: string;
  /** The address the server gives in its passive replies; default the advertised one. */
  passiveHost?: string;
}

export interface RunScenarioOptions {
  /** The scenario's own folder; emptied first. */
  folder: string;
  /** How devices are reached; default the virtual device driven directly. */
  openDriver?: DriverFactory;
  /** Called after each step, e.g. to print progress. */
  onStep?: (result: StepResult) => void;
  /** Runs around each step; default none. */
  wrapStep?: StepWrapper;
  /** Where the simulator's FTP server listens and is reached; default 127.0.0.1 for both. */
  simulatorAddress?: SimulatorAddress;
  /** Faults, seed and profile on top of the scenario's `setup.ftp` (`estock-hil run --fault`...). */
  ftpExtras?: FtpExtras;
}

/**
 * What a run adds to every scenario's FTP server: its faults come after the
 * scenario's own (numbered after them), its seed and its profile replace the
 * scenario's.
 */
export interface FtpExtras {
  faults?: readonly FaultSpec[];
  seed?: number;
  profile?: ServerProfile;
}

const openVirtual: DriverFactory = async (deviceId, folder, mapping) =>
  openVirtualDriver({ deviceId, folder, mapping });

/**
 * Runs a scenario and writes its result.json. A fault of the harness gives a
 * `broken` result, not an error; it throws only ConfigError, when its folder
 * cannot be made or written, since the result would have nowhere to go.
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const result: ScenarioResult = {
    name: scenario.name, file: scenario.file, status: 'passed', steps: [], movementsImported: 0, ftpBytes: 0, ms: 0,
    folder: options.folder,
  };
  emptyFolder(options.folder);
  let simulator: RunningSimulator | undefined;
  const drivers = new Map<string, DeviceDriver>();
  const occupied = new OccupiedConnections();
  let isSetUp = false;
  try {
    simulator = await setUp(scenario, options, drivers);
    isSetUp = true;
    await runSteps(scenario, { simulator, drivers, occupied, setup: scenario.setup }, result, options);
  } catch (error) {
    result.status = 'broken';
    result.error = describeError(error);
    // The result still says which steps the scenario has, none of them run.
    if (!isSetUp) result.steps = scenario.steps.map((step) => skipped(step, SET_UP_NOT_DONE));
  } finally {
    occupied.release();
    await tearDown(simulator, drivers, result);
  }
  result.ms = Math.round(performance.now() - started);
  writeResult(result);
  return result;
}

/** Writes `result.json` into the scenario's folder. Throws ConfigError when it cannot. */
export function writeResult(result: ScenarioResult): void {
  const file = join(result.folder, 'result.json');
  try {
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    throw new ConfigError(`cannot write ${file}: ${(error as Error).message}; the scenario's folder ` +
      'must stay writable while it runs (estock-hil run --reports <folder>)', { cause: error });
  }
}

function emptyFolder(folder: string): void {
  try {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new ConfigError(`cannot create the scenario folder ${folder}: ${(error as Error).message}; ` +
      'choose a reports folder that can be created and written (estock-hil run --reports <folder>)',
    { cause: error });
  }
}

async function setUp(
  scenario: Scenario,
  options: RunScenarioOptions,
  drivers: Map<string, DeviceDriver>,
): Promise<RunningSimulator> {
  const { setup } = scenario;
  const company = loadCompany(setup.company);
  const mapping = loadMapping(setup.mapping.format, setup.mapping.version);
  const simulator = await startSimulator({
    folder: join(options.folder, 'state'), company, mapping,
    ftp: { ...ftpOptions(options.simulatorAddress), ...ftpSetupOptions(setup.ftp, options.ftpExtras) },
  });
  try {
    simulator.backOffice.seedCatalog(setup.catalog);
    const openDriver = options.openDriver ?? openVirtual;
    for (const deviceId of setup.devices) {
      drivers.set(deviceId, await openDriver(deviceId, join(options.folder, 'state', 'devices'), mapping));
    }
  } catch (error) {
    await tearDown(simulator, drivers);
    throw error;
  }
  logger('hil:scenario', scenario.name)('set up: %s, catalog %s seed %d, devices %s',
    company.name, setup.catalog.size, setup.catalog.seed, setup.devices.join(' '));
  return simulator;
}

function ftpOptions(address: SimulatorAddress | undefined): OneCompanyFtpOptions {
  if (address === undefined) return { port: 0 };
  const host = address.listen ?? '127.0.0.1';
  const advertised = address.advertised ?? host;
  return { port: 0, host, passiveHost: address.passiveHost ?? advertised, advertisedHost: advertised };
}

/**
 * The TLS mode, faults and profile of the scenario's server: its setup's,
 * with the run's extras. Throws ConfigError for a fault or profile file that
 * cannot be read.
 */
function ftpSetupOptions(setup: FtpSetup | undefined, extras: FtpExtras = {}): OneCompanyFtpOptions {
  const given = setup?.faults === undefined ? { faults: [] } : faultsOf(setup.faults);
  const faults = [...given.faults, ...(extras.faults ?? [])];
  const seed = extras.seed ?? setup?.seed ?? given.seed;
  const named = setup?.profile === undefined || setup.profile === NO_PROFILE ? undefined : setup.profile;
  const profile = extras.profile ?? (named === undefined ? undefined : loadServerProfile(named));
  return {
    ...(setup?.tls !== undefined && { tls: { mode: setup.tls } }),
    ...faultServerOptions({ faults, seed, profile }),
  };
}

async function runSteps(
  scenario: Scenario,
  context: ScenarioContext,
  result: ScenarioResult,
  { onStep, wrapStep }: RunScenarioOptions,
): Promise<void> {
  for (const step of scenario.steps) {
    const run = async () => result.status === 'passed' ? await runStep(step, context) : skipped(step);
    const stepResult = wrapStep === undefined ? await run() : await wrapped(step, run, context, wrapStep);
    result.steps.push(stepResult);
    result.movementsImported += stepResult.movementsImported ?? 0;
    if (result.status === 'passed' && (stepResult.status === 'failed' || stepResult.status === 'broken')) {
      result.status = stepResult.status;
      result.error = stepResult.error;
    }
    onStep?.(stepResult);
  }
}

/** Runs a step through its wrapper; a wrapper that throws or returns nothing makes the step broken. */
async function wrapped(step: Step, run: () => Promise<StepResult>, context: ScenarioContext,
  wrapStep: StepWrapper): Promise<StepResult> {
  let ran: StepResult | undefined;
  const runOnce = async () => ran ??= await run();
  try {
    const result = await wrapStep(step, runOnce, context);
    if (result !== undefined) return result;
    throw new Error('the step wrapper returned no result');
  } catch (error) {
    const described = describeError(error);
    const message = `the step wrapper failed: ${described.message}`;
    return { ...(ran ?? skipped(step)), status: 'broken', summary: message, error: { message } };
  }
}

async function runStep(step: Step, context: ScenarioContext): Promise<StepResult> {
  const log = logger('hil:scenario', `step ${step.index + 1} ${step.action}`);
  const device = step.body.device!;
  const base = { number: step.index + 1, action: step.action, device, line: step.line };
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const { expectError } = step.body;
  try {
    const outcome = await runAction(context, step);
    log('%s (%d ms)', outcome.summary, elapsed());
    if (expectError !== undefined) {
      return { ...base, status: 'failed', ms: elapsed(), summary: outcome.summary, detail: outcome.detail,
        error: { code: 'EXPECTATION', message: `expected an error containing "${expectError}", the step succeeded` } };
    }
    return { ...base, status: 'passed', ms: elapsed(), summary: outcome.summary, detail: outcome.detail,
      movementsImported: outcome.movementsImported };
  } catch (error) {
    const described = describeError(error);
    log('ended with %s', described.message);
    if (expectError === undefined) {
      return { ...base, status: statusOf(error), ms: elapsed(), summary: described.message, error: described };
    }
    if (described.message.includes(expectError)) {
      return { ...base, status: 'passed', ms: elapsed(), summary: `refused as expected: ${described.message}` };
    }
    const message = `expected an error containing "${expectError}", got: ${described.message}`;
    const status = statusOf(error);
    // A fault of the harness keeps its own code; a refusal other than the one expected is an unmet expectation.
    const code = status === 'failed' ? 'EXPECTATION' : described.code;
    return { ...base, status, ms: elapsed(), summary: message, error: { code, message } };
  }
}

/** A failure of the simulated system is a failed scenario; anything else is a fault of the harness. */
function statusOf(error: unknown): Status {
  return error instanceof HilError ? 'failed' : 'broken';
}

/** Why each step of a scenario whose set-up failed was not run. */
const SET_UP_NOT_DONE = 'not run: the set-up did not complete';

function skipped(step: Step, summary = 'not run: an earlier step did not pass'): StepResult {
  return { number: step.index + 1, action: step.action, device: step.body.device, line: step.line,
    status: 'skipped', ms: 0, summary };
}

function describeError(error: unknown): ErrorReport {
  if (error instanceof ExpectationError) return { code: error.code, message: error.message, unmet: [...error.unmet] };
  if (error instanceof HilError) return { code: error.code, message: error.message };
  if (error instanceof ScenarioError) return { code: 'SCENARIO', message: error.message };
  if (error instanceof Error) return { message: `${error.name}: ${error.message}` };
  return { message: String(error) };
}

async function tearDown(
  simulator: RunningSimulator | undefined,
  drivers: Map<string, DeviceDriver>,
  result?: ScenarioResult,
): Promise<void> {
  for (const driver of drivers.values()) await driver.close();
  drivers.clear();
  if (!simulator) return;
  await simulator.stop();
  // Read once the server has stopped: a session's last command is recorded a moment after its reply.
  if (result) result.ftpBytes = simulator.ftp.transcript().reduce((sum, record) => sum + (record.bytes ?? 0), 0);
}
