/**
 * The administration of the back office (guide, section 2): settings, FTP
 * profiles, licences, the device registry and the eStock device list, kept
 * in its database and read again by each export and import.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BackOfficeError, BackOfficeValueError } from '../errors.ts';
import { openBackOffice } from './back-office.ts';
import { counterKeyFor, licenceKey } from './licence.ts';
import { SIMULATOR_PROFILE } from './settings.ts';
import { demoCompany, startTestBench, TEST_NOW, type TestBench } from './test-fixture.ts';

/** The test server's login as an FTP profile's fields. */
function plain(bench: TestBench): { host: string; port: number; user: string; password: string } {
  const { host, port, user, password } = bench.profile;
  return { host, port, user, password };
}

const refusedWith = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof BackOfficeError, String(error));
  assert.match(error.message, pattern);
  return true;
};

test('a new back office starts with the default settings and the simulator as its FTP profile', async (t) => {
  const bench = await startTestBench(t);
  const settings = bench.bo.settings();
  assert.equal(settings.version, '1.00');
  assert.equal(settings.exportMapping, 'eStock');
  assert.equal(settings.ftpProfile, SIMULATOR_PROFILE);
  assert.equal(settings.imageExport, 'none');
  const [profile] = bench.bo.ftpProfiles();
  assert.deepEqual(profile, { name: SIMULATOR_PROFILE, host: bench.profile.host, port: bench.profile.port,
    user: bench.profile.user, password: bench.profile.password, tls: 'off' });
});

test('settings are checked and a refused change changes nothing', async (t) => {
  const bench = await startTestBench(t);
  const before = bench.bo.settings();
  assert.throws(() => bench.bo.changeSettings({ imageExport: 'some' as never }), refusedWith(/imageExport/));
  assert.throws(() => bench.bo.changeSettings({ ftpProfile: 'MobilX' }), refusedWith(/no FTP profile named "MobilX"/));
  assert.throws(() => bench.bo.changeSettings({ version: '9.99' }),
    refusedWith(/^settings not changed: the settings select the export mapping eStock version 9\.99, which cannot /));
  assert.deepEqual(bench.bo.settings(), before);

  const changed = bench.bo.changeSettings({ imageExport: 'not-sent', negativeStock: 'refuse' });
  assert.equal(changed.imageExport, 'not-sent');
  assert.deepEqual(bench.bo.settings(), changed);
});

test('the local export folder of the settings receives the export', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 1 });
  bench.bo.changeSettings({ exportFolder: 'Export/Stock' });
  await bench.bo.exportForDevice('Tab001');
  assert.ok(existsSync(join(bench.boFolder, 'Export', 'Stock', 'Tab001', 'Tab001.zip')));
});

test('exports go through the FTP profile of the settings', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 1 });
  bench.bo.saveFtpProfile({ ...plain(bench), name: 'MobilX', password: 'wrong' });
  bench.bo.changeSettings({ ftpProfile: 'MobilX' });
  await assert.rejects(bench.bo.exportForDevice('Tab001'), /530/);

  bench.bo.saveFtpProfile({ ...plain(bench), name: 'MobilX' });
  const report = await bench.bo.exportForDevice('Tab001');
  assert.equal(report.files.length, 3);
});

test('an FTP profile in use cannot be deleted; another can', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.saveFtpProfile({ ...plain(bench), name: 'Spare', tls: 'optional' });
  assert.throws(() => bench.bo.deleteFtpProfile(SIMULATOR_PROFILE), refusedWith(/profile of the eStock settings/));
  assert.throws(() => bench.bo.saveFtpProfile({ ...plain(bench), name: 'Bad', port: 70000 }), refusedWith(/port/));
  bench.bo.deleteFtpProfile('Spare');
  assert.deepEqual(bench.bo.ftpProfiles().map((profile) => profile.name), [SIMULATOR_PROFILE]);
});

test('a new back office has a valid licence for its active devices', async (t) => {
  const bench = await startTestBench(t);
  const licence = bench.bo.licence();
  assert.equal(licence.valid, true);
  assert.equal(licence.count, 8);
  assert.equal(licence.key, licenceKey('Demo', 8, '2099-12-31'));
  assert.equal(licence.counterKey, counterKeyFor(licence.key));
});

