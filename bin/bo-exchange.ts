/**
 * The exchange commands of `estock-hil bo` (guide, section 3): the catalog
 * (`seed`), « Export eStock » to devices with a lot selection, the import of
 * their movements, and what the back office holds after (`stock`,
 * `movements`).
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  CATALOG_SIZES, describeAnomaly, type BackOffice, type ExportProgress, type ExportReport, type ImportReport,
} from '../simulator/bo/index.ts';
import { writeCorpus } from '../simulator/bo/bad-input/corpus.ts';
import { DEVICE_ID_PATTERN } from '../simulator/company.ts';
import { ConfigError } from '../simulator/errors.ts';
import { loadMapping } from '../simulator/exchange/index.ts';
import { counted } from '../scenarios/runner/counts.ts';
import { collectCodes, deviceIds, exportOptions, wholeNumber, type ExportFlags } from './bo-options.ts';
import {
  anomalyLines, reportFailure, runBo, table, withCommonFlags, type CommonFlags, type Outcome,
} from './bo-run.ts';
import { formatBytes } from './serve-lines.ts';

/**
 * `bo corpus <folder>`: writes the generated corpus of bad movement uploads,
 * with corpus.json saying what the back office must do with each, for QA to
 * push into a device's inbox with any FTP client. It touches no state.
 */
function registerCorpus(bo: Command): void {
  bo.command('corpus')
    .description('write the corpus of bad movement uploads (and corpus.json, what to expect of each) into a folder')
    .argument('<folder>', 'where to write the zips')
    .option('--device <id>', 'the device the movements are of', 'Tab001')
    .option('--json', 'print one JSON object')
    .action(async (folder: string, flags: { device: string; json?: boolean }) => {
      const head = { command: 'bo corpus', folder: resolve(folder), device: flags.device };
      try {
        if (!DEVICE_ID_PATTERN.test(flags.device)) {
          throw new ConfigError(`--device: "${flags.device}" is not a device id ` +
            '(1 to 30 letters, digits, "-", "_", ".")');
        }
        // The corpus spoils the lines of the eStock 1.00 format, whose columns and codec it assumes.
        const written = await writeCorpus(resolve(folder), loadMapping('eStock', '1.00'),
          { deviceId: flags.device });
        const zips = written.filter((file) => file.endsWith('.zip')).length;
        process.stdout.write(flags.json === true
          ? `${JSON.stringify({ ...head, zips, index: written.at(-1) })}\n`
          : `${counted(zips, 'bad upload')} of ${flags.device} written to ${resolve(folder)}, with the ` +
            `device's Version.txt (for Entrant/eStock/${flags.device}/); what the back office must do ` +
            `with each: ${written.at(-1)}\n`);
      } catch (error) {
        reportFailure('corpus', flags.json === true, head, error);
      }
    });
}

/** Adds seed, export, import, stock and movements to `bo`. */
export function registerExchangeCommands(bo: Command): void {
  withCommonFlags(bo.command('seed'))
    .description('replace the catalog with a generated one (the journal of movements is kept)')
    .addOption(new Option('--size <size>', 'catalog size').choices(Object.keys(CATALOG_SIZES)).default('small'))
    .option('--seed <n>', 'the generator\'s seed', '1')
    .action((flags: CommonFlags & { size: 'small' | 'medium' | 'large'; seed: string }) =>
      runBo('seed', flags, { ftp: false, seedNew: false }, ({ backOffice }) => {
        const seed = wholeNumber('--seed', flags.seed);
        const catalog = backOffice.seedCatalog({ size: flags.size, seed });
        return { json: { size: flags.size, seed, catalog }, text: [`catalog seeded (${flags.size}, seed ${seed}): ` +
          `${catalog.articles} articles, ${catalog.lots} lots, ${catalog.depots} depots, ` +
          `${catalog.locations} locations, ${catalog.rows} rows`] };
      }));

  registerExport(bo);
  registerImport(bo);
  registerCorpus(bo);

  withCommonFlags(bo.command('stock'))
    .description('the BO\'s stock lines (LOTSTOCK), by lot, depot and location')
    .option('--lot <code>', 'only this lot').option('--depot <code>', 'only this depot')
    .action((flags: CommonFlags & { lot?: string; depot?: string }) => runBo('stock', flags, { ftp: false },
      ({ backOffice }) => {
        const stock = backOffice.stock().filter((line) => (flags.lot === undefined || line.lot === flags.lot) &&
          (flags.depot === undefined || line.depot === flags.depot));
        return { json: { stock }, text: [table(['Lot', 'Article', 'Depot', 'Location', 'Quantity'],
          stock.map((line) => [line.lot, line.article, line.depot, line.location, line.quantity]), [4]),
        counted(stock.length, 'line')] };
      }));

  withCommonFlags(bo.command('movements'))
    .description('the journal of imported movements, oldest first')
    .option('--device <id>', 'only this device\'s')
    .action((flags: CommonFlags & { device?: string }) => runBo('movements', flags, { ftp: false },
      ({ backOffice }) => {
        const movements = backOffice.movements(flags.device);
        const cell = (value: unknown) => value === null || value === undefined ? '' : String(value);
        return { json: { movements }, text: [table(
          ['Movement', 'Device', 'Type', 'Lot', 'From', 'To', 'Quantity', 'Reason', 'Imported from'],
          movements.map((row) => [cell(row.MVT_ID), cell(row.DEVICE_ID), cell(row.TYPE_MVT), cell(row.LOT_CODE),
            `${cell(row.DEP_CODE)}/${cell(row.EMP_CODE)}`,
            row.DEP_CODE_DEST === null ? '' : `${cell(row.DEP_CODE_DEST)}/${cell(row.EMP_CODE_DEST)}`,
            cell(row.QUANTITE), cell(row.MOTIF_CODE), `${cell(row.IMPORT_FILE)}:${cell(row.IMPORT_LINE)}`]), [6]),
        counted(movements.length, 'movement')] };
      }));
}

