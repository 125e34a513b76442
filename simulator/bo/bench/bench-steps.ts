/**
 * The steps of the BO benchmark that run in a process of their own
 * (bench-child.ts), as the benchmark asks for them and reads their figures.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FtpProfile } from '../../ftp/client.ts';
import { CATALOG_SIZES, type CatalogDimensions } from '../catalog.ts';

/** The device every step works for. */
export const BENCH_DEVICE = 'Tab001';

/** What a child is asked to do. */
export type ChildTask =
  | { step: 'seed'; folder: string; lotsScale: number; seed: number }
  | { step: 'export'; folder: string; ftp: FtpProfile }
  | { step: 'import'; folder: string; ftp: FtpProfile };

/** What it measured; `peakRssKiB` is the child's maximum resident set size. */
export interface ChildResult {
  step: ChildTask['step'];
  peakRssKiB: number;
  /** seed: catalog generation and insertion; export: exportForDevice; import: importForDevice. */
  ms: number;
  /** export: writing the zip alone, from a snapshot into a local file. */
  zipMs?: number;
  /** export: the CPU time of the zip alone, every thread of the process (zlib works beside the main one). */
  zipCpuMs?: number;
  rows?: number;
  lots?: number;
  zipBytes?: number;
  movementsImported?: number;
  zips?: number;
  anomalies?: string[];
}

/** The huge catalog with its articles multiplied by `scale` (1: 120,000 articles, 216,000 lots). */
export function scaledCatalog(scale: number): CatalogDimensions {
  const huge = CATALOG_SIZES.huge;
  return { ...huge, articles: Math.max(1, Math.round(huge.articles * scale)) };
}

const CHILD = fileURLToPath(new URL('./bench-child.ts', import.meta.url));
// Seeding a catalog several times the huge one takes minutes on a slow machine.
const CHILD_TIMEOUT_MS = 30 * 60 * 1000;

/** Runs one step in a fresh Node.js process; rejects with its stderr if it fails. */
export function runStep(task: ChildTask): Promise<ChildResult> {
  const args = ['--import', 'tsx', CHILD, JSON.stringify(task)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: CHILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(new Error(`the ${task.step} step failed (${error.message.split('\n')[0]}):\n${stderr}`));
          return;
        }
        const last = stdout.trim().split('\n').at(-1) ?? '';
        resolve(JSON.parse(last) as ChildResult);
      });
  });
}
