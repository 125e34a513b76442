import assert from 'node:assert/strict';
import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { buildMovementUpload } from '../exchange/index.ts';
import {
  countDownloads, FIRST, inboxFiles, inboxOnDisk, localImportFiles, MIXED_UPLOAD, sendFromDevice, startImportBench,
} from './import-fixture.ts';
import type { TestBench } from './test-fixture.ts';
import type { ImportReport } from './types.ts';

/** A bench with the small catalog and the first half of MIXED_UPLOAD in Tab001's inbox as FIRST. */
async function benchWithTruncatedZip(t: TestContext) {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  const bytes = await buildMovementUpload(bench.mapping, MIXED_UPLOAD);
  const downloads = countDownloads(bench.server, FIRST);
  const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
  await sendFromDevice(bench, 'Tab001', FIRST, truncated);
  return { bench, bytes, truncated, downloads };
}

function reasonsFor(report: ImportReport, zipName: string): string[] {
  return report.anomalies.filter((anomaly) => anomaly.file === zipName).map((anomaly) => anomaly.reason);
}

function filesOfFirst(bench: TestBench): string[] {
  return localImportFiles(bench).filter((file) => file.includes(FIRST.replace('.zip', '')));
}

test('a refused zip is downloaded once across several imports, and reported at each as unchanged', async (t) => {
  const { bench, truncated, downloads } = await benchWithTruncatedZip(t);

  const first = await bench.bo.importForDevice('Tab001');
  const [refusal] = reasonsFor(first, FIRST);
  assert.match(refusal ?? '', /^cannot be read, left in the inbox for a later import: /);
  const message = refusal!.replace(/^cannot be read, left in the inbox for a later import: /, '');
  const filesAfterFirst = filesOfFirst(bench);
  assert.deepEqual(filesAfterFirst, [
    'Log/LotStockExported_20261203_180000.log', 'LotStockExported_20261203_180000.zip',
  ]);

  for (let run = 0; run < 3; run += 1) {
    const again = await bench.bo.importForDevice('Tab001');
    assert.deepEqual(again.zips, [{ name: FIRST, movements: 0, anomalies: 1 }]);
    assert.deepEqual(reasonsFor(again, FIRST), [
      `still left in the inbox, unchanged since 2026-12-03 19:45:00 (${truncated.length} bytes, modified ` +
        `${statSync(join(inboxOnDisk(bench), FIRST)).mtime.toISOString().replace(/\.\d+Z$/, '.000Z')}; ` +
        `not downloaded again): cannot be read: ${message}`,
    ]);
  }

  assert.equal(downloads(), 1, 'RETR of the refused zip');
  assert.deepEqual(filesOfFirst(bench), filesAfterFirst, 'no new local copy, archive or log');
  assert.deepEqual(inboxFiles(bench), [FIRST]);
});

test('a refused zip replaced under its name by the complete one is downloaded again and imported', async (t) => {
  const { bench, bytes, downloads } = await benchWithTruncatedZip(t);
  await bench.bo.importForDevice('Tab001');
  await bench.bo.importForDevice('Tab001');
  assert.equal(downloads(), 1);

  await sendFromDevice(bench, 'Tab001', FIRST, bytes);
  const later = await bench.bo.importForDevice('Tab001');

  assert.equal(downloads(), 2);
  assert.equal(later.movementsImported, 4);
  assert.deepEqual(later.zips, [{ name: FIRST, movements: 4, anomalies: 3 }]);
  assert.deepEqual(inboxFiles(bench), []);
  const after = await bench.bo.importForDevice('Tab001');
  assert.deepEqual(after.zips, [], 'the refusal of a zip imported since is forgotten');
});

test('a refused zip whose server time changed, its size the same, is downloaded again', async (t) => {
  const { bench, downloads } = await benchWithTruncatedZip(t);
  await bench.bo.importForDevice('Tab001');

  // As a device that sends the same number of bytes again: only the modification time tells.
  const onDisk = join(inboxOnDisk(bench), FIRST);
  const later = new Date(statSync(onDisk).mtime.getTime() + 60_000);
  utimesSync(onDisk, later, later);
  const again = await bench.bo.importForDevice('Tab001');

  assert.equal(downloads(), 2);
  assert.match(reasonsFor(again, FIRST)[0] ?? '', /^cannot be read, left in the inbox for a later import: /);
  assert.deepEqual(filesOfFirst(bench), [
    'Log/LotStockExported_20261203_180000-2.log', 'Log/LotStockExported_20261203_180000.log',
    'LotStockExported_20261203_180000-2.zip', 'LotStockExported_20261203_180000.zip',
  ]);
  await bench.bo.importForDevice('Tab001');
  assert.equal(downloads(), 2, 'remembered again with its new time');
});
