import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DeviceError } from '../errors.ts';
import { FTP_TEST_FILE } from './ftp-test.ts';
import { DEFAULT_SYNC_SETTINGS } from './sync-settings.ts';
import { DEVICE_ID, configuredDevice, startDeviceTestBed, testClock } from './test-fixture.ts';

test('every action before configure asks for the settings', async () => {
  const bed = await startDeviceTestBed();
  const device = bed.openDevice(testClock());
  const notConfigured = (error: unknown) => error instanceof DeviceError &&
    error.message === 'configure the device first: device id, FTP user, password';
  try {
    assert.equal(device.settings, undefined);
    await assert.rejects(device.testFtp(), notConfigured);
    await assert.rejects(device.receive(), notConfigured);
    await assert.rejects(device.send(), notConfigured);
    assert.throws(() => device.move({ type: 'exit', lot: 'L', depot: 'D', location: 'A', quantity: 1, reason: 'R' }),
      notConfigured);
    assert.deepEqual(device.pendingMovements(), []);
    assert.deepEqual(device.stock(), []);
  } finally {
    device.close();
    await bed.close();
  }
});

test('configure refuses a device id that cannot be a folder name, and bad FTP settings', async () => {
  const bed = await startDeviceTestBed();
  const device = bed.openDevice(testClock());
  try {
    for (const deviceId of ['', '../Tab001', 'Tab 001', 'x'.repeat(31)]) {
      assert.throws(() => device.configure({ deviceId, ftp: bed.profile() }), /is not valid: 1 to 30 letters/);
    }
    assert.throws(() => device.configure({ deviceId: DEVICE_ID, ftp: { ...bed.profile(), port: 0 } }),
      /FTP port 0 is not a port number/);
    assert.throws(() => device.configure({ deviceId: DEVICE_ID, ftp: { ...bed.profile(), user: '' } }),
      /FTP host, user and password are all needed/);
    assert.equal(device.settings, undefined);
  } finally {
    device.close();
    await bed.close();
  }
});

test('settings survive closing and reopening the device, sync settings left out keep their value', async () => {
  const bed = await startDeviceTestBed();
  const clock = testClock();
  try {
    const first = configuredDevice(bed, clock);
    assert.deepEqual(first.settings?.sync, DEFAULT_SYNC_SETTINGS);
    first.configure({ deviceId: DEVICE_ID, ftp: bed.profile(), login: 'Admin',
      sync: { attempts: 3, uploadMode: 'temporary-name' } });
    first.configure({ deviceId: DEVICE_ID, ftp: bed.profile(), login: 'Admin',
      sync: { pauseMs: 250, tls: 'optional', passiveAddress: 'as-given' } });
    const settings = first.settings;
    first.close();
    assert.throws(() => first.stock(), /is closed/);

    const reopened = bed.openDevice(clock);
    assert.deepEqual(reopened.settings, settings);
    assert.deepEqual(reopened.settings, {
      deviceId: DEVICE_ID, ftp: { ...bed.profile(), tls: 'optional', passiveAddress: 'as-given' }, login: 'Admin',
      sync: { timeoutMs: 15_000, attempts: 3, pauseMs: 250, uploadMode: 'temporary-name', tls: 'optional',
        passiveAddress: 'as-given' },
    });
    assert.throws(() => reopened.configure({ deviceId: DEVICE_ID, ftp: bed.profile(), sync: { attempts: 0 } }),
      /device Tab001: sync setting attempts 0 is not a whole number from 1 to 100/);
    assert.throws(() => reopened.configure({ deviceId: DEVICE_ID, ftp: bed.profile(),
      sync: { uploadMode: 'rename' as 'direct' } }), /sync setting uploadMode "rename" is not one of direct, /);
    assert.throws(() => reopened.configure({ deviceId: DEVICE_ID, ftp: bed.profile(),
      sync: { tls: 'yes' as 'off' } }), /sync setting tls "yes" is not one of off, optional, required/);
    assert.equal(reopened.settings?.sync.attempts, 3);
    reopened.close();
  } finally {
    await bed.close();
  }
});

test('the FTP test passes with the right login and leaves nothing behind', async () => {
  const bed = await startDeviceTestBed();
  const device = configuredDevice(bed, testClock());
  try {
    const sessionEnded = new Promise<void>((resolve) => bed.server.on('session-end', () => resolve()));
    const result = await device.testFtp();
    await sessionEnded;
    assert.equal(result.ok, true, result.message);
    assert.match(result.message, /^FTP test passed: login, upload and delete in \d+ ms$/);

    const folder = bed.onDisk(`Entrant/eStock/${DEVICE_ID}`);
    assert.ok(existsSync(folder));
    assert.ok(!readdirSync(folder).includes(FTP_TEST_FILE));
    const stored = bed.server.transcript().map((record) => `${record.command.split(' ')[0]} ${record.reply}`);
    assert.ok(stored.includes('STOR 226'), stored.join(', '));
    assert.ok(stored.includes('DELE 250'), stored.join(', '));
  } finally {
    device.close();
    await bed.close();
  }
});

test('the FTP test fails with a wrong password, saying 530, without throwing', async () => {
  const bed = await startDeviceTestBed();
  const device = bed.openDevice(testClock());
  try {
    device.configure({ deviceId: DEVICE_ID, ftp: bed.profile('wrong') });
    const result = await device.testFtp();
    assert.equal(result.ok, false);
    assert.match(result.message, /^FTP test failed: .*530/);
    assert.ok(!existsSync(join(bed.onDisk(`Entrant/eStock/${DEVICE_ID}`), FTP_TEST_FILE)));
  } finally {
    device.close();
    await bed.close();
  }
});
