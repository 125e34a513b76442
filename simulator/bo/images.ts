/**
 * The article pictures of the back office and `Images.zip` (« Export
 * Images », guide 2d box 2; the mapping's `paths.images`).
 *
 * Where the pictures live: the IMAGE export table says which picture belongs
 * to which article (IMG_ID, ART_CODE, FICHIER, DATE_MAJ); the BO's own table
 * `image_file` holds each picture's bytes by IMG_ID. A seeded catalog gets a
 * small PNG per IMAGE row, drawn from its IMG_ID alone (a bottle, its label
 * striped with the bits of the id); saveImage adds or replaces a picture from
 * a JPEG or PNG file.
 *
 * What goes: Images.zip holds the pictures (entries named FICHIER) of the
 * articles exported in one run (one device, or every device of « Exporter la
 * sélection »), per the settings' imageExport: `all` every one, `not-sent`
 * those not sent yet, `none` nothing. It is one file shared by every device,
 * so « sent » is global, not per device: a picture counts as sent once an
 * Images.zip holding it is on the server, as long as its DATE_MAJ and its
 * bytes stay the same; a picture whose DATE_MAJ or bytes changed since counts
 * as not sent. A run with no picture to send leaves the server's Images.zip
 * as it was; a run with some replaces it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { BackOfficeError } from '../errors.ts';
import { localDateTime } from '../exchange/index.ts';
import type { Mapping, Row } from '../exchange/types.ts';
import { safeEntryName, writeZip } from '../exchange/zip.ts';
import { withFtpSession } from '../ftp/client.ts';
import type { BoDatabase } from './database.ts';
import { encodePng, PNG_SIGNATURE, rgbPixels, type Rgb } from './png.ts';
import type { ImageExportMode } from './settings.ts';
import type { Anomaly, BoContext } from './types.ts';

/** Appended to Images.zip's name while it is being uploaded (as export.ts does). */
const PARTIAL_SUFFIX = '.part';
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);
/** The longest FICHIER of the IMAGE table (text, length 100, in the eStock 1.00 mapping). */
const MAX_FILE_NAME = 100;

