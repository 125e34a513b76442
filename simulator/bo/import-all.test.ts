import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMovementUpload } from '../exchange/index.ts';
import { withFtpSession } from '../ftp/client.ts';
import { FIRST, inboxFiles, MIXED_UPLOAD, sendFromDevice, startImportBench } from './import-fixture.ts';
import { demoCompany, uploadToInbox } from './test-fixture.ts';

test('importAll imports each listed, allowed device and reports the others\' folders with their zips, untouched',
  async (t) => {
    const company = demoCompany();
    const listed = (id: string) => company.estock.find((device) => device.deviceId === id)!;
    listed('Tab002').blocked = true;
    listed('Tab003').active = false;
    company.registry.find((device) => device.deviceId === 'PC-174')!.blocked = true;
    company.estock = company.estock.filter((device) => device.deviceId !== 'telATO');
    const bench = await startImportBench(t, company);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    const zip = await buildMovementUpload(bench.mapping, MIXED_UPLOAD);
    await sendFromDevice(bench, 'Tab001', FIRST, zip);
    const held = ['GHOST', 'PC-174', 'Tab002', 'Tab003', 'telATO'];
    for (const device of held) await uploadToInbox(bench, device, FIRST, zip);
    await withFtpSession(bench.profile, 'test', (client) => client.ensureDir('/Entrant/eStock/not a device'));

    const reports = await bench.bo.importAll();

    assert.deepEqual(reports.map((report) => [report.device, report.movementsImported]), [
      ['GHOST', 0], ['PC-174', 0], ['Tab001', 4], ['Tab002', 0], ['Tab003', 0], ['not a device', 0], ['telATO', 0],
    ]);
    const why = new Map(reports.map((report) => [report.device, report.anomalies[0]?.reason]));
    assert.match(why.get('GHOST') ?? '', /^device GHOST is not in the device registry of Demo: nothing imported/);
    assert.match(why.get('PC-174') ?? '', /^device PC-174 is blocked in the device registry: nothing imported/);
    assert.match(why.get('Tab002') ?? '', /^device Tab002 is blocked in the eStock device list: nothing imported/);
    assert.match(why.get('Tab003') ?? '', /^device Tab003 is not active in the eStock device list: nothing imported/);
    assert.match(why.get('telATO') ?? '', /^device telATO is registered but not in the eStock device list/);
    assert.match(why.get('not a device') ?? '', /^not a device id .*: not looked into$/);
    for (const report of reports.filter((candidate) => held.includes(candidate.device))) {
      assert.deepEqual(report.zips, [{ name: FIRST, movements: 0, anomalies: 1 }], report.device);
      assert.deepEqual(report.anomalies[1], { file: `Entrant/eStock/${report.device}/MvtStocks/${FIRST}`,
        reason: 'not imported, left in the inbox' });
      assert.deepEqual(inboxFiles(bench, report.device), [FIRST], `${report.device}'s zip is still there`);
    }
    assert.deepEqual(inboxFiles(bench, 'Tab001'), []);
    assert.equal(bench.bo.movements().length, 4);
  });

test('importAll with no device folder on the server has nothing to report', async (t) => {
  const bench = await startImportBench(t);
  assert.deepEqual(await bench.bo.importAll(), []);
});
