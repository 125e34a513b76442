import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { BackOfficeError } from '../errors.ts';
import { buildExportZip, decodeSingleRowFile, readExportZip } from '../exchange/index.ts';
import { withFtpSession } from '../ftp/client.ts';
import { faultSetSchema } from '../ftp/faults/fault-schema.ts';
import { generateCatalog } from './catalog.ts';
import { MAX_LISTED_ANOMALIES } from './export-anomalies.ts';
import { openBoFile } from './export-fixture.ts';
import { counterKeyFor } from './licence.ts';
import { demoCompany, startTestBench } from './test-fixture.ts';
import type { ExportProgress } from './types.ts';

const SEED = 2026;

test('an export for Tab001 puts its zip, Version.txt and Tab001.txt on the server', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });

  const report = await bench.bo.exportForDevice('Tab001');

  assert.deepEqual(report.anomalies, []);
  assert.deepEqual(report.files.map((file) => file.path),
    ['Sortant/eStock/Tab001/Tab001.zip', 'Sortant/eStock/Tab001/Version.txt', 'Sortant/eStock/Tab001/Tab001.txt']);
  const folder = join(bench.companyRoot, 'Sortant', 'eStock', 'Tab001');
  assert.deepEqual(readdirSync(folder).sort(), ['Tab001.txt', 'Tab001.zip', 'Version.txt']);
  for (const file of report.files) {
    assert.equal(readFileSync(join(bench.companyRoot, file.path)).length, file.bytes, file.path);
  }

  const zip = readFileSync(join(folder, 'Tab001.zip'));
  const tables = await readExportZip(bench.mapping, zip, 'Tab001.zip');
  assert.deepEqual(tables, generateCatalog(bench.mapping, bench.company, { size: 'small', seed: SEED }));
  assert.equal(report.tables, bench.mapping.exportTables.length);
  assert.equal(report.rows, [...tables.values()].reduce((sum, rows) => sum + rows.length, 0));

  const read = (name: string) => readFileSync(join(folder, name));
  const version = decodeSingleRowFile(bench.mapping, 'exportVersion', read('Version.txt'), 'v');
  assert.deepEqual(version, { DATA_VERSION: '1.00', EXPORT_DATE: '2026-12-03T19:45:00' });
  const status = decodeSingleRowFile(bench.mapping, 'exportStatus', read('Tab001.txt'), 's');
  assert.deepEqual(status, { LAST_UPDATE: '2026-12-03T19:45:00', DATA_VERSION: '1.00' });
  assert.ok(existsSync(join(bench.boFolder, 'export', 'Tab001', 'Tab001.zip')), 'no local copy of the zip');
});

test('an export makes the device\'s inbox, so that a client that makes no folders can upload', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  const upload = '/Entrant/eStock/Tab001/MvtStocks/LotStockExported_20261203_194600.zip';
  const device = (): Promise<void> => withFtpSession(bench.profile, 'test device', (client) =>
    client.uploadFrom(Readable.from([Buffer.from('zip')]), upload).then(() => undefined));
  await assert.rejects(device(), /replied 550/, 'before any export there is no inbox');

  await bench.bo.exportForDevice('Tab001');

  assert.deepEqual(readdirSync(join(bench.companyRoot, 'Entrant', 'eStock', 'Tab001')), ['MvtStocks']);
  await device();
  assert.equal(readFileSync(join(bench.companyRoot, upload)).toString(), 'zip');
});

// The export's zip upload, whichever session makes it.
const ZIP_UPLOAD = { side: 'any', path: '**/Tab001.zip.part', times: 1 } as const;
const FAILED_UPLOADS = [
  ['refused after its data', { reply: { ...ZIP_UPLOAD, verb: 'STOR', code: 451, when: 'after-data' } }],
  ['cut by a reset of its data connection', { cut: { ...ZIP_UPLOAD, direction: 'upload', atBytes: 2000,
    close: 'reset' } }],
] as const;