/** A picture of the BO, as the IMAGE table and image_file hold it. */
export interface ImageEntry {
  imageId: number;
  article: string;
  /** FICHIER: the picture's name in Images.zip. */
  file: string;
  /** DATE_MAJ, 'YYYY-MM-DDTHH:mm:ss', or null. */
  updated: string | null;
  /** The picture's size in bytes; 0 when the BO has no bytes for it. */
  bytes: number;
  /** Whether this picture, as it is now, is in an Images.zip sent already. */
  sent: boolean;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const PALETTE: readonly Rgb[] = [[96, 16, 36], [196, 184, 92], [224, 120, 138], [40, 60, 30]];
const BACKGROUND: Rgb = [246, 242, 234];
const LABEL: Rgb = [250, 250, 250];
const INK: Rgb = [20, 20, 20];

const PICTURE_WIDTH = 16;
const PICTURE_HEIGHT = 32;
/** The label of the bottle: 8 x 8 pixels from (4, 16), each white or black by a bit of the image id. */
const LABEL_AT = { x: 4, y: 16, size: 8 };

/** The bottle of each glass colour, label blank: drawn once, then copied for each picture. */
const BOTTLES = PALETTE.map((glass) => rgbPixels(PICTURE_WIDTH, PICTURE_HEIGHT, (x, y) => {
  const inNeck = y >= 2 && y <= 10 && x >= 6 && x <= 9;
  const inBody = y >= 11 && y <= 30 && x >= 3 && x <= 12;
  if (!inNeck && !inBody) return BACKGROUND;
  const inLabel = x >= LABEL_AT.x && x < LABEL_AT.x + LABEL_AT.size && y >= LABEL_AT.y &&
    y < LABEL_AT.y + LABEL_AT.size;
  return inLabel ? LABEL : glass;
}));

/**
 * The picture of a generated catalog's image: a 16 x 32 PNG of a bottle whose
 * colour and label stripes follow from `imageId`, so that every image differs.
 */
export function catalogPicture(imageId: number): Buffer {
  const pixels = Buffer.from(BOTTLES[imageId % BOTTLES.length]!);
  for (let cell = 0; cell < LABEL_AT.size * LABEL_AT.size; cell++) {
    if (Math.floor(imageId / 2 ** (cell % 31)) % 2 === 0) continue;
    const x = LABEL_AT.x + (cell % LABEL_AT.size);
    const y = LABEL_AT.y + Math.floor(cell / LABEL_AT.size);
    pixels.set(INK, (y * PICTURE_WIDTH + x) * 3);
  }
  return encodePng(PICTURE_WIDTH, PICTURE_HEIGHT, pixels);
}

const UPSERT_FILE = 'INSERT OR REPLACE INTO image_file (img_id, data, sha256) VALUES (?, ?, ?)';

/** Gives every IMAGE row of a new catalog its picture (catalogPicture), replacing every picture stored. */
export function seedCatalogImages(db: BoDatabase, images: readonly Row[]): void {
  const insert = db.prepare(UPSERT_FILE);
  db.transaction(() => {
    db.prepare('DELETE FROM image_file').run();
    for (const image of images) {
      const picture = catalogPicture(Number(image.IMG_ID));
      insert.run(image.IMG_ID, picture, sha256(picture));
    }
  })();
}

interface ImageRow {
  IMG_ID: number;
  ART_CODE: string;
  FICHIER: string;
  DATE_MAJ: string | null;
  bytes: number | null;
  sent: number;
}

const IMAGE_ROWS = `SELECT i.IMG_ID, i.ART_CODE, i.FICHIER, i.DATE_MAJ, length(f.data) AS bytes,
    (s.img_id IS NOT NULL AND s.sha256 = f.sha256 AND s.date_maj IS i.DATE_MAJ) AS sent
  FROM IMAGE i LEFT JOIN image_file f ON f.img_id = i.IMG_ID LEFT JOIN image_sent s ON s.img_id = i.IMG_ID`;

function entryOf(row: ImageRow): ImageEntry {
  return { imageId: row.IMG_ID, article: row.ART_CODE, file: row.FICHIER, updated: row.DATE_MAJ,
    bytes: row.bytes ?? 0, sent: row.sent === 1 };
}

/** Every picture of the BO, by IMG_ID. */
export function listImages(db: BoDatabase): ImageEntry[] {
  return db.prepare<[], ImageRow>(`${IMAGE_ROWS} ORDER BY i.IMG_ID`).all().map(entryOf);
}

function readPicture(file: string, what: string): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    throw new BackOfficeError(`${what}: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const isPng = data.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
  const isJpeg = data.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE);
  if (!isPng && !isJpeg) {
    throw new BackOfficeError(`${what}: ${file} is neither a JPEG nor a PNG picture (its first bytes are ` +
      `${data.subarray(0, 8).toString('hex') || 'none: it is empty'})`);
  }
  return data;
}

function checkedName(file: string, what: string): string {
  const name = basename(file);
  const safe = safeEntryName(name);
  if (safe instanceof Error || name.length > MAX_FILE_NAME) {
    throw new BackOfficeError(`${what}: the file name ${JSON.stringify(name)} cannot be an image's FICHIER ` +
      `(at most ${MAX_FILE_NAME} characters, a name that a zip entry may have); rename the file`);
  }
  return name;
}

/**
 * Adds or replaces the picture `file` (JPEG or PNG) of an article: the IMAGE
 * row of that article with the file's name gets the new bytes, or a new IMAGE
 * row is made (the next IMG_ID); its DATE_MAJ becomes `now`, so the picture
 * counts as not sent. Throws BackOfficeError for an unknown article, a file
 * that cannot be read or is not a picture, or a name another article's
 * picture has.
 */
