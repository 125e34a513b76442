/**
 * The export zip of a large catalog written by two threads: a worker thread
 * (export-worker.ts) encodes and deflates the largest tables of the device's
 * selection on a connection of its own, while the main thread does the rest
 * on the BO's connection; the main thread writes every entry into the zip in
 * mapping order, as each becomes due. The zip is byte for byte the one
 * writeExportZipFile writes, and a refused value gives the same
 * ExchangeFormatError: the failure of the first table in mapping order.
 *
 * The worker makes the selection again on its own connection
 * (selectForExport is deterministic), as temporary tables are seen by their
 * connection only. Both read the same rows because the back office runs one
 * export or import at a time, and the tables the export itself writes
 * (DEVICEMOBIL, PARAMMOBILSTOCK: read whole) stay on the main thread.
 * Memory: the compressed entries wait for their turn, at most the zip's size.
 */
import { Worker } from 'node:worker_threads';
import { ExchangeFormatError } from '../errors.ts';
import {
  createZipFile, deflateEntry, TableChunkEncoder, type DeflatedEntry, type ExportValueSource,
  type WrittenExportZip,
} from '../exchange/index.ts';
import type { FileLocation } from '../errors.ts';
import type { Mapping, TableSpec } from '../exchange/types.ts';
import { logger } from '../log.ts';
import type { BoDatabase } from './database.ts';
import { tableFilter } from './export-selection.ts';
import type { ExportOptions, LotSelection } from './types.ts';

const log = logger('hil:bo');

/** Below this many rows in LOTSTOCK and ARTICLE, starting a worker costs more than it saves. */
export const PARALLEL_MIN_ROWS = 40_000;
// The share of the tables' expected bytes given to the worker, which first starts and selects again.
const WORKER_SHARE = 0.5;

// A worker thread does not get the loader that runs TypeScript, whether it was registered by bin/estock-hil.js
// or by `node --import tsx` (on Node 20, even given `execArgv: ['--import', 'tsx']`): it loads its module
// through tsx's tsImport, from this script.
const WORKER_BOOT = `const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then(({ tsImport }) => tsImport(workerData.entry, workerData.entry));`;

/** What the worker is given. */
export interface WorkerTask {
  file: string;
  mapping: Mapping;
  selections: LotSelection[];
  scope: NonNullable<ExportOptions['scope']>;
  /** The names of the tables it encodes, in mapping order. */
  tables: string[];
}

/** What the worker posts: one entry done, or the failure that stopped it. */
export type WorkerMessage =
  | { kind: 'entry'; table: string; rows: number; crc32: number; size: number; compressedSize: number;
    data: Uint8Array }
  | { kind: 'failed'; table: string; message: string; at?: FileLocation; stack?: string };

/** One table encoded and deflated, and its rows. */
interface EncodedTable {
  deflated: DeflatedEntry;
  rows: number;
}

/** A started worker: each of its tables as a promise of the encoded table. */
export interface ExportWorker {
  readonly tables: ReadonlySet<string>;
  entryOf(table: string): Promise<EncodedTable>;
  /** Ends the worker (at once if it still works). */
  stop(): Promise<void>;
}

function workerFailure(message: Extract<WorkerMessage, { kind: 'failed' }>): Error {
  if (message.at !== undefined) {
    const error = new ExchangeFormatError(message.at, '');
    // The worker's message already names the place: keep it word for word.
    error.message = message.message;
    return error;
  }
  const error = new Error(`export worker, table ${message.table}: ${message.message}`);
  if (message.stack !== undefined) error.stack = message.stack;
  return error;
}

/**
 * The tables the worker takes: the largest of those read through the
 * selection, by expected bytes (rows in the database times columns), up to
 * its share of all.
 */
function workerTables(db: BoDatabase, mapping: Mapping): string[] {
  const weights = mapping.exportTables.map((spec) => {
    const rows = db.prepare(`SELECT count(*) FROM "${spec.name.replaceAll('"', '""')}"`).pluck().get() as number;
    return { spec, weight: rows * spec.columns.length };
  });
  const total = weights.reduce((sum, table) => sum + table.weight, 0);
  const chosen = new Set<string>();
  let taken = 0;
  for (const { spec, weight } of [...weights].sort((a, b) => b.weight - a.weight)) {
    if (tableFilter(spec) === 'whole' || taken + weight > total * WORKER_SHARE) continue;
    chosen.add(spec.name);
    taken += weight;
  }
  return mapping.exportTables.filter((spec) => chosen.has(spec.name)).map((spec) => spec.name);
}

/**
 * Whether an export of this database is worth a worker: a database in a
 * file, with at least PARALLEL_MIN_ROWS rows in LOTSTOCK and ARTICLE.
 */
export function exportIsLarge(db: BoDatabase, mapping: Mapping): boolean {
  const names = new Set(mapping.exportTables.map((spec) => spec.name));
  if (db.memory || !names.has('LOTSTOCK') || !names.has('ARTICLE')) return false;
  const rows = db.prepare('SELECT (SELECT count(*) FROM LOTSTOCK) + (SELECT count(*) FROM ARTICLE)').pluck()
    .get() as number;
  return rows >= PARALLEL_MIN_ROWS;
}

