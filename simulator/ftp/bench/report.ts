/**
 * The figures of the FTP benchmark: medians over the runs, ratios of our
 * server to vsftpd against the aims of the issue, as a table for a person or
 * as JSON.
 */
import Table from 'cli-table3';

/** One measured case. */
export type CaseId = 'plainUpload' | 'plainDownload' | 'tlsUpload' | 'tlsDownload' | 'smallDownload' | 'smallUpload';

/** One run's figure of each case for one server: MB/s for throughput, ms for small transfers. */
export type RunFigures = Partial<Record<CaseId, number>>;

interface CaseSpec {
  id: CaseId;
  label: string;
  unit: 'MB/s' | 'ms';
  /** Throughput: ours / vsftpd at least this; time: at most. */
  aimRatio: number;
}

/** The cases in table order, with the aims stated in the issue. */
export const CASES: readonly CaseSpec[] = [
  { id: 'plainUpload', label: 'plain upload', unit: 'MB/s', aimRatio: 0.8 },
  { id: 'plainDownload', label: 'plain download', unit: 'MB/s', aimRatio: 0.8 },
  { id: 'tlsUpload', label: 'TLS upload (PROT P)', unit: 'MB/s', aimRatio: 0.8 },
  { id: 'tlsDownload', label: 'TLS download (PROT P)', unit: 'MB/s', aimRatio: 0.8 },
  { id: 'smallDownload', label: 'small download', unit: 'ms', aimRatio: 1.5 },
  { id: 'smallUpload', label: 'small upload', unit: 'ms', aimRatio: 1.5 },
];

/** A case's medians, ratio and aim. */
export interface CaseRow {
  id: CaseId;
  label: string;
  /** `MB/s` (higher is better) or `ms` per transfer (lower is better). */
  unit: 'MB/s' | 'ms';
  ours: number;
  vsftpd: number;
  /** ours / vsftpd. */
  ratio: number;
  /** e.g. `>= 0.8x`. */
  aim: string;
  aimIsMet: boolean;
  oursRuns: number[];
  vsftpdRuns: number[];
}

/** Medians and ratios of each case both servers have figures for. */
export function caseRows(ours: readonly RunFigures[], vsftpd: readonly RunFigures[]): CaseRow[] {
  const rows: CaseRow[] = [];
  for (const spec of CASES) {
    const oursRuns = figuresOf(ours, spec.id);
    const vsftpdRuns = figuresOf(vsftpd, spec.id);
    if (oursRuns.length === 0 || vsftpdRuns.length === 0) continue;
    const ratio = median(oursRuns) / median(vsftpdRuns);
    const isThroughput = spec.unit === 'MB/s';
    rows.push({
      id: spec.id, label: spec.label, unit: spec.unit,
      ours: median(oursRuns), vsftpd: median(vsftpdRuns), ratio,
      aim: `${isThroughput ? '>=' : '<='} ${spec.aimRatio}x`,
      aimIsMet: isThroughput ? ratio >= spec.aimRatio : ratio <= spec.aimRatio,
      oursRuns, vsftpdRuns,
    });
  }
  return rows;
}

/** The table of medians: one line a case. */
export function formatTable(rows: readonly CaseRow[], runs: number): string {
  const table = new Table({
    head: ['case', 'unit', 'ours', 'vsftpd', 'ours/vsftpd', 'aim', 'aim met'],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'left', 'left'],
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    table.push([row.label, row.unit, figure(row.ours, row.unit), figure(row.vsftpd, row.unit),
      `${row.ratio.toFixed(2)}x`, row.aim, row.aimIsMet ? 'yes' : 'NO']);
  }
  return `${table.toString()}\nMedians of ${runs} run${runs === 1 ? '' : 's'}; MB = 10^6 bytes.`;
}

/** The median; of an even count, the mean of the middle two. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A figure as printed: MB/s with one decimal, ms with two. */
export function figure(value: number, unit: 'MB/s' | 'ms'): string {
  return unit === 'MB/s' ? value.toFixed(1) : value.toFixed(2);
}

function figuresOf(runs: readonly RunFigures[], id: CaseId): number[] {
  return runs.map((run) => run[id]).filter((value): value is number => value !== undefined);
}
