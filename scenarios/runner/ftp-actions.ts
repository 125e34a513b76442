/**
 * What the `ftp.*` scenario actions do on the scenario's FTP server: change
 * its faults and its profile while the scenario runs, check how often a
 * fault fired, and hold idle control connections open.
 */
import { loadFaultFile } from '../../simulator/ftp/faults/load-faults.ts';
import type { FaultSpec } from '../../simulator/ftp/faults/fault-schema.ts';
import { faultListText } from '../../simulator/ftp/faults/fault-spec-text.ts';
import { loadServerProfile } from '../../simulator/ftp/profiles/load-profile.ts';
import type { StartedFtpServer } from '../../simulator/ftp/server.ts';
import type { ActionOutcome, ScenarioContext } from './actions.ts';
import { counted } from './counts.ts';
import { failIfUnmet, ScenarioError } from './expect.ts';
import { NO_PROFILE, type FaultList } from './ftp-schema.ts';
import type { StepBody } from './schema.ts';

type FtpAction<A extends 'ftp.faults' | 'ftp.profile' | 'ftp.fired' | 'ftp.occupy' | 'ftp.release'> = (
  context: ScenarioContext,
  body: StepBody<A>,
) => Promise<ActionOutcome>;

/**
 * The faults of a list and the seed a fault file gives. A path was made
 * absolute when the scenario was loaded. Throws ConfigError for a fault file
 * that cannot be read.
 */
export function faultsOf(list: FaultList): { faults: FaultSpec[]; seed?: number } {
  if (typeof list !== 'string') return { faults: list };
  const set = loadFaultFile(list);
  return { faults: set.faults, ...(set.seed !== undefined && { seed: set.seed }) };
}

/** The faults in force, for a step's summary: `seed 7, faults 1. cut: {...}; 2. bandwidth: 4g`. */
function faultsInForceText(ftp: StartedFtpServer): string {
  const { seed, faults } = ftp.faults.current();
  return `seed ${seed}, faults ${faultListText(faults)}`;
}

const ftpFaults: FtpAction<'ftp.faults'> = async ({ simulator }, body) => {
  const { faults } = simulator.ftp;
  if (body.clear === true) {
    faults.clear();
    return { summary: 'faults cleared', detail: faults.current() };
  }
  if (body.add !== undefined) {
    faults.add(faultsOf(body.add).faults);
    return { summary: `faults added: ${faultsInForceText(simulator.ftp)}`, detail: faults.current() };
  }
  const given = faultsOf(body.set!);
  const seed = body.seed ?? given.seed;
  faults.set({ faults: given.faults, ...(seed !== undefined && { seed }) });
  return { summary: `faults set: ${faultsInForceText(simulator.ftp)}`, detail: faults.current() };
};

const ftpProfile: FtpAction<'ftp.profile'> = async ({ simulator }, body) => {
  if (body.name === NO_PROFILE) {
    simulator.ftp.profile.set(undefined);
    return { summary: 'server profile removed: our own server\'s behaviour' };
  }
  const profile = loadServerProfile(body.name);
  simulator.ftp.profile.set(profile);
  return { summary: `server profile ${profile.name}: ${profile.description}`, detail: profile };
};

const ftpFired: FtpAction<'ftp.fired'> = async ({ simulator }, body) => {
  const { faults } = simulator.ftp.faults.current();
  const entry = faults.find((candidate) => candidate.fault === body.fault);
  const what = `ftp.fired fault ${body.fault}`;
  if (entry === undefined) {
    throw new ScenarioError(`${what}: no fault ${body.fault} in force, so the scenario cannot ask how often it ` +
      `fired; the faults in force are ${faultListText(faults)}`);
  }
  const { fired } = entry;
  const atLeast = body.exactly ?? body.atLeast ?? (body.atMost === undefined ? 1 : undefined);
  const atMost = body.exactly ?? body.atMost;
  const times = (n: number) => counted(n, 'time');
  const unmetExactly = body.exactly !== undefined && fired !== body.exactly;
  failIfUnmet(what, unmetExactly ? [`expected it to fire exactly ${times(body.exactly!)}, it fired ${times(fired)}`] : [
    ...(atLeast !== undefined && fired < atLeast ? [`expected it to fire at least ${times(atLeast)}`] : []),
    ...(atMost !== undefined && fired > atMost ? [`expected it to fire at most ${times(atMost)}`] : []),
  ].map((unmet) => `${unmet}, it fired ${times(fired)}`));
  return { summary: `fault ${body.fault} fired ${times(fired)}`, detail: entry };
};

const ftpOccupy: FtpAction<'ftp.occupy'> = async ({ simulator, occupied }, body) => {
  const { ftp, ftpProfile: profile } = simulator;
  // A server listening on every interface is reached on the loopback from this machine.
  const host = ['0.0.0.0', '::'].includes(ftp.host) ? '127.0.0.1' : ftp.host;
  await occupied.open({ profile: { ...profile, host, port: ftp.port }, connections: body.connections,
    login: body.login === true });
  const how = body.login === true ? `logged in as ${profile.user}` : 'not logged in';
  return { summary: `${counted(occupied.count, 'control connection')} held open from this machine (${how})` };
};

const ftpRelease: FtpAction<'ftp.release'> = async ({ occupied }) => {
  const released = occupied.release();
  return { summary: `${counted(released, 'control connection')} closed` };
};

/** The `ftp.*` actions by name; none acts on a device. */
export const FTP_ACTIONS_BY_NAME = {
  'ftp.faults': ftpFaults,
  'ftp.profile': ftpProfile,
  'ftp.fired': ftpFired,
  'ftp.occupy': ftpOccupy,
  'ftp.release': ftpRelease,
};
