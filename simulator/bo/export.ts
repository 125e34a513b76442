/**
 * « Export eStock » for one device (guide, section 3a): every export table
 * into `<device>.zip`, with `Version.txt` and `<device>.txt` beside it, kept
 * in the BO's local export folder and put on the FTP server under
 * `Sortant/eStock/<device>/`. Each file is uploaded under a temporary name and
 * then renamed, so that a device never reads a half-written file; the status
 * file `<device>.txt` goes last. The device's inbox,
 * `Entrant/eStock/<device>/MvtStocks/`, is made first if missing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  buildExportZip,
  devicePaths,
  encodeSingleRowFile,
  localDateTime,
  selectRows,
} from '../exchange/index.ts';
import type { Mapping, Row } from '../exchange/types.ts';
import { withFtpSession } from '../ftp/client.ts';
import { logger } from '../log.ts';
import { deviceMobilRows } from './catalog-company.ts';
import { replaceTables } from './database.ts';
import { deviceStanding, estockList, exportRefusal, registry, type DeviceStanding } from './devices.ts';
import { licenceRefusalAt } from './licence.ts';
import type { Anomaly, BoContext, ExportOptions, ExportReport } from './types.ts';

/** Appended to a file's name while it is being uploaded. */
export const PARTIAL_UPLOAD_SUFFIX = '.part';

/** One file of an export: its path from the company root, and its bytes. */
interface ExportFile {
  path: string;
  data: Buffer;
}

/** Every export table, DEVICEMOBIL made anew from the registry (and saved so). */
function readExportTables(context: BoContext): Map<string, Row[]> {
  const { db, mapping } = context;
  const devices = mapping.exportTables.find((spec) => spec.name === 'DEVICEMOBIL');
  if (devices !== undefined) {
    const rows = deviceMobilRows({ registry: registry(db), estock: estockList(db) }).map((row) =>
      Object.fromEntries(devices.columns.map((column) => [column.name, row[column.name] ?? null])));
    replaceTables(db, mapping, new Map([[devices.name, rows]]));
  }
  return new Map(mapping.exportTables.map((spec) => [spec.name, selectRows(db, spec)]));
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

async function exportFiles(mapping: Mapping, deviceId: string,
  tables: ReadonlyMap<string, readonly Row[]>, at: Date): Promise<ExportFile[]> {
  const paths = devicePaths(mapping, deviceId);
  const now = localDateTime(at);
  // The data version is the settings' « Version », which selected this mapping.
  const version = { DATA_VERSION: mapping.version, EXPORT_DATE: now };
  const status = { LAST_UPDATE: now, DATA_VERSION: mapping.version };
  return [
    { path: paths.exportZip, data: await buildExportZip(mapping, tables) },
    { path: paths.exportVersion, data: encodeSingleRowFile(mapping, 'exportVersion', version) },
    { path: paths.exportStatus, data: encodeSingleRowFile(mapping, 'exportStatus', status) },
  ];
}

/** Writes the files into `folder`; returns each file's local path. */
function writeLocalCopies(folder: string, files: readonly ExportFile[]): Map<ExportFile, string> {
  mkdirSync(folder, { recursive: true });
  const written = new Map<ExportFile, string>();
  for (const file of files) {
    const local = join(folder, posix.basename(file.path));
    writeFileSync(local, file.data);
    written.set(file, local);
  }
  return written;
}

async function uploadFiles(context: BoContext, deviceId: string,
  files: ReadonlyMap<ExportFile, string>): Promise<void> {
  const who = `back office of ${context.company.name} exporting to ${deviceId}`;
  await withFtpSession(context.ftp, who, async (client) => {
    // Our assumption about the real BO (docs/exchange-format.md): a device's upload must find its
    // inbox there, as an FTP client that makes no folders (curl without --ftp-create-dirs) needs.
    await client.ensureDir(`/${devicePaths(context.mapping, deviceId).movementUploads}`);
    const folders = new Set<string>();
    for (const [file, local] of files) {
      const folder = posix.dirname(file.path);
      if (!folders.has(folder)) {
        await client.ensureDir(`/${folder}`);
        folders.add(folder);
      }
      const partial = `/${file.path}${PARTIAL_UPLOAD_SUFFIX}`;
      await client.uploadFrom(local, partial);
      await client.rename(partial, `/${file.path}`);
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
export async function exportForDevice(context: BoContext, deviceId: string,
  _options: ExportOptions = {}): Promise<ExportReport> {
  const started = performance.now();
  const log = logger('hil:bo', `${context.company.name}/${deviceId}`);
  const report: ExportReport = {
    device: deviceId, files: [], tables: 0, rows: 0, anomalies: [], ms: 0,
  };
  const refusal = licenceRefusalAt(context.db, context.clock()) ??
    exportRefusal(context.db, context.company.name, deviceId);
  if (refusal !== undefined) {
    log('export refused: %s', refusal);
    report.anomalies.push({ reason: refusal });
    report.ms = Math.round(performance.now() - started);
    return report;
  }

  log('export: start');
  const tables = readExportTables(context);
  report.anomalies.push(...filterAnomalies(deviceStanding(context.db, deviceId)));
  const files = await exportFiles(context.mapping, deviceId, tables, context.clock());
  const local = writeLocalCopies(join(context.exportFolder, deviceId), files);
  await uploadFiles(context, deviceId, local);

  report.files = files.map((file) => ({ path: file.path, bytes: file.data.length }));
  report.tables = tables.size;
  report.rows = [...tables.values()].reduce((sum, rows) => sum + rows.length, 0);
  report.ms = Math.round(performance.now() - started);
  const bytes = report.files.reduce((sum, file) => sum + file.bytes, 0);
  log('export: done, %d tables, %d rows, %d bytes in %d ms, %d anomalies', report.tables,
    report.rows, bytes, report.ms, report.anomalies.length);
  return report;
}
