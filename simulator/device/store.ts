/**
 * The device's own SQLite store, as the app keeps one on the tablet: the
 * export tables of the mapping (what the BO sent), and the device's journal:
 * settings, movements recorded, lots and lot information created or changed
 * on the device, each with the upload zip that carried it once sent.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DeviceError } from '../errors.ts';
import { createTables } from '../exchange/index.ts';
import type { Mapping, TableSpec } from '../exchange/types.ts';

/** The store's file name inside the device folder. */
export const STORE_FILE = 'estock.sqlite';

// Journal tables carry a `device_` prefix so that no export table of a mapping can clash with them.
const JOURNAL_SCHEMA = `
  CREATE TABLE IF NOT EXISTS device_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS device_movement (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    mvt_id TEXT NOT NULL UNIQUE,
    input TEXT NOT NULL,
    article TEXT NOT NULL,
    lot_is_new INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    upload_row TEXT NOT NULL,
    sent_in TEXT
  );
  CREATE TABLE IF NOT EXISTS device_lot (
    lot_code TEXT PRIMARY KEY,
    art_code TEXT NOT NULL,
    millesime INTEGER,
    date_creation TEXT,
    created_on_device INTEGER NOT NULL,
    sent_in TEXT
  );
  CREATE TABLE IF NOT EXISTS device_lot_info (
    lot_code TEXT NOT NULL,
    info_code TEXT NOT NULL,
    valeur TEXT,
    sent_in TEXT,
    PRIMARY KEY (lot_code, info_code)
  );
`;

/** The names of the settings kept in device_settings. */
export type SettingKey =
  | 'device_id' | 'ftp_host' | 'ftp_port' | 'ftp_user' | 'ftp_password' | 'login'
  | 'data_version' | 'export_date' | 'last_update' | 'movement_counter' | 'last_upload_name'
  | 'sync_timeout_ms' | 'sync_attempts' | 'sync_pause_ms' | 'sync_upload_mode' | 'sync_tls'
  | 'sync_passive_address';

/** An open device store. */
export interface DeviceStore {
  readonly db: Database.Database;
  readonly mapping: Mapping;
  readonly file: string;
  /** A setting, or undefined when never set. */
  setting(key: SettingKey): string | undefined;
  /** Sets settings; undefined removes one. */
  saveSettings(values: Partial<Record<SettingKey, string | undefined>>): void;
  /** The export table of the mapping by name; throws DeviceError if the mapping has none. */
  exportTable(name: string): TableSpec;
  /** Runs `work` in one SQLite transaction (nested calls join the outer one). */
  transaction<T>(work: () => T): T;
  close(): void;
}

/**
 * Opens (creating if needed) `<folder>/estock.sqlite` with the mapping's export
 * tables and the journal. Throws DeviceError if the folder or file cannot be used.
 */
export function openDeviceStore(folder: string, mapping: Mapping): DeviceStore {
  const file = join(folder, STORE_FILE);
  let db: Database.Database;
  try {
    mkdirSync(folder, { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    createTables(db, mapping.exportTables);
    db.exec(JOURNAL_SCHEMA);
  } catch (error) {
    throw new DeviceError(`cannot open the device store ${file}: ${(error as Error).message}`, { cause: error });
  }

  const readSetting = db.prepare<[string], { value: string }>('SELECT value FROM device_settings WHERE key = ?');
  const writeSetting = db.prepare('INSERT OR REPLACE INTO device_settings (key, value) VALUES (?, ?)');
  const deleteSetting = db.prepare('DELETE FROM device_settings WHERE key = ?');
  const tables = new Map(mapping.exportTables.map((table) => [table.name, table]));

  return {
    db,
    mapping,
    file,
    setting: (key) => readSetting.get(key)?.value,
    saveSettings(values) {
      db.transaction(() => {
        for (const [key, value] of Object.entries(values)) {
          if (value === undefined) deleteSetting.run(key);
          else writeSetting.run(key, value);
        }
      })();
    },
    exportTable(name) {
      const table = tables.get(name);
      if (table === undefined) {
        throw new DeviceError(`the mapping ${mapping.source} has no export table ${name}; the device needs it`);
      }
      return table;
    },
    transaction: (work) => db.transaction(work)(),
    close: () => db.close(),
  };
}
