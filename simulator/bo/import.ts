/**
 * The import of one device's movements (guide, section 3b), and of every
 * device with a folder on the server. For a device the back office imports
 * from, it reads the device's Version.txt, then takes every complete
 * `LotStockExported_<timestamp>.zip` of its inbox, oldest first: downloaded
 * into the BO's local import folder, applied to the stock in one transaction
 * with its archive, log and import_log row, then deleted from the inbox.
 *
 * Left in the inbox, and reported: a zip still being uploaded (its size
 * changed over `settleMs`), a zip that cannot be read, any other file, and
 * every zip of a device the BO does not import from (not registered, not
 * listed, blocked, inactive). A zip that cannot be read is remembered with
 * its size and server time (refused-zips.ts): while both stay the same, later
 * imports report it without downloading it, and leave no new local files.
 * A zip whose deletion fails stays imported; the next import recognises its
 * bytes (SHA-256 in import_log) and applies nothing of it twice.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'basic-ftp';
import { DEVICE_ID_PATTERN } from '../company.ts';
import { ExchangeFormatError, ZipError } from '../errors.ts';
import {
  devicePaths, localDateTime, readMovementUpload, type DecodedUpload,
} from '../exchange/index.ts';
import type { DecodedTable } from '../exchange/types.ts';
import { asFtpError, withFtpSession } from '../ftp/client.ts';
import { logger } from '../log.ts';
import { applyUpload, type UploadOutcome } from './apply-upload.ts';
import { appVersionProblem, readDeviceVersion, type DeviceVersion } from './device-version.ts';
import { importRefusal } from './devices.ts';
import { listFolder, listInbox, settledZips, type InboxZip } from './inbox.ts';
import {
  attemptName, earlierImport, recordImport, writeArchive, writeImportLog, type EarlierImport, type ZipLog,
} from './import-records.ts';
import { licenceRefusalAt } from './licence.ts';
import { forgetRefusal, recordRefusal, refusalsOf, type RefusedZip } from './refused-zips.ts';
import type { BoContext, ImportReport } from './types.ts';

interface ImportRun {
  context: BoContext;
  deviceId: string;
  client: Client;
  inbox: string;
  /** <folder>/import/<device>/MvtStocks */
  localFolder: string;
  report: ImportReport;
  /** `app 1.0.0, Android 13, <model>` for the logs, when Version.txt was read. */
  device?: string;
  log: (format: string, ...args: unknown[]) => void;
}

function linesOf(table: DecodedTable): number {
  const lines = [...table.rows.map((row) => row.line), ...table.problems.map((problem) => problem.line)];
  return new Set(lines).size;
}

function zipLog(run: ImportRun, zipName: string, importedAt: string): ZipLog {
  return { deviceId: run.deviceId, zipName, importedAt, outcome: 'imported', movementsInFile: 0,
    movementsImported: 0, lots: 0, lotInformation: 0, anomalies: [], notes: [],
    ...(run.device === undefined ? {} : { device: run.device }) };
}

function describeDevice(version: DeviceVersion): string {
  return [`app ${version.appVersion}`, version.androidVersion && `Android ${version.androidVersion}`,
    version.deviceModel].filter(Boolean).join(', ');
}

/** Reads Version.txt into the report; a missing one counts only when there is something to import. */
async function readVersion(run: ImportRun, hasZips: boolean): Promise<void> {
  const { mapping } = run.context;
  const reading = await readDeviceVersion(run.client, mapping, run.deviceId);
  if (reading.problem !== undefined) {
    if (hasZips) run.report.anomalies.push(reading.problem);
    return;
  }
  const version = reading.version!;
  run.report.appVersion = version.appVersion;
  if (version.androidVersion !== undefined) run.report.androidVersion = version.androidVersion;
  if (version.deviceModel !== undefined) run.report.deviceModel = version.deviceModel;
  run.device = describeDevice(version);
  const problem = appVersionProblem(mapping, run.deviceId, version.appVersion);
  if (problem !== undefined) {
    run.report.anomalies.push({ file: devicePaths(mapping, run.deviceId).deviceVersion, reason: problem });
  }
}

