/**
 * `npm run bench`: the back office's benchmark. It seeds the huge catalog
 * (216,000 lots at --lots-scale 1) into a real BO beside a real FTP server on
 * 127.0.0.1, times the export to Tab001 (the whole exportForDevice, and the
 * local zip alone) in a fresh process per run with its peak memory, and times
 * the baseline on the same bo.sqlite: the sqlite3 command-line tool writing
 * each export table as CSV, then zip. It exports a catalog a quarter the size
 * too, to show whether memory grows with the catalog. Then it puts 100,000
 * movements into Tab001's inbox as upload zips and times importForDevice,
 * beside unzip and sqlite3's .import. It checks what it measured (rows in
 * the zips against the database, movements imported) and exits 1 if a check
 * fails. A benchmark to read, not a test: the figures do not fail it.
 * Usage: npm run bench -- [--lots-scale 1] [--runs 3] [--movements 100000] [--per-zip 10000] [--json] [--keep]
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadCompany } from '../../company.ts';
import { devicePaths, loadMapping } from '../../exchange/index.ts';
import type { FtpProfile } from '../../ftp/client.ts';
import { median } from '../../ftp/bench/report.ts';
import { startFtpServer, type StartedFtpServer } from '../../ftp/server.ts';
import { DATABASE_FILE_NAME } from '../back-office.ts';
import { BASELINE_PROGRAMS, baselineExport, baselineImport } from './baseline.ts';
import { BENCH_DEVICE, runStep, scaledCatalog, type ChildResult } from './bench-steps.ts';
import {
  BenchCheckError, checkCsvFiles, checkEqual, checkExportZip, checkJournal, checkSameFile, tableCounts,
} from './checks.ts';
import { putMovementUploads } from './movements.ts';
import {
  EXPORT_AIM_RATIO, formatTable, machine, type BenchFigures, type ExportRun,
} from './report.ts';

interface BenchOptions {
  lotsScale: number;
  runs: number;
  movements: number;
  perZip: number;
  json: boolean;
  keep: boolean;
}

/** What the runs share: the folder, the server, the two back offices. */
interface Bench {
  options: BenchOptions;
  folder: string;
  server: StartedFtpServer;
  ftp: FtpProfile;
  /** The back office of the catalog measured, and the one a quarter its size. */
  boFolder: string;
  smallBoFolder: string;
}

// Away from the passive ports of the server's default range, which tests running meanwhile use.
const PASSIVE_PORTS = { min: 45000, max: 45999 };
const CATALOG_SEED = 2026;
const mapping = loadMapping('eStock', '1.00');
const company = loadCompany('demo');

/** Progress for a person, on stderr, so that stdout holds only the table or the JSON. */
const note = (line: string): void => void process.stderr.write(`${line}\n`);

const program = new Command('bench')
  .description('the back office: export of the huge catalog and import of 100,000 movements, ' +
    'against sqlite3 and zip')
  .option('--lots-scale <x>', 'size of the catalog, as a multiple of the huge one (216,000 lots)', '1')
  .option('--runs <n>', 'export runs, ours and the baseline\'s; the median is reported', '3')
  .option('--movements <n>', 'movements to import', '100000')
  .option('--per-zip <n>', 'movements per upload zip', '10000')
  .option('--json', 'print the figures as one JSON line only')
  .option('--keep', 'keep the work folder (catalogs, zips, CSV files) and print where it is')
  .action(async (raw: Record<string, string | boolean>) => {
    const lotsScale = Number(raw.lotsScale);
    if (!(lotsScale > 0)) throw new Error(`--lots-scale: ${String(raw.lotsScale)} is not a number above 0`);
    await bench({
      lotsScale, runs: wholeNumber(raw.runs, '--runs'), movements: wholeNumber(raw.movements, '--movements'),
      perZip: wholeNumber(raw.perZip, '--per-zip'), json: raw.json === true, keep: raw.keep === true,
    });
  });

async function bench(options: BenchOptions): Promise<void> {
  for (const [name, path] of Object.entries(BASELINE_PROGRAMS)) {
    if (!existsSync(path)) throw new Error(`the baseline needs ${name} at ${path}: apt-get install ${name}`);
  }
  const folder = mkdtempSync(join(tmpdir(), 'estock-hil-bo-bench-'));
  const server = await startServer(folder);
  try {
    const ftp = { host: server.host, port: server.port, user: company.ftp.login, password: company.ftp.password };
    const state: Bench = { options, folder, server, ftp, boFolder: join(folder, 'bo'),
      smallBoFolder: join(folder, 'bo-quarter') };
    const figures = await measure(state);
    if (!options.json) process.stdout.write(`${formatTable(figures)}\n`);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await server.stop();
    if (options.keep) note(`Kept ${folder}`);
    else rmSync(folder, { recursive: true, force: true });
  }
}