function registerExport(bo: Command): void {
  withCommonFlags(bo.command('export'))
    .description('« Export eStock » to one or more devices, with the lot selection of the export window')
    .requiredOption('--device <id...>', 'the devices to export to (repeat, or list them)')
    .option('--article <code>', 'articles (ART_CODE), * as wildcard; repeat or comma-separate', collectCodes)
    .option('--family <code>', 'article families (FAM_CODE)', collectCodes)
    .option('--depot <code>', 'depots', collectCodes)
    .option('--location <code>', 'locations, or DEPOT/LOCATION', collectCodes)
    .option('--vintage <range>', 'vintages: 2018..2020, 2018.., ..2020 or 2018')
    .option('--quantity <range>', 'lot quantity: 1..100, 10.., ..5')
    .option('--all-articles', '« Tous les articles »: articles without lots too (the default)')
    .option('--existing-lots', '« Lot existant »: only articles with a selected lot')
    .action((flags: CommonFlags & ExportFlags & { device: string[] }) => runBo('export', flags, { ftp: true },
      ({ backOffice }) => runExport(backOffice, flags)));
}

/**
 * `bo export`: reads the devices and the selection flags and exports to the
 * devices, one after the other, with the progress on stderr unless --json.
 */
export async function runExport(backOffice: BackOffice, flags: ExportFlags & { device: string[]; json?: boolean }):
  Promise<Outcome> {
  const options = exportOptions(flags);
  const devices = deviceIds(flags.device);
  const progress = flags.json === true ? undefined : progressLine();
  const reports = await backOffice.exportForDevices(devices,
    { ...options, ...(progress !== undefined && { onProgress: progress }) });
  return exportOutcome(options, reports);
}

/** Prints the export's progress on stderr: a line per tenth, or a line rewritten in place at a terminal. */
function progressLine(): (progress: ExportProgress) => void {
  let shown = -1;
  return ({ device, percent, stage }) => {
    const tenth = Math.floor(percent / 10);
    if (process.stderr.isTTY) {
      process.stderr.write(`\rexport ${String(Math.round(percent)).padStart(3)}% ${device} ${stage}`.padEnd(60) +
        (percent >= 100 ? '\n' : ''));
    } else if (tenth !== shown) {
      process.stderr.write(`export ${Math.round(percent)}% ${device} ${stage}\n`);
    }
    shown = tenth;
  };
}

function exportOutcome(options: object, reports: ExportReport[]): Outcome {
  const anomalies = reports.flatMap((report) => report.anomalies.map((anomaly) => ({ device: report.device,
    ...anomaly })));
  const rows = reports.map((report) => [report.device, report.files.length, report.tables, report.rows,
    formatBytes(report.files.reduce((sum, file) => sum + file.bytes, 0)), report.anomalies.length,
    `${report.ms} ms`]);
  const text = ['« Rapport d\'exportation »',
    table(['Device', 'Files', 'Tables', 'Rows', 'Bytes', 'Anomalies', 'Time'], rows, [1, 2, 3, 4, 5, 6]),
    ...anomalies.map((anomaly) => `  ${anomaly.device}: ${describeAnomaly(anomaly)}`)];
  return { json: { options, exports: reports, anomalies }, text, refused: anomalies.length > 0 };
}

function registerImport(bo: Command): void {
  withCommonFlags(bo.command('import'))
    .description('import the movement zips of a device\'s inbox, or of every active device\'s (--all)')
    .option('--device <id...>', 'the devices to import from')
    .option('--all', 'every device of the eStock list that is active and blocked nowhere')
    .action((flags: CommonFlags & { device?: string[]; all?: boolean }) => runBo('import', flags, { ftp: true },
      async ({ backOffice }) => {
        if (flags.device === undefined && flags.all !== true) {
          throw new ConfigError('say which devices to import from: give --device <id>... or --all');
        }
        if (flags.device !== undefined && flags.all === true) {
          throw new ConfigError('give --device <id>... or --all, not both');
        }
        const reports = flags.all === true ? await backOffice.importAll()
          : await importEach(backOffice, deviceIds(flags.device!));
        return importOutcome(reports);
      }));
}

async function importEach(backOffice: BackOffice, devices: readonly string[]): Promise<ImportReport[]> {
  const reports: ImportReport[] = [];
  for (const device of devices) reports.push(await backOffice.importForDevice(device));
  return reports;
}

function importOutcome(reports: ImportReport[]): Outcome {
  const movementsImported = reports.reduce((sum, report) => sum + report.movementsImported, 0);
  const anomalies = reports.flatMap((report) => report.anomalies.map((anomaly) => ({ device: report.device,
    ...anomaly })));
  const text = reports.flatMap((report) => [
    `import ${report.device}: ${counted(report.movementsImported, 'movement')} imported from ` +
      `${counted(report.zips.length, 'zip')}, ${counted(report.anomalies.length, 'anomaly')} (${report.ms} ms)`,
    ...report.zips.map((zip) => `    ${zip.name}: ${counted(zip.movements, 'movement')}, ` +
      `${counted(zip.anomalies, 'anomaly')}`),
    ...anomalyLines(report.anomalies, '    '),
  ]);
  if (reports.length === 0) text.push('import: no device to import from');
  return { json: { imports: reports, movementsImported, anomalies }, text, refused: anomalies.length > 0 };
}
