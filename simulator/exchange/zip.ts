/**
 * Zips written with yazl and read with yauzl, safely: a zip from a device or
 * a customer is untrusted. Reading refuses, with a ZipError naming the zip,
 * an empty, truncated or foreign file, an entry whose name would land outside
 * its folder, a name given twice, and more entries or bytes than the limits
 * allow (zip bombs). It never crashes and leaves no error unhandled.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { ZipError } from '../errors.ts';

/** One file of a zip. `name` is '/'-separated and relative (`sub/file.txt`). */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** What a zip read may hold at most: entries, bytes of one entry, bytes of all (uncompressed). */
export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

// How ZipErrors of writeZip name the zip, which has no name yet.
const ZIP_TO_WRITE = 'zip to write';

/** Generous limits for exchange zips: 10,000 entries, 512 MiB an entry, 1 GiB in all. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = Object.freeze({
  maxEntries: 10_000,
  maxEntryBytes: 512 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
});

/**
 * The safe relative form of an entry name ('\' read as '/', `.` and empty
 * parts dropped, `..` applied), or an Error saying why it is unsafe: absolute,
 * with a drive letter, with a control character, or escaping its folder.
 */
export function safeEntryName(raw: string): string | Error {
  const shown = JSON.stringify(raw);
  const name = raw.replaceAll('\\', '/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return new Error(`absolute path ${shown}`);
  if ([...name].some((character) => character.charCodeAt(0) < 0x20)) {
    return new Error(`control character in ${shown}`);
  }

  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.pop() === undefined) return new Error(`${shown} escapes its folder`);
  }
  if (parts.length === 0) return new Error(`empty name ${shown}`);
  return parts.join('/');
}

/**
 * A zip of `entries`, in the given order, compressed, every entry dated
 * `mtime` (default 1980-01-01 00:00 local time, written as a DOS time only):
 * the same entries give the same bytes. Throws ZipError for an unsafe or
 * repeated name.
 */
export async function writeZip(entries: readonly ZipEntry[],
  options: { mtime?: Date } = {}): Promise<Buffer> {
  const mtime = options.mtime ?? new Date(1980, 0, 1, 0, 0, 0);
  const fileOptions = { mtime, mode: 0o100644, compress: true, forceDosTimestamp: true };
  const zip = new yazl.ZipFile();
  const names = new Set<string>();
  for (const entry of entries) {
    const name = safeEntryName(entry.name);
    if (name instanceof Error) throw new ZipError(ZIP_TO_WRITE, `unsafe entry name: ${name.message}`);
    if (names.has(name)) throw new ZipError(ZIP_TO_WRITE, `entry ${name} given twice`);
    names.add(name);
    zip.addBuffer(entry.data, name, fileOptions);
  }
  zip.end();

  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function openZip(bytes: Buffer, source: string): Promise<yauzl.ZipFile> {
  const options = {
    lazyEntries: true, decodeStrings: true, strictFileNames: false, validateEntrySizes: true,
  };
  return new Promise((resolvePromise, reject) => {
    yauzl.fromBuffer(bytes, options, (error, zipfile) => {
      if (error === null) return resolvePromise(zipfile);
      const problem = `not a zip, or a truncated one (${error.message})`;
      reject(new ZipError(source, problem, { cause: error }));
    });
  });
}

// yauzl checks names itself and reports these as errors of the whole zip.
const YAUZL_NAME_ERRORS = /^(absolute path|invalid relative path|invalid characters in fileName)/;

function describeZipError(error: Error): string {
  if (YAUZL_NAME_ERRORS.test(error.message)) {
    return `unsafe entry name (${error.message}): it would be written outside its folder; ` +
      'the zip is refused';
  }
  return `broken or truncated zip (${error.message})`;
}

interface EntryBudget {
  limits: ZipLimits;
  totalBytes: number;
}

function checkEntry(entry: yauzl.Entry, name: string, budget: EntryBudget): string | undefined {
  const { limits } = budget;
  if (entry.isEncrypted()) return `entry ${name} is encrypted`;
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    return `entry ${name} holds ${entry.uncompressedSize} bytes, ` +
      `more than the limit of ${limits.maxEntryBytes}`;
  }
  budget.totalBytes += entry.uncompressedSize;
  if (budget.totalBytes > limits.maxTotalBytes) {
    return `the entries hold more than the limit of ${limits.maxTotalBytes} bytes in all`;
  }
  return undefined;
}