function startServer(folder: string): Promise<StartedFtpServer> {
  return startFtpServer({
    port: 0, passivePorts: PASSIVE_PORTS,
    companies: [{ company: company.name, login: company.ftp.login, password: company.ftp.password }],
    rootsFolder: join(folder, 'roots'), transcriptsFolder: join(folder, 'transcripts'),
  });
}

async function measure(bench: Bench): Promise<BenchFigures> {
  const { options } = bench;
  const seeded = await seed(bench.boFolder, options.lotsScale);
  const small = await seed(bench.smallBoFolder, options.lotsScale / 4);
  const exported = await measureExports(bench, seeded);
  const smallRun = await exportStep(bench.smallBoFolder, bench.ftp);
  note(`export at ${small.lots} lots: ${Math.round(smallRun.ms)} ms, peak ${mib(smallRun.peakRssKiB)}`);
  const imported = await measureImport(bench);

  const exportMs = median(exported.runs.map((run) => run.exportMs));
  const zipMs = median(exported.runs.map((run) => run.zipMs));
  const baselineMs = median(exported.runs.map((run) => run.baselineSqlite3Ms + run.baselineZipMs));
  return {
    date: new Date().toISOString(), machine: machine(),
    options: { lotsScale: options.lotsScale, runs: options.runs, movements: options.movements, perZip: options.perZip },
    catalog: { lots: seeded.lots!, rows: seeded.rows!, seedMs: seeded.ms, seedPeakRssKiB: seeded.peakRssKiB },
    smallCatalog: { lots: small.lots!, rows: small.rows!, exportMs: smallRun.ms, peakRssKiB: smallRun.peakRssKiB },
    export: { runs: exported.runs, exportMs, zipMs, zipBytes: exported.zipBytes,
      peakRssKiB: Math.max(...exported.runs.map((run) => run.peakRssKiB)),
      zipCpuMs: medianOfKnown(exported.runs.map((run) => run.zipCpuMs)) },
    baseline: { ...exported.baseline, totalMs: baselineMs,
      cpuMs: medianOfKnown(exported.runs.map((run) => run.baselineCpuMs)) },
    ratio: { export: exportMs / baselineMs, zip: zipMs / baselineMs, aim: EXPORT_AIM_RATIO,
      aimIsMet: exportMs / baselineMs <= EXPORT_AIM_RATIO },
    import: imported,
  };
}

async function seed(folder: string, lotsScale: number): Promise<ChildResult> {
  mkdirSync(folder, { recursive: true });
  const articles = scaledCatalog(lotsScale).articles;
  note(`Seeding ${articles} articles into ${folder}...`);
  const seeded = await runStep({ step: 'seed', folder, lotsScale, seed: CATALOG_SEED });
  note(`seeded ${seeded.lots} lots, ${seeded.rows} rows in ${Math.round(seeded.ms)} ms, ` +
    `peak ${mib(seeded.peakRssKiB)}`);
  return seeded;
}

async function exportStep(folder: string, ftp: FtpProfile): Promise<ChildResult> {
  const result = await runStep({ step: 'export', folder, ftp });
  checkEqual(result.anomalies?.length, 0, `anomalies of the export (${result.anomalies?.join('; ')})`);
  return result;
}

/** The export runs, ours and the baseline's in turn (each first every other run), then the checks. */
async function measureExports(bench: Bench, seeded: ChildResult): Promise<{ runs: ExportRun[];
  zipBytes: number; baseline: Omit<BenchFigures['baseline'], 'totalMs'> }> {
  const databaseFile = join(bench.boFolder, DATABASE_FILE_NAME);
  const runs: ExportRun[] = [];
  let last: Awaited<ReturnType<typeof baselineExport>> | undefined;
  let zipBytes = 0;
  const baselineRun = () => baselineExport(mapping, databaseFile, join(bench.folder, 'baseline'));
  for (let run = 1; run <= bench.options.runs; run++) {
    const base = run % 2 === 0 ? await baselineRun() : undefined;
    const ours = await exportStep(bench.boFolder, bench.ftp);
    last = base ?? await baselineRun();
    zipBytes = ours.zipBytes ?? 0;
    const baselineCpuMs = last.sqlite3.cpuMs === undefined || last.zip.cpuMs === undefined ? undefined
      : last.sqlite3.cpuMs + last.zip.cpuMs;
    runs.push({ exportMs: ours.ms, zipMs: ours.zipMs ?? 0, zipCpuMs: ours.zipCpuMs, peakRssKiB: ours.peakRssKiB,
      baselineSqlite3Ms: last.sqlite3.ms, baselineZipMs: last.zip.ms, baselineCpuMs });
    note(`run ${run}/${bench.options.runs}: export ${Math.round(ours.ms)} ms (zip ${Math.round(ours.zipMs ?? 0)} ms, ` +
      `peak ${mib(ours.peakRssKiB)}), baseline sqlite3 ${Math.round(last.sqlite3.ms)} ms + zip ` +
      `${Math.round(last.zip.ms)} ms`);
  }
  await checkExports(bench, seeded, last!);
  return { runs, zipBytes, baseline: {
    sqlite3Ms: median(runs.map((run) => run.baselineSqlite3Ms)), zipMs: median(runs.map((run) => run.baselineZipMs)),
    sqlite3PeakRssKiB: last!.sqlite3.peakRssKiB, zipPeakRssKiB: last!.zip.peakRssKiB,
    zipBytes: statSync(last!.zipFile).size,
  } };
}