test('a new key needs its counter-key: export and import are refused until it is entered', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 1 });
  const licence = bench.bo.setLicences(10, '2027-06-30');
  assert.match(licence.key, /^ESTK-0010-20270630-[0-9A-F]{8}$/);

  const exported = await bench.bo.exportForDevice('Tab001');
  assert.deepEqual(exported.files, []);
  assert.match(exported.anomalies[0]?.reason ?? '', /has no counter-key yet/);

  bench.bo.enterCounterKey('0000-0000-0000-0000');
  const imported = await bench.bo.importForDevice('Tab001');
  assert.match(imported.anomalies[0]?.reason ?? '', /counter-key 0000-0000-0000-0000 does not validate/);

  bench.bo.enterCounterKey(counterKeyFor(licence.key).toLowerCase());
  assert.equal(bench.bo.licence().valid, true);
  assert.equal((await bench.bo.exportForDevice('Tab001')).files.length, 3);
});

test('an expired licence refuses export and import, naming the end date', async (t) => {
  const bench = await startTestBench(t);
  const licence = bench.bo.setLicences(8, '2026-12-02');
  bench.bo.enterCounterKey(counterKeyFor(licence.key));
  assert.equal(TEST_NOW.getDate(), 3);
  const report = await bench.bo.exportForDevice('Tab001');
  assert.match(report.anomalies[0]?.reason ?? '', /licence ended on 02\/12\/2026/);
  assert.match((await bench.bo.importForDevice('Tab001')).anomalies[0]?.reason ?? '', /ended on 02\/12\/2026/);
});

test('more active devices than licences refuses, naming them; deactivating one lets exports run', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 1 });
  const licence = bench.bo.setLicences(7, '2099-12-31');
  bench.bo.enterCounterKey(counterKeyFor(licence.key));
  const report = await bench.bo.exportForDevice('Tab001');
  assert.match(report.anomalies[0]?.reason ?? '', /8 devices are active .*PC-174.*covers 7/);

  bench.bo.changeListedDevice('PC-176', { active: false });
  assert.equal((await bench.bo.exportForDevice('Tab001')).files.length, 3);
});

test('licence values are checked', async (t) => {
  const bench = await startTestBench(t);
  assert.throws(() => bench.bo.setLicences(-1, '2027-01-01'), refusedWith(/not a whole number/));
  assert.throws(() => bench.bo.setLicences(2, '2027-02-30'), refusedWith(/not a day written YYYY-MM-DD/));
  assert.throws(() => bench.bo.setLicences(2, '2027-02-30'), BackOfficeValueError, 'a mistake in what was typed');
});

test('the technical service answers a licence key only', () => {
  const key = licenceKey('Demo', 8, '2027-12-31');
  assert.equal(counterKeyFor(key.toLowerCase()), counterKeyFor(key));
  for (const nonsense of ['nonsense', '', 'ESTK-0008-2027-A31071E7', `${key}0`]) {
    assert.throws(() => counterKeyFor(nonsense), /is not an eStock licence key: a key reads ESTK-NNNN-YYYYMMDD-/);
  }
});