/**
 * Starts the worker on the largest tables of the export of `db` for the
 * given selections and scope (selectForDevice's). It works while the main
 * thread makes its own selection; the promises of its tables settle as it goes.
 */
export function startExportWorker(db: BoDatabase, mapping: Mapping, selections: LotSelection[],
  scope: NonNullable<ExportOptions['scope']>): ExportWorker {
  const task: WorkerTask = { file: db.name, mapping, selections, scope, tables: workerTables(db, mapping) };
  const waiting = new Map<string, { resolve(table: EncodedTable): void; reject(error: Error): void }>();
  const promises = new Map(task.tables.map((table) => [table, new Promise<EncodedTable>((resolve, reject) => {
    waiting.set(table, { resolve, reject });
  })]));
  // A table's failure is read when its turn comes; until then it must not count as unhandled.
  for (const promise of promises.values()) promise.catch(() => undefined);
  const rejectAll = (error: Error): void => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };

  const worker = new Worker(WORKER_BOOT, {
    eval: true,
    execArgv: [],
    workerData: { task, tsxApi: import.meta.resolve('tsx/esm/api'),
      entry: new URL('./export-worker.ts', import.meta.url).href },
  });
  worker.on('message', (message: WorkerMessage) => {
    if (message.kind === 'failed') {
      rejectAll(workerFailure(message));
      return;
    }
    log('export worker: %s done, %d rows', message.table, message.rows);
    const data = Buffer.from(message.data.buffer, message.data.byteOffset, message.data.length);
    waiting.get(message.table)?.resolve({ rows: message.rows, deflated: { crc32: message.crc32,
      size: message.size, compressedSize: message.compressedSize, data: [data] } });
    waiting.delete(message.table);
  });
  worker.on('error', (error) => rejectAll(error));
  worker.on('exit', (code) => rejectAll(new Error(`export worker ended (exit code ${code}) before its tables`)));
  log('export worker started on %s', task.tables.join(', '));
  return {
    tables: new Set(task.tables),
    entryOf: (table) => promises.get(table)!,
    stop: async () => {
      await worker.terminate();
    },
  };
}

function encodeHere(mapping: Mapping, source: ExportValueSource, spec: TableSpec): Promise<EncodedTable> {
  const encoder = new TableChunkEncoder(mapping, spec);
  const lines = source.linesOf?.(spec);
  const chunks = lines === undefined ? encoder.chunksOfValues(source.valuesOf(spec)) : encoder.chunksOfLines(lines);
  return deflateEntry(chunks).then((deflated) => ({ deflated, rows: encoder.rows }));
}

/**
 * The export zip into `file`, as writeExportZipFile writes it: the worker's
 * tables from `worker`, the others from `source`, on this thread. Stops the
 * worker before it returns. Throws as writeExportZipFile, after removing the file.
 */
export async function writeExportZipWithWorker(mapping: Mapping, source: ExportValueSource, worker: ExportWorker,
  file: string): Promise<WrittenExportZip> {
  const zip = await createZipFile(file);
  const tables = mapping.exportTables;
  const done = new Map<number, EncodedTable>();
  let next = 0;
  let rows = 0;
  let writing = true;
  const writeDue = (): void => {
    if (!writing) return;
    for (let table = done.get(next); table !== undefined; table = done.get(next)) {
      zip.addDeflated(tables[next]!.file, table.deflated);
      rows += table.rows;
      done.delete(next);
      next += 1;
    }
  };

  const results = tables.map((spec, index) => (worker.tables.has(spec.name) ? worker.entryOf(spec.name) : undefined)
    ?.then((table) => {
      done.set(index, table);
      writeDue();
    }));
  // Each is awaited in turn below, or left once an earlier table failed: never an unhandled rejection.
  for (const result of results) result?.catch(() => undefined);
  try {
    let failure: unknown;
    for (const [index, spec] of tables.entries()) {
      if (worker.tables.has(spec.name)) continue;
      try {
        done.set(index, await encodeHere(mapping, source, spec));
        writeDue();
      } catch (error) {
        results[index] = Promise.reject(error);
        results[index].catch(() => undefined);
        break;
      }
    }
    log('export: the main thread\'s tables done, waiting for the worker\'s');
    // The first table in mapping order that failed is the one a single thread would have met.
    for (const result of results) {
      if (result === undefined) continue;
      try {
        await result;
      } catch (error) {
        failure = error;
        break;
      }
    }
    if (failure !== undefined) throw failure;
  } catch (error) {
    writing = false;
    await zip.abort();
    throw error;
  } finally {
    await worker.stop();
  }
  const bytes = await zip.close();
  log('export zip written to %s by two threads: %d tables, %d rows, %d bytes', file, tables.length, rows, bytes);
  return { file, bytes, tables: tables.length, rows };
}
