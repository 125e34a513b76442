import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { buildMovementUpload, type UploadContent } from '../exchange/index.ts';
import {
  FIRST, inboxFiles, MIXED_UPLOAD, SECOND, sendFromDevice, startDeleRefusingProxy, startImportBench,
} from './import-fixture.ts';
import { movementRow } from './test-fixture.ts';
import type { Anomaly } from './types.ts';

const ALREADY = /^movement Tab001-000[1-4] already imported \(LotStockExported_20261203_180000\.zip line [2-5], /;

function alreadyImportedLines(anomalies: readonly Anomaly[]): (number | undefined)[] {
  return anomalies.filter((anomaly) => ALREADY.test(anomaly.reason)).map((anomaly) => anomaly.line);
}

test('the same zip uploaded again under its name after its import changes nothing; each attempt keeps its files',
  async (t) => {
    const bench = await startImportBench(t);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    const bytes = await buildMovementUpload(bench.mapping, MIXED_UPLOAD);
    await sendFromDevice(bench, 'Tab001', FIRST, bytes);
    await bench.bo.importForDevice('Tab001');
    const after = bench.bo.stock();
    await sendFromDevice(bench, 'Tab001', FIRST, bytes);

    const again = await bench.bo.importForDevice('Tab001');

    assert.equal(again.movementsImported, 0);
    assert.match(again.anomalies[0]?.reason ?? '', new RegExp(`^already imported: same bytes \\(SHA-256 ` +
      `[0-9a-f]{16}…\\) as ${FIRST}, imported at 2026-12-03 19:45:00`));
    assert.deepEqual(alreadyImportedLines(again.anomalies), [2, 3, 4, 5]);
    assert.deepEqual(bench.bo.stock(), after);
    assert.equal(bench.bo.movements().length, 4);
    assert.deepEqual(inboxFiles(bench), []);
    const local = join(bench.boFolder, 'import', 'Tab001', 'MvtStocks');
    const stem = 'LotStockExported_20261203_180000';
    assert.deepEqual(readdirSync(local).sort(), ['Archives', 'Log', `${stem}-2.zip`, `${stem}.zip`]);
    assert.match(readFileSync(join(local, 'Log', `${stem}.log`), 'utf8'), /imported: 4;/);
    assert.match(readFileSync(join(local, 'Log', `${stem}-2.log`), 'utf8'),
      new RegExp(`Outcome: imported again \\(first as ${FIRST}\\)\\n[^]*imported: 0;`));

    const db = new Database(bench.bo.databaseFile, { readonly: true });
    t.after(() => db.close());
    const hashes = db.prepare<[], { file_name: string; sha256: string }>(
      'SELECT file_name, sha256 FROM import_log ORDER BY id').all();
    assert.equal(hashes.length, 2);
    assert.match(hashes[0]!.sha256, /^[0-9a-f]{64}$/);
    assert.equal(hashes[1]!.sha256, hashes[0]!.sha256);
  });

test('an old zip uploaded again does not undo the vintage and lot information a later zip changed', async (t) => {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  const first = await buildMovementUpload(bench.mapping, MIXED_UPLOAD);
  const later: UploadContent = {
    movements: [movementRow('Tab001-0010', { TYPE_MVT: 'E', MOTIF_CODE: 'ENT', ART_CODE: 'ART0010',
      LOT_CODE: 'LOT0010-1', DEP_CODE: 'CAVE', EMP_CODE: 'A02', QUANTITE: 1 })],
    lots: [{ LOT_CODE: 'LOT0010-1', ART_CODE: 'ART0010', MILLESIME: 2023, DATE_CREATION: '2026-12-03',
      CREE_SUR_MOBILE: true }],
    lotInformation: [{ LOT_CODE: 'LOT0010-1', INFO_CODE: 'TAV_ANALYSE', VALEUR: '13,5 % vol.' }],
  };
  await sendFromDevice(bench, 'Tab001', FIRST, first);
  await sendFromDevice(bench, 'Tab001', SECOND, await buildMovementUpload(bench.mapping, later));
  await bench.bo.importForDevice('Tab001');
  await sendFromDevice(bench, 'Tab001', FIRST, first);

  const report = await bench.bo.importForDevice('Tab001');

  assert.equal(report.movementsImported, 0);
  const db = new Database(bench.bo.databaseFile, { readonly: true });
  t.after(() => db.close());
  assert.deepEqual(db.prepare("SELECT VALEUR FROM LOTSTOCKILINK WHERE LOT_CODE = 'LOT0010-1'").all(),
    [{ VALEUR: '13,5 % vol.' }]);
  assert.deepEqual(db.prepare("SELECT DISTINCT MILLESIME FROM LOTSTOCK WHERE LOT_CODE = 'LOT0010-1'").all(),
    [{ MILLESIME: 2023 }]);
});

test('a zip the server would not let the back office delete is imported once: later imports change nothing',
  async (t) => {
    const bench = await startImportBench(t);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    const before = bench.bo.stock();
    await sendFromDevice(bench, 'Tab001', FIRST, await buildMovementUpload(bench.mapping, MIXED_UPLOAD));
    const proxyPort = await startDeleRefusingProxy(t, bench);
    const { user, password } = bench.profile;
    bench.bo.saveFtpProfile({ name: 'no-delete', host: '127.0.0.1', port: proxyPort, user, password });
    bench.bo.changeSettings({ ftpProfile: 'no-delete' });

    const first = await bench.bo.importForDevice('Tab001');

    assert.equal(first.movementsImported, 4);
    const kept = first.anomalies.find((anomaly) => /not deleted/.test(anomaly.reason));
    assert.equal(kept?.file, FIRST);
    assert.match(kept?.reason ?? '',
      /^imported, but not deleted from the inbox: .*550 DELE refused by the test proxy; /);
    assert.deepEqual(inboxFiles(bench), [FIRST]);
    const after = bench.bo.stock();
    assert.notDeepEqual(after, before);

    const second = await bench.bo.importForDevice('Tab001');
    bench.bo.changeSettings({ ftpProfile: 'estock-hil' });
    const third = await bench.bo.importForDevice('Tab001');

    for (const report of [second, third]) {
      assert.equal(report.movementsImported, 0);
      assert.match(report.anomalies[0]?.reason ?? '', /^already imported: same bytes/);
      assert.deepEqual(alreadyImportedLines(report.anomalies), [2, 3, 4, 5]);
    }
    assert.deepEqual(bench.bo.stock(), after);
    assert.equal(bench.bo.movements().length, 4);
    assert.deepEqual(inboxFiles(bench), []);
  });
