/**
 * The simulated back office: a SQLite database in its own folder, a catalog
 * to seed, and the two eStock actions of the guide (section 3): export to a
 * device and import from it, through the company FTP server. Exports and
 * imports of one back office run one after the other, never interleaved.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Row } from '../exchange/types.ts';
import { logger } from '../log.ts';
import { generateCatalog } from './catalog.ts';
import { openBoDatabase, replaceCatalog, syncDevices, type BoDatabase } from './database.ts';
import { exportForDevice } from './export.ts';
import { importForDevice } from './import.ts';
import type {
  BackOffice, BackOfficeOptions, BoContext, CatalogSummary, StockLine,
} from './types.ts';

/** The database file inside a back office's folder. */
export const DATABASE_FILE_NAME = 'bo.sqlite';

function summary(tables: ReadonlyMap<string, readonly Row[]>): CatalogSummary {
  const count = (name: string): number => tables.get(name)?.length ?? 0;
  return {
    articles: count('ARTICLE'),
    lots: new Set((tables.get('LOTSTOCK') ?? []).map((row) => row.LOT_CODE)).size,
    depots: count('DEPOT'),
    locations: count('EMPLACEMENT'),
    rows: [...tables.values()].reduce((sum, rows) => sum + rows.length, 0),
  };
}

const STOCK_LINES = `SELECT LOT_CODE AS lot, ART_CODE AS article, DEP_CODE AS depot,
    EMP_CODE AS location, QUANTITE AS quantity
  FROM LOTSTOCK ORDER BY LOT_CODE, DEP_CODE, EMP_CODE`;

interface JournalRow {
  row_json: string;
  import_file: string;
  import_line: number;
  imported_at: string;
}

function journal(db: BoDatabase, deviceId: string | undefined): Row[] {
  const select = 'SELECT row_json, import_file, import_line, imported_at FROM stock_movement';
  const rows = deviceId === undefined
    ? db.prepare<[], JournalRow>(`${select} ORDER BY id`).all()
    : db.prepare<[string], JournalRow>(`${select} WHERE device_id = ? ORDER BY id`)
      .all(deviceId);
  return rows.map((entry) => ({
    ...(JSON.parse(entry.row_json) as Row),
    IMPORT_FILE: entry.import_file,
    IMPORT_LINE: entry.import_line,
    IMPORTED_AT: entry.imported_at,
  }));
}

/**
 * Opens the back office in `options.folder` (created if missing): its
 * database `bo.sqlite` with the mapping's export tables, the registry and the
 * eStock list copied from the company. Throws BackOfficeError if the database
 * cannot be opened or was made for another mapping.
 */
export function openBackOffice(options: BackOfficeOptions): BackOffice {
  const folder = resolve(options.folder);
  mkdirSync(folder, { recursive: true });
  const databaseFile = join(folder, DATABASE_FILE_NAME);
  const db = openBoDatabase(databaseFile, options.mapping);
  syncDevices(db, options.company);
  const context: BoContext = {
    db, folder, company: options.company, mapping: options.mapping, ftp: options.ftp,
    clock: options.clock ?? (() => new Date()),
  };
  const log = logger('hil:bo', options.company.name);

  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    databaseFile,
    seedCatalog: (catalog) => {
      const started = performance.now();
      const tables = generateCatalog(options.mapping, options.company, catalog);
      replaceCatalog(db, options.mapping, tables);
      const result = summary(tables);
      log('catalog seeded: %s, seed %d, %d rows in %d ms', catalog.size, catalog.seed,
        result.rows, Math.round(performance.now() - started));
      return result;
    },
    exportForDevice: (deviceId) => oneAtATime(() => exportForDevice(context, deviceId)),
    importForDevice: (deviceId) => oneAtATime(() => importForDevice(context, deviceId)),
    stock: () => db.prepare<[], StockLine>(STOCK_LINES).all(),
    movements: (deviceId) => journal(db, deviceId),
    close: () => {
      if (db.open) db.close();
    },
  };
}
