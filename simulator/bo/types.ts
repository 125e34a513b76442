/**
 * The shapes the simulated back office hands out: its options, the reports of
 * an export and an import, the stock lines, and the interface of a back office.
 */
import type { Company } from '../company.ts';
import type { Mapping, Row, StockLine } from '../exchange/types.ts';
import type { FtpProfile } from '../ftp/client.ts';
import type { CatalogSize } from './catalog.ts';
import type { BoDatabase } from './database.ts';

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

/** The report of an import from one device: one entry per movement zip found in its inbox. */
export interface ImportReport {
  device: string;
  zips: { name: string; movements: number; anomalies: number }[];
  movementsImported: number;
  anomalies: Anomaly[];
  ms: number;
}

/** How to open a back office. */
export interface BackOfficeOptions {
  /** The BO's own folder: bo.sqlite, export/, import/ (« répertoires locaux »). */
  folder: string;
  /**
   * The company: its users, device registry and eStock device list. The BO
   * reads the registry and the list again at each export and import, so a
   * change to this object (a device blocked...) counts from the next one.
   */
  company: Company;
  mapping: Mapping;
  /** The FTP profile it exports and imports through. */
  ftp: FtpProfile;
  /** The BO's clock; default () => new Date(). */
  clock?: () => Date;
}

/** A simulated back office (iDViniStoria/FlowOne as far as eStock sees it). */
export interface BackOffice {
  readonly databaseFile: string;
  /** Replaces the catalog tables with a generated catalog (see generateCatalog). */
  seedCatalog(options: { size: CatalogSize; seed: number }): CatalogSummary;
  /** « Export eStock » to one device. Throws BackOfficeError for a device not registered. */
  exportForDevice(deviceId: string): Promise<ExportReport>;
  /**
   * Imports the movement zips in a device's inbox. Throws BackOfficeError for
   * a device not in the eStock list.
   */
  importForDevice(deviceId: string): Promise<ImportReport>;
  /** Every LOTSTOCK row, ordered by lot, depot and location. */
  stock(): StockLine[];
  /**
   * The journal of imported movements, oldest first: the movement's columns as
   * the upload carried them, plus IMPORT_FILE, IMPORT_LINE and IMPORTED_AT.
   */
  movements(deviceId?: string): Row[];
  close(): void;
}

/** What the export and the import work with. */
export interface BoContext {
  db: BoDatabase;
  folder: string;
  /**
   * The company: its users, device registry and eStock device list. The BO
   * reads the registry and the list again at each export and import, so a
   * change to this object (a device blocked...) counts from the next one.
   */
  company: Company;
  mapping: Mapping;
  ftp: FtpProfile;
  clock: () => Date;
}
