// Against the real thing: an Appium server on 127.0.0.1 with the EstockVirtual
// driver, and a simulator (FTP server and back office) of its own.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDeviceProfile } from '../profile.ts';
import { applySyncSettings, openAppiumDevice, type AppiumDevice } from './appium-device.ts';
import type { Screen } from './pages/screen.ts';
import { useAppiumBench } from './test-fixture.ts';

let device: AppiumDevice | undefined;
const bench = useAppiumBench('hil-appium-sync-', async () => device?.close());

test('sync settings reach the device behind the virtual app: its send uploads under a temporary name', async () => {
  device = await openAppiumDevice({ deviceId: 'Tab001', profile: loadDeviceProfile('virtual', { slot: 1 }),
    server: bench.server, dataDir: join(bench.folder, 'devices'), mapping: bench.mapping });

  await device.configure({ deviceId: 'Tab001', ftp: bench.simulator.ftpProfile, login: 'Admin',
    sync: { uploadMode: 'temporary-name', attempts: 2 } });
  await device.receive();
  await device.move({ type: 'exit', lot: 'LOT0001-1', depot: 'STOCK', location: 'A04', quantity: 1, reason: 'VTE' });
  const sent = await device.send();

  assert.equal(sent.movements, 1);
  const transfers = bench.simulator.ftp.transcript()
    .filter(({ command }) => /^(STOR|RNFR|RNTO) .*MvtStocks/.test(command))
    .map(({ command, reply }) => `${command.split(' ')[0]} ${reply}`);
  assert.deepEqual(transfers, ['STOR 226', 'RNFR 350', 'RNTO 250']);
  const now = await device.browser.execute('mobile: estockSyncSettings', {});
  assert.deepEqual(now, { timeoutMs: 15_000, attempts: 2, pauseMs: 0, uploadMode: 'temporary-name', tls: 'off',
    passiveAddress: 'control-host' });
  await assert.rejects(device.browser.execute('mobile: estockSyncSettings', { attempts: 0 }),
    /sync setting attempts 0 is not a whole number from 1 to 100/);
});

test('on a real device the sync settings are not applied, and the log says so', async () => {
  const lines: string[] = [];
  const screen = {
    log: (format: string, ...args: unknown[]) => lines.push([format, ...args].join(' | ')),
    finder: { browser: { execute: () => assert.fail('no mobile: command is sent to a real device') } },
  } as unknown as Screen;

  await applySyncSettings(screen, { kind: 'appium:uiautomator2' }, { attempts: 3, uploadMode: 'temporary-name' });
  await applySyncSettings(screen, { kind: 'appium:uiautomator2' }, undefined);

  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /sync settings NOT applied .*attempts 3, uploadMode temporary-name/);
});
