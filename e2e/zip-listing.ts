/**
 * Lists the entries of an exchange zip from its central directory, without
 * inflating anything: the names, sizes and dates a reader of the report
 * checks against what the BO exported or the device sent.
 */
import yauzl from 'yauzl';

/** One entry of a zip as its central directory gives it. */
export interface ZipListingEntry {
  name: string;
  /** Uncompressed bytes. */
  bytes: number;
  compressedBytes: number;
  /** The entry's date and time as the zip stores it (local time, no zone). */
  modified: string;
}

/** The entries of the zip at `file`, in their order in the zip. Throws the yauzl error for a file that is no zip. */
export function listZip(file: string): Promise<ZipListingEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (error, zip) => {
      if (error) return reject(error);
      const entries: ZipListingEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({
          name: entry.fileName,
          bytes: entry.uncompressedSize,
          compressedBytes: entry.compressedSize,
          modified: localStamp(entry.getLastModDate()),
        });
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** The listing as aligned text lines: bytes, compressed bytes, date and name, then a total. */
export function formatZipListing(entries: readonly ZipListingEntry[]): string {
  const total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  const lines = entries.map((entry) => `${String(entry.bytes).padStart(10)} ` +
    `${String(entry.compressedBytes).padStart(10)}  ${entry.modified}  ${entry.name}`);
  return [`${'bytes'.padStart(10)} ${'zipped'.padStart(10)}  ${'modified'.padEnd(19)}  name`, ...lines,
    `${entries.length} files, ${total} bytes`].join('\n');
}

function localStamp(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
