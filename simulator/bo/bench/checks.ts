/**
 * What makes the BO benchmark's figures real: every export table's rows are
 * in our zip and in the baseline's files, as many as bo.sqlite holds, and
 * every movement was imported. A check that fails throws BenchCheckError;
 * the benchmark then stops with no figures.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { readZip } from '../../exchange/index.ts';
import type { Mapping } from '../../exchange/types.ts';

/** The benchmark measured something else than it meant to. */
export class BenchCheckError extends Error {
  readonly code = 'BENCH_CHECK';
}

/** Lines of a table file after its header (a file without lines has none). */
function rowsIn(data: Buffer): number {
  let lines = 0;
  for (let at = data.indexOf(0x0a); at !== -1; at = data.indexOf(0x0a, at + 1)) lines += 1;
  return Math.max(0, lines - 1);
}

/** The rows of each export table in the database, by table name. */
export function tableCounts(mapping: Mapping, databaseFile: string): Map<string, number> {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    return new Map(mapping.exportTables.map((table) => [table.name,
      db.prepare(`SELECT count(*) FROM "${table.name}"`).pluck().get() as number]));
  } finally {
    db.close();
  }
}

function compare(expected: ReadonlyMap<string, number>, found: ReadonlyMap<string, number>, what: string): void {
  const wrong = [...expected].filter(([name, rows]) => found.get(name) !== rows)
    .map(([name, rows]) => `${name}: ${found.get(name) ?? 'missing'} rows, the database has ${rows}`);
  if (wrong.length > 0) throw new BenchCheckError(`${what} does not hold the database's rows: ${wrong.join('; ')}`);
}

/** Checks that a zip holds one file per export table with every row of the database. */
export async function checkExportZip(mapping: Mapping, zipFile: string, counts: ReadonlyMap<string, number>,
  what: string): Promise<void> {
  const entries = await readZip(readFileSync(zipFile), zipFile);
  const byFile = new Map(entries.map((entry) => [entry.name, entry.data]));
  const found = new Map(mapping.exportTables.map((table) => {
    const data = byFile.get(table.file);
    return [table.name, data === undefined ? -1 : rowsIn(data)];
  }));
  compare(counts, found, what);
}

/** Checks that CSV files, one per export table in mapping order, hold every row of the database. */
export function checkCsvFiles(mapping: Mapping, files: readonly string[], counts: ReadonlyMap<string, number>,
  what: string): void {
  const found = new Map(mapping.exportTables.map((table, index) =>
    [table.name, rowsIn(readFileSync(files[index]!))]));
  compare(counts, found, what);
}

/** Checks that two files hold the same bytes (the export's local copy and the one on the server). */
export function checkSameFile(local: string, remote: string): void {
  if (!readFileSync(local).equals(readFileSync(remote))) {
    throw new BenchCheckError(`${remote} on the FTP server differs from the BO's local copy ${local}`);
  }
}

/** Checks that the journal holds `expected` movements of the device. */
export function checkJournal(databaseFile: string, deviceId: string, expected: number): void {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const journaled = db.prepare('SELECT count(*) FROM stock_movement WHERE device_id = ?').pluck()
      .get(deviceId) as number;
    if (journaled !== expected) {
      throw new BenchCheckError(`the journal holds ${journaled} movements of ${deviceId}, not ${expected}`);
    }
  } finally {
    db.close();
  }
}

/** Throws BenchCheckError when `found` is not `expected`. */
export function checkEqual(found: unknown, expected: unknown, what: string): void {
  if (found !== expected) {
    throw new BenchCheckError(`${what}: ${JSON.stringify(found)}, expected ${JSON.stringify(expected)}`);
  }
}
