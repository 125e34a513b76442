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
  iterateRows,
  localDateTime,
  openReadSnapshot,
  writeExportZipFile,
  type ExportRowSource,
} from '../exchange/index.ts';
import type { Mapping } from '../exchange/types.ts';
import { withFtpSession } from '../ftp/client.ts';
import { logger } from '../log.ts';
import { deviceMobilRows } from './catalog-company.ts';
import { replaceTables, syncDevices, type BoDatabase } from './database.ts';
import { deviceStanding, exportRefusal, type DeviceStanding } from './devices.ts';
import type { Anomaly, BoContext, ExportReport } from './types.ts';

/** Appended to a file's name while it is being written or uploaded. */
export const PARTIAL_UPLOAD_SUFFIX = '.part';

/** One file of an export: its path from the company root, its local copy and its size. */
interface ExportFile {
  path: string;
  local: string;
  bytes: number;
}

/** The rows of the export tables, read from one snapshot of the database; close it after. */
interface ExportTables {
  rowsOf: ExportRowSource;
  close(): void;
}

/** The files of an export, written locally, and how many tables and rows the zip holds. */
interface ExportedFiles {
  files: ExportFile[];
  tables: number;
  rows: number;
}

/**
 * Every export table, DEVICEMOBIL made anew from the registry (and saved so),
 * read a row at a time from one read-only snapshot of the database: a long
 * export sees one state of the catalog, and leaves the BO's connection free.
 * A per-device row filter goes in front of `rowsOf`.
 */
function readExportTables(context: BoContext): ExportTables {
  const { db, mapping } = context;
  const devices = mapping.exportTables.find((spec) => spec.name === 'DEVICEMOBIL');
  if (devices !== undefined) {
    const rows = deviceMobilRows(context.company).map((row) =>
      Object.fromEntries(devices.columns.map((column) => [column.name, row[column.name] ?? null])));
    replaceTables(db, mapping, new Map([[devices.name, rows]]));
  }
  // Taken at the first read, so that nothing is left open if the export stops before it.
  let snapshot: BoDatabase | undefined;
  return {
    rowsOf: (spec) => iterateRows(snapshot ??= openReadSnapshot(db.name), spec),
    close: () => snapshot?.close(),
  };
}

/**
 * The anomalies of a device's filters. The « Critères Articles et Lots » of
 * the eStock list and the lot selection of the export window (« Tous les
 * articles », « Lot existant ») are not applied yet: every article and every
 * lot goes to every device.
 */
function filterAnomalies(standing: DeviceStanding): Anomaly[] {
  if (standing.criteria.trim() === '') return [];
  return [{ reason: `the « Critères Articles et Lots » of device ${standing.deviceId} ` +
    `(${standing.criteria}) are not applied yet: every article and lot was exported` }];
}

/**
 * Writes the export zip, streamed from `tables` (closed at the end), and the
 * two status files into `folder`. The zip is written under a temporary name
 * and renamed once whole, so that a failed export leaves the last good copy.
 */
async function exportFiles(mapping: Mapping, deviceId: string, tables: ExportTables, at: Date,
  folder: string): Promise<ExportedFiles> {
  const paths = devicePaths(mapping, deviceId);
  const now = localDateTime(at);
  const version = { DATA_VERSION: mapping.version, EXPORT_DATE: now };
  const status = { LAST_UPDATE: now, DATA_VERSION: mapping.version };
  mkdirSync(folder, { recursive: true });
  const local = join(folder, posix.basename(paths.exportZip));
  let zip;
  try {
    zip = await writeExportZipFile(mapping, tables.rowsOf, `${local}${PARTIAL_UPLOAD_SUFFIX}`);
  } finally {
    tables.close();
  }
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
      const partial = `/${path}${PARTIAL_UPLOAD_SUFFIX}`;
      await client.uploadFrom(local, partial);
      await client.rename(partial, `/${path}`);
    }
  });
}

/**
 * Exports every table to one device: builds the three files, writes them
 * under `<folder>/export/<device>/` and uploads them. A device that is not in
 * the eStock list, inactive or blocked gets nothing: the report says why.
 * Throws BackOfficeError for a device not in the registry, FtpError when the
 * server cannot be reached or refuses a file.
 */
export async function exportForDevice(context: BoContext, deviceId: string):
  Promise<ExportReport> {
  const started = performance.now();
  const log = logger('hil:bo', `${context.company.name}/${deviceId}`);
  const report: ExportReport = {
    device: deviceId, files: [], tables: 0, rows: 0, anomalies: [], ms: 0,
  };
  syncDevices(context.db, context.company);
  const refusal = exportRefusal(context.db, context.company.name, deviceId);
  if (refusal !== undefined) {
    log('export refused: %s', refusal);
    report.anomalies.push({ reason: refusal });
    report.ms = Math.round(performance.now() - started);
    return report;
  }

  log('export: start');
  const tables = readExportTables(context);
  report.anomalies.push(...filterAnomalies(deviceStanding(context.db, deviceId)));
  const exported = await exportFiles(context.mapping, deviceId, tables, context.clock(),
    join(context.folder, 'export', deviceId));
  await uploadFiles(context, deviceId, exported.files);

  report.files = exported.files.map((file) => ({ path: file.path, bytes: file.bytes }));
  report.tables = exported.tables;
  report.rows = exported.rows;
  report.ms = Math.round(performance.now() - started);
  const bytes = report.files.reduce((sum, file) => sum + file.bytes, 0);
  log('export: done, %d tables, %d rows, %d bytes in %d ms, %d anomalies', report.tables,
    report.rows, bytes, report.ms, report.anomalies.length);
  return report;
}