for (const [how, fault] of FAILED_UPLOADS) {
  test(`an export whose upload is ${how} leaves no .part file in the device's folder`, async (t) => {
    const bench = await startTestBench(t);
    bench.bo.seedCatalog({ size: 'small', seed: SEED });
    const folder = join(bench.companyRoot, 'Sortant', 'eStock', 'Tab001');
    bench.server.faults.set(faultSetSchema.parse({ faults: [fault] }));

    await assert.rejects(bench.bo.exportForDevice('Tab001'), /FTP with/);
    assert.deepEqual(readdirSync(folder), [], 'the failed upload was left on the server');
    await bench.bo.exportForDevice('Tab001');

    assert.deepEqual(readdirSync(folder).sort(), ['Tab001.txt', 'Tab001.zip', 'Version.txt']);
  });
}

test('exporting again replaces the files with byte-identical ones', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  const zipFile = join(bench.companyRoot, 'Sortant', 'eStock', 'Tab001', 'Tab001.zip');

  await bench.bo.exportForDevice('Tab001');
  const first = readFileSync(zipFile);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  await bench.bo.exportForDevice('Tab001');

  assert.ok(readFileSync(zipFile).equals(first), 'the second zip differs');
  assert.deepEqual(readdirSync(join(bench.companyRoot, 'Sortant', 'eStock', 'Tab001')).sort(),
    ['Tab001.txt', 'Tab001.zip', 'Version.txt']);
});

test('the streamed export zip is byte for byte the one encoded in memory from the same catalog', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'medium', seed: SEED });

  await bench.bo.exportForDevice('Tab001');

  const catalog = generateCatalog(bench.mapping, bench.company, { size: 'medium', seed: SEED });
  const inMemory = await buildExportZip(bench.mapping, catalog);
  const zipFile = join(bench.companyRoot, 'Sortant', 'eStock', 'Tab001', 'Tab001.zip');
  assert.ok(readFileSync(zipFile).equals(inMemory), 'the zip on the server differs');
  assert.ok(readFileSync(join(bench.boFolder, 'export', 'Tab001', 'Tab001.zip')).equals(inMemory));
  assert.deepEqual(readdirSync(join(bench.boFolder, 'export', 'Tab001')).sort(),
    ['Tab001.txt', 'Tab001.zip', 'Version.txt']);
});

test('DEVICEMOBIL follows the registry at export time', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  bench.bo.changeRegisteredDevice('PC-174', { blocked: true });

  await bench.bo.exportForDevice('Tab001');

  const zip = readFileSync(join(bench.companyRoot, 'Sortant', 'eStock', 'Tab001', 'Tab001.zip'));
  const devices = (await readExportZip(bench.mapping, zip, 'Tab001.zip')).get('DEVICEMOBIL') ?? [];
  assert.equal(devices.find((row) => row.DEVICE_ID === 'PC-174')?.BLOQUE, true);
  assert.equal(devices.find((row) => row.DEVICE_ID === 'Tab001')?.BLOQUE, false);
});

test('a blocked, inactive or unlisted device gets an anomaly and nothing on the server', async (t) => {
  const company = demoCompany();
  company.registry.find((device) => device.deviceId === 'Tab002')!.blocked = true;
  company.estock.find((device) => device.deviceId === 'Tab003')!.active = false;
  company.estock.find((device) => device.deviceId === 'PC-176')!.blocked = true;
  company.estock = company.estock.filter((device) => device.deviceId !== 'telATO');
  const bench = await startTestBench(t, company);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });

  const expected: [string, RegExp][] = [['Tab002', /blocked in the device registry/],
    ['Tab003', /not active/], ['PC-176', /blocked in the eStock device list/], ['telATO', /not in the eStock/]];
  for (const [device, reason] of expected) {
    const report = await bench.bo.exportForDevice(device);
    assert.equal(report.anomalies.length, 1, device);
    assert.match(report.anomalies[0]?.reason ?? '', reason);
    assert.match(report.anomalies[0]?.reason ?? '', /nothing exported/);
    assert.deepEqual(report.files, []);
    assert.equal(existsSync(join(bench.companyRoot, 'Sortant', 'eStock', device)), false, device);
    assert.equal(existsSync(join(bench.companyRoot, 'Entrant', 'eStock', device)), false, device);
  }
});

test('an unknown device id is refused with a BackOfficeError', async (t) => {
  const bench = await startTestBench(t);
  await assert.rejects(bench.bo.exportForDevice('Tab999'), (error) => {
    assert.ok(error instanceof BackOfficeError);
    assert.match(error.message, /Tab999.*not in the device registry/);
    return true;
  });
});

