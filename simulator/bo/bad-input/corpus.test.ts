import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadMapping } from '../../exchange/index.ts';
import { describeAnomaly } from '../import-records.ts';
import {
  countDownloads, DEVICE_VERSION, localImportFiles, startImportBench, uploadDeviceVersion,
} from '../import-fixture.ts';
import { uploadToInbox, type TestBench } from '../test-fixture.ts';
import type { ImportReport, StockLine } from '../types.ts';
import { buildCorpus, writeCorpus, type BadInputCase } from './corpus.ts';

const mapping = loadMapping('eStock', '1.00');
const corpus = await buildCorpus(mapping);
const clean = corpus.find((badInput) => badInput.name === 'clean')!;
// After every case's name: the device sends again, later.
const LATER = 'LotStockExported_20261203_235959.zip';

function inboxFiles(bench: TestBench): string[] {
  const inbox = join(bench.companyRoot, 'Entrant', 'eStock', 'Tab001', 'MvtStocks');
  return existsSync(inbox) ? readdirSync(inbox).sort() : [];
}

function quantity(stock: readonly StockLine[]): number {
  const line = stock.find((candidate) => candidate.lot === 'LOT0001-1' && candidate.depot === 'STOCK' &&
    candidate.location === 'A04');
  assert.ok(line !== undefined, 'the small catalog has LOT0001-1 at STOCK/A04');
  return line.quantity;
}

function checkAnomalies(report: ImportReport, expected: readonly RegExp[]): void {
  const found = report.anomalies.map(describeAnomaly);
  assert.equal(found.length, expected.length, `anomalies:\n${found.join('\n')}`);
  expected.forEach((pattern, index) => assert.match(found[index]!, pattern));
}

/** The anomalies of a later import: each refusal of `first` again, as unchanged since, with its reason. */
function checkStillLeft(later: ImportReport, first: ImportReport): void {
  const found = later.anomalies.map(describeAnomaly);
  const expected = first.anomalies.map(describeAnomaly);
  assert.equal(found.length, expected.length, `anomalies:\n${found.join('\n')}`);
  expected.forEach((line, index) => {
    const refused = /^(.*?): cannot be read, left in the inbox for a later import: (.*)$/s.exec(line);
    assert.ok(refused !== null, line);
    const [, file, reason] = refused;
    assert.ok(found[index]!.startsWith(`${file}: still left in the inbox, unchanged since `), found[index]);
    assert.ok(found[index]!.endsWith(`; not downloaded again): cannot be read: ${reason}`), found[index]);
  });
}

async function importCase(t: test.TestContext, badInput: BadInputCase) {
  // The device sent its Version.txt, as the app does: the report then holds the case's anomalies only.
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  await uploadDeviceVersion(bench, 'Tab001', DEVICE_VERSION);
  const before = quantity(bench.bo.stock());
  const downloads = countDownloads(bench.server, badInput.fileName);
  await uploadToInbox(bench, 'Tab001', badInput.fileName, badInput.bytes);
  const report = await bench.bo.importForDevice('Tab001');
  return { bench, before, report, downloads };
}

for (const badInput of corpus) {
  test(`bad input ${badInput.name}: ${badInput.description}`, async (t) => {
    const { expect } = badInput;
    const { bench, before, report, downloads } = await importCase(t, badInput);

    checkAnomalies(report, expect.anomalies);
    assert.equal(report.movementsImported, expect.movementsImported);
    assert.deepEqual(bench.bo.movements('Tab001').map((row) => row.MVT_ID), expect.movementIds);
    const after = quantity(bench.bo.stock());
    assert.equal(after, before + expect.stockChange);
    assert.deepEqual(inboxFiles(bench), expect.zipLeftInInbox ? [badInput.fileName] : []);

    if (expect.zipLeftInInbox) {
      // The zip stays and is reported again, unchanged, without a second download or new local files;
      // a complete upload sent later is imported.
      const filesOfZip = (): string[] => localImportFiles(bench)
        .filter((file) => file.includes(badInput.fileName.replace('.zip', '')));
      const localFiles = filesOfZip();
      await uploadToInbox(bench, 'Tab001', LATER, clean.bytes);
      const later = await bench.bo.importForDevice('Tab001');
      checkStillLeft(later, report);
      assert.equal(downloads(), 1);
      assert.deepEqual(filesOfZip(), localFiles);
      assert.deepEqual(later.zips.map((zip) => [zip.name, zip.movements]),
        [[badInput.fileName, 0], [LATER, clean.expect.movementsImported]]);
      assert.equal(quantity(bench.bo.stock()), before + clean.expect.stockChange);
      assert.deepEqual(inboxFiles(bench), [badInput.fileName]);
    } else {
      // The same bytes again: the good lines were applied once and are not applied twice.
      await uploadToInbox(bench, 'Tab001', LATER, badInput.bytes);
      const again = await bench.bo.importForDevice('Tab001');
      assert.equal(again.movementsImported, 0);
      const shown = again.anomalies.map(describeAnomaly).join('\n');
      assert.match(again.anomalies[0]?.reason ?? '', /already imported: same bytes/, shown);
      const repeated = again.anomalies.filter((anomaly) => anomaly.line !== undefined &&
        /already imported/.test(anomaly.reason));
      assert.equal(repeated.length, expect.movementsImported, shown);
      assert.equal(quantity(bench.bo.stock()), after);
      assert.deepEqual(inboxFiles(bench), []);
    }
  });
}

test('the corpus has unique names, files and movement ids, and the same options give the same bytes', async () => {
  assert.equal(new Set(corpus.map((badInput) => badInput.name)).size, corpus.length);
  assert.equal(new Set(corpus.map((badInput) => badInput.fileName)).size, corpus.length);
  const ids = corpus.flatMap((badInput) => badInput.expect.movementIds);
  assert.equal(new Set(ids).size, ids.length);
  const again = await buildCorpus(mapping);
  corpus.forEach((badInput, index) => assert.ok(badInput.bytes.equals(again[index]!.bytes), badInput.name));
  const other = await buildCorpus(mapping, { deviceId: 'Tab002' });
  assert.deepEqual(other[0]!.expect.movementIds, ['Tab002-C01-1', 'Tab002-C01-2', 'Tab002-C01-3']);
});

test('writeCorpus writes every zip and corpus.json into a folder', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'hil-corpus-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const target = join(folder, 'bad-input');

  const written = await writeCorpus(target, mapping);

  assert.deepEqual(readdirSync(target).sort(),
    [...corpus.map((badInput) => badInput.fileName), 'Version.txt', 'corpus.json'].sort());
  assert.equal(written.length, corpus.length + 2);
  for (const badInput of corpus) {
    assert.ok(readFileSync(join(target, badInput.fileName)).equals(badInput.bytes), badInput.name);
  }
  const index = JSON.parse(readFileSync(join(target, 'corpus.json'), 'utf8')) as
    { name: string; file: string; expect: { anomalies: string[] } }[];
  assert.deepEqual(index.map((entry) => [entry.name, entry.file]),
    corpus.map((badInput) => [badInput.name, badInput.fileName]));
  const bomb = index.find((entry) => entry.name === 'bomb-ratio');
  assert.match(bomb?.expect.anomalies[0] ?? '', /zip bomb/);
});