function readStream(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
      if (size > maxBytes) stream.destroy(new Error(`more bytes than the ${maxBytes} declared`));
    });
    stream.on('error', reject);
    stream.on('end', () => resolvePromise(Buffer.concat(chunks)));
  });
}

async function readEntryData(zipfile: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  const stream = await zipfile.openReadStreamPromise(entry);
  return readStream(stream, entry.uncompressedSize);
}

function readEntries(zipfile: yauzl.ZipFile, source: string,
  limits: ZipLimits): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  const budget: EntryBudget = { limits, totalBytes: 0 };
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    const fail = (problem: string, cause?: unknown) => {
      if (settled) return;
      settled = true;
      zipfile.close();
      reject(new ZipError(source, problem, { cause }));
    };
    const onEntry = async (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return;
      const name = safeEntryName(entry.fileName);
      if (name instanceof Error) return fail(`unsafe entry name: ${name.message}; the zip is refused`);
      if (names.has(name)) return fail(`entry ${name} appears twice; the zip is refused`);
      names.add(name);
      const overLimit = checkEntry(entry, name, budget);
      if (overLimit !== undefined) return fail(`${overLimit}; the zip is refused`);
      entries.push({ name, data: await readEntryData(zipfile, entry) });
    };

    zipfile.on('error', (error: Error) => fail(describeZipError(error), error));
    zipfile.on('end', () => {
      if (settled) return;
      settled = true;
      zipfile.close();
      resolvePromise(entries);
    });
    zipfile.on('entry', (entry: yauzl.Entry) => {
      onEntry(entry).then(() => {
        if (!settled) zipfile.readEntry();
      }, (error: Error) => fail(`entry ${entry.fileName}: ${error.message}`, error));
    });
    zipfile.readEntry();
  });
}

/**
 * The files of a zip, in zip order, directory entries left out. Backslashes
 * in names are separators. Throws ZipError naming `source` for an empty,
 * truncated or foreign file, an unsafe or repeated name, or a zip past `limits`.
 */
export async function readZip(bytes: Buffer, source: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipEntry[]> {
  if (bytes.length === 0) {
    throw new ZipError(source, 'empty file (0 bytes), not a zip: ' +
      'the upload may be unfinished or was cut off');
  }
  const zipfile = await openZip(bytes, source);
  if (zipfile.entryCount > limits.maxEntries) {
    zipfile.close();
    throw new ZipError(source, `${zipfile.entryCount} entries, ` +
      `more than the limit of ${limits.maxEntries}; the zip is refused`);
  }
  return readEntries(zipfile, source, limits);
}

/**
 * readZip, then writes every file under `targetDir` (folders created as
 * needed). Returns the absolute paths written, in zip order. Throws ZipError
 * as readZip does, or if a file cannot be written.
 */
export async function extractZip(bytes: Buffer, source: string, targetDir: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<string[]> {
  const entries = await readZip(bytes, source, limits);
  const root = resolve(targetDir);
  const written: string[] = [];
  for (const entry of entries) {
    const target = resolve(root, ...entry.name.split('/'));
    const inside = relative(root, target);
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw new ZipError(source, `entry ${entry.name} would be written outside ${root}; the zip is refused`);
    }
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, entry.data);
    } catch (error) {
      const problem = `cannot write entry ${entry.name} to ${target}: ${(error as Error).message}`;
      throw new ZipError(source, problem, { cause: error });
    }
    written.push(target);
  }
  return written;
}