test('« Critères Articles et Lots » are applied: a device with criteria gets only what they take', async (t) => {
  const company = demoCompany();
  company.estock.find((device) => device.deviceId === 'Tab001')!.criteria = 'family=ROUGE';
  const bench = await startTestBench(t, company);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });

  const report = await bench.bo.exportForDevice('Tab001');

  assert.deepEqual(report.anomalies, []);
  const zip = readFileSync(join(bench.companyRoot, 'Sortant', 'eStock', 'Tab001', 'Tab001.zip'));
  const families = (await readExportZip(bench.mapping, zip, 'Tab001.zip')).get('ARTICLE')?.map((row) => row.FAM_CODE);
  assert.deepEqual([...new Set(families)], ['ROUGE']);
  assert.equal(families?.length, 14);
});

test('no export while the licence is not valid: each device\'s report says why', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  const active = bench.bo.licence().count;

  bench.bo.setLicences(active - 1, '2099-12-31');
  const unvalidated = await bench.bo.exportForDevices(['Tab001', 'Tab002']);
  bench.bo.enterCounterKey(counterKeyFor(bench.bo.licence().key));
  const tooFew = await bench.bo.exportForDevices(['Tab001', 'Tab002']);
  bench.bo.setLicences(active, '2026-12-02');
  bench.bo.enterCounterKey(counterKeyFor(bench.bo.licence().key));
  const ended = await bench.bo.exportForDevice('Tab001');

  assert.deepEqual(unvalidated.map((report) => report.anomalies.length), [1, 1]);
  assert.match(unvalidated[0]?.anomalies[0]?.reason ?? '', /has no counter-key yet/);
  assert.match(tooFew[1]?.anomalies[0]?.reason ?? '', new RegExp(`${active} devices are active in the eStock ` +
    `list .* but the licence covers ${active - 1}: deactivate 1 or add licences`));
  assert.match(ended.anomalies[0]?.reason ?? '', /the eStock licence ended on 02\/12\/2026/);
  for (const report of [...unvalidated, ...tooFew, ended]) assert.deepEqual(report.files, []);
  for (const device of ['Tab001', 'Tab002']) {
    assert.equal(existsSync(join(bench.companyRoot, 'Sortant', 'eStock', device)), false, device);
  }
});

test('the report names articles without designation, lots of unknown articles or places, links left out', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  const db = openBoFile(t, bench);
  db.prepare("DELETE FROM ARTDESIGNATION WHERE ART_CODE = 'ART0003'").run();
  const addLot = db.prepare(`INSERT INTO LOTSTOCK (LOT_CODE, ART_CODE, DEP_CODE, EMP_CODE, QUANTITE)
    VALUES (?, ?, ?, ?, 12)`);
  addLot.run('LOT0009X-1', 'ART0009X', 'STOCK', 'A01');
  addLot.run('LOT0003-9', 'ART0003', 'STOCK', 'Z99');

  const report = await bench.bo.exportForDevice('Tab001', { selection: { articles: ['ART000*', 'ART0019'] } });

  assert.deepEqual(report.anomalies.map((anomaly) => anomaly.reason), [
    'lot LOT0009X-1 (STOCK/A01) belongs to article ART0009X, which is not in ARTICLE: not exported',
    'lot LOT0003-9 lies in STOCK/Z99, which is not a location of EMPLACEMENT: exported, but the device ' +
      'cannot show where it lies',
    'article ART0003 has no designation (ARTDESIGNATION): exported with the label of ARTICLE only',
    'article ART0019 holds article ART0013 (ARTILINK), which is not exported to this device: the link is left out',
  ]);
  assert.equal(report.files.length, 3);
});

test('codes of the selection or the criteria that match nothing are reported', async (t) => {
  const company = demoCompany();
  company.estock.find((device) => device.deviceId === 'Tab001')!.criteria = 'depot=STOK location=CAVE/B*';
  const bench = await startTestBench(t, company);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });

  const report = await bench.bo.exportForDevice('Tab001', { selection: { families: ['ROUJE', 'ROUGE'],
    articles: ['XYZ*'] } });

  assert.deepEqual(report.anomalies.map((anomaly) => anomaly.reason), [
    'article XYZ* of the selection matches no article of ARTICLE',
    'family ROUJE of the selection matches no family of ARTFAMILY',
    'depot STOK of the criteria of device Tab001 matches no depot of DEPOT',
    'location CAVE/B* of the criteria of device Tab001 matches no location of EMPLACEMENT',
    'no article matches the selection and the criteria of device Tab001: the zip holds no article and no lot',
  ]);
});

