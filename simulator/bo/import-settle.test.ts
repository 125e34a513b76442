import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildMovementUpload } from '../exchange/index.ts';
import { withFtpSession } from '../ftp/client.ts';
import type { FtpServerEvents } from '../ftp/server.ts';
import {
  FIRST, inboxFiles, MIXED_UPLOAD, SECOND, sendFromDevice, startImportBench, startSlowUpload, uploadDeviceVersion,
  DEVICE_VERSION,
} from './import-fixture.ts';
import type { TestBench } from './test-fixture.ts';

/** Resolves once the back office has listed the device's inbox (LIST or MLSD of MvtStocks). */
function inboxListed(bench: TestBench): Promise<void> {
  return new Promise((done) => {
    const listener = (record: FtpServerEvents['command']): void => {
      if (/^(LIST|MLSD|NLST)\b.*MvtStocks/.test(record.command)) {
        bench.server.off('command', listener);
        done();
      }
    };
    bench.server.on('command', listener);
  });
}

test('a zip still being uploaded stays in the inbox, is reported, and a later run imports it once complete',
  async (t) => {
    const bench = await startImportBench(t);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    const before = bench.bo.stock();
    await uploadDeviceVersion(bench, 'Tab001', DEVICE_VERSION);
    const bytes = await buildMovementUpload(bench.mapping, MIXED_UPLOAD);
    const upload = await startSlowUpload(t, bench, 'Tab001', FIRST, bytes, 200);
    bench.bo.changeSettings({ settleMs: 400 });

    // The device goes on sending while the back office waits to read the size again.
    const listed = inboxListed(bench);
    const importing = bench.bo.importForDevice('Tab001');
    await listed;
    await upload.send(100);
    const report = await importing;

    assert.deepEqual(report.zips, [{ name: FIRST, movements: 0, anomalies: 1 }]);
    assert.deepEqual(report.anomalies, [{ file: FIRST, reason: 'still being uploaded (200 bytes, then 300 400 ms ' +
      'later): left in the inbox for a later import' }]);
    assert.equal(report.movementsImported, 0);
    assert.deepEqual(inboxFiles(bench), [FIRST]);
    assert.deepEqual(bench.bo.stock(), before);
    assert.ok(!existsSync(join(bench.boFolder, 'import', 'Tab001', 'MvtStocks', FIRST)), 'not downloaded');

    assert.match(await upload.finish(), /^226 /);
    const later = await bench.bo.importForDevice('Tab001');
    assert.deepEqual(later.zips, [{ name: FIRST, movements: 4, anomalies: 3 }]);
    assert.deepEqual(inboxFiles(bench), []);
  });

test('a zip whose size holds still over settleMs is imported; one deleted meanwhile is reported as gone',
  async (t) => {
    const bench = await startImportBench(t);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    const bytes = await buildMovementUpload(bench.mapping, MIXED_UPLOAD);
    await sendFromDevice(bench, 'Tab001', FIRST, bytes);
    await sendFromDevice(bench, 'Tab001', SECOND, bytes);
    bench.bo.changeSettings({ settleMs: 300 });

    const listed = inboxListed(bench);
    const importing = bench.bo.importForDevice('Tab001');
    await listed;
    await withFtpSession(bench.profile, 'someone else', (client) =>
      client.remove(`/Entrant/eStock/Tab001/MvtStocks/${SECOND}`));
    const report = await importing;

    assert.deepEqual(report.zips.map((zip) => [zip.name, zip.movements]), [[SECOND, 0], [FIRST, 4]]);
    assert.deepEqual(report.anomalies[0], { file: SECOND, reason: 'gone from the inbox 300 ms after it was ' +
      'listed (deleted or renamed meanwhile): not imported' });
    assert.ok(report.ms >= 300, `the import waited settleMs (${report.ms} ms)`);
  });