function leaveInInbox(run: ImportRun, zip: InboxZip, attempt: string, error: Error): void {
  const importedAt = localDateTime(run.context.clock());
  const reason = `cannot be read, left in the inbox for a later import: ${error.message}`;
  const anomaly = { file: zip.name, reason };
  run.report.anomalies.push(anomaly);
  run.report.zips.push({ name: zip.name, movements: 0, anomalies: 1 });
  writeImportLog(run.localFolder, attempt, { ...zipLog(run, zip.name, importedAt),
    outcome: 'left in the inbox', anomalies: [anomaly] });
  // Without the server's time of the zip, a copy sent again with the same size could not be told apart.
  if (zip.modifiedAt !== undefined) {
    recordRefusal(run.context.db, { deviceId: run.deviceId, zipName: zip.name, bytes: zip.bytes,
      modifiedAt: zip.modifiedAt, refusedAt: importedAt, reason: error.message });
  }
  run.log('import: %s left in the inbox: %s', zip.name, error.message);
}

/** A refused zip found again with the same size and time: reported, not downloaded. */
function reportUnchangedRefusal(run: ImportRun, refused: RefusedZip): void {
  const reason = `still left in the inbox, unchanged since ${refused.refusedAt.replace('T', ' ')} ` +
    `(${refused.bytes} bytes, modified ${refused.modifiedAt}; not downloaded again): cannot be read: ` +
    `${refused.reason}`;
  run.report.anomalies.push({ file: refused.zipName, reason });
  run.report.zips.push({ name: refused.zipName, movements: 0, anomalies: 1 });
  run.log('import: %s still left in the inbox, unchanged since it was refused', refused.zipName);
}

function repeatAnomaly(zipName: string, sha256: string, earlier: EarlierImport) {
  return { file: zipName, reason: `already imported: same bytes (SHA-256 ${sha256.slice(0, 16)}…) as ` +
    `${earlier.fileName}, imported at ${earlier.importedAt.replace('T', ' ')}; its lots and lot information ` +
    'are not taken again, its movements already imported are not applied again' };
}

/** Applies an upload and writes its archive, log and import_log row, all in one transaction. */
function applyAndRecord(run: ImportRun, zipName: string, attempt: string, bytes: Buffer,
  upload: DecodedUpload): UploadOutcome {
  const { context } = run;
  const importedAt = localDateTime(context.clock());
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const earlier = earlierImport(context.db, run.deviceId, sha256);
  const source = { deviceId: run.deviceId, zipName, importedAt };
  const rules = { negativeStock: context.settings.negativeStock, importedBefore: earlier !== undefined };

  return applyUpload(context.db, context.mapping, source, upload, rules, (outcome) => {
    if (earlier !== undefined) outcome.anomalies.unshift(repeatAnomaly(zipName, sha256, earlier));
    const imported = outcome.applied.length;
    writeArchive(run.localFolder, context.mapping, attempt, outcome.applied);
    const logFile = writeImportLog(run.localFolder, attempt, { ...zipLog(run, zipName, importedAt),
      outcome: earlier === undefined ? 'imported' : `imported again (first as ${earlier.fileName})`,
      movementsInFile: linesOf(upload.movements), movementsImported: imported, lots: outcome.lots,
      lotInformation: outcome.lotInformation, anomalies: outcome.anomalies, notes: outcome.notes });
    recordImport(context.db, { deviceId: run.deviceId, zipName, importedAt, movements: imported,
      anomalies: outcome.anomalies.length, logFile, sha256 });
  });
}

