import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.ts';
import { loadMapping } from './mapping.ts';
import { devicePaths, movementUploadName, parseMovementUploadName } from './paths.ts';

const mapping = loadMapping('eStock', '1.00');

test('a device\'s paths follow the guide\'s folder tree', () => {
  assert.deepEqual(devicePaths(mapping, 'Tab001'), {
    exportZip: 'Sortant/eStock/Tab001/Tab001.zip',
    exportVersion: 'Sortant/eStock/Tab001/Version.txt',
    exportStatus: 'Sortant/eStock/Tab001/Tab001.txt',
    images: 'Sortant/eStock/Images/Images.zip',
    movementUploads: 'Entrant/eStock/Tab001/MvtStocks',
    deviceVersion: 'Entrant/eStock/Tab001/Version.txt',
  });
});

test('a device id that is not a safe folder name is refused', () => {
  for (const deviceId of ['', '../Tab001', 'Tab/001', 'Tab\\001', '.hidden', 'x'.repeat(31), 'Tab 001']) {
    assert.throws(() => devicePaths(mapping, deviceId), (error: unknown) => {
      assert.ok(error instanceof ConfigError, `ConfigError for ${JSON.stringify(deviceId)}`);
      assert.ok(error.message.includes(JSON.stringify(deviceId)), error.message);
      return true;
    });
  }
});

test('a movement upload is named after its local time', () => {
  const at = new Date(2026, 11, 3, 19, 41, 31);
  assert.equal(movementUploadName(mapping, at), 'LotStockExported_20261203_194131.zip');
  assert.equal(movementUploadName(mapping, new Date(2027, 0, 5, 7, 8, 9)), 'LotStockExported_20270105_070809.zip');
  assert.equal(parseMovementUploadName(mapping, 'LotStockExported_20261203_194131.zip')?.getTime(), at.getTime());
});

test('names that merely look like an upload, or name a time that does not exist, are not uploads', () => {
  const names = [
    'LotStockExported_20261203_194131.zip.part',
    'lotstockexported_20261203_194131.zip',
    'LotStockExported_20261203_194131.ZIP',
    'LotStockExported_2026123_194131.zip',
    'LotStockExported_20261203_1941311.zip',
    'LotStockExported_20261203-194131.zip',
    ' LotStockExported_20261203_194131.zip',
    'MvtStocks/LotStockExported_20261203_194131.zip',
    'LotStockExported_20260231_120000.zip',
    'LotStockExported_20261203_250000.zip',
    'LotStockExported_20261203_196000.zip',
    'LotStockExported_00001203_120000.zip',
    'LotStockExported_.zip',
    'LotStockExported_2026120３_194131.zip',
  ];
  for (const name of names) assert.equal(parseMovementUploadName(mapping, name), undefined, name);
});

test('a local time skipped when clocks go forward is not an upload time', (t) => {
  // Only where the local time zone skips 02:30 on 29 March 2026 (most of Europe).
  if (new Date(2026, 2, 29, 2, 30, 0).getHours() === 2) {
    t.skip('the local time zone has no clock change on 2026-03-29');
    return;
  }
  assert.equal(parseMovementUploadName(mapping, 'LotStockExported_20260329_023000.zip'), undefined);
  assert.ok(parseMovementUploadName(mapping, 'LotStockExported_20260329_033000.zip') instanceof Date);
});
