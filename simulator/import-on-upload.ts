/**
 * The back office importing a device's movements as soon as they arrive:
 * each complete upload of a `LotStockExported_<timestamp>.zip` into a
 * device's inbox (`Entrant/eStock/<device>/MvtStocks/`), or a rename to such
 * a name there (a device that uploads under a temporary name, then renames),
 * leads to an import of that device by its company's back office. Uploads cut
 * short never do, nor uploads under a temporary name (`<name>.tmp`).
 * Imports of one company run one after the other; uploads due while an import
 * of their device is queued or running lead to one import after it, together. An upload from a device the
 * back office does not import from (unknown, unlisted, blocked, inactive)
 * gets an import all the same: its report says why, and the zip stays in the
 * inbox, so that `serve` shows it; an import that fails is reported, never thrown.
 */
import type { BackOffice, ImportReport } from './bo/index.ts';
import { DEVICE_ID_PATTERN } from './company.ts';
import { parseMovementUploadName, type Mapping } from './exchange/index.ts';
import type { StartedFtpServer } from './ftp/server.ts';
import { logger } from './log.ts';

/**
 * How long an import waits after an upload while the uploading session stays
 * open, in milliseconds. The app checks its upload (SIZE) and uploads its
 * Version.txt after the zip: an import that had already deleted the zip from
 * the inbox would make it take the upload as failed and send the movements again.
 */
export const IMPORT_SETTLE_MS = 2000;

/** One import made on arrival: its report, or the error that stopped it. */
export interface ImportOnArrival {
  company: string;
  device: string;
  /**
   * The uploads that led to it, paths from the company root: every upload due
   * while it was queued behind an import of its company joins it.
   */
  uploads: string[];
  report?: ImportReport;
  error?: Error;
}

/** Imports on arrival until stopped. */
export interface UploadImporter {
  /** Starts every import waiting for its session and resolves when none is queued or running. */
  drain(): Promise<void>;
  /**
   * Stops taking uploads: each import waiting for its session or queued runs
   * once (at most one per device), the one running finishes, and it resolves
   * when they are done. Uploads that complete afterwards start no import; they
   * stay in their inbox for the next one.
   */
  stop(): Promise<void>;
}

/** Uploads of a device waiting for their sessions to end (or `settleMs`) before they ask for an import. */
interface Waiting {
  company: string;
  device: string;
  uploads: string[];
  sessions: Set<string>;
  timer: NodeJS.Timeout;
}

/** An import queued behind its company's other imports, not started yet: later uploads join it. */
interface Queued {
  company: string;
  device: string;
  uploads: string[];
}

/**
 * The device whose inbox `path` lies in, when `path` is a movement upload, from
 * the mapping's `movementUploads` template (`Entrant/eStock/{device}/MvtStocks`).
 * A temporary name (`LotStockExported_20261203_194131.zip.tmp`) is no movement upload.
 */
export function movementUploadDevice(mapping: Mapping, path: string): string | undefined {
  const [before, after] = mapping.paths.movementUploads.split('{device}') as [string, string | undefined];
  const slash = path.lastIndexOf('/');
  const folder = path.slice(0, slash);
  if (after === undefined || !folder.startsWith(before) || !folder.endsWith(after)) return undefined;
  const device = folder.slice(before.length, folder.length - after.length);
  if (!DEVICE_ID_PATTERN.test(device)) return undefined;
  return parseMovementUploadName(mapping, path.slice(slash + 1)) === undefined ? undefined : device;
}

/**
 * Listens to `server`'s uploads and has `backOffices` (by company name)
 * import each movement upload once the uploading session has ended, or
 * `settleMs` (default IMPORT_SETTLE_MS) after the upload. An upload due while
 * an import of its device is queued joins it; while one runs, every upload
 * due meanwhile leads to one more import after it, not one each. `onImport`
 * gets each import's outcome.
 */
export function importOnUpload(server: StartedFtpServer, mapping: Mapping,
  backOffices: ReadonlyMap<string, Pick<BackOffice, 'importForDevice'>>,
  onImport: (outcome: ImportOnArrival) => void, settleMs = IMPORT_SETTLE_MS): UploadImporter {
  const log = logger('hil:bo');
  const waiting = new Map<string, Waiting>();
  const queued = new Map<string, Queued>();
  const queues = new Map<string, Promise<void>>();
  let stopping = false;

  const run = async (next: Queued): Promise<void> => {
    const { company, device, uploads } = next;
    let outcome: ImportOnArrival;
    try {
      outcome = { company, device, uploads, report: await backOffices.get(company)!.importForDevice(device) };
    } catch (error) {
      log('[%s/%s] import on arrival failed: %s', company, device, (error as Error).message);
      outcome = { company, device, uploads, error: error as Error };
    }
    onImport(outcome);
  };
  const start = (key: string): void => {
    const next = waiting.get(key);
    if (next === undefined) return;
    waiting.delete(key);
    clearTimeout(next.timer);
    const already = queued.get(key);
    if (already !== undefined) {
      already.uploads.push(...next.uploads);
      log('[%s] %d uploads join the import queued', key, next.uploads.length);
      return;
    }

    const entry: Queued = { company: next.company, device: next.device, uploads: [...next.uploads] };
    queued.set(key, entry);
    const begin = (): Promise<void> => {
      // From here on, an upload due leads to the next import: this one may have listed the inbox already.
      queued.delete(key);
      return run(entry);
    };
    const queue = (queues.get(next.company) ?? Promise.resolve()).then(begin)
      .catch((error: unknown) => log('[%s] a listener of imports threw: %s', key, (error as Error).message));
    queues.set(next.company, queue);
  };
  const settle = async (): Promise<void> => {
    for (let pending = [...queues.values()]; ; pending = [...queues.values()]) {
      await Promise.all(pending);
      if (waiting.size === 0 && [...queues.values()].every((queue) => pending.includes(queue))) return;
      for (const key of [...waiting.keys()]) start(key);
    }
  };

  const arrived = (session: string, company: string, path: string, how: 'uploaded' | 'renamed'): void => {
    const device = movementUploadDevice(mapping, path);
    if (device === undefined || !backOffices.has(company)) return;
    const key = `${company}/${device}`;
    if (stopping) {
      log('[%s] %s %s while stopping: left in the inbox for the next import', key, path, how);
      return;
    }
    const entry = waiting.get(key) ?? {
      company, device, uploads: [], sessions: new Set<string>(), timer: setTimeout(() => start(key), settleMs),
    };
    entry.uploads.push(path);
    entry.sessions.add(session);
    waiting.set(key, entry);
    log('[%s] %s %s: import once session %s ends', key, path, how, session);
  };
  server.on('upload', ({ session, company, path }) => arrived(session, company, path, 'uploaded'));
  server.on('rename', ({ session, company, to }) => arrived(session, company, to, 'renamed'));
  server.on('upload-cut-short', ({ company, path, bytes, reason }) => {
    if (movementUploadDevice(mapping, path) === undefined) return;
    log('[%s] %s cut short after %d bytes (%s): no import', company, path, bytes, reason);
  });
  server.on('session-end', ({ session }) => {
    for (const [key, entry] of waiting) if (entry.sessions.has(session)) start(key);
  });

  return {
    async drain() {
      for (const key of [...waiting.keys()]) start(key);
      await settle();
    },
    async stop() {
      stopping = true;
      for (const key of [...waiting.keys()]) start(key);
      await settle();
    },
  };
}
