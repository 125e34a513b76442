/**
 * What one device gets from an export: the lot selection of the export
 * window and the device's « Critères Articles et Lots » both applied
 * (export-selection.ts), the anomalies of the data chosen
 * (export-anomalies.ts), and the eStock parameters that tell the app how the
 * data was chosen.
 */
import { BackOfficeError } from '../errors.ts';
import type { Mapping } from '../exchange/types.ts';
import type { BoDatabase } from './database.ts';
import { deviceStanding } from './devices.ts';
import { exportedDataAnomalies, type NamedSelection } from './export-anomalies.ts';
import { checkSelection, formatCriteria, parseCriteria } from './export-criteria.ts';
import { selectForExport, type SelectionCounts } from './export-selection.ts';
import type { ImageExportMode } from './settings.ts';
import type { Anomaly, BoContext, ExportOptions, LotSelection } from './types.ts';

/**
 * Why a device's criteria stop its export (they cannot be read, e.g. from a
 * company file written by hand), or undefined when they can be.
 */
export function criteriaRefusal(db: BoDatabase, deviceId: string): string | undefined {
  try {
    parseCriteria(deviceStanding(db, deviceId).criteria, deviceId);
    return undefined;
  } catch (error) {
    return `${(error as Error).message}: nothing exported; correct them in the eStock device list`;
  }
}

/**
 * Throws BackOfficeError, before anything is exported, for a lot selection
 * that is not sound (see checkSelection) or a scope that is not one of the two.
 */
export function checkExportOptions(options: ExportOptions): void {
  const problems = options.selection === undefined ? [] : checkSelection(options.selection);
  if (options.scope !== undefined && options.scope !== 'all-articles' && options.scope !== 'existing-lots') {
    problems.push(`scope: "${String(options.scope)}" is neither all-articles nor existing-lots`);
  }
  if (problems.length > 0) {
    throw new BackOfficeError(`export not started: the lot selection is wrong: ${problems.join('; ')}`);
  }
}

const IMAGE_EXPORT_LABELS: Readonly<Record<ImageExportMode, string>> = {
  'all': 'Toutes', 'not-sent': 'Non envoyées', 'none': 'Aucune',
};

/**
 * Writes into PARAMMOBILSTOCK, when it has them, the image export mode
 * (EXPORT_IMAGES) and whether articles without lots are sent
 * (TOUS_LES_ARTICLES), so that the app knows how its data was chosen.
 */
function recordExportParameters(db: BoDatabase, mapping: Mapping, mode: ImageExportMode,
  scope: NonNullable<ExportOptions['scope']>): void {
  if (!mapping.exportTables.some((spec) => spec.name === 'PARAMMOBILSTOCK')) return;
  const set = db.prepare('UPDATE PARAMMOBILSTOCK SET VALEUR = ? WHERE CLE = ?');
  set.run(IMAGE_EXPORT_LABELS[mode], 'EXPORT_IMAGES');
  set.run(scope === 'all-articles' ? '1' : '0', 'TOUS_LES_ARTICLES');
}

/** The selections a device's export applies (each must match), named for anomalies, and its scope. */
export interface DeviceSelections {
  named: NamedSelection[];
  selections: LotSelection[];
  scope: NonNullable<ExportOptions['scope']>;
}

/**
 * The window's lot selection and the device's criteria, which criteriaRefusal
 * found readable, as selectForDevice applies them.
 */
export function deviceSelections(context: BoContext, deviceId: string, options: ExportOptions): DeviceSelections {
  const criteria = parseCriteria(deviceStanding(context.db, deviceId).criteria, deviceId);
  const named: NamedSelection[] = [];
  if (options.selection !== undefined) named.push({ source: 'the selection', selection: options.selection });
  if (Object.keys(criteria).length > 0) {
    named.push({ source: `the criteria of device ${deviceId}`, selection: criteria });
  }
  return { named, selections: named.map((entry) => entry.selection), scope: options.scope ?? 'all-articles' };
}

/** What selectForDevice chose. */
export interface DeviceChoice {
  counts: SelectionCounts;
  anomalies: Anomaly[];
  /** The selection and the criteria as one criteria text, for the log. */
  filter: string;
}

/**
 * Chooses the articles and lots of a device (temp.export_article and
 * temp.export_lot, read by exportRowsQuery) from the window's selection and
 * the device's criteria, which criteriaRefusal found readable.
 */
export function selectForDevice(context: BoContext, deviceId: string, options: ExportOptions): DeviceChoice {
  const { db, mapping } = context;
  const { named, selections, scope } = deviceSelections(context, deviceId, options);
  recordExportParameters(db, mapping, context.settings.imageExport, scope);
  const counts = selectForExport(db, mapping, selections, scope);
  const anomalies = exportedDataAnomalies(db, mapping, named, counts);
  return { counts, anomalies, filter: selections.map(formatCriteria).filter(Boolean).join(' + ') || 'none' };
}
