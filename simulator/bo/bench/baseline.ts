/**
 * The baseline of the BO benchmark: the same work done by the sqlite3
 * command-line tool and Info-ZIP's zip and unzip, programs written in C.
 * Export: sqlite3 writes each export table of bo.sqlite as a `;`-separated
 * CSV file with its header and CRLF line ends, in key order, then `zip -q`
 * packs the files (deflate level 6, as ours). Import: `unzip -p` takes each
 * upload's movements file out, and sqlite3 `.import`s them into a table of a
 * new database. That is a floor rather than the same work: the BO checks
 * each movement against the catalog, applies it to the stock and journals
 * it, where `.import` only stores the rows.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Mapping, TableSpec } from '../../exchange/types.ts';

/** Where the programs are; the benchmark checks they exist before it starts. */
export const BASELINE_PROGRAMS = { sqlite3: '/usr/bin/sqlite3', zip: '/usr/bin/zip', unzip: '/usr/bin/unzip' };
const GNU_TIME = '/usr/bin/time';

/** How long a program ran and, when GNU time is there to tell, its CPU time and peak resident memory. */
export interface CommandTiming {
  ms: number;
  cpuMs?: number;
  peakRssKiB?: number;
}

interface CommandOptions {
  cwd?: string;
  input?: string;
  /** A file that receives the program's standard output. */
  stdoutFile?: string;
}

/** Runs a program (under GNU time when installed); rejects with its stderr if it exits non-zero. */
export function timeCommand(program: string, args: readonly string[],
  options: CommandOptions = {}): Promise<CommandTiming & { stdout: string }> {
  const measured = existsSync(GNU_TIME);
  const [command, commandArgs] = measured ? [GNU_TIME, ['-f', 'peak-rss-kib %M cpu-s %U %S', program, ...args]]
    : [program, [...args]];
  const out = options.stdoutFile === undefined ? 'pipe' : openSync(options.stdoutFile, 'w');
  const started = performance.now();
  const stdin = options.input === undefined ? 'ignore' : 'pipe';
  const child = spawn(command, commandArgs, { cwd: options.cwd, stdio: [stdin, out, 'pipe'] });
  if (typeof out === 'number') closeSync(out);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  // A program that stops reading early closes the pipe (EPIPE): its exit code tells what went wrong.
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(options.input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const errors = Buffer.concat(stderr).toString();
      if (code !== 0) {
        reject(new Error(`${program} ${args.join(' ')} exited with ${code}: ${errors.trim()}`));
        return;
      }
      const measures = /peak-rss-kib (\d+) cpu-s ([\d.]+) ([\d.]+)/.exec(errors);
      const [, peak, user, system] = measures ?? [];
      resolve({
        ms, stdout: Buffer.concat(stdout).toString(),
        peakRssKiB: peak === undefined ? undefined : Number(peak),
        cpuMs: user === undefined ? undefined : (Number(user) + Number(system)) * 1000,
      });
    });
  });
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function selectInKeyOrder(table: TableSpec): string {
  const columns = table.columns.map((column) => quote(column.name)).join(', ');
  const order = [...table.key.map(quote), 'rowid'].join(', ');
  return `SELECT ${columns} FROM ${quote(table.name)} ORDER BY ${order};`;
}

/** The baseline export's times, and the files it made. */
export interface BaselineExport {
  sqlite3: CommandTiming;
  zip: CommandTiming;
  /** The CSV file of each export table, in mapping order. */
  csvFiles: string[];
  zipFile: string;
}

/**
 * The export tables of `databaseFile` as CSV files in `folder`, then zipped
 * into `folder`/baseline.zip. Rejects if a program fails.
 */
export async function baselineExport(mapping: Mapping, databaseFile: string,
  folder: string): Promise<BaselineExport> {
  const csvFolder = join(folder, 'csv');
  mkdirSync(csvFolder, { recursive: true });
  const script = ['.bail on', '.mode csv', '.separator ";" "\\r\\n"', '.headers on'];
  for (const table of mapping.exportTables) {
    script.push(`.output ${quote(join(csvFolder, table.file))}`, selectInKeyOrder(table));
  }
  const sqlite3 = await timeCommand(BASELINE_PROGRAMS.sqlite3, ['-readonly', databaseFile],
    { input: `${script.join('\n')}\n` });

  const zipFile = join(folder, 'baseline.zip');
  // zip adds to an archive that exists: each run starts from none.
  rmSync(zipFile, { force: true });
  const files = mapping.exportTables.map((table) => table.file);
  const zip = await timeCommand(BASELINE_PROGRAMS.zip, ['-q', '-X', zipFile, ...files], { cwd: csvFolder });
  return { sqlite3, zip, csvFiles: files.map((file) => join(csvFolder, file)), zipFile };
}

/** The baseline import's times and the rows the new table holds. */
export interface BaselineImport {
  unzip: CommandTiming;
  sqlite3: CommandTiming;
  rows: number;
}

/**
 * The movements file of each upload zip taken out with `unzip -p`, then
 * `.import`ed into the table of a new database in `folder`.
 */
export async function baselineImport(mapping: Mapping, zips: readonly string[],
  folder: string): Promise<BaselineImport> {
  mkdirSync(folder, { recursive: true });
  const movements = mapping.upload.movements;
  const csvFiles = zips.map((_, index) => join(folder, `movements-${index + 1}.csv`));
  const unzip: CommandTiming = { ms: 0 };
  for (const [index, zip] of zips.entries()) {
    const run = await timeCommand(BASELINE_PROGRAMS.unzip, ['-p', zip, movements.file],
      { stdoutFile: csvFiles[index]! });
    unzip.ms += run.ms;
    if (run.peakRssKiB !== undefined) unzip.peakRssKiB = Math.max(unzip.peakRssKiB ?? 0, run.peakRssKiB);
  }

  const columns = movements.columns.map((column) => `${quote(column.name)} TEXT`).join(', ');
  const script = ['.bail on', '.mode csv', '.separator ";" "\\r\\n"',
    `CREATE TABLE ${quote(movements.name)} (${columns});`,
    ...csvFiles.map((file) => `.import --skip 1 ${quote(file)} ${quote(movements.name)}`),
    `SELECT count(*) FROM ${quote(movements.name)};`];
  const sqlite3 = await timeCommand(BASELINE_PROGRAMS.sqlite3, [join(folder, 'baseline-import.sqlite')],
    { input: `${script.join('\n')}\n` });
  return { unzip, sqlite3, rows: Number(sqlite3.stdout.trim()) };
}
