/**
 * The shapes the simulated back office hands out: its options, the reports of
 * an export and an import, the stock lines, and the interface of a back office.
 */
import type { Company } from '../company.ts';
import type { Mapping, Row, StockLine } from '../exchange/types.ts';
import type { FtpProfile } from '../ftp/client.ts';
import type { CatalogSize } from './catalog.ts';
import type { BoDatabase } from './database.ts';
import type { EstockDevice, RegisteredDevice } from './devices.ts';
import type { ImageEntry } from './images.ts';
import type { Licence, LicenceStanding } from './licence.ts';
import type { EstockSettings, FtpProfileSetting } from './settings.ts';

export type { StockLine };

/** What a seeded catalog holds. */
export interface CatalogSummary {
  articles: number;
  lots: number;
  depots: number;
  locations: number;
  /** Rows of every export table together. */
  rows: number;
}


/**
 * Something an export or an import did not do, and why. `file` names the
 * file (e.g. `LotStockExported_20261203_194131.zip/MVTSTOCK.txt`) and `line`
 * its 1-based line (the header is line 1), when the problem lies in one.
 */
export interface Anomaly {
  file?: string;
  line?: number;
  reason: string;
}

/**
 * The lot selection of the export window (« Export eStock », guide 3a): the
 * lots (and, with scope `all-articles`, the articles without lots) that
 * match every criterion given. A list matches any of its codes; `*` in a
 * code matches any characters. Ranges include their bounds.
 */
export interface LotSelection {
  articles?: string[];
  /** ARTFAMILY codes (ARTICLE.FAM_CODE). */
  families?: string[];
  depots?: string[];
  /** EMPLACEMENT codes, or `DEPOT/LOCATION`. */
  locations?: string[];
  vintages?: { from?: number; to?: number };
  quantity?: { min?: number; max?: number };
}

/** One step of an export's progress (the percent bar of the export window). */
export interface ExportProgress {
  device: string;
  /** 0 to 100 over the whole export (all devices), never going back. */
  percent: number;
  /** What is being done, e.g. `LOTSTOCK.txt` or `upload`. */
  stage: string;
}

/** How to export. */
export interface ExportOptions {
  selection?: LotSelection;
  /**
   * « Tous les articles » (`all-articles`, the default): the selected articles
   * that have no lot are exported too, so the device can give them one.
   * « Lot existant » (`existing-lots`): only articles with a selected lot.
   */
  scope?: 'all-articles' | 'existing-lots';
  onProgress?: (progress: ExportProgress) => void;
}

/** The report of an export to one device (« rapport d'exportation »). */
export interface ExportReport {
  device: string;
  /** The files put on the FTP server, paths from the company root. */
  files: { path: string; bytes: number }[];
  tables: number;
  rows: number;
  anomalies: Anomaly[];
  ms: number;
}

/**
 * The report of an import from one device: one entry per movement zip found
 * in its inbox (imported, or left there: see its anomalies), the movements
 * imported, and every anomaly with its file, line and reason.
 */
export interface ImportReport {
  device: string;
  zips: { name: string; movements: number; anomalies: number }[];
  movementsImported: number;
  anomalies: Anomaly[];
  ms: number;
  /** From the device's Version.txt (APP_VERSION), when it could be read. */
  appVersion?: string;
  /** From the device's Version.txt (ANDROID_VERSION), when given. */
  androidVersion?: string;
  /** From the device's Version.txt (DEVICE_MODEL), when given. */
  deviceModel?: string;
}

/** How to open a back office. */
export interface BackOfficeOptions {
  /** The BO's own folder: bo.sqlite, and by default export/, import/ and photos/ (« répertoires locaux »). */
  folder: string;
  /**
   * The company: its name and users. A new back office copies its device
   * registry, eStock device list and licences; from then on the database
   * holds them, and they change through the back office.
   */
  company: Company;
  /** The mapping a new back office starts with; then the settings select it. */
  mapping: Mapping;
  /**
   * The simulator's own FTP server: saved as the FTP profile `estock-hil` at
   * each opening, the profile of a new back office's settings. Left out (a
   * back office opened with no server, e.g. to change a setting), the stored
   * profile is kept; a new back office's then names 127.0.0.1:2120.
   */
  ftp?: FtpProfile;
  /** The BO's clock; default () => new Date(). */
  clock?: () => Date;
}

