/**
 * The simulated back office (iDViniStoria/FlowOne as eStock sees it): its
 * catalog generator, its database, and the export and import of a device.
 */
export { DATABASE_FILE_NAME, openBackOffice } from './back-office.ts';
export { CATALOG_SIZES, generateCatalog, stockLayout, type CatalogSize } from './catalog.ts';
export { articleCode } from './catalog-articles.ts';
export { lotCode, lotCount, lotPlace, locationCode, type StockLayout } from './catalog-lots.ts';
export { REASONS } from './catalog-reference.ts';
export { PARTIAL_UPLOAD_SUFFIX } from './export.ts';
export { CRITERIA_NAMES, formatCriteria, parseCriteria } from './export-criteria.ts';
export type { ImageEntry } from './images.ts';
export { describeAnomaly } from './import-records.ts';
export type {
  Anomaly, BackOffice, BackOfficeOptions, CatalogSummary, ExportOptions, ExportProgress, ExportReport, ImportReport,
  LotSelection, StockLine,
} from './types.ts';
export { counterKeyFor } from './licence.ts';
export type { Licence, LicenceStanding } from './licence.ts';
export { IMAGE_EXPORT_MODES, SIMULATOR_PROFILE, TLS_MODES } from './settings.ts';
export type { EstockSettings, FtpProfileSetting, ImageExportMode } from './settings.ts';
export type { EstockDevice, RegisteredDevice } from './devices.ts';
