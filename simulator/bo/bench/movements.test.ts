import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CATALOG_SIZES } from '../catalog.ts';
import { startTestBench } from '../test-fixture.ts';
import { putMovementUploads } from './movements.ts';

test('the benchmark\'s movements, put in the inbox as upload zips, import whole with no anomaly', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  const folder = mkdtempSync(join(tmpdir(), 'hil-bench-uploads-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));

  const uploads = await putMovementUploads(bench.mapping, bench.profile, folder, CATALOG_SIZES.small, 90, 40);
  const report = await bench.bo.importForDevice('Tab001');

  assert.equal(uploads.files.length, 3);
  assert.deepEqual(report.anomalies, []);
  assert.equal(report.movementsImported, 90);
  assert.deepEqual(new Set(bench.bo.movements().map((row) => row.TYPE_MVT)), new Set(['E', 'S', 'T', 'I']));
});