/** A simulated back office (iDViniStoria/FlowOne as far as eStock sees it). */
export interface BackOffice {
  readonly databaseFile: string;
  /** Replaces the catalog tables with a generated catalog (see generateCatalog). */
  seedCatalog(options: { size: CatalogSize; seed: number }): CatalogSummary;
  /**
   * « Export eStock » to one device, with Images.zip per the settings. Throws
   * BackOfficeError for a device not registered or a wrong selection.
   */
  exportForDevice(deviceId: string, options?: ExportOptions): Promise<ExportReport>;
  /**
   * « Exporter la sélection » to the chosen devices, one after the other, then
   * Images.zip for what they got: one report each. Throws BackOfficeError,
   * exporting nothing, for a device not registered or a wrong selection.
   */
  exportForDevices(deviceIds: readonly string[], options?: ExportOptions): Promise<ExportReport[]>;
  /** The article pictures (IMAGE rows and their bytes), by IMG_ID, and whether each is sent as it is. */
  images(): ImageEntry[];
  /**
   * Adds or replaces an article's picture from a JPEG or PNG file (its name
   * becomes FICHIER, DATE_MAJ now): it counts as not sent. Throws
   * BackOfficeError for an unknown article or a file that is not a picture.
   */
  saveImage(articleCode: string, file: string): ImageEntry;
  /**
   * « Lancer » for one device: imports the movement zips in its inbox. A
   * device not registered, not listed, blocked or inactive gets nothing
   * imported: the report says why and names the zips left in its inbox.
   */
  importForDevice(deviceId: string): Promise<ImportReport>;
  /** Imports from every device with a folder in `Entrant/eStock/` on the server: one report each, by name. */
  importAll(): Promise<ImportReport[]>;
  /** The eStock settings (guide 2d, box 2). */
  settings(): EstockSettings;
  /** Changes some settings; throws BackOfficeError naming the setting at fault, changing nothing. */
  changeSettings(change: Partial<EstockSettings>): EstockSettings;
  /** The FTP profiles (guide 2a). */
  ftpProfiles(): FtpProfileSetting[];
  /**
   * Creates or replaces an FTP profile; `tls` defaults to 'off'. The
   * simulator's own profile (`estock-hil`) is refused: each start rewrites it.
   */
  saveFtpProfile(profile: Omit<FtpProfileSetting, 'tls'> & Partial<Pick<FtpProfileSetting, 'tls'>>):
    FtpProfileSetting;
  /** Deletes an FTP profile; refused for the one the settings use. */
  deleteFtpProfile(name: string): void;
  /** The licence and whether export and import may run today (guide 2b). */
  licence(): LicenceStanding;
  /** « Générer la clé »: sets the licences and the end date ('YYYY-MM-DD'); the counter-key is to enter again. */
  setLicences(count: number, until: string): Licence;
  /** Enters the counter-key of the current key. */
  enterCounterKey(counterKey: string): Licence;
  /** The device registry (« Accès aux appareils mobiles »). */
  registry(): RegisteredDevice[];
  /** Registers a device; a random authentication key unless one is given. */
  registerDevice(device: { deviceId: string; authKey?: string; blocked?: boolean }): RegisteredDevice;
  changeRegisteredDevice(deviceId: string, change: { authKey?: string; blocked?: boolean }): RegisteredDevice;
  /** Removes a device from the registry; refused while it is in the eStock list. */
  unregisterDevice(deviceId: string): void;
  /** The eStock device list. */
  estockDevices(): EstockDevice[];
  /** Adds a registered device to the eStock list. */
  listDevice(device: { deviceId: string; login: string; active?: boolean; blocked?: boolean;
    criteria?: string }): EstockDevice;
  changeListedDevice(deviceId: string, change: Partial<Omit<EstockDevice, 'deviceId'>>): EstockDevice;
  unlistDevice(deviceId: string): void;
  /** Every LOTSTOCK row, ordered by lot, depot and location. */
  stock(): StockLine[];
  /**
   * The journal of imported movements, oldest first: the movement's columns as
   * the upload carried them, plus IMPORT_FILE, IMPORT_LINE and IMPORTED_AT.
   */
  movements(deviceId?: string): Row[];
  close(): void;
}

/**
 * What one export or import works with: the database, and the settings as
 * they stand when it starts, with the mapping, the FTP connection and the
 * local folders they select.
 */
export interface BoContext {
  db: BoDatabase;
  /** The BO's own folder. */
  folder: string;
  /** The company: its name and users. Its registry and eStock list are in the database. */
  company: Company;
  settings: EstockSettings;
  /** The mapping the settings select (exportMapping, version). */
  mapping: Mapping;
  /** The connection of the FTP profile the settings select. */
  ftp: FtpProfile;
  /** Absolute: « Répertoire local d'export ». */
  exportFolder: string;
  /** Absolute: « Répertoire local d'import ». */
  importFolder: string;
  clock: () => Date;
}