export function saveImage(db: BoDatabase, articleCode: string, file: string, now: Date): ImageEntry {
  const what = `picture ${file} not saved for article ${articleCode}`;
  const article = db.prepare('SELECT 1 FROM ARTICLE WHERE ART_CODE = ?').get(articleCode);
  if (article === undefined) throw new BackOfficeError(`${what}: there is no article ${articleCode} in ARTICLE`);
  const name = checkedName(file, what);
  const data = readPicture(file, what);
  const updated = localDateTime(now);

  return db.transaction(() => {
    const other = db.prepare<[string, string], { ART_CODE: string }>(
      'SELECT ART_CODE FROM IMAGE WHERE FICHIER = ? AND ART_CODE <> ?').get(name, articleCode);
    if (other !== undefined) {
      throw new BackOfficeError(`${what}: ${name} is the name of a picture of article ${other.ART_CODE}; ` +
        'Images.zip holds one file of a name: rename the file');
    }
    const found = db.prepare<[string, string], { IMG_ID: number }>(
      'SELECT IMG_ID FROM IMAGE WHERE ART_CODE = ? AND FICHIER = ?').get(articleCode, name);
    const imageId = found?.IMG_ID ??
      db.prepare<[], { next: number }>('SELECT coalesce(max(IMG_ID), 0) + 1 AS next FROM IMAGE').get()!.next;
    db.prepare('INSERT OR REPLACE INTO IMAGE (IMG_ID, ART_CODE, FICHIER, DATE_MAJ) VALUES (?, ?, ?, ?)')
      .run(imageId, articleCode, name, updated);
    db.prepare(UPSERT_FILE).run(imageId, data, sha256(data));
    return entryOf(db.prepare<[number], ImageRow>(`${IMAGE_ROWS} WHERE i.IMG_ID = ?`).get(imageId)!);
  })();
}

const RUN_TABLE = `CREATE TEMP TABLE IF NOT EXISTS export_run_article (device_id TEXT NOT NULL,
  ART_CODE TEXT NOT NULL, PRIMARY KEY (device_id, ART_CODE))`;

/** Starts a run: no article exported yet. */
export function startImageRun(db: BoDatabase): void {
  db.exec(`${RUN_TABLE}; DELETE FROM temp.export_run_article;`);
}

/** Notes that the articles of temp.export_article went to `deviceId` in this run. */
export function noteExportedArticles(db: BoDatabase, deviceId: string): void {
  db.exec(RUN_TABLE);
  db.prepare(`INSERT OR IGNORE INTO temp.export_run_article (device_id, ART_CODE)
    SELECT ?, ART_CODE FROM temp.export_article`).run(deviceId);
}

/** What the images of a run did: the file put on the server, and anomalies per device. */
export interface ImagesOutcome {
  /** Images.zip, path from the company root; undefined when none was sent. */
  file?: { path: string; bytes: number };
  /** The IMG_IDs in Images.zip. */
  imageIds: number[];
  /** Anomalies of pictures, by the devices whose articles they belong to. */
  anomalies: Map<string, Anomaly[]>;
}

interface RunImage extends ImageRow {
  devices: string;
  data: Buffer | null;
  sha256: string | null;
}

function runImages(db: BoDatabase, mode: ImageExportMode): RunImage[] {
  const unsent = mode === 'not-sent' ? 'WHERE NOT coalesce(sent, 0)' : '';
  return db.prepare<[], RunImage>(`SELECT * FROM (
      SELECT i.IMG_ID, i.ART_CODE, i.FICHIER, i.DATE_MAJ, f.data, f.sha256, length(f.data) AS bytes,
        (s.img_id IS NOT NULL AND s.sha256 = f.sha256 AND s.date_maj IS i.DATE_MAJ) AS sent,
        (SELECT group_concat(r.device_id, ' ') FROM temp.export_run_article r WHERE r.ART_CODE = i.ART_CODE)
          AS devices
      FROM IMAGE i LEFT JOIN image_file f ON f.img_id = i.IMG_ID LEFT JOIN image_sent s ON s.img_id = i.IMG_ID
      WHERE i.ART_CODE IN (SELECT ART_CODE FROM temp.export_run_article)) ${unsent}
    ORDER BY IMG_ID`).all();
}

