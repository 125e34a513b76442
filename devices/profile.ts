/**
 * Device profiles: how to reach one kind of device through Appium, as data in
 * `devices/profiles/<name>.yaml` (docs/devices.md). Loading one for a slot
 * gives the capabilities of that slot's session, with its own udid, device
 * id and ports, so that devices of one run never share them.
 */
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../simulator/errors.ts';
import { YamlFile } from '../simulator/yaml-file.ts';
import { AUTOMATION_KINDS, profileFileSchema, type AppiumKind, type ProfileFile } from './profile-schema.ts';

export { AUTOMATION_KINDS, type AppiumKind };

/** The folder of the profiles shipped with the project. */
export const PROFILES_FOLDER = join(dirname(fileURLToPath(import.meta.url)), 'profiles');

const PROFILE_NEEDS = 'a device profile needs automationName, appVersion and simulator: { host, listen }';

/** Which slot, app and udid to resolve a profile for. */
export interface DeviceProfileOptions {
  /** 1 for the first device of a run (default), 2 for the second... */
  slot?: number;
  /** The app file or APK, instead of the profile's (relative to the working folder). */
  app?: string;
  /** The device's serial, instead of the profile's. */
  udid?: string;
}

/** Where the simulator listens and where the device reaches it. */
export interface SimulatorAddress {
  /** The address the device types in « Serveur FTP ». */
  host: string;
  /** The address the simulator's FTP server must listen on. */
  listen: string;
  /** The address the FTP server must name in its passive replies. */
  passiveHost: string;
}

/** A profile resolved for one slot: everything needed to open that slot's session. */
export interface DeviceProfile {
  /** The profile's name (its file name without `.yaml`). */
  readonly name: string;
  readonly file: string;
  readonly description?: string;
  readonly slot: number;
  readonly kind: AppiumKind;
  /** W3C capabilities for webdriverio's remote(); never `browserName`. */
  readonly capabilities: Record<string, unknown>;
  readonly udid?: string;
  /** The device id for this slot (« Identifiant de la tablette »), when a run gives none. */
  readonly deviceId: string;
  readonly appPackage?: string;
  /** The app version expected installed; it selects the locator map. */
  readonly appVersion: string;
  readonly simulator: SimulatorAddress;
  readonly reset: ProfileFile['reset'];
  readonly autoGrantPermissions: boolean;
  readonly timeouts: ProfileFile['timeouts'];
  /** A locator map file (absolute) that replaces the version rule's map; none: the rule picks. */
  readonly locators?: string;
  /** The app to install: a file path (absolute) or a URL, and where it was given; none: installed already. */
  readonly app?: AppSource;
}

/** The app a profile installs and where that came from, to name both when the file is wrong. */
export interface AppSource {
  /** An absolute file path, or an http(s) URL left to Appium. */
  readonly path: string;
  /** `--app` or `app: in <profile file>`. */
  readonly from: string;
}

/** The names of the profiles in devices/profiles, sorted. */
export function listDeviceProfiles(): string[] {
  return readdirSync(PROFILES_FOLDER)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => name.slice(0, -'.yaml'.length))
    .sort();
}

/**
 * Loads a profile by name (`virtual`, `emulator`, `tablet`) or by file path
 * and resolves it for a slot. Throws ConfigError for an unknown name, a bad
 * slot or a missing udid, and YamlFileError (one line per problem, with file,
 * line and key) for a file that does not follow the format.
 */
export function loadDeviceProfile(nameOrPath: string, options: DeviceProfileOptions = {}): DeviceProfile {
  const file = profileFile(nameOrPath);
  const written = YamlFile.read(file, 'device profile').parseMapping(profileFileSchema, PROFILE_NEEDS);
  const slot = options.slot ?? 1;
  if (!Number.isInteger(slot) || slot < 1) throw new ConfigError(`slot ${slot}: a slot is a whole number from 1`);
  const name = basename(file, '.yaml');
  const udid = options.udid ?? slotUdid(written, slot, file);
  if (udid === undefined && !written.avd && written.automationName !== 'EstockVirtual') {
    throw new ConfigError(`${file}: udid: the profile ${name} names no device; fill in udid (adb devices) ` +
      'or pass one (--udid <serial>)');
  }
  const app = appSource(options.app, written.app ?? undefined, file);
  const host = written.simulator.host === 'lan' ? lanAddress(file) : written.simulator.host;
  return {
    name, file, slot, udid, description: written.description,
    kind: AUTOMATION_KINDS[written.automationName],
    capabilities: capabilities(written, { slot, udid, app: app?.path }),
    deviceId: withSlot(written.deviceId, slot),
    appPackage: written.appPackage ?? undefined,
    appVersion: written.appVersion,
    simulator: { host, listen: written.simulator.listen, passiveHost: written.simulator.passiveHost ?? host },
    reset: written.reset,
    autoGrantPermissions: written.autoGrantPermissions,
    timeouts: written.timeouts,
    ...(app !== undefined && { app }),
    ...(written.locators && { locators: resolve(dirname(file), written.locators) }),
  };
}