/** Deletes an imported zip from the inbox; a refusal is an anomaly, since the next import recognises the zip. */
async function removeFromInbox(run: ImportRun, zipName: string): Promise<void> {
  try {
    await run.client.remove(`/${run.inbox}/${zipName}`);
  } catch (error) {
    const failure = asFtpError(error, `DELE ${run.inbox}/${zipName}`);
    if (failure.replyCode === undefined) throw failure;
    run.report.anomalies.push({ file: zipName, reason: `imported, but not deleted from the inbox: ` +
      `${failure.message}; the next import recognises it and applies nothing of it twice` });
    run.log('import: %s imported but not deleted: %s', zipName, failure.message);
  }
}

async function importZip(run: ImportRun, zip: InboxZip): Promise<void> {
  const { context, report } = run;
  const attempt = attemptName(run.localFolder, zip.name);
  const local = join(run.localFolder, `${attempt}.zip`);
  await run.client.downloadTo(local, `/${run.inbox}/${zip.name}`);
  const bytes = readFileSync(local);

  let upload;
  try {
    upload = await readMovementUpload(context.mapping, bytes, zip.name);
  } catch (error) {
    if (!(error instanceof ZipError || error instanceof ExchangeFormatError)) throw error;
    leaveInInbox(run, zip, attempt, error);
    return;
  }

  const outcome = applyAndRecord(run, zip.name, attempt, bytes, upload);
  forgetRefusal(context.db, run.deviceId, zip.name);
  const imported = outcome.applied.length;
  report.anomalies.push(...outcome.anomalies);
  report.zips.push({ name: zip.name, movements: imported, anomalies: outcome.anomalies.length });
  report.movementsImported += imported;
  await removeFromInbox(run, zip.name);
  run.log('import: %s (%d bytes): %d movements imported, %d anomalies', zip.name, bytes.length,
    imported, outcome.anomalies.length);
}

/** The zips of a device the BO does not import from: each named in the report, all left in the inbox. */
async function reportHeldZips(run: ImportRun): Promise<void> {
  const { zips } = await listInbox(run.client, run.context.mapping, run.inbox);
  for (const zip of zips) {
    run.report.zips.push({ name: zip.name, movements: 0, anomalies: 1 });
    run.report.anomalies.push({ file: `${run.inbox}/${zip.name}`, reason: 'not imported, left in the inbox' });
  }
}

/** The server's modification time of a zip: from the listing (MLSD), else MDTM; undefined if neither gives it. */
async function modificationTime(run: ImportRun, zip: InboxZip): Promise<string | undefined> {
  if (zip.modifiedAt !== undefined) return zip.modifiedAt;
  try {
    return (await run.client.lastMod(`/${run.inbox}/${zip.name}`)).toISOString();
  } catch (error) {
    if (asFtpError(error, `MDTM ${run.inbox}/${zip.name}`).replyCode === undefined) throw error;
    return undefined;
  }
}

/**
 * Splits the inbox's zips into those refused before and unchanged since
 * (same size, same server time), and the others, to take. Refusals of zips
 * no longer in the inbox are forgotten.
 */
async function sortOutRefused(run: ImportRun, zips: readonly InboxZip[]):
  Promise<{ unchanged: RefusedZip[]; toTake: InboxZip[] }> {
  const { db } = run.context;
  const refusals = refusalsOf(db, run.deviceId);
  const names = new Set(zips.map((zip) => zip.name));
  for (const name of refusals.keys()) if (!names.has(name)) forgetRefusal(db, run.deviceId, name);

  const unchanged: RefusedZip[] = [];
  const toTake: InboxZip[] = [];
  for (const zip of zips) {
    const refused = refusals.get(zip.name);
    const modifiedAt = await modificationTime(run, zip);
    const stamped = modifiedAt === undefined ? zip : { ...zip, modifiedAt };
    if (refused?.bytes === zip.bytes && refused.modifiedAt === modifiedAt) unchanged.push(refused);
    else toTake.push(stamped);
  }
  return { unchanged, toTake };
}

