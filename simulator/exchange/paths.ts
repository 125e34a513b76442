/**
 * Where the exchange files lie on the FTP server, from the mapping's path
 * templates: relative to the company root, '/'-separated, `{device}` replaced
 * by the device id and `{timestamp}` by a local time in paths.timestampFormat.
 */
import { DEVICE_ID_PATTERN } from '../company.ts';
import { ConfigError } from '../errors.ts';
import {
  compileDatePattern, dateOfLocalParts, DATE_TIME_TOKENS, localParts, type DatePattern,
} from './date-format.ts';
import type { Mapping } from './types.ts';

/** The exchange paths of one device, relative to the company root. */
export interface DevicePaths {
  /** Sortant/eStock/<device>/<device>.zip: the export zip the BO drops. */
  exportZip: string;
  /** Sortant/eStock/<device>/Version.txt: data version and export date. */
  exportVersion: string;
  /** Sortant/eStock/<device>/<device>.txt: last data update and data version. */
  exportStatus: string;
  /** Sortant/eStock/Images/Images.zip: the images, shared by every device. */
  images: string;
  /** The device's inbox folder Entrant/eStock/<device>/MvtStocks. */
  movementUploads: string;
  /** Entrant/eStock/<device>/Version.txt: app, Android and device model. */
  deviceVersion: string;
}

function forDevice(template: string, deviceId: string): string {
  return template.replaceAll('{device}', deviceId);
}

/**
 * The paths of a device's exchange files. Throws ConfigError if the device id
 * is not a safe folder name (DEVICE_ID_PATTERN: 1 to 30 letters, digits, `-`, `_`, `.`).
 */
export function devicePaths(mapping: Mapping, deviceId: string): DevicePaths {
  if (!DEVICE_ID_PATTERN.test(deviceId)) {
    throw new ConfigError(`device id ${JSON.stringify(deviceId)} cannot be a folder name on the ` +
      'FTP server: use 1 to 30 letters, digits, "-", "_" or ".", starting with a letter or digit');
  }
  const { paths } = mapping;
  return {
    exportZip: forDevice(paths.exportZip, deviceId),
    exportVersion: forDevice(paths.exportVersion, deviceId),
    exportStatus: forDevice(paths.exportStatus, deviceId),
    images: forDevice(paths.images, deviceId),
    movementUploads: forDevice(paths.movementUploads, deviceId),
    deviceVersion: forDevice(paths.deviceVersion, deviceId),
  };
}

// The mapping guarantees that movementUpload is `${movementUploads}/<name with {timestamp}>`.
function uploadNameTemplate(mapping: Mapping): string {
  return mapping.paths.movementUpload.slice(mapping.paths.movementUploads.length + 1);
}

function timestampPattern(mapping: Mapping): DatePattern {
  return compileDatePattern(mapping.paths.timestampFormat, DATE_TIME_TOKENS);
}

/**
 * The file name (no folder) of a movement upload made at `at`, in local time,
 * e.g. LotStockExported_20261203_194131.zip. Throws RangeError for an invalid Date.
 */
export function movementUploadName(mapping: Mapping, at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('movementUploadName: the time is an invalid Date');
  const timestamp = timestampPattern(mapping).format(localParts(at));
  return uploadNameTemplate(mapping).replace('{timestamp}', timestamp);
}

/**
 * The local time in a movement upload's file name, or undefined if the name is
 * not one: another shape (case, extension, extra characters count), or a
 * date and time that does not exist (20260231_120000, 20261203_250000).
 */
export function parseMovementUploadName(mapping: Mapping, name: string): Date | undefined {
  const [before, after] = uploadNameTemplate(mapping).split('{timestamp}') as [string, string];
  const end = name.length - after.length;
  if (!name.startsWith(before) || !name.endsWith(after) || end < before.length) return undefined;
  const parts = timestampPattern(mapping).match(name.slice(before.length, end));
  return parts === undefined ? undefined : dateOfLocalParts(parts);
}

/**
 * What a device adds to an upload's name while the upload is under way, when
 * it uploads under a temporary name and renames it once complete.
 */
export const TEMPORARY_UPLOAD_SUFFIX = '.tmp';

/** The temporary name of an upload: `LotStockExported_20261203_194131.zip.tmp`. */
export function temporaryUploadName(name: string): string {
  return `${name}${TEMPORARY_UPLOAD_SUFFIX}`;
}

/** Whether a file name is a temporary one: an upload not finished, never to be imported. */
export function isTemporaryUploadName(name: string): boolean {
  return name.endsWith(TEMPORARY_UPLOAD_SUFFIX);
}
