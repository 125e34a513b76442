import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { BackOfficeError } from '../errors.ts';
import { buildExportZip, decodeSingleRowFile, readExportZip } from '../exchange/index.ts';
import { withFtpSession } from '../ftp/client.ts';
import { generateCatalog } from './catalog.ts';
import { demoCompany, startTestBench } from './test-fixture.ts';

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
  const company = demoCompany();
  const bench = await startTestBench(t, company);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  company.registry.find((device) => device.deviceId === 'PC-174')!.blocked = true;

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

test('« Critères Articles et Lots » are reported as not applied yet; all is exported', async (t) => {
  const company = demoCompany();
  company.estock.find((device) => device.deviceId === 'Tab001')!.criteria = 'FAM_CODE = ROUGE';
  const bench = await startTestBench(t, company);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });

  const report = await bench.bo.exportForDevice('Tab001');

  assert.equal(report.anomalies.length, 1);
  assert.match(report.anomalies[0]?.reason ?? '', /FAM_CODE = ROUGE.*not applied yet/);
  assert.equal(report.files.length, 3);
});
