import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ExchangeFormatError } from '../errors.ts';
import { buildExportZip, writeExportZipFile, type ExportValueSource } from '../exchange/index.ts';
import { generateCatalog } from './catalog.ts';
import { openBoFile } from './export-fixture.ts';
import { startExportWorker, writeExportZipWithWorker } from './export-parallel.ts';
import { exportRowLines, iterateExportValues, selectForExport } from './export-selection.ts';
import { startTestBench, type TestBench } from './test-fixture.ts';

const SEED = 2026;

async function exportBothWays(t: Parameters<typeof openBoFile>[0], bench: TestBench) {
  const db = openBoFile(t, bench);
  selectForExport(db, bench.mapping, [], 'all-articles');
  const source: ExportValueSource = {
    valuesOf: (spec) => iterateExportValues(db, spec),
    linesOf: (spec) => exportRowLines(db, bench.mapping, spec),
  };
  const worker = startExportWorker(db, bench.mapping, [], 'all-articles');
  assert.ok(worker.tables.has('LOTSTOCK') || worker.tables.has('ARTICLE'), [...worker.tables].join(', '));
  const twoThreads = await writeExportZipWithWorker(bench.mapping, source, worker, join(bench.boFolder, 'two.zip'))
    .then(() => readFileSync(join(bench.boFolder, 'two.zip')), (error: unknown) => error);
  const oneThread = await writeExportZipFile(bench.mapping, source, join(bench.boFolder, 'one.zip'))
    .then(() => readFileSync(join(bench.boFolder, 'one.zip')), (error: unknown) => error);
  return { oneThread, twoThreads };
}

test('the export zip written by two threads is byte for byte the one encoded in memory', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'medium', seed: SEED });

  const { oneThread, twoThreads } = await exportBothWays(t, bench);

  const inMemory = await buildExportZip(bench.mapping,
    generateCatalog(bench.mapping, bench.company, { size: 'medium', seed: SEED }));
  assert.ok(Buffer.isBuffer(twoThreads) && twoThreads.equals(inMemory), 'the zip of two threads differs');
  assert.ok(Buffer.isBuffer(oneThread) && oneThread.equals(inMemory));
});

test('a value refused in the worker\'s table gives the ExchangeFormatError of one thread', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'medium', seed: SEED });
  const db = openBoFile(t, bench);
  db.prepare("UPDATE LOTSTOCK SET STOCRIT1 = 'much too long for ten' WHERE rowid = 7").run();

  const { oneThread, twoThreads } = await exportBothWays(t, bench);

  assert.ok(oneThread instanceof ExchangeFormatError, String(oneThread));
  assert.ok(twoThreads instanceof ExchangeFormatError, String(twoThreads));
  assert.equal(twoThreads.message, oneThread.message);
  assert.deepEqual(twoThreads.at, oneThread.at);
  assert.match(twoThreads.message, /LOTSTOCK/);
});
