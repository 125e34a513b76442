import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { FtpError } from '../errors.ts';
import { readMovementUpload } from '../exchange/index.ts';
import { onReply, startReplyProxy, type ReplyRule } from './reply-proxy.ts';
import { DEVICE_ID, deviceWithData, startDeviceTestBed, testClock, type DeviceTestBed } from './test-fixture.ts';
import type { MovementInput, SyncSettings, VirtualDevice } from './types.ts';

const INBOX = `Entrant/eStock/${DEVICE_ID}/MvtStocks`;
const FIRST = 'LotStockExported_20261203_194131.zip';
const SECOND = 'LotStockExported_20261203_194132.zip';
const sale: MovementInput = {
  type: 'exit', lot: 'LOT0001-1', depot: 'STOCK', location: 'A01', quantity: 3, reason: 'VTE',
};

function inbox(bed: DeviceTestBed): string[] {
  const folder = bed.onDisk(INBOX);
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

async function movementIds(bed: DeviceTestBed, file: string): Promise<unknown[]> {
  const upload = await readMovementUpload(bed.mapping, readFileSync(bed.onDisk(`${INBOX}/${file}`)), file);
  return upload.movements.rows.map(({ row }) => row.MVT_ID);
}

/** A device with data and one sale pending, whose FTP goes through a proxy applying `rule`. */
async function deviceBehind(t: TestContext, rule: ReplyRule, sync: Partial<SyncSettings> = {}) {
  const bed = await startDeviceTestBed();
  const device: VirtualDevice = await deviceWithData(bed, testClock());
  t.after(async () => {
    device.close();
    await bed.close();
  });
  const proxy = await startReplyProxy(t, bed.server, rule);
  device.configure({ deviceId: DEVICE_ID, ftp: { ...bed.profile(), port: proxy.port }, login: 'Admin', sync });
  const movement = device.move(sale);
  return { bed, device, proxy, movement };
}

test('a 451 after all the data leaves the movements pending; the next send carries them in a new zip',
  async (t) => {
    const { bed, device, movement } = await deviceBehind(t, onReply('STOR', 226, 1, '451 Local error'));

    await assert.rejects(device.send(), (error: unknown) => error instanceof FtpError && error.replyCode === 451 &&
      /device Tab001 send: FTP with .* failed: the server replied 451 Local error/.test(error.message));
    assert.deepEqual(device.pendingMovements().map(({ id }) => id), [movement.id]);
    assert.deepEqual(inbox(bed), [FIRST], 'the zip is on the server in full all the same');

    const report = await device.send();
    assert.equal(report.file, SECOND);
    assert.deepEqual(device.pendingMovements(), []);
    assert.deepEqual(await movementIds(bed, FIRST), [movement.id]);
    assert.deepEqual(await movementIds(bed, SECOND), [movement.id]);
  });

test('with two attempts, a failed STOR is tried again after the pause; the report says why the first failed',
  async (t) => {
    const { bed, device, movement } = await deviceBehind(t, onReply('STOR', 226, 1, '426 Connection closed'),
      { attempts: 2, pauseMs: 50 });

    const report = await device.send();

    assert.equal(report.file, SECOND);
    assert.equal(report.attempts, 2);
    assert.equal(report.failures?.length, 1);
    assert.match(report.failures?.[0] ?? '', /device Tab001 send: FTP .* failed: the server replied 426 /);
    assert.deepEqual(device.pendingMovements(), []);
    assert.deepEqual(inbox(bed), [FIRST, SECOND]);
    assert.deepEqual(await movementIds(bed, SECOND), [movement.id]);
  });

test('when every attempt fails, the error lists each attempt and nothing is marked sent', async (t) => {
  const { device, movement, proxy } = await deviceBehind(t, (command, line) =>
    command.startsWith('STOR ') && line.startsWith('150 ') ? '452 Insufficient storage space' : undefined,
  { attempts: 3, pauseMs: 0 });

  await assert.rejects(device.send(), (error: unknown) => error instanceof FtpError && error.replyCode === 452 &&
    /device Tab001 send failed 3 times: attempt 1: .*452 .*; attempt 2: .*452 .*; attempt 3: .*452 /.test(
      error.message));
  assert.deepEqual(device.pendingMovements().map(({ id }) => id), [movement.id]);
  assert.equal(proxy.commands.filter((line) => line.startsWith('STOR ')).length, 3);
});

test('a 226 that never comes ends in the timeout; the movements stay pending', async (t) => {
  const { bed, device, movement } = await deviceBehind(t, onReply('STOR', 226, 1, 'hold'), { timeoutMs: 300 });

  await assert.rejects(device.send(), (error: unknown) => error instanceof FtpError &&
    /device Tab001 send: .*Timeout: nothing from the server on the control connection for 300 ms/.test(error.message));
  assert.deepEqual(device.pendingMovements().map(({ id }) => id), [movement.id]);
  assert.deepEqual(inbox(bed), [FIRST]);
});

test('a control connection cut after the data leaves the movements pending', async (t) => {
  const { device, movement } = await deviceBehind(t, onReply('STOR', 226, 1, 'reset'));

  await assert.rejects(device.send(), FtpError);
  assert.deepEqual(device.pendingMovements().map(({ id }) => id), [movement.id]);
});

test('a SIZE that differs from the zip leaves the movements pending', async (t) => {
  const { device, movement } = await deviceBehind(t, (command, line) =>
    command.startsWith('SIZE ') && /MvtStocks/.test(command) && line.startsWith('213 ') ? '213 1' : undefined);

  await assert.rejects(device.send(), (error: unknown) => error instanceof FtpError &&
    /LotStockExported_20261203_194131\.zip has 1 bytes on the server, \d+ were sent/.test(error.message));
  assert.deepEqual(device.pendingMovements().map(({ id }) => id), [movement.id]);
});

test('a positive reply other than 226 to the STOR is no confirmation', async (t) => {
  const { device, movement } = await deviceBehind(t, onReply('STOR', 226, 1, '250 Fine'));

  await assert.rejects(device.send(), (error: unknown) => error instanceof FtpError &&
    /STOR .*LotStockExported_20261203_194131\.zip: the server replied 250, not 226/.test(error.message));
  assert.deepEqual(device.pendingMovements().map(({ id }) => id), [movement.id]);
});

test('temporary-name mode: STOR of <name>.tmp, then RNFR/RNTO; only the final name stays', async (t) => {
  const { bed, device, proxy } = await deviceBehind(t, () => undefined, { uploadMode: 'temporary-name' });

  const report = await device.send();

  assert.equal(report.file, FIRST);
  assert.deepEqual(inbox(bed), [FIRST]);
  const transfers = proxy.commands.filter((line) => /^(STOR|RNFR|RNTO|SIZE) .*MvtStocks/.test(line));
  assert.deepEqual(transfers, [
    `STOR /${INBOX}/${FIRST}.tmp`, `RNFR /${INBOX}/${FIRST}.tmp`, `RNTO /${INBOX}/${FIRST}`, `SIZE /${INBOX}/${FIRST}`,
  ]);
});

test('temporary-name mode: a refused RNTO leaves the movements pending and the .tmp on the server', async (t) => {
  const { bed, device, movement } = await deviceBehind(t, onReply('RNTO', 250, 1, '553 Not allowed'),
    { uploadMode: 'temporary-name' });

  await assert.rejects(device.send(), (error: unknown) => error instanceof FtpError && error.replyCode === 553);
  assert.deepEqual(device.pendingMovements().map(({ id }) => id), [movement.id]);
  assert.deepEqual(inbox(bed), [FIRST], 'the server did rename it: only the reply was lost');

  const report = await device.send();
  assert.equal(report.file, SECOND);
  assert.deepEqual(inbox(bed), [FIRST, SECOND]);
});

test('a receive whose download fails is tried again after the pause', async (t) => {
  const bed = await startDeviceTestBed();
  const device = await deviceWithData(bed, testClock());
  t.after(async () => {
    device.close();
    await bed.close();
  });
  const proxy = await startReplyProxy(t, bed.server, onReply('RETR', 226, 1, '425 Cannot open data connection'));
  device.configure({ deviceId: DEVICE_ID, ftp: { ...bed.profile(), port: proxy.port }, login: 'Admin',
    sync: { attempts: 2, pauseMs: 20 } });

  const report = await device.receive();

  assert.equal(report.attempts, 2);
  assert.match(report.failures?.[0] ?? '', /device Tab001 receive: FTP .* failed: the server replied 425 /);
  assert.equal(proxy.commands.filter((line) => line.startsWith('RETR ')).length, 4, 'one RETR, then three');
});
