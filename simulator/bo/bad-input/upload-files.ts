/**
 * The pieces the bad-input corpus is made of: movement lines as a device
 * writes them, table files in any encoding and line ending, movement upload
 * zips under any entry names (unsafe ones included), and a tiny PNG image.
 */
import iconv from 'iconv-lite';
import { encodeTable, writeZip, type ZipEntry } from '../../exchange/index.ts';
import type { Mapping, Row } from '../../exchange/types.ts';
import { encodePng } from '../png.ts';
import { renameEntry } from './zip-patch.ts';

/** Where the corpus's movements take their stock from: a lot at a place of a seeded catalog. */
export interface CorpusPlace {
  deviceId: string;
  article: string;
  lot: string;
  depot: string;
  location: string;
}

/**
 * An exit (S, reason VTE) of `quantity` from the place, dated 3 December 2026
 * 10:00, by Admin. An exit is applied whatever the stock, so the corpus works
 * on any catalog that has the lot at that place.
 */
export function exitRow(place: CorpusPlace, id: string, quantity: number): Row {
  return {
    MVT_ID: id, DEVICE_ID: place.deviceId, DATE_MVT: '2026-12-03T10:00:00', TYPE_MVT: 'S',
    ART_CODE: place.article, LOT_CODE: place.lot, DEP_CODE: place.depot, EMP_CODE: place.location,
    DEP_CODE_DEST: null, EMP_CODE_DEST: null, QUANTITE: quantity, MOTIF_CODE: 'VTE', LOGIN: 'Admin',
    COMMENTAIRE: null,
  };
}

/**
 * The lines of the movements file for `rows` as the codec writes them, the
 * header first, without line endings, as text (to be spoilt, then encoded).
 */
export function movementLines(mapping: Mapping, rows: readonly Row[]): string[] {
  const bytes = encodeTable(mapping, mapping.upload.movements, rows);
  const text = iconv.decode(bytes, mapping.codec.encoding);
  return text.split(mapping.codec.lineEnding).slice(0, -1);
}

/** How a table file's text becomes bytes. */
export interface FileWriting {
  /** Default windows-1252. */
  encoding?: string;
  /** After every line; default CRLF. A list gives one per line, repeated. */
  endings?: string | readonly string[];
  /** A UTF-8 byte order mark first. */
  utf8Bom?: boolean;
}

/** The bytes of a file of `lines`, each followed by its line ending. */
export function fileOf(lines: readonly string[], writing: FileWriting = {}): Buffer {
  const endings = typeof writing.endings === 'string' ? [writing.endings] : writing.endings ?? ['\r\n'];
  const text = lines.map((line, index) => line + endings[index % endings.length]!).join('');
  const bytes = iconv.encode(text, writing.encoding ?? 'windows-1252');
  return writing.utf8Bom === true ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes;
}

/**
 * A zip of `entries` under their raw names, which may be ones writeZip
 * refuses (`../evil.txt`, `C:\evil.txt`): each is written under a safe name of
 * the same length, then renamed in the zip's headers.
 */
export async function zipWithNames(entries: readonly ZipEntry[]): Promise<Buffer> {
  const standIns = entries.map((entry, index) => ({
    name: String(index).padStart(Buffer.byteLength(entry.name), '_'),
    data: entry.data,
  }));
  let zip = await writeZip(standIns);
  entries.forEach((entry, index) => {
    zip = renameEntry(zip, index, entry.name);
  });
  return zip;
}

/**
 * The three files of a movement upload: `movements` as the movements file,
 * the lots and lot information files with their header only, each named
 * `prefix` and its file name (`.\\MVTSTOCK.txt` with prefix `.\\`).
 */
export function uploadEntries(mapping: Mapping, movements: Buffer, prefix = ''): ZipEntry[] {
  const { upload } = mapping;
  return [
    { name: `${prefix}${upload.movements.file}`, data: movements },
    { name: `${prefix}${upload.lots.file}`, data: encodeTable(mapping, upload.lots, []) },
    { name: `${prefix}${upload.lotInformation.file}`, data: encodeTable(mapping, upload.lotInformation, []) },
  ];
}

/** A movement upload of uploadEntries, then `extra` entries. */
export async function movementZip(mapping: Mapping, movements: Buffer,
  extra: readonly ZipEntry[] = []): Promise<Buffer> {
  return zipWithNames([...uploadEntries(mapping, movements), ...extra]);
}

/** A valid PNG image of one grey pixel: what a photo picked by mistake starts like. */
export function tinyPng(): Buffer {
  return encodePng(1, 1, () => [128, 128, 128]);
}