async function importInbox(run: ImportRun): Promise<void> {
  const { report } = run;
  const listing = await listInbox(run.client, run.context.mapping, run.inbox);
  const { unchanged, toTake } = await sortOutRefused(run, listing.zips);
  await readVersion(run, toTake.length > 0);
  report.anomalies.push(...listing.anomalies);
  for (const refused of unchanged) reportUnchangedRefusal(run, refused);

  // Only the zips to take wait settleMs: one refused and unchanged is not downloaded at all.
  const { settled, unsettled } = await settledZips(run.client, run.inbox, toTake, run.context.settings.settleMs);
  for (const { zip, anomaly } of unsettled) {
    report.anomalies.push(anomaly);
    report.zips.push({ name: zip.name, movements: 0, anomalies: 1 });
    run.log('import: %s left in the inbox: %s', zip.name, anomaly.reason);
  }
  for (const zip of settled) await importZip(run, zip);
}

function finish(report: ImportReport, started: number): ImportReport {
  report.ms = Math.round(performance.now() - started);
  return report;
}

/**
 * Imports the movement zips of a device's inbox. A device the back office
 * does not import from (licence refused, not registered, not in the eStock
 * list, blocked, inactive) gets nothing imported: the report says why and
 * names the zips its inbox holds, left there. Throws FtpError when the server
 * fails.
 */
export async function importForDevice(context: BoContext, deviceId: string): Promise<ImportReport> {
  const started = performance.now();
  const log = logger('hil:bo', `${context.company.name}/${deviceId}`);
  const report: ImportReport = { device: deviceId, zips: [], movementsImported: 0, anomalies: [], ms: 0 };
  const licence = licenceRefusalAt(context.db, context.clock());
  const refusal = licence ?? importRefusal(context.db, context.company.name, deviceId);
  if (refusal !== undefined) {
    log('import refused: %s', refusal);
    report.anomalies.push({ reason: refusal });
    // A folder name that is no device id cannot be a device's inbox: nothing to look at.
    if (licence !== undefined || !DEVICE_ID_PATTERN.test(deviceId)) return finish(report, started);
  }

  log('import: start');
  const inbox = devicePaths(context.mapping, deviceId).movementUploads;
  const localFolder = join(context.importFolder, deviceId, 'MvtStocks');
  if (refusal === undefined) mkdirSync(localFolder, { recursive: true });
  const who = `back office of ${context.company.name} importing from ${deviceId}`;
  await withFtpSession(context.ftp, who, async (client) => {
    const run: ImportRun = { context, deviceId, client, inbox, localFolder, report, log };
    await (refusal === undefined ? importInbox(run) : reportHeldZips(run));
  });

  finish(report, started);
  log('import: done, %d zips, %d movements imported, %d anomalies in %d ms',
    report.zips.length, report.movementsImported, report.anomalies.length, report.ms);
  return report;
}

/** The folder holding one folder per device, from the mapping: `Entrant/eStock` for `Entrant/eStock/{device}/…`. */
function devicesFolder(context: BoContext): string {
  const [before] = context.mapping.paths.movementUploads.split('{device}');
  return (before ?? '').replace(/\/$/, '');
}

/**
 * Imports from every device that has a folder in `Entrant/eStock/` on the
 * server, in name order: one report each. Folders of devices the back office
 * does not import from are reported with the zips they hold, untouched.
 * Throws FtpError when the server fails.
 */
export async function importAll(context: BoContext): Promise<ImportReport[]> {
  const folder = devicesFolder(context);
  const who = `back office of ${context.company.name} looking for device folders`;
  const entries = await withFtpSession(context.ftp, who, (client) => listFolder(client, folder));
  const devices = entries.filter((entry) => entry.isDirectory).map((entry) => entry.name).sort();

  const reports: ImportReport[] = [];
  for (const deviceId of devices) {
    if (!DEVICE_ID_PATTERN.test(deviceId)) {
      const reason = 'not a device id (1 to 30 letters, digits, "-", "_" or "."): not looked into';
      const anomalies = [{ file: `${folder}/${deviceId}`, reason }];
      reports.push({ device: deviceId, zips: [], movementsImported: 0, anomalies, ms: 0 });
      continue;
    }
    reports.push(await importForDevice(context, deviceId));
  }
  return reports;
}
