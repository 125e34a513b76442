import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { FtpError } from '../errors.ts';
import { decodeSingleRowFile, readMovementUpload } from '../exchange/index.ts';
import { DEVICE_ID, deviceWithData, startDeviceTestBed, testClock, type DeviceTestBed } from './test-fixture.ts';
import type { MovementInput } from './types.ts';

const INBOX = `Entrant/eStock/${DEVICE_ID}/MvtStocks`;
const sale: MovementInput = {
  type: 'exit', lot: 'LOT0001-1', depot: 'STOCK', location: 'A01', quantity: 3, reason: 'VTE',
};

function inbox(bed: DeviceTestBed): string[] {
  const folder = bed.onDisk(INBOX);
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

async function readUpload(bed: DeviceTestBed, file: string) {
  return await readMovementUpload(bed.mapping, readFileSync(bed.onDisk(`${INBOX}/${file}`)), file);
}

test('send uploads the pending movements, lots and lot information, then marks them sent', async () => {
  const bed = await startDeviceTestBed();
  const device = await deviceWithData(bed, testClock());
  try {
    const first = device.move({ ...sale, comment: 'Salon des vins' });
    device.move({ type: 'entry', lot: 'LOT0010-A', article: 'ART0010', vintage: 2024, depot: 'CHAI', location: 'A02',
      quantity: 300, reason: 'ENT', lotInformation: { CUVE: 'C4' } });
    const report = await device.send();

    assert.equal(report.file, 'LotStockExported_20261203_194131.zip');
    assert.deepEqual(inbox(bed), [report.file]);
    assert.equal(report.movements, 2);
    assert.equal(report.lots, 1);
    assert.equal(report.bytes, readFileSync(bed.onDisk(`${INBOX}/${report.file}`)).length);
    assert.deepEqual(device.pendingMovements(), []);

    const upload = await readUpload(bed, report.file);
    assert.deepEqual(upload.movements.problems, []);
    assert.deepEqual(upload.movements.rows.map(({ row }) => row), [
      { MVT_ID: first.id, DEVICE_ID, DATE_MVT: '2026-12-03T19:41:31', TYPE_MVT: 'S', ART_CODE: 'ART0001',
        LOT_CODE: 'LOT0001-1', DEP_CODE: 'STOCK', EMP_CODE: 'A01', DEP_CODE_DEST: null, EMP_CODE_DEST: null,
        QUANTITE: 3, MOTIF_CODE: 'VTE', LOGIN: 'Admin', COMMENTAIRE: 'Salon des vins' },
      { MVT_ID: 'Tab001-000002', DEVICE_ID, DATE_MVT: '2026-12-03T19:41:31', TYPE_MVT: 'E', ART_CODE: 'ART0010',
        LOT_CODE: 'LOT0010-A', DEP_CODE: 'CHAI', EMP_CODE: 'A02', DEP_CODE_DEST: null, EMP_CODE_DEST: null,
        QUANTITE: 300, MOTIF_CODE: 'ENT', LOGIN: 'Admin', COMMENTAIRE: null },
    ]);
    assert.deepEqual(upload.lots.rows.map(({ row }) => row), [{ LOT_CODE: 'LOT0010-A', ART_CODE: 'ART0010',
      MILLESIME: 2024, DATE_CREATION: '2026-12-03', CREE_SUR_MOBILE: true }]);
    assert.deepEqual(upload.lotInformation.rows.map(({ row }) => row),
      [{ LOT_CODE: 'LOT0010-A', INFO_CODE: 'CUVE', VALEUR: 'C4' }]);

    const version = decodeSingleRowFile(bed.mapping, 'deviceVersion',
      readFileSync(bed.onDisk(`Entrant/eStock/${DEVICE_ID}/Version.txt`)), 'Version.txt');
    assert.deepEqual(version,
      { APP_VERSION: '1.0.0', ANDROID_VERSION: '13', DEVICE_MODEL: 'estock-hil virtual tablet' });
  } finally {
    device.close();
    await bed.close();
  }
});

test('a send with nothing pending makes no FTP connection at all', async () => {
  const bed = await startDeviceTestBed();
  const device = await deviceWithData(bed, testClock());
  try {
    device.move(sale);
    await device.send();
    const sessions = new Set(bed.server.transcript().map((record) => record.session)).size;

    const report = await device.send();
    assert.deepEqual({ ...report, ms: 0 }, { file: undefined, movements: 0, lots: 0, bytes: 0, ms: 0 });
    assert.equal(new Set(bed.server.transcript().map((record) => record.session)).size, sessions);
    assert.equal(inbox(bed).length, 1);
  } finally {
    device.close();
    await bed.close();
  }
});

test('two sends in the same second get distinct, increasing names', async () => {
  const bed = await startDeviceTestBed();
  const clock = testClock();
  const device = await deviceWithData(bed, clock);
  try {
    device.move(sale);
    const first = await device.send();
    device.move({ ...sale, quantity: 1 });
    const second = await device.send();
    clock.now = new Date(clock.now.getTime() - 60_000);
    device.move({ ...sale, quantity: 2 });
    const third = await device.send();

    assert.equal(first.file, 'LotStockExported_20261203_194131.zip');
    assert.equal(second.file, 'LotStockExported_20261203_194132.zip');
    assert.equal(third.file, 'LotStockExported_20261203_194133.zip');
    assert.deepEqual(inbox(bed), [first.file, second.file, third.file]);
    const ids = await Promise.all(inbox(bed).map(async (file) =>
      (await readUpload(bed, file)).movements.rows.map(({ row }) => row.MVT_ID)));
    assert.deepEqual(ids, [['Tab001-000001'], ['Tab001-000002'], ['Tab001-000003']]);
  } finally {
    device.close();
    await bed.close();
  }
});

test('a failed upload leaves the movements pending, and the next send carries them', async () => {
  const bed = await startDeviceTestBed();
  const device = await deviceWithData(bed, testClock());
  try {
    const before = device.move(sale);
    await bed.server.stop();
    await assert.rejects(device.send(), (error: unknown) => error instanceof FtpError && /device Tab001 send/.test(
      error.message));
    assert.deepEqual(device.pendingMovements().map((movement) => movement.id), [before.id]);
    assert.throws(() => device.configure({ deviceId: 'Tab002', ftp: bed.profile() }),
      /device Tab001 has 1 movements not sent: send them before changing the device id to Tab002/);

    await bed.restartServer();
    device.configure({ deviceId: DEVICE_ID, ftp: bed.profile(), login: 'Admin' });
    const after = device.move({ ...sale, quantity: 1 });
    const report = await device.send();

    assert.ok(report.file !== undefined);
    assert.equal(report.movements, 2);
    const upload = await readUpload(bed, report.file);
    assert.deepEqual(upload.movements.rows.map(({ row }) => row.MVT_ID), [before.id, after.id]);
    assert.deepEqual(device.pendingMovements(), []);
  } finally {
    device.close();
    await bed.close();
  }
});

test('a new vintage given for a known lot is sent as a lot changed on the device', async () => {
  const bed = await startDeviceTestBed();
  const device = await deviceWithData(bed, testClock());
  try {
    device.move({ ...sale, vintage: 2019, lotInformation: { FUT: 'Barrique 14' } });
    const report = await device.send();

    assert.ok(report.file !== undefined);
    assert.equal(report.lots, 1);
    const upload = await readUpload(bed, report.file);
    assert.deepEqual(upload.lots.rows.map(({ row }) => row), [{ LOT_CODE: 'LOT0001-1', ART_CODE: 'ART0001',
      MILLESIME: 2019, DATE_CREATION: null, CREE_SUR_MOBILE: false }]);
    assert.deepEqual(upload.lotInformation.rows.map(({ row }) => row),
      [{ LOT_CODE: 'LOT0001-1', INFO_CODE: 'FUT', VALEUR: 'Barrique 14' }]);
  } finally {
    device.close();
    await bed.close();
  }
});
