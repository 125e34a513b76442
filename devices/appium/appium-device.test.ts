// Against the real thing: an Appium server started on 127.0.0.1 with the
// EstockVirtual driver, and a simulator (FTP server and back office) of its own.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { DeviceError, HilError } from '../../simulator/errors.ts';
import { loadDeviceProfile, PROFILES_FOLDER } from '../profile.ts';
import { openAppiumDevice, type AppiumDevice } from './appium-device.ts';
import { Finder } from './finder.ts';
import { AppVersionError, LocatorNotFoundError } from './harness-errors.ts';
import { LOCATORS_FOLDER, parseLocatorMap } from './locator-map.ts';
import { screenOf } from './pages/screen.ts';
import { openSettings, scrollToTestFtp } from './pages/settings.ts';
import { openSession } from './session.ts';
import { useAppiumBench, writeMapCopy, writeProfileWithMap } from './test-fixture.ts';

let device: AppiumDevice | undefined;
const bench = useAppiumBench('hil-appium-device-', async () => device?.close());

function openVirtual(slot: number, deviceId: string): Promise<AppiumDevice> {
  return openAppiumDevice({ deviceId, profile: loadDeviceProfile('virtual', { slot }), server: bench.server,
    dataDir: join(bench.folder, 'devices'), mapping: bench.mapping });
}

