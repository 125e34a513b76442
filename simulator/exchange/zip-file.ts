/**
 * A zip written into a file one entry at a time, each entry's bytes going
 * through deflate as they come, so that memory holds a few chunks and never a
 * whole entry. The file is byte for byte what writeZip (zip.ts, with yazl)
 * makes of the same entries: compressed at level 6, names in UTF-8, mode
 * 0644, DOS times only. That needs the CRC and sizes in each local header:
 * the header is written first with room for them and filled in once the
 * entry's data is in the file. (yazl's own streamed entries carry a data
 * descriptor after the data instead, which changes the bytes.)
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { ZipError } from '../errors.ts';
import { safeEntryName } from './zip.ts';

/** What went into the zip for one entry. */
export interface ZipFileEntry {
  name: string;
  crc32: number;
  /** Bytes before compression. */
  size: number;
  compressedSize: number;
  /** Where its local header starts in the file. */
  offset: number;
}

/** A zip being written; `close()` writes the central directory, `abort()` removes the file. */
export interface ZipFileWriter {
  readonly file: string;
  /** Streams one entry's bytes into the zip; entries go one after the other, never two at once. */
  add(name: string, chunks: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<ZipFileEntry>;
  /** Writes one entry already deflated (deflateEntry), between two calls of `add`. */
  addDeflated(name: string, deflated: DeflatedEntry): ZipFileEntry;
  /** Ends the zip; returns its size in bytes. */
  close(): Promise<number>;
  /** Closes and removes the file, after a failure. */
  abort(): Promise<void>;
}

// The deflate level of yazl's `compress: true`.
const DEFLATE_LEVEL = 6;
const OUTPUT_CHUNK_BYTES = 64 * 1024;
// Input chunks made ahead of deflate, so that the next ones are made while zlib works on this one.
const INPUT_AHEAD_CHUNKS = 16;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_RECORD_BYTES = 46;
const END_RECORD_BYTES = 22;
const VERSION_NEEDED = 20;
// Made by 3 (Unix), specification version 6.3.
const VERSION_MADE_BY = (3 << 8) | 63;
const NAME_IS_UTF8 = 1 << 11;
const DEFLATED = 8;
const FILE_MODE = 0o100644;
// Past these the zip needs the zip64 format, which yazl would switch to and this writer does not.
const MAX_32_BIT = 0xfffffffe;
const MAX_ENTRIES = 0xfffe;

/** The DOS date and time of a local time, clamped to 1980-2107 as yazl does. */
function dosDateTime(at: Date): { date: number; time: number } {
  const first = new Date(1980, 0, 1);
  const last = new Date(2107, 11, 31, 23, 59, 58);
  const clamped = at < first ? first : at > last ? last : at;
  return {
    date: ((clamped.getFullYear() - 1980) << 9) | ((clamped.getMonth() + 1) << 5) | clamped.getDate(),
    time: (clamped.getHours() << 11) | (clamped.getMinutes() << 5) | Math.floor(clamped.getSeconds() / 2),
  };
}

interface Stamp {
  date: number;
  time: number;
}

/** Version, flags, method, time, date, CRC and sizes: the part both headers share. */
function writeCommon(buffer: Buffer, at: number, entry: ZipFileEntry, stamp: Stamp): void {
  buffer.writeUInt16LE(VERSION_NEEDED, at);
  buffer.writeUInt16LE(NAME_IS_UTF8, at + 2);
  buffer.writeUInt16LE(DEFLATED, at + 4);
  buffer.writeUInt16LE(stamp.time, at + 6);
  buffer.writeUInt16LE(stamp.date, at + 8);
  buffer.writeUInt32LE(entry.crc32, at + 10);
  buffer.writeUInt32LE(entry.compressedSize, at + 14);
  buffer.writeUInt32LE(entry.size, at + 18);
}

function localHeader(entry: ZipFileEntry, name: Buffer, stamp: Stamp): Buffer {
  const header = Buffer.alloc(LOCAL_HEADER_BYTES + name.length);
  header.writeUInt32LE(0x04034b50, 0);
  writeCommon(header, 4, entry, stamp);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  name.copy(header, LOCAL_HEADER_BYTES);
  return header;
}

function centralRecord(entry: ZipFileEntry, name: Buffer, stamp: Stamp): Buffer {
  const record = Buffer.alloc(CENTRAL_RECORD_BYTES + name.length);
  record.writeUInt32LE(0x02014b50, 0);
  record.writeUInt16LE(VERSION_MADE_BY, 4);
  writeCommon(record, 6, entry, stamp);
  record.writeUInt16LE(name.length, 28);
  // Extra field, comment, disk number and internal attributes stay 0.
  record.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
  record.writeUInt32LE(entry.offset, 42);
  name.copy(record, CENTRAL_RECORD_BYTES);
  return record;
}

function endRecord(entries: number, directoryBytes: number, directoryOffset: number): Buffer {
  const record = Buffer.alloc(END_RECORD_BYTES);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(entries, 8);
  record.writeUInt16LE(entries, 10);
  record.writeUInt32LE(directoryBytes, 12);
  record.writeUInt32LE(directoryOffset, 16);
  return record;
}

class StreamedZip implements ZipFileWriter {
  private readonly entries: { entry: ZipFileEntry; name: Buffer }[] = [];
  private readonly stamp: Stamp;
  private position = 0;
  private busy = false;
  private closed = false;