const isUrl = (value: string) => /^https?:\/\//i.test(value);

function appSource(option: string | undefined, written: string | undefined, file: string): AppSource | undefined {
  if (option !== undefined) return { path: isUrl(option) ? option : resolve(option), from: '--app' };
  if (written === undefined) return undefined;
  return { path: isUrl(written) ? written : resolve(dirname(file), written), from: `app: in ${file}` };
}

/**
 * Checks that the profile's app file exists and can be read, before anything
 * is emptied or started. A URL is left to Appium. Throws ConfigError naming
 * the file and where it was given (`--app` or the profile file).
 */
export function checkAppFile(profile: DeviceProfile): void {
  const { app } = profile;
  if (app === undefined || isUrl(app.path)) return;
  let problem: string | undefined;
  try {
    if (!statSync(app.path).isFile()) problem = 'is not a file';
    else accessSync(app.path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
  }
  if (problem !== undefined) {
    throw new ConfigError(`the app file ${app.path} (from ${app.from}) ${problem}: give the path of the APK ` +
      'or app file, or a http(s) URL');
  }
}

function profileFile(nameOrPath: string): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.yaml')) {
    return isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
  }
  const known = listDeviceProfiles();
  if (!known.includes(nameOrPath)) {
    throw new ConfigError(`no device profile named ${JSON.stringify(nameOrPath)}: known profiles are ` +
      `${known.join(', ')} (devices/profiles), or give the path of a profile file`);
  }
  return join(PROFILES_FOLDER, `${nameOrPath}.yaml`);
}

function slotUdid(written: ProfileFile, slot: number, file: string): string | undefined {
  const { udid } = written;
  if (udid === undefined || udid === null) return undefined;
  if (typeof udid === 'string') return withSlot(udid, slot);
  const chosen = udid[slot - 1];
  if (chosen === undefined) {
    throw new ConfigError(`${file}: udid: slot ${slot} has no serial, the list has ${udid.length}; ` +
      'add one, or run fewer devices at once');
  }
  return chosen;
}

function capabilities(
  written: ProfileFile,
  slot: { slot: number; udid?: string; app?: string },
): Record<string, unknown> {
  const caps: Record<string, unknown> = {
    platformName: 'Android',
    'appium:automationName': written.automationName,
  };
  if (slot.app !== undefined) caps['appium:app'] = slot.app;
  if (written.automationName === 'UiAutomator2') {
    if (written.appPackage) caps['appium:appPackage'] = written.appPackage;
    if (written.appActivity) caps['appium:appActivity'] = written.appActivity;
  }
  if (slot.udid !== undefined) caps['appium:udid'] = slot.udid;
  if (written.avd) caps['appium:avd'] = withSlot(written.avd, slot.slot);
  caps['appium:noReset'] = written.reset === 'keep';
  caps['appium:fullReset'] = written.reset === 'reinstall';
  caps['appium:autoGrantPermissions'] = written.autoGrantPermissions;
  for (const [key, base] of Object.entries(written.ports ?? {})) {
    if (base !== undefined) caps[`appium:${key}`] = base + slot.slot - 1;
  }
  return { ...caps, ...written.capabilities };
}

function withSlot(template: string, slot: number): string {
  return template.replaceAll('{slot}', String(slot));
}

function lanAddress(file: string): string {
  const addresses = Object.values(networkInterfaces()).flat()
    .filter((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal);
  const address = addresses[0]?.address;
  if (address === undefined) {
    throw new ConfigError(`${file}: simulator.host: lan, but this machine has no IPv4 address other than ` +
      'the loopback; write the address the tablet reaches this machine at');
  }
  return address;
}
