/**
 * The back office's SQLite database (bo.sqlite): the mapping's export tables,
 * which hold the catalog and the stock, and the BO's own tables: its settings
 * and licence (bo_meta), its FTP profiles, the device registry and the eStock
 * device list, the lots devices created, the bytes of the article pictures
 * (image_file) and which of them were sent in an Images.zip (image_sent), the
 * journal of imported movements (one row per device and movement id, so that
 * a movement never counts twice), the log of imports and the zips refused and
 * left in an inbox (refused_zip, so that an unchanged one is not downloaded again).
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
  CREATE TABLE IF NOT EXISTS ftp_profile (
    name TEXT PRIMARY KEY, host TEXT NOT NULL, port INTEGER NOT NULL, user TEXT NOT NULL,
    password TEXT NOT NULL, tls TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS image_file (img_id INTEGER PRIMARY KEY, data BLOB NOT NULL, sha256 TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS image_sent (
    img_id INTEGER PRIMARY KEY, file_name TEXT NOT NULL, date_maj TEXT, sha256 TEXT NOT NULL,
    sent_at TEXT NOT NULL);
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
  CREATE TABLE IF NOT EXISTS refused_zip (
    device_id TEXT NOT NULL, file_name TEXT NOT NULL, bytes INTEGER NOT NULL, modified_at TEXT NOT NULL,
    refused_at TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (device_id, file_name));
`;

/**
 * Images.zip is shared by every device, so what was sent is kept per picture,
 * no longer per device (images.ts). The older table, per device, was never
 * written to: it is dropped, to be made anew.
 */
function dropImageSentPerDevice(db: BoDatabase): void {
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('image_sent')").all();
  if (columns.some((column) => column.name === 'device_id')) db.exec('DROP TABLE image_sent');
}

/**
 * Opens (creating it if needed) the BO database at `file`, with the export
 * tables of `mapping`. Throws BackOfficeError if it cannot be opened.
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
    dropImageSentPerDevice(db);
    db.exec(BO_SCHEMA);
    createTables(db, mapping.exportTables);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Copies the company's device registry and eStock device list into a new
 * back office. Once copied, the database holds them: they change through the
 * back office (devices.ts), not through the company file.
 */
export function seedDevices(db: BoDatabase, company: Company): void {
  const insertDevice = db.prepare(
    'INSERT INTO device_registry (device_id, auth_key, blocked) VALUES (?, ?, ?)');
  const insertListed = db.prepare(`INSERT INTO estock_device
    (device_id, login, active, blocked, criteria) VALUES (?, ?, ?, ?, ?)`);
  db.transaction(() => {
    const seeded = db.prepare("INSERT OR IGNORE INTO bo_meta (key, value) VALUES ('devices_seeded', ?)")
      .run(new Date().toISOString());
    if (seeded.changes === 0) return;
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
