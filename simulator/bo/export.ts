/**
 * « Export eStock » for one device (guide, section 3a): every export table
 * into `<device>.zip`, with `Version.txt` and `<device>.txt` beside it, kept
 * in the BO's local export folder and put on the FTP server under
 * `Sortant/eStock/<device>/`. Each file is uploaded under a temporary name and
 * then renamed, so that a device never reads a half-written file; the status
 * file `<device>.txt` goes last. The device's inbox,
 * `Entrant/eStock/<device>/MvtStocks/`, is made first if missing.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  devicePaths,
  encodeSingleRowFile,
  localDateTime,
  writeExportZipFile,
  type ExportValueSource,
} from '../exchange/index.ts';
import type { Mapping } from '../exchange/types.ts';
import { withFtpSession } from '../ftp/client.ts';
import { logger } from '../log.ts';
import { deviceMobilRows } from './catalog-company.ts';
import { replaceTables } from './database.ts';
import { estockList, exportRefusal, registry } from './devices.ts';
import { criteriaRefusal, deviceSelections, selectForDevice } from './export-device.ts';
import { exportIsLarge, startExportWorker, writeExportZipWithWorker, type ExportWorker } from './export-parallel.ts';
import { exportRowLines, iterateExportValues } from './export-selection.ts';
import { licenceRefusalAt } from './licence.ts';
import type { BoContext, ExportOptions, ExportReport } from './types.ts';

/** Appended to a file's name while it is being written or uploaded. */
export const PARTIAL_UPLOAD_SUFFIX = '.part';

/** How long the removal of a failed upload's leftover may wait for the server, ms: it is best effort. */
const LEFTOVER_REMOVAL_TIMEOUT_MS = 5000;

/** One file of an export: its path from the company root, its local copy and its size. */
interface ExportFile {
  path: string;
  local: string;
  bytes: number;
}

/** The files of an export, written locally, and how many tables and rows the zip holds. */
interface ExportedFiles {
  files: ExportFile[];
  tables: number;
  rows: number;
}

/**
 * The rows of every export table for the device whose selection
 * selectForDevice made (temp.export_article, temp.export_lot), read a row at
 * a time; DEVICEMOBIL is made anew from the registry first (and saved so).
 */
function readExportTables(context: BoContext): ExportValueSource {
  const { db, mapping } = context;
  const devices = mapping.exportTables.find((spec) => spec.name === 'DEVICEMOBIL');
  if (devices !== undefined) {
    const rows = deviceMobilRows({ registry: registry(db), estock: estockList(db) }).map((row) =>
      Object.fromEntries(devices.columns.map((column) => [column.name, row[column.name] ?? null])));
    replaceTables(db, mapping, new Map([[devices.name, rows]]));
  }
  return {
    valuesOf: (spec) => iterateExportValues(db, spec),
    linesOf: (spec) => exportRowLines(db, mapping, spec),
  };
}

/**
 * Writes the export zip, streamed from `source`, and the two status files
 * into `folder`, with the largest tables from `worker` when there is one.
 * The zip is written under a temporary name and renamed once whole, so that
 * a failed export leaves the last good copy.
 */
async function exportFiles(mapping: Mapping, deviceId: string, source: ExportValueSource,
  worker: ExportWorker | undefined, at: Date, folder: string): Promise<ExportedFiles> {
  const paths = devicePaths(mapping, deviceId);
  const now = localDateTime(at);
  // The data version is the settings' « Version », which selected this mapping.
  const version = { DATA_VERSION: mapping.version, EXPORT_DATE: now };
  const status = { LAST_UPDATE: now, DATA_VERSION: mapping.version };
  mkdirSync(folder, { recursive: true });
  const local = join(folder, posix.basename(paths.exportZip));
  const partial = `${local}${PARTIAL_UPLOAD_SUFFIX}`;
  const zip = worker === undefined ? await writeExportZipFile(mapping, source, partial)
    : await writeExportZipWithWorker(mapping, source, worker, partial);
  renameSync(zip.file, local);

  const files = [
    { path: paths.exportZip, local, bytes: zip.bytes },
    ...writeLocalCopies(folder, [
      { path: paths.exportVersion, data: encodeSingleRowFile(mapping, 'exportVersion', version) },
      { path: paths.exportStatus, data: encodeSingleRowFile(mapping, 'exportStatus', status) },
    ]),
  ];
  return { files, tables: zip.tables, rows: zip.rows };
}

/** Writes small files into `folder`; returns them with their local paths. */
function writeLocalCopies(folder: string, files: readonly { path: string; data: Buffer }[]): ExportFile[] {
  mkdirSync(folder, { recursive: true });
  return files.map((file) => {
    const local = join(folder, posix.basename(file.path));
    writeFileSync(local, file.data);
    return { path: file.path, local, bytes: file.data.length };
  });
}

