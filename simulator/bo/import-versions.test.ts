import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { openVirtualDevice } from '../device/index.ts';
import { BackOfficeError } from '../errors.ts';
import { buildMovementUpload, decodeSingleRowFile, MAPPINGS_FOLDER } from '../exchange/index.ts';
import { openBackOffice } from './back-office.ts';
import {
  DEVICE_VERSION, FIRST, MIXED_UPLOAD, sendFromDevice, startImportBench, uploadDeviceVersion,
} from './import-fixture.ts';
import { TEST_NOW, uploadToInbox } from './test-fixture.ts';

const VERSION_FILE = 'Entrant/eStock/Tab001/Version.txt';

test('each import reads the device\'s Version.txt: app, Android and model in the report and the log', async (t) => {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  await sendFromDevice(bench, 'Tab001', FIRST, await buildMovementUpload(bench.mapping, MIXED_UPLOAD));

  const report = await bench.bo.importForDevice('Tab001');

  assert.equal(report.appVersion, '2.1.0');
  assert.equal(report.androidVersion, '14');
  assert.equal(report.deviceModel, 'Samsung Galaxy Tab Active5');
  assert.ok(report.anomalies.every((anomaly) => anomaly.file !== VERSION_FILE));
  const log = readFileSync(join(bench.boFolder, 'import', 'Tab001', 'MvtStocks', 'Log',
    'LotStockExported_20261203_180000.log'), 'utf8');
  assert.match(log, /^Device: app 2\.1\.0, Android 14, Samsung Galaxy Tab Active5$/m);
});

