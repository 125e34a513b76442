import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMovementUpload, devicePaths } from '../exchange/index.ts';
import { withFtpSession } from '../ftp/client.ts';
import { FIRST, inboxFiles, MIXED_UPLOAD, startImportBench } from './import-fixture.ts';
import { uploadToInbox } from './test-fixture.ts';

test('an upload under a temporary name is neither imported nor reported; once renamed it is imported', async (t) => {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  const bytes = await buildMovementUpload(bench.mapping, MIXED_UPLOAD);
  const cut = 'LotStockExported_20261203_170000.zip.tmp';
  await uploadToInbox(bench, 'Tab001', `${FIRST}.tmp`, bytes);
  await uploadToInbox(bench, 'Tab001', cut, bytes.subarray(0, 100));
  const before = bench.bo.stock();

  const report = await bench.bo.importForDevice('Tab001');

  assert.deepEqual(report.zips, []);
  assert.deepEqual(report.anomalies, []);
  assert.deepEqual(bench.bo.stock(), before);
  assert.deepEqual(inboxFiles(bench), [cut, `${FIRST}.tmp`]);

  const inbox = devicePaths(bench.mapping, 'Tab001').movementUploads;
  await withFtpSession(bench.profile, 'test device Tab001', (client) =>
    client.rename(`/${inbox}/${FIRST}.tmp`, `/${inbox}/${FIRST}`));
  const later = await bench.bo.importForDevice('Tab001');

  assert.deepEqual(later.zips.map(({ name }) => name), [FIRST]);
  assert.equal(later.movementsImported, 4);
  assert.deepEqual(inboxFiles(bench), [cut]);
});
