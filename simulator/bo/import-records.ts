/**
 * What an import leaves in the BO's local import folder (guide, section 3b):
 * the movements imported as a CSV file under `MvtStocks/Archives/` and a text
 * log under `MvtStocks/Log/`, one of each per movement zip.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { encodeTable } from '../exchange/index.ts';
import type { Mapping, Row } from '../exchange/types.ts';
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
}

/** An anomaly as one line: `file:line: reason`. */
export function describeAnomaly(anomaly: Anomaly): string {
  if (anomaly.file === undefined) return anomaly.reason;
  const line = anomaly.line === undefined ? '' : `:${anomaly.line}`;
  return `${anomaly.file}${line}: ${anomaly.reason}`;
}

function stem(zipName: string): string {
  return basename(zipName, '.zip');
}

/**
 * Writes the movements imported from a zip as `Archives/<zip name>.csv`, in
 * the mapping's codec; returns its path.
 */
export function writeArchive(folder: string, mapping: Mapping, zipName: string,
  movements: readonly Row[]): string {
  const archives = join(folder, 'Archives');
  mkdirSync(archives, { recursive: true });
  const file = join(archives, `${stem(zipName)}.csv`);
  writeFileSync(file, encodeTable(mapping, mapping.upload.movements, movements));
  return file;
}

/** The text of a zip's log. */
export function importLogText(log: ZipLog): string {
  const lines = [
    `eStock import from device ${log.deviceId}: ${log.zipName}`,
    `Imported at: ${log.importedAt.replace('T', ' ')}`,
    `Outcome: ${log.outcome}`,
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

/** Writes a zip's log as `Log/<zip name>.log` (UTF-8); returns its path. */
export function writeImportLog(folder: string, log: ZipLog): string {
  const logs = join(folder, 'Log');
  mkdirSync(logs, { recursive: true });
  const file = join(logs, `${stem(log.zipName)}.log`);
  writeFileSync(file, importLogText(log), 'utf8');
  return file;
}
