/**
 * A worker thread of a large export (export-parallel.ts): on a read-only
 * connection of its own to bo.sqlite, it makes the device's selection again
 * (selectForExport, deterministic: the same selections and scope give the
 * same temporary tables), then encodes and deflates the tables it was given,
 * each into memory, and posts each entry to the main thread as it is done.
 * At the first failure it posts what failed and stops.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { ExchangeFormatError } from '../errors.ts';
import { TableChunkEncoder } from '../exchange/table-chunks.ts';
import { deflateEntry } from '../exchange/zip-file.ts';
import { exportRowLines, iterateExportValues, selectForExport } from './export-selection.ts';
import type { WorkerMessage, WorkerTask } from './export-parallel.ts';

/** The pieces in one array of their own: zlib's may share a pooled ArrayBuffer, which cannot be transferred. */
function ownBytes(pieces: readonly Buffer[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return bytes;
}

function post(message: WorkerMessage): void {
  const transfer = message.kind === 'entry' ? [message.data.buffer as ArrayBuffer] : [];
  parentPort!.postMessage(message, transfer);
}

async function run(task: WorkerTask): Promise<void> {
  const db = new Database(task.file, { readonly: true, fileMustExist: true });
  let table = '';
  try {
    selectForExport(db, task.mapping, task.selections, task.scope);
    for (const name of task.tables) {
      table = name;
      const spec = task.mapping.exportTables.find((candidate) => candidate.name === name)!;
      const encoder = new TableChunkEncoder(task.mapping, spec);
      const lines = exportRowLines(db, task.mapping, spec);
      const chunks = lines === undefined ? encoder.chunksOfValues(iterateExportValues(db, spec))
        : encoder.chunksOfLines(lines);
      const entry = await deflateEntry(chunks);
      post({ kind: 'entry', table: name, rows: encoder.rows, crc32: entry.crc32, size: entry.size,
        compressedSize: entry.compressedSize, data: ownBytes(entry.data, entry.compressedSize) });
    }
  } catch (error) {
    const failure = error as Error;
    post(error instanceof ExchangeFormatError
      ? { kind: 'failed', table, message: failure.message, at: error.at }
      : { kind: 'failed', table, message: failure.message, stack: failure.stack });
  } finally {
    db.close();
  }
}

await run((workerData as { task: WorkerTask }).task);