test('an app version outside the mapping\'s appVersions is reported, and the import still runs', async (t) => {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  const zip = await buildMovementUpload(bench.mapping, MIXED_UPLOAD);
  const cases = [
    ['3.0.0', new RegExp('^app version 3\\.0\\.0 of Tab001 does not go with exchange format eStock 1\\.00 ' +
      '\\(app versions 1\\.0\\.0 to below 3\\.0\\.0\\): set the « Version » of the eStock settings')],
    ['0.9.12', /^app version 0\.9\.12 of Tab001 does not go with .*: update the app on the device \(imported all/],
    ['beta', /^app version "beta" of Tab001 is not a version number/],
    ['2.10.0-rc1', undefined],
  ] as const;

  for (const [index, [appVersion, expected]] of cases.entries()) {
    const name = `LotStockExported_20261203_18000${index}.zip`;
    await sendFromDevice(bench, 'Tab001', name, zip, { ...DEVICE_VERSION, APP_VERSION: appVersion });
    const report = await bench.bo.importForDevice('Tab001');
    assert.equal(report.appVersion, appVersion);
    const warning = report.anomalies.find((anomaly) => anomaly.file === VERSION_FILE);
    if (expected === undefined) assert.equal(warning, undefined, `${appVersion} goes with 1.00`);
    else assert.match(warning?.reason ?? '', expected);
    assert.equal(report.zips[0]?.name, name, 'the zip was imported all the same');
  }
  assert.equal(bench.bo.movements().length, 4);
});

test('a missing or unreadable Version.txt is reported when there is something to import, and the import runs',
  async (t) => {
    const bench = await startImportBench(t);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    const quiet = await bench.bo.importForDevice('Tab001');
    assert.deepEqual(quiet.anomalies, [], 'an empty inbox needs no Version.txt');
    await uploadToInbox(bench, 'Tab001', FIRST, await buildMovementUpload(bench.mapping, MIXED_UPLOAD));

    const missing = await bench.bo.importForDevice('Tab001');

    assert.equal(missing.movementsImported, 4);
    assert.equal(missing.appVersion, undefined);
    assert.equal(missing.anomalies[0]?.file, VERSION_FILE);
    assert.match(missing.anomalies[0]?.reason ?? '', /^missing \(550 .*\): the app version of Tab001 is unknown$/);

    await uploadDeviceVersion(bench, 'Tab001', Buffer.from('APP;VERSION\r\n2.1.0\r\n'));
    await uploadToInbox(bench, 'Tab001', FIRST, await buildMovementUpload(bench.mapping,
      { ...MIXED_UPLOAD, movements: [] }));
    const unreadable = await bench.bo.importForDevice('Tab001');
    assert.equal(unreadable.anomalies[0]?.file, VERSION_FILE);
    assert.match(unreadable.anomalies[0]?.reason ?? '',
      /^cannot be read, the app version of Tab001 is unknown: .*Version\.txt/);
    assert.equal(unreadable.zips.length, 1);
  });

test('the virtual device writes a Version.txt whose app version goes with the 1.00 format', async (t) => {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  await bench.bo.exportForDevice('Tab001');
  const device = openVirtualDevice({ folder: join(bench.boFolder, '..', 'device'), mapping: bench.mapping,
    clock: () => TEST_NOW });
  t.after(() => device.close());
  const { host, port } = bench.server;
  device.configure({ deviceId: 'Tab001', ftp: { host, port, user: bench.profile.user,
    password: bench.profile.password } });
  await device.receive();
  const { lot, depot, location } = device.stock().find((line) => line.quantity >= 1)!;
  device.move({ type: 'exit', lot, depot, location, quantity: 1, reason: 'VTE' });
  await device.send();

  const report = await bench.bo.importForDevice('Tab001');

  assert.equal(report.movementsImported, 1);
  assert.equal(report.appVersion, '1.0.0');
  assert.deepEqual(report.anomalies, []);
});

test('the export writes the settings\' version as DATA_VERSION; a version without its mapping is refused',
  async (t) => {
    const bench = await startImportBench(t);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    const shipped = readFileSync(join(MAPPINGS_FOLDER, 'eStock', '1.00.yaml'), 'utf8');
    const copy = join(bench.boFolder, 'mappings', 'eStock', '1.01.yaml');
    mkdirSync(dirname(copy), { recursive: true });
    writeFileSync(copy, shipped.replace('version: "1.00"', 'version: "1.01"'));
    bench.bo.changeSettings({ mappingsFolder: 'mappings', version: '1.01' });

    const exported = await bench.bo.exportForDevice('Tab001');

    assert.deepEqual(exported.anomalies, []);
    const folder = join(bench.companyRoot, 'Sortant', 'eStock', 'Tab001');
    const read = (file: string) => readFileSync(join(folder, file));
    assert.equal(decodeSingleRowFile(bench.mapping, 'exportVersion', read('Version.txt'), 'v').DATA_VERSION, '1.01');
    assert.equal(decodeSingleRowFile(bench.mapping, 'exportStatus', read('Tab001.txt'), 's').DATA_VERSION, '1.01');

    const missing = /export mapping eStock version 9\.99, which cannot be loaded from .*mappings: /;
    assert.throws(() => bench.bo.changeSettings({ version: '9.99' }), (error: unknown) =>
      error instanceof BackOfficeError && missing.test(error.message));
    assert.equal(bench.bo.settings().version, '1.01', 'the refused change changed nothing');

    // The BO's folder moved without its mappings: the settings name a mapping that is no longer there.
    bench.bo.close();
    const moved = join(bench.boFolder, '..', 'bo-moved');
    renameSync(bench.boFolder, moved);
    rmSync(join(moved, 'mappings'), { recursive: true });
    const reopened = openBackOffice({ folder: moved, company: bench.company, mapping: bench.mapping,
      ftp: bench.profile, clock: () => TEST_NOW });
    t.after(() => reopened.close());
    const refusal = /the settings select the export mapping eStock version 1\.01, which cannot be loaded from /;
    await assert.rejects(reopened.exportForDevice('Tab001'), (error: unknown) =>
      error instanceof BackOfficeError && refusal.test(error.message));
    await assert.rejects(reopened.importForDevice('Tab001'), (error: unknown) =>
      error instanceof BackOfficeError && refusal.test(error.message));
  });
