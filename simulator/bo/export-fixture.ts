/**
 * What the export tests share beside test-fixture.ts: the tables of a
 * device's zip and the entries of Images.zip as the server holds them, and
 * the BO's database opened beside the back office, to break its data the
 * way a real BO's data can be broken.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { devicePaths, readExportZip } from '../exchange/index.ts';
import type { Row } from '../exchange/types.ts';
import { readZip } from '../exchange/zip.ts';
import type { TestBench } from './test-fixture.ts';

/** The tables of `Sortant/eStock/<device>/<device>.zip` on the server, read strictly as the device reads them. */
export async function serverTables(bench: TestBench, deviceId: string): Promise<Map<string, Row[]>> {
  const path = devicePaths(bench.mapping, deviceId).exportZip;
  return readExportZip(bench.mapping, readFileSync(join(bench.companyRoot, path)), path);
}

/** A column's values in a table of `tables`, in the zip's order. */
export function column(tables: ReadonlyMap<string, readonly Row[]>, table: string, name: string): unknown[] {
  const rows = tables.get(table);
  if (rows === undefined) throw new Error(`no table ${table} in the zip`);
  return rows.map((row) => row[name]);
}

/** The entries of Images.zip on the server, name to bytes; undefined when there is none. */
export async function serverImages(bench: TestBench): Promise<Map<string, Buffer> | undefined> {
  const file = join(bench.companyRoot, bench.mapping.paths.images);
  if (!existsSync(file)) return undefined;
  const entries = await readZip(readFileSync(file), 'Images.zip');
  return new Map(entries.map((entry) => [entry.name, entry.data]));
}

/** The BO's database opened a second time, closed after the test. */
export function openBoFile(t: TestContext, bench: TestBench): Database.Database {
  const db = new Database(bench.bo.databaseFile);
  t.after(() => db.close());
  return db;
}