function addAnomaly(anomalies: Map<string, Anomaly[]>, image: RunImage, reason: string): void {
  for (const device of image.devices.split(' ')) {
    anomalies.set(device, [...anomalies.get(device) ?? [], { reason }]);
  }
}

/** The pictures to zip, and the anomalies of those left out. */
function picturesToSend(images: readonly RunImage[], anomalies: Map<string, Anomaly[]>): RunImage[] {
  const names = new Map<string, number>();
  const kept: RunImage[] = [];
  for (const image of images) {
    const about = `image ${image.IMG_ID} (${image.FICHIER}, article ${image.ART_CODE})`;
    const taken = names.get(image.FICHIER.toLowerCase());
    if (image.data === null) {
      addAnomaly(anomalies, image, `${about} has no picture in the back office: not in Images.zip; ` +
        'save one for it');
    } else if (safeEntryName(image.FICHIER) instanceof Error) {
      addAnomaly(anomalies, image, `${about}: its file name cannot be a zip entry: not in Images.zip`);
    } else if (taken !== undefined) {
      addAnomaly(anomalies, image, `${about} has the file name of image ${taken}: not in Images.zip`);
    } else {
      names.set(image.FICHIER.toLowerCase(), image.IMG_ID);
      kept.push(image);
    }
  }
  return kept;
}

async function upload(context: BoContext, local: string, path: string): Promise<void> {
  const who = `back office of ${context.company.name} exporting images`;
  await withFtpSession(context.ftp, who, async (client) => {
    await client.ensureDir(`/${posix.dirname(path)}`);
    await client.uploadFrom(local, `/${path}${PARTIAL_SUFFIX}`);
    await client.rename(`/${path}${PARTIAL_SUFFIX}`, `/${path}`);
  });
}

function markSent(db: BoDatabase, images: readonly RunImage[], at: Date): void {
  const mark = db.prepare(`INSERT OR REPLACE INTO image_sent (img_id, file_name, date_maj, sha256, sent_at)
    VALUES (?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const image of images) mark.run(image.IMG_ID, image.FICHIER, image.DATE_MAJ, image.sha256, localDateTime(at));
  })();
}

/**
 * Builds Images.zip from the pictures of the articles noted in this run, per
 * `context.settings.imageExport`, keeps it in `<export folder>/Images/` and
 * puts it on the server (under a temporary name, then renamed); then marks its
 * pictures as sent. Nothing is written when there is no picture to send.
 * Throws FtpError when the server refuses the file.
 */
export async function exportImages(context: BoContext, mapping: Mapping): Promise<ImagesOutcome> {
  const outcome: ImagesOutcome = { imageIds: [], anomalies: new Map() };
  const mode = context.settings.imageExport;
  if (mode === 'none' || !mapping.exportTables.some((spec) => spec.name === 'IMAGE')) return outcome;
  const pictures = picturesToSend(runImages(context.db, mode), outcome.anomalies);
  if (pictures.length === 0) return outcome;

  const zip = await writeZip(pictures.map((image) => ({ name: image.FICHIER, data: image.data! })));
  const path = mapping.paths.images;
  const folder = join(context.exportFolder, posix.basename(posix.dirname(path)));
  mkdirSync(folder, { recursive: true });
  const local = join(folder, posix.basename(path));
  writeFileSync(local, zip);
  await upload(context, local, path);
  markSent(context.db, pictures, context.clock());

  outcome.file = { path, bytes: zip.length };
  outcome.imageIds = pictures.map((image) => image.IMG_ID);
  return outcome;
}