async function uploadFiles(context: BoContext, deviceId: string,
  files: readonly ExportFile[]): Promise<void> {
  const who = `back office of ${context.company.name} exporting to ${deviceId}`;
  // The temporary name of the upload under way, until its rename.
  let leftover: string | undefined;
  try {
    await withFtpSession(context.ftp, who, async (client) => {
      // Our assumption about the real BO (docs/exchange-format.md): a device's upload must find its
      // inbox there, as an FTP client that makes no folders (curl without --ftp-create-dirs) needs.
      await client.ensureDir(`/${devicePaths(context.mapping, deviceId).movementUploads}`);
      const folders = new Set<string>();
      for (const { path, local } of files) {
        const folder = posix.dirname(path);
        if (!folders.has(folder)) {
          await client.ensureDir(`/${folder}`);
          folders.add(folder);
        }
        leftover = `/${path}${PARTIAL_UPLOAD_SUFFIX}`;
        await client.uploadFrom(local, leftover);
        await client.rename(leftover, `/${path}`);
        leftover = undefined;
      }
    });
  } catch (error) {
    if (leftover !== undefined) await removeLeftover(context, who, leftover);
    throw error;
  }
}

/**
 * Deletes what a failed upload left under its temporary name, so that the
 * device's folder holds only whole files. It takes a session of its own: the
 * FTP client gives up the session of a transfer whose data connection broke.
 * A server that does not answer, or refuses, leaves the file for the next
 * export to replace.
 */
async function removeLeftover(context: BoContext, who: string, partial: string): Promise<void> {
  await withFtpSession(context.ftp, `${who}, removing ${partial}`, (client) => client.remove(partial, true),
    LEFTOVER_REMOVAL_TIMEOUT_MS).catch((error: Error) =>
    logger('hil:bo', context.company.name)('%s left on the server: %s', partial, error.message));
}

/**
 * Exports to one device the rows of every table that its selection takes
 * (export-device.ts: the window's lot selection and scope, the device's
 * « Critères Articles et Lots »): builds the three files, writes them under
 * `<folder>/export/<device>/` and uploads them. A device that is not in the
 * eStock list, inactive or blocked, or whose criteria cannot be read, gets
 * nothing, nor does any while the licence is not valid: the report says why.
 * `options.onProgress` hears this device's export from 0 to 100. Images.zip
 * is the run's (export-run.ts). Throws BackOfficeError for a device not in
 * the registry, FtpError when the server cannot be reached or refuses a file.
 */
export async function exportForDevice(context: BoContext, deviceId: string,
  options: ExportOptions = {}): Promise<ExportReport> {
  const started = performance.now();
  const log = logger('hil:bo', `${context.company.name}/${deviceId}`);
  const report: ExportReport = {
    device: deviceId, files: [], tables: 0, rows: 0, anomalies: [], ms: 0,
  };
  const progress = (percent: number, stage: string): void =>
    options.onProgress?.({ device: deviceId, percent, stage });
  const refusal = licenceRefusalAt(context.db, context.clock()) ??
    exportRefusal(context.db, context.company.name, deviceId) ?? criteriaRefusal(context.db, deviceId);
  if (refusal !== undefined) {
    log('export refused: %s', refusal);
    report.anomalies.push({ reason: refusal });
    report.ms = Math.round(performance.now() - started);
    progress(100, 'refused');
    return report;
  }

  log('export: start');
  progress(0, 'selection');
  // A large export's biggest tables are encoded by a worker thread, which selects again on its own meanwhile.
  const { selections, scope } = deviceSelections(context, deviceId, options);
  const worker = exportIsLarge(context.db, context.mapping)
    ? startExportWorker(context.db, context.mapping, selections, scope) : undefined;
  let exported: ExportedFiles;
  try {
    const choice = selectForDevice(context, deviceId, options);
    log('selection %s: %d articles (%d without lots), %d lot lines', choice.filter, choice.counts.articles,
      choice.counts.articlesWithoutLots, choice.counts.lotLines);
    report.anomalies.push(...choice.anomalies);
    progress(10, 'tables');
    const tables = readExportTables(context);
    progress(50, 'zip');
    exported = await exportFiles(context.mapping, deviceId, tables, worker, context.clock(),
      join(context.exportFolder, deviceId));
  } finally {
    await worker?.stop();
  }
  progress(70, 'upload');
  await uploadFiles(context, deviceId, exported.files);
  progress(100, 'done');

  report.files = exported.files.map((file) => ({ path: file.path, bytes: file.bytes }));
  report.tables = exported.tables;
  report.rows = exported.rows;
  report.ms = Math.round(performance.now() - started);
  const bytes = report.files.reduce((sum, file) => sum + file.bytes, 0);
  log('export: done, %d tables, %d rows, %d bytes in %d ms, %d anomalies', report.tables,
    report.rows, bytes, report.ms, report.anomalies.length);
  return report;
}
