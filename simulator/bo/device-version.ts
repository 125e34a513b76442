/**
 * The device's own Version.txt (`Entrant/eStock/<device>/Version.txt`, guide
 * 1c: « la version d'eStock, celles d'Android et du périphérique mobile »),
 * read at each import, and whether its app version goes with the exchange
 * format version of the settings (the mapping's `appVersions`). Neither a
 * missing file nor a version outside the range stops the import: the real
 * back office imports and its report warns.
 */
import { FTPError, type Client } from 'basic-ftp';
import { ExchangeFormatError } from '../errors.ts';
import { compareVersions, decodeSingleRowFile, devicePaths } from '../exchange/index.ts';
import type { Mapping } from '../exchange/types.ts';
import { downloadBytes } from '../ftp/client.ts';
import type { Anomaly } from './types.ts';

/** What a device's Version.txt says. */
export interface DeviceVersion {
  appVersion: string;
  androidVersion?: string;
  deviceModel?: string;
}

/** A device's Version.txt as read: the versions, or why there are none. */
export interface DeviceVersionReading {
  version?: DeviceVersion;
  /** Why the file could not be read (missing, unreadable); undefined when it was. */
  problem?: Anomaly;
}

const FILE_UNAVAILABLE = 550;
const LEADING_VERSION = /^\d+(\.\d+)*/;


function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Reads `Entrant/eStock/<device>/Version.txt` over `client`. A file the
 * server refuses (550: missing) or one that does not follow the mapping's
 * `deviceVersion` columns gives a problem, not an error; a failure without a
 * reply from the server is thrown.
 */
export async function readDeviceVersion(client: Client, mapping: Mapping, deviceId: string):
  Promise<DeviceVersionReading> {
  const file = devicePaths(mapping, deviceId).deviceVersion;
  let bytes: Buffer;
  try {
    bytes = await downloadBytes(client, `/${file}`);
  } catch (error) {
    // A reply from the server is the file's problem; anything else (a lost connection) is the run's.
    if (!(error instanceof FTPError)) throw error;
    const what = error.code === FILE_UNAVAILABLE ? 'missing' : 'cannot be downloaded';
    return { problem: { file, reason: `${what} (${error.message}): the app version of ${deviceId} is unknown` } };
  }

  try {
    const row = decodeSingleRowFile(mapping, 'deviceVersion', bytes, file);
    const version: DeviceVersion = { appVersion: String(row.APP_VERSION) };
    const android = optionalText(row.ANDROID_VERSION);
    const model = optionalText(row.DEVICE_MODEL);
    if (android !== undefined) version.androidVersion = android;
    if (model !== undefined) version.deviceModel = model;
    return { version };
  } catch (error) {
    if (!(error instanceof ExchangeFormatError)) throw error;
    return { problem: { file, reason: `cannot be read, the app version of ${deviceId} is unknown: ${error.message}` } };
  }
}

/** `1.0.0 to below 3.0.0`, `1.0.0 or later`. */
function describeRange(range: NonNullable<Mapping['appVersions']>): string {
  return range.below === undefined ? `${range.min} or later` : `${range.min} to below ${range.below}`;
}

/**
 * Why an app version does not go with the mapping's format version, or
 * undefined when it does or when the mapping does not say (no `appVersions`).
 * Only the leading numbers count: `2.1.0-beta` is 2.1.0.
 */
export function appVersionProblem(mapping: Mapping, deviceId: string, appVersion: string): string | undefined {
  const range = mapping.appVersions;
  if (range === undefined) return undefined;
  const format = `exchange format ${mapping.format} ${mapping.version} (app versions ${describeRange(range)})`;
  const number = LEADING_VERSION.exec(appVersion)?.[0];
  if (number === undefined) {
    return `app version "${appVersion}" of ${deviceId} is not a version number: cannot tell whether it goes ` +
      `with ${format}`;
  }
  const tooOld = compareVersions(number, range.min) < 0;
  const tooNew = range.below !== undefined && compareVersions(number, range.below) >= 0;
  if (!tooOld && !tooNew) return undefined;
  return `app version ${appVersion} of ${deviceId} does not go with ${format}: ` +
    (tooOld ? 'update the app on the device' : 'set the « Version » of the eStock settings to this app\'s format') +
    ' (imported all the same)';
}