  constructor(readonly file: string, private readonly fd: number, mtime: Date) {
    this.stamp = dosDateTime(mtime);
  }

  async add(rawName: string, chunks: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<ZipFileEntry> {
    const name = this.checkName(rawName);
    this.busy = true;
    try {
      const nameBytes = Buffer.from(name, 'utf8');
      const entry: ZipFileEntry = { name, crc32: 0, size: 0, compressedSize: 0, offset: this.position };
      this.position += LOCAL_HEADER_BYTES + nameBytes.length;
      await this.deflateInto(entry, chunks);
      if (entry.size > MAX_32_BIT || entry.compressedSize > MAX_32_BIT || this.position > MAX_32_BIT) {
        throw new ZipError(this.file, `entry ${name} takes the zip past 4 GiB, which needs zip64: not written`);
      }
      this.write(localHeader(entry, nameBytes, this.stamp), entry.offset);
      this.entries.push({ entry, name: nameBytes });
      return entry;
    } finally {
      this.busy = false;
    }
  }

  addDeflated(rawName: string, deflated: DeflatedEntry): ZipFileEntry {
    const name = this.checkName(rawName);
    const nameBytes = Buffer.from(name, 'utf8');
    const entry: ZipFileEntry = { name, crc32: deflated.crc32, size: deflated.size,
      compressedSize: deflated.compressedSize, offset: this.position };
    const end = this.position + LOCAL_HEADER_BYTES + nameBytes.length + deflated.compressedSize;
    if (entry.size > MAX_32_BIT || end > MAX_32_BIT) {
      throw new ZipError(this.file, `entry ${name} takes the zip past 4 GiB, which needs zip64: not written`);
    }
    this.append(localHeader(entry, nameBytes, this.stamp));
    for (const piece of deflated.data) this.append(piece);
    this.entries.push({ entry, name: nameBytes });
    return entry;
  }

  async close(): Promise<number> {
    const directoryOffset = this.position;
    const records = this.entries.map(({ entry, name }) => centralRecord(entry, name, this.stamp));
    const directory = Buffer.concat(records);
    this.append(directory);
    this.append(endRecord(this.entries.length, directory.length, directoryOffset));
    this.closeFile();
    return this.position;
  }

  async abort(): Promise<void> {
    this.closeFile();
    rmSync(this.file, { force: true });
  }

  private closeFile(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private checkName(rawName: string): string {
    if (this.busy) throw new ZipError(this.file, `entry ${rawName} added while another is being written`);
    const name = safeEntryName(rawName);
    if (name instanceof Error) throw new ZipError(this.file, `unsafe entry name: ${name.message}`);
    if (this.entries.some((written) => written.entry.name === name)) {
      throw new ZipError(this.file, `entry ${name} given twice`);
    }
    if (this.entries.length >= MAX_ENTRIES) {
      throw new ZipError(this.file, `more than ${MAX_ENTRIES} entries need zip64: not written`);
    }
    return name;
  }

  private async deflateInto(entry: ZipFileEntry,
    chunks: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<void> {
    const sums = await deflateChunks(chunks, (piece) => this.append(piece));
    Object.assign(entry, sums);
  }

  private append(bytes: Buffer): void {
    this.write(bytes, this.position);
    this.position += bytes.length;
  }

  // Synchronous: the pieces are small, and the page cache takes them at once; a round trip
  // through the thread pool per piece costs more than the write.
  private write(bytes: Buffer, position: number): void {
    for (let done = 0; done < bytes.length;) {
      done += writeSync(this.fd, bytes, done, bytes.length - done, position + done);
    }
  }
}

/** The sums of an entry's data: its CRC-32 and its sizes before and after compression. */
export interface DeflateSums {
  crc32: number;
  size: number;
  compressedSize: number;
}

/**
 * Deflates `chunks` (raw deflate at the zip's level) into `out`, piece by
 * piece, and returns their sums. One chunk (most tables of an export) is
 * deflated in one call; more stream through zlib on the thread pool while
 * the next chunks are made. The bytes do not depend on how the data is cut
 * into chunks.
 */
export async function deflateChunks(chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
  out: (piece: Buffer) => void): Promise<DeflateSums> {
  const sums: DeflateSums = { crc32: 0, size: 0, compressedSize: 0 };
  const iterator = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]()
    : chunks[Symbol.iterator]();
  const first = await iterator.next();
  const second = first.done === true ? first : await iterator.next();
  const count = (chunk: Buffer): Buffer => {
    sums.crc32 = crc32(chunk, sums.crc32);
    sums.size += chunk.length;
    return chunk;
  };
  const give = (piece: Buffer): void => {
    out(piece);
    sums.compressedSize += piece.length;
  };
  if (second.done === true) {
    const data = first.done === true ? Buffer.alloc(0) : count(first.value);
    give(deflateRawSync(data, { level: DEFLATE_LEVEL }));
    return sums;
  }

  const source = async function* (): AsyncGenerator<Buffer> {
    try {
      yield count(first.value);
      yield count(second.value);
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
        yield count(next.value);
      }
    } finally {
      // Stopped early (deflate or the file failed): let the chunks' source end its own work.
      await iterator.return?.();
    }
  };
  const sink = async (compressed: AsyncIterable<Buffer>): Promise<void> => {
    for await (const piece of compressed) give(piece);
  };
  const deflate = createDeflateRaw({ level: DEFLATE_LEVEL, chunkSize: OUTPUT_CHUNK_BYTES,
    strategy: constants.Z_DEFAULT_STRATEGY });
  const ahead = Readable.from(source(), { highWaterMark: INPUT_AHEAD_CHUNKS });
  await pipeline(ahead, deflate, sink);
  return sums;
}

/** An entry deflated into memory: its sums and its compressed bytes, to be written by addDeflated. */
export interface DeflatedEntry extends DeflateSums {
  data: Buffer[];
}

/** deflateChunks into memory: the compressed bytes are kept, for an entry written later. */
export async function deflateEntry(chunks: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<DeflatedEntry> {
  const data: Buffer[] = [];
  const sums = await deflateChunks(chunks, (piece) => data.push(piece));
  return { ...sums, data };
}

/**
 * Starts a zip in `file` (created, or emptied if it exists); every entry is
 * dated `mtime` (default 1980-01-01 00:00 local time, as writeZip). Throws
 * ZipError naming the file for an unsafe or repeated entry name, and the
 * file system's error if the file cannot be written.
 */
export async function createZipFile(file: string, options: { mtime?: Date } = {}): Promise<ZipFileWriter> {
  return new StreamedZip(file, openSync(file, 'w'), options.mtime ?? new Date(1980, 0, 1, 0, 0, 0));
}