test('the full cycle through Appium: configure, test FTP, receive, move, send, and the BO imports', async () => {
  device = await openVirtual(1, 'Tab001');
  assert.equal(device.kind, 'appium:virtual');
  assert.equal(device.appVersion, '2.1.0');

  await device.configure({ deviceId: 'Tab001', ftp: bench.simulator.ftpProfile, login: 'Admin' });
  const ftpTest = await device.testFtp();
  assert.equal(ftpTest.ok, true, ftpTest.message);
  const received = await device.receive();
  assert.equal(received.tables, 52);
  assert.ok(received.rows > 0 && received.bytes > 0);
  assert.match(received.exportDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);

  const exit = await device.move({ type: 'exit', lot: 'LOT0001-1', depot: 'STOCK', location: 'A04', quantity: 6,
    reason: 'VTE' });
  assert.match(exit.id, /^Tab001-\d{6}$/);
  assert.equal(exit.lotIsNew, false);
  const transfer = await device.move({ type: 'transfer', lot: 'LOT0002-1', depot: 'EXPE', location: 'A01',
    toDepot: 'STOCK', toLocation: 'A02', quantity: 3, reason: 'TRF' });
  assert.match(transfer.recordedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  assert.equal(await device.pendingMovements(), 2);

  const sent = await device.send();
  assert.equal(sent.movements, 2);
  assert.match(sent.file ?? '', /^LotStockExported_\d{8}_\d{6}\.zip$/);
  const nothing = await device.send();
  assert.deepEqual([nothing.file, nothing.movements, nothing.lots], [undefined, 0, 0]);
  const imported = await bench.simulator.backOffice.importForDevice('Tab001');
  assert.equal(imported.movementsImported, 2);
  assert.deepEqual(imported.anomalies, []);

  const png = await device.screenshot();
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.match(await device.pageSource(), /<hierarchy/);
});

test('a movement the app refuses is a DeviceError with the app\'s words; so is a refused setting', async () => {
  assert.ok(device, 'the full cycle opened the device');
  const refusal = await device.move({ type: 'exit', lot: 'LOT9999-9', depot: 'STOCK', location: 'A04',
    quantity: 1, reason: 'VTE' }).catch((error: unknown) => error);
  assert.ok(refusal instanceof DeviceError && refusal instanceof HilError, String(refusal));
  assert.match(refusal.message, /^Mouvement refusé : .*LOT9999-9/);
  const onRefusal = await device.pageSource();
  assert.match(onRefusal, /Mouvement refusé/, 'the evidence shows the movement screen with the refusal');
  assert.doesNotMatch(onRefusal, /Mouvements à envoyer/, 'the evidence is not the synchronisation screen');

  const setting = await device.configure({ deviceId: 'not valid!', ftp: bench.simulator.ftpProfile })
    .catch((error: unknown) => error);
  assert.ok(setting instanceof DeviceError, String(setting));
  assert.match(setting.message, /not valid!/);
  assert.ok((await device.pageSource()).includes(setting.message), 'the dialog with the reason is still open');
  assert.equal((await device.testFtp()).ok, true, 'the refused value left the settings as they were');
});

test('a failed « Test FTP » stays on the screen until the next action, which comes back from it', async () => {
  assert.ok(device, 'the full cycle opened the device');
  await device.configure({ deviceId: 'Tab001', ftp: { ...bench.simulator.ftpProfile, password: 'wrong' } });
  const failed = await device.testFtp();
  assert.equal(failed.ok, false, failed.message);
  assert.ok((await device.pageSource()).includes(failed.message), 'the result dialog is the evidence');

  await device.configure({ deviceId: 'Tab001', ftp: bench.simulator.ftpProfile, login: 'Admin' });
  assert.equal((await device.testFtp()).ok, true);
  assert.equal(await device.pendingMovements(), 0);
});

test('an app sent to the background by back is brought to the foreground for the next action', async () => {
  assert.ok(device, 'the full cycle opened the device');
  await device.browser.back();
  assert.equal(await device.browser.execute('mobile: queryAppState', { appId: 'estock.virtual' }), 3);
  assert.equal(await device.pendingMovements(), 0);
});

test('a profile expecting another app version fails at open with a harness error, not a DeviceError', async () => {
  const written = readFileSync(join(PROFILES_FOLDER, 'virtual.yaml'), 'utf8')
    .replace('appVersion: 2.1.0', 'appVersion: 2.2.0')
    .replace('../../simulator', join(PROFILES_FOLDER, '..', '..', 'simulator'));
  const file = join(bench.folder, 'virtual-2.2.yaml');
  writeFileSync(file, written);
  const profile = loadDeviceProfile(file, { slot: 2 });
  await assert.rejects(openAppiumDevice({ deviceId: 'Tab002', profile, server: bench.server,
    dataDir: join(bench.folder, 'devices') }),
    (error: Error) => error instanceof AppVersionError && !(error instanceof HilError) &&
      /estock\.virtual 2\.1\.0 is installed, the profile virtual-2\.2 expects 2\.2\.0/.test(error.message));
});

test('a name whose first locator misses is found by the next; all wrong, the error names each', async () => {
  const written = parse(readFileSync(join(LOCATORS_FOLDER, '2.1.yaml'), 'utf8')) as {
    screens: Record<string, Record<string, unknown>>;
  };
  written.screens.Synchronisation!['settings.open'] = [{ accessibilityId: 'Réglages' },
    { id: 'estock.virtual:id/action_settings' }];
  written.screens.Synchronisation!['sync.receive'] = [{ id: 'estock.virtual:id/receive' },
    { uiautomator: 'new UiSelector().text("Recevoir")' }];
  const map = parseLocatorMap(written, 'test map');
  const browser = await openSession(loadDeviceProfile('virtual', { slot: 3 }), bench.server,
    { 'appium:estockDataDir': join(bench.folder, 'devices'), 'appium:autoGrantPermissions': true });
  try {
    await browser.setTimeout({ implicit: 0 });
    const finder = new Finder(browser, map, 5000);
    const found = await finder.firstOf(['settings.open']);
    assert.deepEqual(found.locator, { id: 'estock.virtual:id/action_settings' });

    await assert.rejects(finder.find('sync.receive', 300), (error: Error) => error instanceof LocatorNotFoundError &&
      error.message.includes('sync.receive on screen Synchronisation') &&
      error.message.includes('tried id estock.virtual:id/receive | uiautomator new UiSelector().text("Recevoir")') &&
      error.message.includes('within 300 ms (locator map test map)'));
  } finally {
    await browser.deleteSession();
  }
});

test('« Test FTP » is reached by swipes when scrollIntoView misses; a session given is left open', async () => {
  const written = parse(readFileSync(join(LOCATORS_FOLDER, '2.1.yaml'), 'utf8')) as {
    screens: Record<string, Record<string, unknown>>;
  };
  written.screens.Settings!['settings.testFtpScroll'] = [{ uiautomator: 'new UiScrollable(new UiSelector()' +
    '.scrollable(true)).scrollIntoView(new UiSelector().text("Test du FTP"))' }];
  const locators = parseLocatorMap(written, 'map without scrollIntoView');
  const profile = loadDeviceProfile('virtual', { slot: 4 });
  const browser = await openSession(profile, bench.server,
    { 'appium:estockDataDir': join(bench.folder, 'devices') });
  try {
    const given = await openAppiumDevice({ deviceId: 'Tab004', profile, browser, locators });
    const screen = screenOf(new Finder(browser, locators, 3000), 10_000, 'Tab004');
    await openSettings(screen);
    assert.equal(await screen.finder.once('settings.testFtp'), undefined, 'Test FTP starts below the fold');
    assert.equal(await (await scrollToTestFtp(screen)).getText(), 'Test FTP');
    await given.close();
    assert.match(await browser.getPageSource(), /<hierarchy/);
  } finally {
    await browser.deleteSession();
  }
});

test('a profile\'s locators: file is the map the device uses, instead of the version\'s', async () => {
  const map = writeMapCopy(bench.folder, 'own-map.yaml');
  const profile = loadDeviceProfile(writeProfileWithMap(bench.folder, 'with-map.yaml', 'own-map.yaml'), { slot: 5 });
  assert.equal(profile.locators, map);
  const own = await openAppiumDevice({ deviceId: 'Tab005', profile, server: bench.server,
    dataDir: join(bench.folder, 'devices') });
  try {
    assert.equal(own.locators.source, map);
  } finally {
    await own.close();
  }
});
