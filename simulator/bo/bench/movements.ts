/**
 * The movements of the BO benchmark: valid movements of Tab001 on the lots
 * of a generated catalog (entries, exits, transfers and inventories in
 * turn), packed by the device's own upload encoder into upload zips named as
 * the device names them, and put into Tab001's inbox over FTP, with the
 * device's Version.txt beside the inbox, as the app leaves it after a send.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import {
  buildMovementUpload, devicePaths, encodeSingleRowFile, movementUploadName,
} from '../../exchange/index.ts';
import type { Mapping, Row } from '../../exchange/types.ts';
import { withFtpSession, type FtpProfile } from '../../ftp/client.ts';
import { articleCode } from '../catalog-articles.ts';
import { lotCode, lotCount, lotPlace, locationCode } from '../catalog-lots.ts';
import { stockLayout, type CatalogDimensions } from '../catalog.ts';
import { BENCH_DEVICE } from './bench-steps.ts';

// Movement types in turn, each with a reason of its direction (catalog-reference.ts).
const KINDS = [
  { type: 'E', reason: 'ENT', quantity: 6 },
  { type: 'S', reason: 'VTE', quantity: 1 },
  { type: 'T', reason: 'TRF', quantity: 2 },
  { type: 'I', reason: 'INV', quantity: 120 },
] as const;
// A prime, so that the movements visit articles all over the catalog.
const ARTICLE_STRIDE = 7919;

/** An article number with lots, near `n`: the multiples of 10 have none. */
function articleWithLots(n: number, articles: number): number {
  if (lotCount(n) > 0) return n;
  return n < articles ? n + 1 : n - 1;
}

/** Movement `index` (from 0) of the benchmark, on the catalog of `dimensions`. */
export function benchMovement(index: number, dimensions: CatalogDimensions): Row {
  const { articles, locationsPerDepot } = dimensions;
  const layout = stockLayout(dimensions);
  const n = articleWithLots(1 + ((index * ARTICLE_STRIDE) % articles), articles);
  const k = 1 + (index % lotCount(n));
  const place = lotPlace(n, k, layout);
  const kind = KINDS[index % KINDS.length]!;
  const next = Number(place.location.slice(1)) % locationsPerDepot;
  const article = articleCode(n, Math.max(4, String(articles).length));
  return {
    MVT_ID: `BENCH-${String(index + 1).padStart(7, '0')}`,
    DEVICE_ID: BENCH_DEVICE,
    DATE_MVT: `2026-12-03T${String(8 + Math.floor(index / 3600) % 10).padStart(2, '0')}:` +
      `${String(Math.floor(index / 60) % 60).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}`,
    TYPE_MVT: kind.type,
    ART_CODE: article,
    LOT_CODE: lotCode(article, k),
    DEP_CODE: place.depot,
    EMP_CODE: place.location,
    DEP_CODE_DEST: kind.type === 'T' ? place.depot : null,
    EMP_CODE_DEST: kind.type === 'T' ? locationCode(next, locationsPerDepot) : null,
    QUANTITE: kind.quantity,
    MOTIF_CODE: kind.reason,
    LOGIN: 'Admin',
    COMMENTAIRE: null,
  };
}

/** The upload zips written, and how long building and putting them took. */
export interface PutUploads {
  /** Local copies, oldest first. */
  files: string[];
  buildMs: number;
  uploadMs: number;
  bytes: number;
}

/** The benchmark device's Version.txt: an app of the versions the 1.00 format goes with. */
const BENCH_APP_VERSION: Row = { APP_VERSION: '2.1.0', ANDROID_VERSION: '14', DEVICE_MODEL: 'benchmark' };

/**
 * Builds `count` movements into zips of `perZip` movements, keeps a copy of
 * each in `folder` and uploads them into Tab001's inbox (then its Version.txt), one second apart
 * in their names from 3 December 2026, 20:00:00 local time.
 */
export async function putMovementUploads(mapping: Mapping, ftp: FtpProfile, folder: string,
  dimensions: CatalogDimensions, count: number, perZip: number): Promise<PutUploads> {
  mkdirSync(folder, { recursive: true });
  const started = performance.now();
  const files: string[] = [];
  let bytes = 0;
  for (let first = 0, zip = 0; first < count; first += perZip, zip += 1) {
    const movements = Array.from({ length: Math.min(perZip, count - first) },
      (_, offset) => benchMovement(first + offset, dimensions));
    const data = await buildMovementUpload(mapping, { movements, lots: [], lotInformation: [] });
    const file = join(folder, movementUploadName(mapping, new Date(2026, 11, 3, 20, 0, zip)));
    writeFileSync(file, data);
    files.push(file);
    bytes += data.length;
  }
  const built = performance.now();

  const inbox = devicePaths(mapping, BENCH_DEVICE).movementUploads;
  await withFtpSession(ftp, `benchmark device ${BENCH_DEVICE}`, async (client) => {
    await client.ensureDir(`/${inbox}`);
    for (const file of files) await client.uploadFrom(file, `/${inbox}/${file.split('/').at(-1)!}`);
    // The import reads it to check the app's version; without it, every import has an anomaly.
    const version = devicePaths(mapping, BENCH_DEVICE).deviceVersion;
    await client.ensureDir(`/${posix.dirname(version)}`);
    await client.uploadFrom(Readable.from([encodeSingleRowFile(mapping, 'deviceVersion', BENCH_APP_VERSION)]),
      `/${version}`);
  });
  return { files, buildMs: built - started, uploadMs: performance.now() - built, bytes };
}
