/**
 * The figures of the BO benchmark: medians of the export runs, ours and the
 * baseline's, their ratio against the aim, peak memory at two catalog sizes,
 * and the import; as a table for a person and as one JSON line.
 */
import { cpus, totalmem } from 'node:os';
import Table from 'cli-table3';

/** The ratio ours / baseline the export aims at, at most. */
export const EXPORT_AIM_RATIO = 1.5;

/** One export run: ours in a fresh process, then the baseline. */
export interface ExportRun {
  exportMs: number;
  zipMs: number;
  /** CPU time of the zip alone, every thread; of sqlite3 and zip together. */
  zipCpuMs?: number;
  baselineCpuMs?: number;
  peakRssKiB: number;
  baselineSqlite3Ms: number;
  baselineZipMs: number;
}

/** Everything the benchmark measured. */
export interface BenchFigures {
  date: string;
  machine: { node: string; cores: number; cpu: string; memoryGiB: number };
  options: { lotsScale: number; runs: number; movements: number; perZip: number };
  catalog: { lots: number; rows: number; seedMs: number; seedPeakRssKiB: number };
  smallCatalog: { lots: number; rows: number; exportMs: number; peakRssKiB: number };
  export: {
    runs: ExportRun[];
    exportMs: number;
    zipMs: number;
    peakRssKiB: number;
    zipBytes: number;
    zipCpuMs?: number;
  };
  baseline: { sqlite3Ms: number; zipMs: number; totalMs: number; cpuMs?: number; sqlite3PeakRssKiB?: number;
    zipPeakRssKiB?: number; zipBytes: number };
  /** ours / baseline: the whole exportForDevice, and the zip alone. */
  ratio: { export: number; zip: number; aim: number; aimIsMet: boolean };
  import: {
    movements: number;
    zips: number;
    ms: number;
    peakRssKiB: number;
    baselineUnzipMs: number;
    baselineSqlite3Ms: number;
    ratio: number;
  };
}

/** Where the figures were taken. */
export function machine(): BenchFigures['machine'] {
  return {
    node: process.version, cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);
const mebibytes = (kib: number | undefined): string => (kib === undefined ? '-' : `${Math.round(kib / 1024)} MiB`);
const count = (value: number): string => value.toLocaleString('en-US');
const ratio = (value: number): string => `${value.toFixed(2)}x`;

/** The table of the figures. */
export function formatTable(figures: BenchFigures): string {
  const { catalog, smallCatalog, baseline, import: imported } = figures;
  const exported = figures.export;
  const table = new Table({
    head: ['measure', 'ours', 'baseline', 'ours/baseline'],
    colAligns: ['left', 'right', 'right', 'right'],
    style: { head: [], border: [] },
  });
  table.push(
    [`export to one device, ${count(catalog.lots)} lots (${count(catalog.rows)} rows)`,
      seconds(exported.exportMs), seconds(baseline.totalMs), ratio(figures.ratio.export)],
    ['  of which the zip alone / sqlite3 + zip', seconds(exported.zipMs),
      `${seconds(baseline.sqlite3Ms)} + ${seconds(baseline.zipMs)}`, ratio(figures.ratio.zip)],
    ['  CPU time of the zip alone (every thread) / of sqlite3 + zip', seconds(exported.zipCpuMs),
      seconds(baseline.cpuMs), exported.zipCpuMs === undefined || baseline.cpuMs === undefined ? ''
        : ratio(exported.zipCpuMs / baseline.cpuMs)],
    ['  zip size', `${(exported.zipBytes / 1e6).toFixed(2)} MB`, `${(baseline.zipBytes / 1e6).toFixed(2)} MB`, ''],
    [`  peak memory at ${count(catalog.lots)} lots`, mebibytes(exported.peakRssKiB),
      `${mebibytes(baseline.sqlite3PeakRssKiB)} / ${mebibytes(baseline.zipPeakRssKiB)}`, ''],
    [`  peak memory at ${count(smallCatalog.lots)} lots`, mebibytes(smallCatalog.peakRssKiB), '', ''],
    [`import of ${count(imported.movements)} movements (${imported.zips} zips)`, seconds(imported.ms),
      seconds(imported.baselineUnzipMs + imported.baselineSqlite3Ms), ratio(imported.ratio)],
    ['  peak memory', mebibytes(imported.peakRssKiB), '', ''],
    [`seed the catalog (${count(catalog.lots)} lots)`, seconds(catalog.seedMs), '', ''],
    ['  peak memory', mebibytes(catalog.seedPeakRssKiB), '', ''],
  );
  const { node, cores, cpu, memoryGiB } = figures.machine;
  const runs = figures.options.runs;
  return [
    table.toString(),
    `Export: medians of ${runs} run${runs === 1 ? '' : 's'}, each in a fresh process; peak memory is the ` +
      'maximum resident set size of that process (baseline: of sqlite3 / of zip). MB = 10^6 bytes.',
    `Export aim: ours within ${EXPORT_AIM_RATIO}x of the baseline: ` +
      `${figures.ratio.aimIsMet ? 'met' : 'NOT met'} (${ratio(figures.ratio.export)}).`,
    'Import baseline: unzip -p and sqlite3 .import, which store the rows without checking or applying them.',
    `Node.js ${node}, ${cores} cores (${cpu}), ${memoryGiB} GiB.`,
  ].join('\n');
}
