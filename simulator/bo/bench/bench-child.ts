/**
 * One step of the BO benchmark in a process of its own, so that the peak
 * resident memory it reports is that step's alone: `seed` a scaled huge
 * catalog into a back office, `export` to Tab001 (the whole exportForDevice,
 * then the local zip alone), or `import` Tab001's inbox. Started by
 * runStep (bench-steps.ts) with one JSON argument, a ChildTask; prints one
 * JSON line, a ChildResult, on stdout and exits 0, or prints the error on
 * stderr and exits 1.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadCompany } from '../../company.ts';
import {
  iterateRowValues, loadMapping, tableLines, openReadSnapshot, writeExportZipFile,
} from '../../exchange/index.ts';
import { DATABASE_FILE_NAME, openBackOffice } from '../back-office.ts';
import { generateCatalog } from '../catalog.ts';
import { openBoDatabase, replaceCatalog } from '../database.ts';
import { BENCH_DEVICE, scaledCatalog, type ChildResult, type ChildTask } from './bench-steps.ts';

const mapping = loadMapping('eStock', '1.00');
const company = loadCompany('demo');

function seed(task: Extract<ChildTask, { step: 'seed' }>): ChildResult {
  const started = performance.now();
  const tables = generateCatalog(mapping, company, { size: scaledCatalog(task.lotsScale), seed: task.seed });
  const db = openBoDatabase(join(task.folder, DATABASE_FILE_NAME), mapping);
  try {
    replaceCatalog(db, mapping, tables);
  } finally {
    db.close();
  }
  const rows = [...tables.values()].reduce((sum, table) => sum + table.length, 0);
  const lots = tables.get('LOTSTOCK')?.length ?? 0;
  return { step: 'seed', ms: performance.now() - started, rows, lots, peakRssKiB: peakRss() };
}

async function exportOnce(task: Extract<ChildTask, { step: 'export' }>): Promise<ChildResult> {
  const bo = openBackOffice({ folder: task.folder, company, mapping, ftp: task.ftp });
  try {
    const report = await bo.exportForDevice(BENCH_DEVICE);
    const anomalies = report.anomalies.map((anomaly) => anomaly.reason);
    const zipBytes = report.files[0]?.bytes;

    const file = join(task.folder, 'bench-zip-only.zip');
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const snapshot = openReadSnapshot(bo.databaseFile);
    try {
      await writeExportZipFile(mapping, {
        valuesOf: (table) => iterateRowValues(snapshot, table),
        linesOf: (table) => tableLines(snapshot, mapping, table),
      }, file);
    } finally {
      snapshot.close();
    }
    const zipMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    rmSync(file);
    return { step: 'export', ms: report.ms, zipMs, zipCpuMs: (cpu.user + cpu.system) / 1000, rows: report.rows,
      zipBytes, anomalies, peakRssKiB: peakRss() };
  } finally {
    bo.close();
  }
}

async function importOnce(task: Extract<ChildTask, { step: 'import' }>): Promise<ChildResult> {
  const bo = openBackOffice({ folder: task.folder, company, mapping, ftp: task.ftp });
  try {
    const started = performance.now();
    const report = await bo.importForDevice(BENCH_DEVICE);
    return {
      step: 'import', ms: performance.now() - started, movementsImported: report.movementsImported,
      zips: report.zips.length, anomalies: report.anomalies.map((anomaly) => anomaly.reason),
      peakRssKiB: peakRss(),
    };
  } finally {
    bo.close();
  }
}

function peakRss(): number {
  return process.resourceUsage().maxRSS;
}

async function run(task: ChildTask): Promise<ChildResult> {
  switch (task.step) {
    case 'seed': return seed(task);
    case 'export': return exportOnce(task);
    case 'import': return importOnce(task);
  }
}

try {
  const result = await run(JSON.parse(process.argv[2] ?? '') as ChildTask);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
}