test('the simulator\'s own FTP profile, rewritten at each start, cannot be changed', async (t) => {
  const bench = await startTestBench(t);
  const before = bench.bo.ftpProfiles();
  assert.throws(() => bench.bo.saveFtpProfile({ ...plain(bench), name: SIMULATOR_PROFILE, password: 'wrong' }),
    (error: unknown) => error instanceof BackOfficeValueError &&
      /"estock-hil" is the simulator's own server, .*make a profile of another name/.test(error.message));
  assert.deepEqual(bench.bo.ftpProfiles(), before);
});

test('device ids that differ only by case are refused; a key is taken in either case, kept lowercase', async (t) => {
  const bench = await startTestBench(t);
  assert.throws(() => bench.bo.registerDevice({ deviceId: 'tab001' }),
    refusedWith(/^device tab001 not registered: Tab001 is registered, and ids that differ only by case share /));
  const created = bench.bo.registerDevice({ deviceId: 'Tab004', authKey: '0123456789ABCDEF' });
  assert.equal(created.authKey, '0123456789abcdef');
  const changed = bench.bo.changeRegisteredDevice('Tab004', { authKey: 'FEDCBA9876543210' });
  assert.equal(changed.authKey, 'fedcba9876543210');
  assert.equal(bench.bo.registry().find((device) => device.deviceId === 'Tab004')?.authKey, 'fedcba9876543210');
});

test('the registry: create with a generated key, change, delete', async (t) => {
  const bench = await startTestBench(t);
  const created = bench.bo.registerDevice({ deviceId: 'Tab004' });
  assert.match(created.authKey, /^[0-9a-f]{16}$/);
  assert.throws(() => bench.bo.registerDevice({ deviceId: 'Tab004' }), refusedWith(/registered already/));
  assert.throws(() => bench.bo.registerDevice({ deviceId: '../x' }), refusedWith(/device id/));
  assert.throws(() => bench.bo.registerDevice({ deviceId: 'Tab005', authKey: 'XYZ' }),
    refusedWith(/16 hexadecimal digits/));

  bench.bo.changeRegisteredDevice('Tab004', { blocked: true, authKey: '0123456789abcdef' });
  assert.deepEqual(bench.bo.registry().find((device) => device.deviceId === 'Tab004'),
    { deviceId: 'Tab004', authKey: '0123456789abcdef', blocked: true });
  bench.bo.unregisterDevice('Tab004');
  assert.equal(bench.bo.registry().some((device) => device.deviceId === 'Tab004'), false);
  assert.throws(() => bench.bo.unregisterDevice('Tab001'), refusedWith(/remove it from the list first/));
});

test('a device joins the eStock list only from the registry, with a BO user as login', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 1 });
  assert.throws(() => bench.bo.listDevice({ deviceId: 'Tab009', login: 'Admin' }),
    refusedWith(/only from the registry/));
  bench.bo.registerDevice({ deviceId: 'Tab009' });
  assert.throws(() => bench.bo.listDevice({ deviceId: 'Tab009', login: 'Nobody' }),
    refusedWith(/"Nobody" is not one of the BO users \(SOFTUSER: Admin, Loïc\)/));
  const listed = bench.bo.listDevice({ deviceId: 'Tab009', login: 'Admin' });
  assert.deepEqual(listed, { deviceId: 'Tab009', login: 'Admin', active: true, blocked: false, criteria: '' });

  bench.bo.changeListedDevice('Tab009', { blocked: true });
  assert.equal(bench.bo.estockDevices().find((device) => device.deviceId === 'Tab009')?.blocked, true);
  bench.bo.unlistDevice('Tab009');
  assert.equal(bench.bo.estockDevices().some((device) => device.deviceId === 'Tab009'), false);
  assert.throws(() => bench.bo.unlistDevice('Tab009'), refusedWith(/not in the list/));
});

test('a device blocked through the back office gets nothing at the next export', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 1 });
  bench.bo.changeRegisteredDevice('Tab001', { blocked: true });
  const report = await bench.bo.exportForDevice('Tab001');
  assert.match(report.anomalies[0]?.reason ?? '', /blocked in the device registry/);
});

test('settings, licence and devices are kept when the back office opens again', async (t) => {
  const bench = await startTestBench(t);
  bench.bo.changeSettings({ imageExport: 'all' });
  bench.bo.registerDevice({ deviceId: 'Tab010', authKey: 'fedcba9876543210' });
  bench.bo.setLicences(3, '2030-01-01');
  bench.bo.close();

  const company = demoCompany();
  company.registry = [];
  company.estock = [];
  const again = openBackOffice({ folder: bench.boFolder, company, mapping: bench.mapping,
    ftp: { ...plain(bench), port: 2121 } });
  t.after(() => again.close());
  assert.equal(again.settings().imageExport, 'all');
  assert.ok(again.registry().some((device) => device.deviceId === 'Tab010'));
  assert.equal(again.estockDevices().length, 8);
  assert.equal(again.licence().count, 3);
  assert.equal(again.ftpProfiles()[0]?.port, 2121, 'the simulator profile follows the server');
});
