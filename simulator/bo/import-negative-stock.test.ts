import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildMovementUpload, type UploadContent } from '../exchange/index.ts';
import { FIRST, sendFromDevice, startImportBench } from './import-fixture.ts';
import { movementRow, type TestBench } from './test-fixture.ts';
import type { StockLine } from './types.ts';

const LOT = 'LOT0001-1';

function quantityAt(stock: readonly StockLine[], depot: string, location: string): number | undefined {
  return stock.find((line) => line.lot === LOT && line.depot === depot && line.location === location)?.quantity;
}

/** An exit of 5 more than the stock, a transfer of 1 more, then an exit of exactly the stock. */
function beyondTheStock(stock: number): UploadContent {
  return {
    movements: [
      movementRow('Tab001-0001', { TYPE_MVT: 'S', MOTIF_CODE: 'VTE', QUANTITE: stock + 5 }),
      movementRow('Tab001-0002', { TYPE_MVT: 'T', MOTIF_CODE: 'TRF', DEP_CODE_DEST: 'CAVE', EMP_CODE_DEST: 'A01',
        QUANTITE: stock + 1 }),
      movementRow('Tab001-0003', { TYPE_MVT: 'S', MOTIF_CODE: 'VTE', QUANTITE: stock }),
    ],
    lots: [],
    lotInformation: [],
  };
}

async function benchWithStock(t: Parameters<typeof startImportBench>[0]): Promise<[TestBench, number]> {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  const stock = quantityAt(bench.bo.stock(), 'STOCK', 'A04');
  assert.ok(stock !== undefined && stock > 0, `${LOT} has stock at STOCK/A04`);
  return [bench, stock];
}

test('with negativeStock refuse, an exit or transfer below zero is refused with file, line, lot, place and ' +
  'quantity left', async (t) => {
  const [bench, stock] = await benchWithStock(t);
  bench.bo.changeSettings({ negativeStock: 'refuse' });
  await sendFromDevice(bench, 'Tab001', FIRST, await buildMovementUpload(bench.mapping, beyondTheStock(stock)));

  const report = await bench.bo.importForDevice('Tab001');

  const file = `${FIRST}/MVTSTOCK.txt`;
  const refused = (what: string, id: string, quantity: number, left: number) => `${what} ${id} of ${quantity} from ` +
    `lot ${LOT} at STOCK/A04 would leave ${left} there (stock ${stock}): refused, the settings do not allow ` +
    'negative stock (negativeStock: refuse)';
  assert.deepEqual(report.anomalies, [
    { file, line: 2, reason: refused('exit', 'Tab001-0001', stock + 5, -5) },
    { file, line: 3, reason: refused('transfer', 'Tab001-0002', stock + 1, -1) },
  ]);
  assert.equal(report.movementsImported, 1);
  assert.equal(quantityAt(bench.bo.stock(), 'STOCK', 'A04'), 0);
  assert.equal(quantityAt(bench.bo.stock(), 'CAVE', 'A01'), undefined);
  assert.deepEqual(bench.bo.movements('Tab001').map((row) => row.MVT_ID), ['Tab001-0003']);
});

test('with negativeStock allow (the default), an exit below zero is applied and the log notes it', async (t) => {
  const [bench, stock] = await benchWithStock(t);
  assert.equal(bench.bo.settings().negativeStock, 'allow');
  await sendFromDevice(bench, 'Tab001', FIRST, await buildMovementUpload(bench.mapping, beyondTheStock(stock)));

  const report = await bench.bo.importForDevice('Tab001');

  assert.deepEqual(report.anomalies, []);
  assert.equal(report.movementsImported, 3);
  assert.equal(quantityAt(bench.bo.stock(), 'STOCK', 'A04'), -2 * stock - 6);
  assert.equal(quantityAt(bench.bo.stock(), 'CAVE', 'A01'), stock + 1);
  const log = readFileSync(join(bench.boFolder, 'import', 'Tab001', 'MvtStocks', 'Log',
    'LotStockExported_20261203_180000.log'), 'utf8');
  assert.match(log, new RegExp(`movement Tab001-0001: lot ${LOT} at STOCK/A04 is now -5\\n`));
  assert.match(log, new RegExp(`movement Tab001-0002: lot ${LOT} at STOCK/A04 is now ${-stock - 6}\\n`));
  assert.match(log, new RegExp(`movement Tab001-0003: lot ${LOT} at STOCK/A04 is now ${-2 * stock - 6}\\n`));
});
