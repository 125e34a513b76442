/**
 * The import of one device's movements (guide, section 3b): every
 * `LotStockExported_<timestamp>.zip` in its inbox on the FTP server, oldest
 * first, is downloaded into the BO's local import folder, applied to the
 * stock in one transaction, archived and logged, then deleted from the inbox.
 * A zip that cannot be read stays in the inbox for a later run; other files
 * there are left alone. Both are reported as anomalies.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FTPError, type Client } from 'basic-ftp';
import { ExchangeFormatError, ZipError } from '../errors.ts';
import {
  devicePaths,
  localDateTime,
  parseMovementUploadName,
  readMovementUpload,
} from '../exchange/index.ts';
import type { DecodedTable } from '../exchange/types.ts';
import { withFtpSession } from '../ftp/client.ts';
import { logger } from '../log.ts';
import { applyUpload } from './apply-upload.ts';
import { importRefusal } from './devices.ts';
import { licenceRefusalAt } from './licence.ts';
import { writeArchive, writeImportLog, type ZipLog } from './import-records.ts';
import type { BoContext, ImportReport } from './types.ts';

const NOT_AN_UPLOAD = 'not a movement upload (LotStockExported_YYYYMMDD_HHMMSS.zip): ' +
  'ignored, left in the inbox';

interface ImportRun {
  context: BoContext;
  deviceId: string;
  client: Client;
  inbox: string;
  /** <folder>/import/<device>/MvtStocks */
  localFolder: string;
  report: ImportReport;
  log: (format: string, ...args: unknown[]) => void;
}

/** Whether a folder exists, looked for from the root one level at a time. */
async function folderExists(client: Client, path: string): Promise<boolean> {
  let parent = '';
  for (const name of path.split('/')) {
    const entries = await client.list(`${parent}/`);
    if (!entries.some((entry) => entry.isDirectory && entry.name === name)) return false;
    parent = `${parent}/${name}`;
  }
  return true;
}

/** The movement zips of the inbox, oldest first; other entries become anomalies. */
async function listInbox(run: ImportRun): Promise<string[]> {
  let entries;
  try {
    entries = await run.client.list(`/${run.inbox}`);
  } catch (error) {
    // Servers differ in their reply to LIST of a missing folder (ftp-srv: 451 ENOENT; others 550).
    if (error instanceof FTPError && !(await folderExists(run.client, run.inbox))) return [];
    throw error;
  }

  const zips: { name: string; at: number }[] = [];
  for (const entry of entries) {
    const at = entry.isFile ? parseMovementUploadName(run.context.mapping, entry.name) : undefined;
    if (at === undefined) {
      run.report.anomalies.push({ file: `${run.inbox}/${entry.name}`, reason: NOT_AN_UPLOAD });
    } else {
      zips.push({ name: entry.name, at: at.getTime() });
    }
  }
  zips.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
  return zips.map((zip) => zip.name);
}

function linesOf(table: DecodedTable): number {
  const lines = [...table.rows.map((row) => row.line), ...table.problems.map((problem) => problem.line)];
  return new Set(lines).size;
}

function zipLog(run: ImportRun, zipName: string, importedAt: string): ZipLog {
  return { deviceId: run.deviceId, zipName, importedAt, outcome: 'imported', movementsInFile: 0,
    movementsImported: 0, lots: 0, lotInformation: 0, anomalies: [], notes: [] };
}

function leaveInInbox(run: ImportRun, zipName: string, importedAt: string, error: Error): void {
  const reason = `cannot be read, left in the inbox for a later import: ${error.message}`;
  const anomaly = { file: zipName, reason };
  run.report.anomalies.push(anomaly);
  run.report.zips.push({ name: zipName, movements: 0, anomalies: 1 });
  writeImportLog(run.localFolder, { ...zipLog(run, zipName, importedAt),
    outcome: 'left in the inbox', anomalies: [anomaly] });
  run.log('import: %s left in the inbox: %s', zipName, error.message);
}

async function importZip(run: ImportRun, zipName: string): Promise<void> {
  const { context, report } = run;
  const remote = `/${run.inbox}/${zipName}`;
  const local = join(run.localFolder, zipName);
  await run.client.downloadTo(local, remote);
  const bytes = readFileSync(local);
  const importedAt = localDateTime(context.clock());

  let upload;
  try {
    upload = await readMovementUpload(context.mapping, bytes, zipName);
  } catch (error) {
    if (!(error instanceof ZipError || error instanceof ExchangeFormatError)) throw error;
    leaveInInbox(run, zipName, importedAt, error);
    return;
  }

  const source = { deviceId: run.deviceId, zipName, importedAt };
  const outcome = applyUpload(context.db, context.mapping, source, upload);
  const imported = outcome.applied.length;
  writeArchive(run.localFolder, context.mapping, zipName, outcome.applied);
  const logFile = writeImportLog(run.localFolder, { ...zipLog(run, zipName, importedAt),
    movementsInFile: linesOf(upload.movements), movementsImported: imported, lots: outcome.lots,
    lotInformation: outcome.lotInformation, anomalies: outcome.anomalies, notes: outcome.notes });
  context.db.prepare(`INSERT INTO import_log (device_id, file_name, imported_at, outcome,
      movements, anomalies, log_file) VALUES (?, ?, ?, 'imported', ?, ?, ?)`)
    .run(run.deviceId, zipName, importedAt, imported, outcome.anomalies.length, logFile);
  await run.client.remove(remote);

  report.anomalies.push(...outcome.anomalies);
  report.zips.push({ name: zipName, movements: imported, anomalies: outcome.anomalies.length });
  report.movementsImported += imported;
  run.log('import: %s (%d bytes): %d movements imported, %d anomalies', zipName, bytes.length,
    imported, outcome.anomalies.length);
}

/**
 * Imports the movement zips of a device's inbox. A blocked or inactive device
 * gets nothing imported: the report says why. Throws BackOfficeError for a
 * device not in the eStock list, FtpError when the server fails.
 */
export async function importForDevice(context: BoContext, deviceId: string):
  Promise<ImportReport> {
  const started = performance.now();
  const log = logger('hil:bo', `${context.company.name}/${deviceId}`);
  const report: ImportReport = {
    device: deviceId, zips: [], movementsImported: 0, anomalies: [], ms: 0,
  };
  const refusal = licenceRefusalAt(context.db, context.clock()) ??
    importRefusal(context.db, context.company.name, deviceId);
  if (refusal !== undefined) {
    log('import refused: %s', refusal);
    report.anomalies.push({ reason: refusal });
    report.ms = Math.round(performance.now() - started);
    return report;
  }

  log('import: start');
  const inbox = devicePaths(context.mapping, deviceId).movementUploads;
  const localFolder = join(context.importFolder, deviceId, 'MvtStocks');
  mkdirSync(localFolder, { recursive: true });
  const who = `back office of ${context.company.name} importing from ${deviceId}`;
  await withFtpSession(context.ftp, who, async (client) => {
    const run: ImportRun = { context, deviceId, client, inbox, localFolder, report, log };
    for (const zipName of await listInbox(run)) await importZip(run, zipName);
  });

  report.ms = Math.round(performance.now() - started);
  log('import: done, %d zips, %d movements imported, %d anomalies in %d ms',
    report.zips.length, report.movementsImported, report.anomalies.length, report.ms);
  return report;
}
