/**
 * The simulated back office: a SQLite database in its own folder, a catalog
 * to seed, the administration of the guide's section 2 (settings, FTP
 * profiles, licences, devices) and the two eStock actions of its section 3:
 * export to a device and import from it, through the FTP profile of the
 * settings. Exports and imports of one back office run one after the other,
 * never interleaved.
 */
import { join, resolve } from 'node:path';
import type { Row } from '../exchange/types.ts';
import { createTables } from '../exchange/index.ts';
import { DEFAULT_FTP_HOST, DEFAULT_FTP_PORT } from '../ftp/server-options.ts';
import { BackOfficeError } from '../errors.ts';
import { makeFolders } from '../folders.ts';
import { logger } from '../log.ts';
import { generateCatalog } from './catalog.ts';
import { openBoDatabase, replaceCatalog, seedDevices, type BoDatabase } from './database.ts';
import {
  activeDevices, changeListedDevice, changeRegisteredDevice, estockList, listDevice, registerDevice, registry,
  unlistDevice, unregisterDevice,
} from './devices.ts';
import { runExport } from './export-run.ts';
import { listImages, saveImage, seedCatalogImages } from './images.ts';
import { importAll, importForDevice } from './import.ts';
import { enterCounterKey, licenceStanding, localDay, seedLicence, setLicences } from './licence.ts';
import {
  changeSettings, connectionOf, defaultSettings, deleteFtpProfile, ftpProfileNamed, ftpProfiles, readSettings,
  saveFtpProfile, saveUserFtpProfile, seedSettings, settingsFolder, settingsMapping, SIMULATOR_PROFILE,
} from './settings.ts';
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

/** What a new back office copies from its company and its first mapping; nothing for one already made. */
function seedNewBackOffice(db: BoDatabase, options: BackOfficeOptions): void {
  const { company } = options;
  // Without a server, a new back office's profile names the simulator's default address.
  const ftp = options.ftp ?? { host: DEFAULT_FTP_HOST, port: DEFAULT_FTP_PORT, user: company.ftp.login,
    password: company.ftp.password };
  const simulatorProfile = { name: SIMULATOR_PROFILE, host: ftp.host, port: ftp.port, user: ftp.user,
    password: ftp.password, tls: ftp.tls === true ? 'required' as const : ftp.tls === false ? 'off' as const
      : ftp.tls ?? 'off' };
  seedSettings(db, defaultSettings(options.mapping), simulatorProfile);
  // The simulator's server may listen elsewhere at each start: its profile follows it.
  if (options.ftp !== undefined) saveFtpProfile(db, simulatorProfile);
  seedDevices(db, company);
  const active = company.estock.filter((device) => device.active && !device.blocked).length;
  const licences = company.licences ?? { count: Math.max(1, active), until: '2099-12-31' };
  seedLicence(db, company.name, licences.count, licences.until);
}

/**
 * Opens the back office in `options.folder` (created if missing): its
 * database `bo.sqlite` with the mapping's export tables. A new one copies the
 * company's registry, eStock list and licences, and starts with the default
 * settings. Throws BackOfficeError if the folder cannot be made or the
 * database cannot be opened.
 */
export function openBackOffice(options: BackOfficeOptions): BackOffice {
  const folder = resolve(options.folder);
  try {
    makeFolders(folder);
  } catch (error) {
    throw new BackOfficeError(`cannot make the back office's folder ${folder}: ${(error as Error).message}`,
      { cause: error });
  }
  const databaseFile = join(folder, DATABASE_FILE_NAME);
  const db = openBoDatabase(databaseFile, options.mapping);
  try {
    seedNewBackOffice(db, options);
  } catch (error) {
    db.close();
    throw error;
  }
  const clock = options.clock ?? (() => new Date());
  /** The context of one export or import: the settings as they stand now. */
  const runContext = (): BoContext => {
    const settings = readSettings(db);
    const mapping = settingsMapping(settings, folder);
    db.transaction(() => createTables(db, mapping.exportTables))();
    return {
      db, folder, company: options.company, settings, mapping, clock,
      ftp: connectionOf(ftpProfileNamed(db, settings.ftpProfile, 'the eStock settings name an FTP profile: ')),
      exportFolder: settingsFolder(folder, settings.exportFolder),
      importFolder: settingsFolder(folder, settings.importFolder),
    };
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
      db.transaction(() => {
        replaceCatalog(db, options.mapping, tables);
        seedCatalogImages(db, tables.get('IMAGE') ?? []);
      })();
      const result = summary(tables);
      log('catalog seeded: %s, seed %d, %d rows in %d ms', catalog.size, catalog.seed,
        result.rows, Math.round(performance.now() - started));
      return result;
    },
    exportForDevice: (deviceId, exportOptions) =>
      oneAtATime(async () => (await runExport(runContext, [deviceId], exportOptions))[0]!),
    exportForDevices: (deviceIds, exportOptions) => oneAtATime(() => runExport(runContext, deviceIds, exportOptions)),
    images: () => listImages(db),
    saveImage: (articleCode, file) => saveImage(db, articleCode, file, clock()),
    importForDevice: (deviceId) => oneAtATime(() => importForDevice(runContext(), deviceId)),
    importAll: () => oneAtATime(() => importAll(runContext())),
    settings: () => readSettings(db),
    changeSettings: (change) => changeSettings(db, folder, change),
    ftpProfiles: () => ftpProfiles(db),
    saveFtpProfile: (profile) => saveUserFtpProfile(db, profile),
    deleteFtpProfile: (name) => deleteFtpProfile(db, name),
    licence: () => licenceStanding(db, localDay(clock()), activeDevices(db)),
    setLicences: (count, until) => setLicences(db, options.company.name, count, until),
    enterCounterKey: (counterKey) => enterCounterKey(db, counterKey),
    registry: () => registry(db),
    registerDevice: (device) => registerDevice(db, device),
    changeRegisteredDevice: (deviceId, change) => changeRegisteredDevice(db, deviceId, change),
    unregisterDevice: (deviceId) => unregisterDevice(db, deviceId),
    estockDevices: () => estockList(db),
    listDevice: (device) => listDevice(db, device),
    changeListedDevice: (deviceId, change) => changeListedDevice(db, deviceId, change),
    unlistDevice: (deviceId) => unlistDevice(db, deviceId),
    stock: () => db.prepare<[], StockLine>(STOCK_LINES).all(),
    movements: (deviceId) => journal(db, deviceId),
    close: () => {
      if (db.open) db.close();
    },
  };
}
