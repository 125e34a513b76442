import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { DeviceError } from '../errors.ts';
import { configuredDevice, smallExport, startDeviceTestBed, stockLine, testClock } from './test-fixture.ts';

test('receive before any export says there is nothing to receive, and a move needs received data', async () => {
  const bed = await startDeviceTestBed();
  const device = configuredDevice(bed, testClock());
  try {
    await assert.rejects(device.receive(), (error: unknown) => {
      assert.ok(error instanceof DeviceError);
      assert.match(error.message, /nothing to receive for Tab001: the BO has not exported .*550/);
      return true;
    });
    assert.throws(() => device.move({ type: 'entry', lot: 'L', article: 'ART0001', depot: 'CHAI', location: 'A01',
      quantity: 1, reason: 'ENT' }), /Tab001: nothing received yet: receive the BO's export/);
  } finally {
    device.close();
    await bed.close();
  }
});

test('receive loads every export table, with the data version and export date', async () => {
  const bed = await startDeviceTestBed();
  const device = configuredDevice(bed, testClock());
  try {
    const tables = smallExport();
    await bed.placeExport(tables);
    const report = await device.receive();

    const rows = [...tables.values()].reduce((sum, table) => sum + table.length, 0);
    assert.equal(report.tables, bed.mapping.exportTables.length);
    assert.equal(report.rows, rows);
    assert.equal(report.dataVersion, '1.00');
    assert.equal(report.exportDate, '2026-12-03T08:00:00');
    assert.ok(report.bytes > 0);
    assert.deepEqual(device.stock(), [
      { lot: 'LOT0001-1', article: 'ART0001', depot: 'STOCK', location: 'A01', quantity: 100 },
      { lot: 'LOT0002-1', article: 'ART0002', depot: 'CAVE', location: 'A02', quantity: 12.5 },
      { lot: 'LOT0002-2', article: 'ART0002', depot: 'STOCK', location: 'A02', quantity: 6 },
    ]);
  } finally {
    device.close();
    await bed.close();
  }
});

test('a new receive replaces the tables and keeps pending movements, replayed on the new stock', async () => {
  const bed = await startDeviceTestBed();
  const device = configuredDevice(bed, testClock());
  try {
    await bed.placeExport(smallExport());
    await device.receive();
    device.move({ type: 'exit', lot: 'LOT0001-1', depot: 'STOCK', location: 'A01', quantity: 30, reason: 'VTE' });
    device.move({ type: 'entry', lot: 'NEW-1', article: 'ART0010', depot: 'CHAI', location: 'A01', quantity: 7,
      reason: 'ENT' });

    const tables = smallExport();
    tables.set('LOTSTOCK', [stockLine('LOT0001-1', 'ART0001', 'STOCK', 'A01', 2020, 50)]);
    await bed.placeExport(tables, '2026-12-04T08:00:00');
    const report = await device.receive();

    assert.equal(report.exportDate, '2026-12-04T08:00:00');
    assert.equal(device.pendingMovements().length, 2);
    assert.deepEqual(device.stock().map((line) => [line.lot, line.quantity]), [['LOT0001-1', 20], ['NEW-1', 7]]);
  } finally {
    device.close();
    await bed.close();
  }
});

test('a broken export zip is refused and the received data stays as it was', async () => {
  const bed = await startDeviceTestBed();
  const device = configuredDevice(bed, testClock());
  try {
    await bed.placeExport(smallExport());
    await device.receive();
    writeFileSync(bed.onDisk('Sortant/eStock/Tab001/Tab001.zip'), Buffer.from('PK\x03\x04 not really a zip'));

    await assert.rejects(device.receive(), /Tab001\.zip/);
    assert.equal(device.stock().length, 3);
  } finally {
    device.close();
    await bed.close();
  }
});

test('an export without its Version.txt is incomplete', async () => {
  const bed = await startDeviceTestBed();
  const device = configuredDevice(bed, testClock());
  try {
    await bed.placeExport(smallExport());
    rmSync(bed.onDisk('Sortant/eStock/Tab001/Version.txt'));

    await assert.rejects(device.receive(), (error: unknown) => error instanceof DeviceError &&
      /incomplete export for Tab001: .*Version\.txt is not \(550\)/.test(error.message));
    assert.deepEqual(device.stock(), []);
  } finally {
    device.close();
    await bed.close();
  }
});
