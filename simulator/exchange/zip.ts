/**
 * Zips written with yazl and read with yauzl, safely: a zip from a device or
 * a customer is untrusted. Reading refuses, with a ZipError naming the zip,
 * an empty, truncated or foreign file, an entry whose name would land outside
 * its folder, a name given twice, and more entries, bytes or compression
 * than the limits allow (zip bombs), all checked on the central directory
 * before an entry is read, then again while inflating. It never crashes and
 * leaves no error unhandled.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { ZipError } from '../errors.ts';

/** One file of a zip. `name` is '/'-separated and relative (`sub/file.txt`). */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

/**
 * What a zip read may hold at most: entries, bytes of one entry, bytes of all
 * (uncompressed), and how many times its compressed size an entry may inflate
 * to once it has given more than `ratioCheckAboveBytes` (small files of
 * repeated text compress past any ratio; a zip bomb must give many bytes).
 */
export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxCompressionRatio: number;
  ratioCheckAboveBytes: number;
}

// How ZipErrors of writeZip name the zip, which has no name yet.
const ZIP_TO_WRITE = 'zip to write';

// The compression methods read: stored and deflate, all that yazl and the usual tools write.
const STORED = 0;
const DEFLATED = 8;

/**
 * Generous limits for exchange zips: 10,000 entries, 512 MiB an entry, 1 GiB
 * in all, 200 times the compressed size past 1 MiB (text files of the
 * exchange compress 5 to 20 times; deflate bombs about 1,000 times).
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = Object.freeze({
  maxEntries: 10_000,
  maxEntryBytes: 512 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioCheckAboveBytes: 1024 * 1024,
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

function describeRatio(uncompressed: number, compressed: number): string {
  return compressed === 0 ? 'from 0 compressed bytes' : `${Math.round(uncompressed / compressed)} times`;
}

// What the central directory declares, checked before a byte is inflated.
function checkDeclared(entry: yauzl.Entry, name: string, budget: EntryBudget): string | undefined {
  const { limits } = budget;
  if (entry.isEncrypted()) return `entry ${name} is encrypted`;
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    return `entry ${name} uses compression method ${entry.compressionMethod}; ` +
      'only stored (0) and deflate (8) are read';
  }
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    return `entry ${name} holds ${entry.uncompressedSize} bytes, ` +
      `more than the limit of ${limits.maxEntryBytes}`;
  }
  if (entry.uncompressedSize > limits.ratioCheckAboveBytes &&
    entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio) {
    return `entry ${name} declares ${entry.uncompressedSize} bytes from ${entry.compressedSize} compressed ` +
      `(${describeRatio(entry.uncompressedSize, entry.compressedSize)}), more than the limit of ` +
      `${limits.maxCompressionRatio} times: a zip bomb`;
  }
  budget.totalBytes += entry.uncompressedSize;
  if (budget.totalBytes > limits.maxTotalBytes) {
    return `the entries hold more than the limit of ${limits.maxTotalBytes} bytes in all`;
  }
  return undefined;
}

/** Every entry of the central directory, before any data is read. */
function listEntries(zipfile: yauzl.ZipFile, source: string): Promise<yauzl.Entry[]> {
  return new Promise((resolvePromise, reject) => {
    const entries: yauzl.Entry[] = [];
    zipfile.on('error', (error: Error) => {
      reject(new ZipError(source, describeZipError(error), { cause: error }));
    });
    zipfile.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zipfile.readEntry();
    });
    zipfile.on('end', () => resolvePromise(entries));
    zipfile.readEntry();
  });
}

/** The entries to read, by safe name, in zip order; throws ZipError for the first one refused. */
function checkEntries(entries: readonly yauzl.Entry[], source: string,
  limits: ZipLimits): Map<string, yauzl.Entry> {
  const byName = new Map<string, yauzl.Entry>();
  const budget: EntryBudget = { limits, totalBytes: 0 };
  for (const entry of entries) {
    if (entry.fileName.endsWith('/')) continue;
    const name = safeEntryName(entry.fileName);
    if (name instanceof Error) {
      throw new ZipError(source, `unsafe entry name: ${name.message}; the zip is refused`);
    }
    if (byName.has(name)) throw new ZipError(source, `entry ${name} appears twice; the zip is refused`);
    const refusal = checkDeclared(entry, name, budget);
    if (refusal !== undefined) throw new ZipError(source, `${refusal}; the zip is refused`);
    byName.set(name, entry);
  }
  return byName;
}

function checkInflated(size: number, compressed: number, entry: yauzl.Entry,
  limits: ZipLimits): Error | undefined {
  if (size > limits.ratioCheckAboveBytes && size > compressed * limits.maxCompressionRatio) {
    return new Error(`gave ${size} bytes from ${compressed} compressed ` +
      `(${describeRatio(size, compressed)}), more than the limit of ${limits.maxCompressionRatio} ` +
      'times: a zip bomb, whatever its header says');
  }
  if (size > entry.uncompressedSize) {
    return new Error(`gives more bytes than the ${entry.uncompressedSize} it declares`);
  }
  return undefined;
}

/**
 * Inflates an entry while counting both sides: the bytes it gives may pass
 * neither what it declares nor the compression ratio, measured on the
 * compressed bytes the inflater has really taken (a header may lie about both
 * sizes). Then the size and the CRC-32 must match the header's.
 */
async function readEntryData(zipfile: yauzl.ZipFile, entry: yauzl.Entry,
  limits: ZipLimits): Promise<Buffer> {
  const raw = await zipfile.openReadStreamPromise(entry, { decodeFileData: false });
  const inflater = entry.compressionMethod === DEFLATED ? createInflateRaw() : undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  // Kept apart: once the sink throws, the pipeline may reject with the abort of the inflater instead.
  let overLimit: Error | undefined;
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      size += chunk.length;
      overLimit = checkInflated(size, inflater?.bytesWritten ?? size, entry, limits);
      if (overLimit !== undefined) throw overLimit;
      chunks.push(chunk);
    }
  };
  try {
    await (inflater === undefined ? pipeline(raw, collect) : pipeline(raw, inflater, collect));
  } catch (error) {
    throw overLimit ?? error;
  }

  const data = Buffer.concat(chunks);
  if (data.length !== entry.uncompressedSize) {
    throw new Error(`holds ${data.length} bytes but declares ${entry.uncompressedSize}`);
  }
  if (crc32(data) !== entry.crc32) throw new Error('damaged: its CRC-32 does not match its data');
  return data;
}

async function readEntries(zipfile: yauzl.ZipFile, source: string,
  limits: ZipLimits): Promise<ZipEntry[]> {
  const checked = checkEntries(await listEntries(zipfile, source), source, limits);
  const entries: ZipEntry[] = [];
  for (const [name, entry] of checked) {
    try {
      entries.push({ name, data: await readEntryData(zipfile, entry, limits) });
    } catch (error) {
      throw new ZipError(source, `entry ${name}: ${(error as Error).message}; the zip is refused`,
        { cause: error });
    }
  }
  return entries;
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
  try {
    if (zipfile.entryCount > limits.maxEntries) {
      throw new ZipError(source, `${zipfile.entryCount} entries, ` +
        `more than the limit of ${limits.maxEntries}; the zip is refused`);
    }
    return await readEntries(zipfile, source, limits);
  } finally {
    zipfile.close();
  }
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