async function checkExports(bench: Bench, seeded: ChildResult,
  baseline: Awaited<ReturnType<typeof baselineExport>>): Promise<void> {
  const counts = tableCounts(mapping, join(bench.boFolder, DATABASE_FILE_NAME));
  const rows = [...counts.values()].reduce((sum, value) => sum + value, 0);
  checkEqual(rows, seeded.rows, 'rows in the database after the exports');
  const local = join(bench.boFolder, 'export', BENCH_DEVICE, `${BENCH_DEVICE}.zip`);
  await checkExportZip(mapping, local, counts, `our export zip ${local}`);
  checkSameFile(local, join(bench.server.companyRoot(company.name), devicePaths(mapping, BENCH_DEVICE).exportZip));
  checkCsvFiles(mapping, baseline.csvFiles, counts, 'the baseline\'s CSV files');
  await checkExportZip(mapping, baseline.zipFile, counts, `the baseline's zip ${baseline.zipFile}`);
  note(`checked: both exports hold the ${rows} rows of the ${counts.size} tables`);
}

async function measureImport(bench: Bench): Promise<BenchFigures['import']> {
  const { movements, perZip } = bench.options;
  const dimensions = scaledCatalog(bench.options.lotsScale);
  const uploads = await putMovementUploads(mapping, bench.ftp, join(bench.folder, 'uploads'), dimensions,
    movements, perZip);
  note(`put ${movements} movements in ${uploads.files.length} zips (${uploads.bytes} bytes) into the inbox: ` +
    `built in ${Math.round(uploads.buildMs)} ms, uploaded in ${Math.round(uploads.uploadMs)} ms`);

  const imported = await runStep({ step: 'import', folder: bench.boFolder, ftp: bench.ftp });
  checkEqual(imported.movementsImported, movements, 'movements imported');
  checkEqual(imported.zips, uploads.files.length, 'zips imported');
  const anomalies = imported.anomalies ?? [];
  checkEqual(anomalies.length, 0, `anomalies of the import (${anomalies.slice(0, 3).join('; ')})`);
  checkJournal(join(bench.boFolder, DATABASE_FILE_NAME), BENCH_DEVICE, movements);
  note(`import: ${Math.round(imported.ms)} ms, peak ${mib(imported.peakRssKiB)}`);

  const baseline = await baselineImport(mapping, uploads.files, join(bench.folder, 'baseline-import'));
  checkEqual(baseline.rows, movements, 'rows the baseline imported');
  const baselineMs = baseline.unzip.ms + baseline.sqlite3.ms;
  note(`baseline import: unzip ${Math.round(baseline.unzip.ms)} ms + sqlite3 ${Math.round(baseline.sqlite3.ms)} ms`);
  return {
    movements, zips: uploads.files.length, ms: imported.ms, peakRssKiB: imported.peakRssKiB,
    baselineUnzipMs: baseline.unzip.ms, baselineSqlite3Ms: baseline.sqlite3.ms, ratio: imported.ms / baselineMs,
  };
}

/** The median of the figures measured; undefined when none was (no GNU time). */
function medianOfKnown(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length === 0 ? undefined : median(known);
}

function mib(kib: number): string {
  return `${Math.round(kib / 1024)} MiB`;
}

function wholeNumber(value: unknown, option: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new Error(`${option}: ${String(value)} is not a whole number >= 1`);
  }
  return number;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const broken = error instanceof BenchCheckError ? 'measured the wrong thing, no figures' : 'could not measure';
  note(`bench: ${broken}: ${(error as Error).message}`);
  process.exitCode = 1;
}
