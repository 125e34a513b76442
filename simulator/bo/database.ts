/**
 * The back office's SQLite database (bo.sqlite): the mapping's export tables,
 * which hold the catalog and the stock, and the BO's own tables: the mirror of
 * the company's device registry and eStock device list, the lots devices
 * created, the journal of imported movements (one row per device and movement
 * id, so that a movement never counts twice) and the log of imports.
 */
import Database from 'better-sqlite3';
import type { Company } from '../company.ts';
import { BackOfficeError } from '../errors.ts';
import { createTables, insertRows } from '../exchange/index.ts';
import type { Mapping, Row } from '../exchange/types.ts';

/** The open database of a back office. */
export type BoDatabase = Database.Database;

const BO_SCHEMA = `
  CREATE TABLE IF NOT EXISTS bo_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS device_registry (
    device_id TEXT PRIMARY KEY, auth_key TEXT NOT NULL, blocked INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS estock_device (
    device_id TEXT PRIMARY KEY, login TEXT NOT NULL, active INTEGER NOT NULL,
    blocked INTEGER NOT NULL, criteria TEXT NOT NULL DEFAULT '');
  CREATE TABLE IF NOT EXISTS device_lot (
    lot_code TEXT PRIMARY KEY, art_code TEXT NOT NULL, millesime INTEGER, date_creation TEXT,
    device_id TEXT NOT NULL, import_file TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS stock_movement (
    id INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL, mvt_id TEXT NOT NULL,
    import_file TEXT NOT NULL, import_line INTEGER NOT NULL, imported_at TEXT NOT NULL,
    type_mvt TEXT NOT NULL, art_code TEXT NOT NULL, lot_code TEXT NOT NULL,
    dep_code TEXT NOT NULL, emp_code TEXT NOT NULL, dep_code_dest TEXT, emp_code_dest TEXT,
    quantity REAL NOT NULL, motif_code TEXT NOT NULL, row_json TEXT NOT NULL,
    UNIQUE (device_id, mvt_id));
  CREATE TABLE IF NOT EXISTS import_log (
    id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, file_name TEXT NOT NULL,
    imported_at TEXT NOT NULL, outcome TEXT NOT NULL, movements INTEGER NOT NULL,
    anomalies INTEGER NOT NULL, log_file TEXT);
`;

function checkMapping(db: BoDatabase, file: string, mapping: Mapping): void {
  const wanted = `${mapping.format} ${mapping.version}`;
  const found = db.prepare<[], { value: string }>(
    "SELECT value FROM bo_meta WHERE key = 'mapping'").get();
  if (found === undefined) {
    db.prepare("INSERT INTO bo_meta (key, value) VALUES ('mapping', ?)").run(wanted);
  } else if (found.value !== wanted) {
    throw new BackOfficeError(`${file} was created for the mapping ${found.value}, ` +
      `not ${wanted}: open it with that mapping, or start from a new back-office folder`);
  }
}

/**
 * Opens (creating it if needed) the BO database at `file` with the export
 * tables of `mapping`. Throws BackOfficeError if the file was created for
 * another mapping, or cannot be opened.
 */
export function openBoDatabase(file: string, mapping: Mapping): BoDatabase {
  let db: BoDatabase;
  try {
    db = new Database(file);
  } catch (error) {
    throw new BackOfficeError(`cannot open the back-office database ${file}: ` +
      `${(error as Error).message}`, { cause: error });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(BO_SCHEMA);
    createTables(db, mapping.exportTables);
    checkMapping(db, file, mapping);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Copies the company's device registry and eStock device list into the database. */
export function syncDevices(db: BoDatabase, company: Company): void {
  const insertDevice = db.prepare(
    'INSERT INTO device_registry (device_id, auth_key, blocked) VALUES (?, ?, ?)');
  const insertListed = db.prepare(`INSERT INTO estock_device
    (device_id, login, active, blocked, criteria) VALUES (?, ?, ?, ?, ?)`);
  db.transaction(() => {
    db.exec('DELETE FROM estock_device; DELETE FROM device_registry;');
    for (const device of company.registry) {
      insertDevice.run(device.deviceId, device.authKey, device.blocked ? 1 : 0);
    }
    for (const device of company.estock) {
      insertListed.run(device.deviceId, device.login, device.active ? 1 : 0,
        device.blocked ? 1 : 0, device.criteria);
    }
  })();
}

/** Replaces the rows of the export tables named in `tables`, in one transaction. */
export function replaceTables(db: BoDatabase, mapping: Mapping,
  tables: ReadonlyMap<string, readonly Row[]>): void {
  db.transaction(() => {
    for (const spec of mapping.exportTables) {
      const rows = tables.get(spec.name);
      if (rows === undefined) continue;
      db.prepare(`DELETE FROM "${spec.name}"`).run();
      insertRows(db, spec, rows);
    }
  })();
}

/**
 * Replaces the whole catalog (every export table; a table missing from
 * `tables` is emptied) and forgets the lots devices created, in one
 * transaction. The journal of imported movements is kept, so that a movement
 * already imported is still refused after a new catalog.
 */
export function replaceCatalog(db: BoDatabase, mapping: Mapping,
  tables: ReadonlyMap<string, readonly Row[]>): void {
  const every = new Map(mapping.exportTables.map((spec) => [spec.name, tables.get(spec.name) ?? []]));
  db.transaction(() => {
    replaceTables(db, mapping, every);
    db.prepare('DELETE FROM device_lot').run();
  })();
}
