/**
 * Edits of a well-formed zip (as writeZip makes it) into one no zip tool
 * would write: an entry renamed to an unsafe name, sizes that lie, compressed
 * data followed by padding. Each edit works on the zip's bytes and returns a
 * new buffer; the headers are found through the central directory.
 */
import { ZipError } from '../../errors.ts';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
// How the errors name the zip: a bug of the corpus, not of an upload.
const ZIP_TO_PATCH = 'zip to patch';

/** Where one entry's two headers lie in the zip. */
interface EntryHeaders {
  central: number;
  local: number;
  nameLength: number;
}

function endOfCentralDirectory(zip: Buffer): number {
  const signature = Buffer.alloc(4);
  signature.writeUInt32LE(END_OF_CENTRAL_DIRECTORY);
  const at = zip.lastIndexOf(signature);
  if (at === -1) throw new ZipError(ZIP_TO_PATCH, 'no end of central directory record; not a zip');
  return at;
}

function entryHeaders(zip: Buffer, index: number): EntryHeaders {
  const end = endOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  if (index < 0 || index >= count) {
    throw new ZipError(ZIP_TO_PATCH, `no entry ${index}; the zip has ${count} entries`);
  }
  let central = zip.readUInt32LE(end + 16);
  for (let skipped = 0; skipped < index; skipped += 1) {
    central += 46 + zip.readUInt16LE(central + 28) + zip.readUInt16LE(central + 30) +
      zip.readUInt16LE(central + 32);
  }
  const local = zip.readUInt32LE(central + 42);
  if (zip.readUInt32LE(central) !== CENTRAL_HEADER || zip.readUInt32LE(local) !== LOCAL_HEADER) {
    throw new ZipError(ZIP_TO_PATCH, `the headers of entry ${index} are not where the directory says`);
  }
  return { central, local, nameLength: zip.readUInt16LE(central + 28) };
}

/**
 * The zip with entry `index` (0-based, zip order) named `name` in both its
 * headers, byte for byte (UTF-8). The new name must have as many bytes as the
 * old one, since the offsets of everything after it stay. Throws
 * ZipError otherwise.
 */
export function renameEntry(zip: Buffer, index: number, name: string): Buffer {
  const patched = Buffer.from(zip);
  const headers = entryHeaders(patched, index);
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length !== headers.nameLength) {
    throw new ZipError(ZIP_TO_PATCH, `${JSON.stringify(name)} has ${bytes.length} bytes; ` +
      `entry ${index}'s name has ${headers.nameLength}: write the entry under a name of that length`);
  }
  bytes.copy(patched, headers.central + 46);
  bytes.copy(patched, headers.local + 30);
  return patched;
}

/**
 * The zip with entry `index` declaring other sizes (in bytes) in both its
 * headers; its data is left as it is.
 */
export function declareSizes(zip: Buffer, index: number,
  sizes: { compressed?: number; uncompressed?: number }): Buffer {
  const patched = Buffer.from(zip);
  const { central, local } = entryHeaders(patched, index);
  if (sizes.compressed !== undefined) {
    patched.writeUInt32LE(sizes.compressed, central + 20);
    patched.writeUInt32LE(sizes.compressed, local + 18);
  }
  if (sizes.uncompressed !== undefined) {
    patched.writeUInt32LE(sizes.uncompressed, central + 24);
    patched.writeUInt32LE(sizes.uncompressed, local + 22);
  }
  return patched;
}

/**
 * The zip with `padding` after the compressed data of its last entry, counted
 * in that entry's compressed size: its header then claims more compressed
 * bytes than the deflate stream uses, so a lower compression ratio.
 */
export function padLastEntry(zip: Buffer, padding: Buffer): Buffer {
  const end = endOfCentralDirectory(zip);
  const directoryStart = zip.readUInt32LE(end + 16);
  const last = zip.readUInt16LE(end + 10) - 1;
  const { central } = entryHeaders(zip, last);
  const compressed = zip.readUInt32LE(central + 20);

  const padded = Buffer.concat([zip.subarray(0, directoryStart), padding, zip.subarray(directoryStart)]);
  const moved = padding.length;
  padded.writeUInt32LE(directoryStart + moved, end + moved + 16);
  return declareSizes(padded, last, { compressed: compressed + moved });
}

/**
 * The zip with the middle bytes of entry `index`'s compressed data
 * inverted, its headers left as they are: a transfer that spoilt bytes.
 */
export function damageEntryData(zip: Buffer, index: number): Buffer {
  const patched = Buffer.from(zip);
  const { central, local, nameLength } = entryHeaders(patched, index);
  const dataStart = local + 30 + nameLength + patched.readUInt16LE(local + 28);
  const size = patched.readUInt32LE(central + 20);
  const from = dataStart + Math.floor(size / 3);
  for (let at = from; at < from + Math.max(1, Math.floor(size / 3)); at += 1) patched[at] = patched[at]! ^ 0xff;
  return patched;
}