test('the report lists at most MAX_LISTED_ANOMALIES of a kind, then how many more', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  const db = openBoFile(t, bench);
  const addLot = db.prepare(`INSERT INTO LOTSTOCK (LOT_CODE, ART_CODE, DEP_CODE, EMP_CODE, QUANTITE)
    VALUES (?, 'ART9999', 'STOCK', 'A01', 1)`);
  for (let n = 1; n <= MAX_LISTED_ANOMALIES + 7; n++) addLot.run(`LOT9999-${String(n).padStart(3, '0')}`);

  const report = await bench.bo.exportForDevice('Tab001');

  assert.equal(report.anomalies.length, MAX_LISTED_ANOMALIES + 1);
  assert.equal(report.anomalies.at(-1)?.reason, 'and 7 more lot lines of unknown articles, not exported');
});

test('progress over a two-device export: whole percents, never going back, ending at 100', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  bench.bo.changeSettings({ imageExport: 'all' });
  const events: ExportProgress[] = [];

  await bench.bo.exportForDevices(['Tab001', 'Tab002'], { onProgress: (event) => events.push(event) });

  const percents = events.map((event) => event.percent);
  assert.ok(percents.every((percent, i) => Number.isInteger(percent) && percent >= (percents[i - 1] ?? 0)),
    percents.join(' '));
  assert.equal(percents[0], 0);
  assert.deepEqual(events.at(-1), { device: 'Tab001, Tab002', percent: 100, stage: 'done' });
  assert.equal(percents.filter((percent) => percent === 100).length, 1, 'only the end is at 100');
  const stages = (device: string): string[] => events.filter((event) => event.device === device)
    .map((event) => event.stage);
  assert.deepEqual(stages('Tab001'), ['selection', 'tables', 'zip', 'upload', 'done']);
  assert.deepEqual(stages('Tab002'), ['selection', 'tables', 'zip', 'upload', 'done']);
  const firstOfTab002 = events.findIndex((event) => event.device === 'Tab002');
  assert.ok(percents[firstOfTab002]! >= 45 && percents[firstOfTab002]! <= 50, String(percents[firstOfTab002]));
  assert.ok(events.some((event) => event.stage === 'Images.zip'));
});

test('progress reaches 100 when every device is refused', async (t) => {
  const company = demoCompany();
  company.estock.find((device) => device.deviceId === 'Tab003')!.active = false;
  const bench = await startTestBench(t, company);
  const events: ExportProgress[] = [];

  const [report] = await bench.bo.exportForDevices(['Tab003'], { onProgress: (event) => events.push(event) });

  assert.match(report?.anomalies[0]?.reason ?? '', /not active/);
  assert.deepEqual(events.map((event) => `${event.percent} ${event.stage}`), ['100 refused', '100 done']);
});

test('PARAMMOBILSTOCK tells the app the image export mode and whether articles without lots came', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  const parameters = async (): Promise<unknown[]> => {
    const zip = readFileSync(join(bench.companyRoot, 'Sortant', 'eStock', 'Tab001', 'Tab001.zip'));
    const rows = (await readExportZip(bench.mapping, zip, 'Tab001.zip')).get('PARAMMOBILSTOCK') ?? [];
    return ['EXPORT_IMAGES', 'TOUS_LES_ARTICLES'].map((key) => rows.find((row) => row.CLE === key)?.VALEUR);
  };

  await bench.bo.exportForDevice('Tab001');
  assert.deepEqual(await parameters(), ['Aucune', '1']);
  bench.bo.changeSettings({ imageExport: 'not-sent' });
  await bench.bo.exportForDevice('Tab001', { scope: 'existing-lots' });
  assert.deepEqual(await parameters(), ['Non envoyées', '0']);
  bench.bo.changeSettings({ imageExport: 'all' });
  await bench.bo.exportForDevice('Tab001', { scope: 'all-articles' });
  assert.deepEqual(await parameters(), ['Toutes', '1']);
});
