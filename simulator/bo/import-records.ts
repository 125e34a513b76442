/**
 * What an import leaves in the BO's local import folder (guide, section 3b):
 * the zip as downloaded, the movements imported as a CSV file under
 * `MvtStocks/Archives/` and a text log under `MvtStocks/Log/`, one of each per
 * attempt at a movement zip; and in the database, the import_log row of each
 * zip imported, with the SHA-256 of its bytes.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { encodeTable } from '../exchange/index.ts';
import type { Mapping, Row } from '../exchange/types.ts';
import type { BoDatabase } from './database.ts';
import type { Anomaly } from './types.ts';

/** What the log of one zip tells. */
export interface ZipLog {
  deviceId: string;
  zipName: string;
  /** 'YYYY-MM-DDTHH:mm:ss'. */
  importedAt: string;
  /** 'imported', or why the zip was left in the inbox. */
  outcome: string;
  movementsInFile: number;
  movementsImported: number;
  lots: number;
  lotInformation: number;
  anomalies: readonly Anomaly[];
  notes: readonly string[];
  /** What the device's Version.txt said, e.g. `app 1.0.0, Android 13, Samsung Galaxy Tab Active5`. */
  device?: string;
}

/** An anomaly as one line: `file:line: reason`. */
export function describeAnomaly(anomaly: Anomaly): string {
  if (anomaly.file === undefined) return anomaly.reason;
  const line = anomaly.line === undefined ? '' : `:${anomaly.line}`;
  return `${anomaly.file}${line}: ${anomaly.reason}`;
}

/**
 * The name this attempt at `zipName` keeps its files under, in `folder`:
 * `<zip name without .zip>`, or with `-2`, `-3`... when an earlier attempt
 * (a zip left in the inbox, or the same name uploaded again) has files
 * there, so that no attempt overwrites another's zip, archive or log.
 */
export function attemptName(folder: string, zipName: string): string {
  const stem = basename(zipName, '.zip');
  const taken = (name: string): boolean => existsSync(join(folder, `${name}.zip`)) ||
    existsSync(join(folder, 'Archives', `${name}.csv`)) || existsSync(join(folder, 'Log', `${name}.log`));
  let name = stem;
  for (let attempt = 2; taken(name); attempt += 1) name = `${stem}-${attempt}`;
  return name;
}

/**
 * Writes the movements imported from a zip as `Archives/<attempt>.csv`, in
 * the mapping's codec; returns its path.
 */
export function writeArchive(folder: string, mapping: Mapping, attempt: string,
  movements: readonly Row[]): string {
  const archives = join(folder, 'Archives');
  mkdirSync(archives, { recursive: true });
  const file = join(archives, `${attempt}.csv`);
  writeFileSync(file, encodeTable(mapping, mapping.upload.movements, movements));
  return file;
}

/** The text of a zip's log. */
export function importLogText(log: ZipLog): string {
  const lines = [
    `eStock import from device ${log.deviceId}: ${log.zipName}`,
    `Imported at: ${log.importedAt.replace('T', ' ')}`,
    `Outcome: ${log.outcome}`,
    ...(log.device === undefined ? [] : [`Device: ${log.device}`]),
    `Movements in the file: ${log.movementsInFile}; imported: ${log.movementsImported}; ` +
      `refused: ${log.movementsInFile - log.movementsImported}`,
    `Lots taken in: ${log.lots}; lot information rows taken in: ${log.lotInformation}`,
    `Anomalies: ${log.anomalies.length}`,
    ...log.anomalies.map((anomaly) => `  ${describeAnomaly(anomaly)}`),
  ];
  if (log.notes.length > 0) {
    lines.push(`Notes: ${log.notes.length}`, ...log.notes.map((note) => `  ${note}`));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes a zip's log as `Log/<attempt>.log` (UTF-8); returns its path. */
export function writeImportLog(folder: string, attempt: string, log: ZipLog): string {
  const logs = join(folder, 'Log');
  mkdirSync(logs, { recursive: true });
  const file = join(logs, `${attempt}.log`);
  writeFileSync(file, importLogText(log), 'utf8');
  return file;
}

/** A zip imported before, as import_log keeps it. */
export interface EarlierImport {
  fileName: string;
  /** 'YYYY-MM-DDTHH:mm:ss'. */
  importedAt: string;
}

/** One zip imported, for import_log. */
export interface ImportLogEntry {
  deviceId: string;
  zipName: string;
  importedAt: string;
  movements: number;
  anomalies: number;
  logFile: string;
  /** Hex SHA-256 of the zip's bytes. */
  sha256: string;
}

// Back offices made before import_log had the zips' SHA-256 get the column on their next import.
function ensureHashColumn(db: BoDatabase): void {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(import_log)').all();
  if (!columns.some((column) => column.name === 'sha256')) {
    db.exec('ALTER TABLE import_log ADD COLUMN sha256 TEXT');
  }
}

/** Adds a zip imported to import_log. */
export function recordImport(db: BoDatabase, entry: ImportLogEntry): void {
  ensureHashColumn(db);
  db.prepare(`INSERT INTO import_log (device_id, file_name, imported_at, outcome, movements, anomalies,
      log_file, sha256) VALUES (?, ?, ?, 'imported', ?, ?, ?, ?)`)
    .run(entry.deviceId, entry.zipName, entry.importedAt, entry.movements, entry.anomalies, entry.logFile,
      entry.sha256);
}

/** The first import from this device of a zip with these bytes (by SHA-256); undefined if none. */
export function earlierImport(db: BoDatabase, deviceId: string, sha256: string): EarlierImport | undefined {
  ensureHashColumn(db);
  return db.prepare<[string, string], EarlierImport>(`SELECT file_name AS fileName, imported_at AS importedAt
    FROM import_log WHERE device_id = ? AND sha256 = ? AND outcome = 'imported' ORDER BY id LIMIT 1`)
    .get(deviceId, sha256);
}
