/**
 * The bad-input corpus: movement uploads as an untrusted device might send
 * them, each with what the back office must do with it. Zip level
 * (zip-cases.ts): entry names that climb out of their folder, truncated and
 * foreign files, zip bombs. Text level (text-cases.ts): byte order marks,
 * UTF-8 where windows-1252 is due and the reverse, quoted separators, numbers
 * written for a person, missing and extra fields, line endings. Every case is
 * generated; nothing binary is kept.
 *
 * Each case's movements are exits of 1, 2 and 3 from one lot at one place
 * (by default ART0001, lot LOT0001-1 at STOCK/A04 of the small catalog, any
 * seed), under ids of the case (`Tab001-C07-2`), so that all the cases can
 * go into one inbox: each adds only its own good lines.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../errors.ts';
import { encodeSingleRowFile } from '../../exchange/index.ts';
import type { Mapping } from '../../exchange/types.ts';
import { makeFolders } from '../../folders.ts';
import { imported, type BadInputCase, type CaseDefinition, type CaseInput } from './cases.ts';
import { TEXT_CASES } from './text-cases.ts';
import { exitRow, fileOf, movementLines, movementZip, type CorpusPlace } from './upload-files.ts';
import { ZIP_CASES } from './zip-cases.ts';

export type { BadInputCase, CaseExpectation } from './cases.ts';

/** Whose upload the corpus is, and which lot its movements take. */
export interface CorpusOptions {
  /** Default Tab001. */
  deviceId?: string;
  /** Default ART0001, LOT0001-1 at STOCK/A04: the small catalog's. */
  place?: Omit<CorpusPlace, 'deviceId'>;
}

const SMALL_CATALOG_PLACE = { article: 'ART0001', lot: 'LOT0001-1', depot: 'STOCK', location: 'A04' };
// Past the 1 MiB from which the compression ratio counts, and ~1,000 times its deflated size.
const BOMB_BYTES = 8 * 1024 * 1024;

const CLEAN: CaseDefinition = {
  name: 'clean',
  description: 'A well-made upload of three exits: all three imported, nothing reported.',
  build: async (input) => ({
    bytes: await movementZip(input.mapping, fileOf(input.lines)),
    expect: imported(input, [1, 2, 3]),
  }),
};

/** Every case: the clean upload first, then the zip cases, then the text cases. */
export const CORPUS_CASES: readonly CaseDefinition[] = [CLEAN, ...ZIP_CASES, ...TEXT_CASES];

/**
 * Generates the corpus for `mapping` (the eStock 1.00 mapping: the spoilt
 * lines assume its columns and codec). Case n (from 0) is uploaded as
 * `LotStockExported_20261203_18<n>00.zip`. The same options give the same bytes.
 */
export async function buildCorpus(mapping: Mapping, options: CorpusOptions = {}): Promise<BadInputCase[]> {
  const place: CorpusPlace = { deviceId: options.deviceId ?? 'Tab001', ...(options.place ?? SMALL_CATALOG_PLACE) };
  const bomb = Buffer.alloc(BOMB_BYTES);
  const cases: BadInputCase[] = [];
  for (const [index, definition] of CORPUS_CASES.entries()) {
    const number = String(index + 1).padStart(2, '0');
    const ids = [1, 2, 3].map((movement) => `${place.deviceId}-C${number}-${movement}`);
    const lines = movementLines(mapping, ids.map((id, movement) => exitRow(place, id, movement + 1)));
    const fileName = `LotStockExported_20261203_18${String(index).padStart(2, '0')}00.zip`;
    const input: CaseInput = { mapping, fileName, ids, lines, bomb };
    const { bytes, expect } = await definition.build(input);
    cases.push({ name: definition.name, description: definition.description, fileName, bytes, expect });
  }
  return cases;
}

/** The app version the corpus's Version.txt gives: one the eStock 1.00 format goes with. */
const CORPUS_APP_VERSION = { APP_VERSION: '1.0.0', ANDROID_VERSION: '14', DEVICE_MODEL: 'estock-hil corpus' };

/**
 * Writes every case's zip into `folder` (created if needed) under its file
 * name, the device's `Version.txt`, and `corpus.json`: per case its name,
 * description, file, size and what the back office must do (the anomalies as
 * regular expression sources). QA can push the zips into a device's inbox
 * and Version.txt into its folder (`Entrant/eStock/<device>/`, as the app
 * sends it; without it every import also reports the app version unknown)
 * with any FTP client. Returns the paths written, corpus.json last. Throws
 * ConfigError naming the folder when it cannot be made.
 */
export async function writeCorpus(folder: string, mapping: Mapping,
  options: CorpusOptions = {}): Promise<string[]> {
  const cases = await buildCorpus(mapping, options);
  try {
    makeFolders(folder);
  } catch (error) {
    throw new ConfigError(`cannot make the corpus folder ${folder}: ${(error as Error).message}`, { cause: error });
  }
  const written: string[] = [];
  for (const badInput of cases) {
    const path = join(folder, badInput.fileName);
    await writeFile(path, badInput.bytes);
    written.push(path);
  }

  const version = join(folder, 'Version.txt');
  await writeFile(version, encodeSingleRowFile(mapping, 'deviceVersion', CORPUS_APP_VERSION));
  written.push(version);

  const index = cases.map(({ name, description, fileName, bytes, expect }) => ({
    name, description, file: fileName, bytes: bytes.length,
    expect: { ...expect, anomalies: expect.anomalies.map((pattern) => pattern.source) },
  }));
  const indexPath = join(folder, 'corpus.json');
  await writeFile(indexPath, `${JSON.stringify(index, null, 2)}\n`);
  written.push(indexPath);
  return written;
}
