import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  buildMovementUpload, decodeTableStrict, encodeTable, readExportZip, writeZip, type UploadContent,
} from '../exchange/index.ts';
import type { Row } from '../exchange/types.ts';
import { stockLayout } from './catalog.ts';
import { counterKeyFor } from './licence.ts';
import { lotPlace } from './catalog-lots.ts';
import {
  FIRST, inboxFiles, MIXED_UPLOAD, SECOND, sendFromDevice, startImportBench,
} from './import-fixture.ts';
import { demoCompany, movementRow, uploadToInbox } from './test-fixture.ts';
import type { StockLine } from './types.ts';

function changed(stock: readonly StockLine[], changes: StockLine[]): StockLine[] {
  const key = (line: StockLine) => `${line.lot}|${line.depot}|${line.location}`;
  const lines = new Map(stock.map((line) => [key(line), line]));
  for (const line of changes) lines.set(key(line), line);
  return [...lines.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function quantityAt(stock: readonly StockLine[], lot: string, depot: string, location: string): number {
  const line = stock.find((candidate) => candidate.lot === lot && candidate.depot === depot &&
    candidate.location === location);
  assert.ok(line !== undefined, `no stock line for ${lot} at ${depot}/${location}`);
  return line.quantity;
}

test('an import applies the good movements by the stock rules and reports the bad lines', async (t) => {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  const layout = stockLayout('small');
  assert.deepEqual(lotPlace(2, 1, layout), { depot: 'EXPE', location: 'A01' });
  assert.deepEqual(lotPlace(3, 1, layout), { depot: 'CHAI', location: 'A03' });
  const before = bench.bo.stock();
  await sendFromDevice(bench, 'Tab001', FIRST, await buildMovementUpload(bench.mapping, MIXED_UPLOAD));

  const report = await bench.bo.importForDevice('Tab001');

  assert.equal(report.movementsImported, 4);
  assert.deepEqual(report.zips, [{ name: FIRST, movements: 4, anomalies: 3 }]);
  assert.deepEqual(report.anomalies.map((anomaly) => [anomaly.file, anomaly.line]),
    [[`${FIRST}/MVTSTOCK.txt`, 6], [`${FIRST}/MVTSTOCK.txt`, 7], [`${FIRST}/MVTSTOCK.txt`, 8]]);
  assert.match(report.anomalies[0]?.reason ?? '', /unknown article ART9999/);
  assert.match(report.anomalies[1]?.reason ?? '', /unknown reason XXX/);
  assert.match(report.anomalies[2]?.reason ?? '', /quantity -3/);

  const lot1 = quantityAt(before, 'LOT0001-1', 'STOCK', 'A04');
  const lot2 = quantityAt(before, 'LOT0002-1', 'EXPE', 'A01');
  assert.deepEqual(bench.bo.stock(), changed(before, [
    { lot: 'LOT0001-1', article: 'ART0001', depot: 'STOCK', location: 'A04', quantity: lot1 - 12 },
    { lot: 'LOT0010-1', article: 'ART0010', depot: 'CAVE', location: 'A02', quantity: 60 },
    { lot: 'LOT0002-1', article: 'ART0002', depot: 'EXPE', location: 'A01', quantity: lot2 - 5.5 },
    { lot: 'LOT0002-1', article: 'ART0002', depot: 'STOCK', location: 'A01', quantity: 5.5 },
    { lot: 'LOT0003-1', article: 'ART0003', depot: 'CHAI', location: 'A03', quantity: 100 },
  ]));
  assert.deepEqual(inboxFiles(bench), []);
});

test('an import leaves the zip, its archive and its log in the local import folder, and journals the movements',
  async (t) => {
    const bench = await startImportBench(t);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    await sendFromDevice(bench, 'Tab001', FIRST, await buildMovementUpload(bench.mapping, MIXED_UPLOAD));

    await bench.bo.importForDevice('Tab001');

    const local = join(bench.boFolder, 'import', 'Tab001', 'MvtStocks');
    assert.ok(existsSync(join(local, FIRST)));
    const archive = readFileSync(join(local, 'Archives', 'LotStockExported_20261203_180000.csv'));
    const archived = decodeTableStrict(bench.mapping, bench.mapping.upload.movements, archive, 'archive');
    assert.deepEqual(archived, MIXED_UPLOAD.movements.slice(0, 4));
    const log = readFileSync(join(local, 'Log', 'LotStockExported_20261203_180000.log'), 'utf8');
    assert.match(log, /Movements in the file: 7; imported: 4; refused: 3/);
    assert.match(log, /MVTSTOCK\.txt:6: unknown article ART9999/);

    const journal = bench.bo.movements('Tab001');
    assert.deepEqual(journal.map((row) => [row.MVT_ID, row.IMPORT_FILE, row.IMPORT_LINE]), [
      ['Tab001-0001', FIRST, 2], ['Tab001-0002', FIRST, 3],
      ['Tab001-0003', FIRST, 4], ['Tab001-0004', FIRST, 5],
    ]);
    assert.deepEqual(bench.bo.movements('Tab002'), []);
  });

test('a lot created on the device keeps its vintage and information for the next export',
  async (t) => {
    const bench = await startImportBench(t);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    await sendFromDevice(bench, 'Tab001', FIRST, await buildMovementUpload(bench.mapping, MIXED_UPLOAD));
    await bench.bo.importForDevice('Tab001');

    await bench.bo.exportForDevice('Tab002');

    const zip = readFileSync(join(bench.companyRoot, 'Sortant', 'eStock', 'Tab002', 'Tab002.zip'));
    const tables = await readExportZip(bench.mapping, zip, 'Tab002.zip');
    const created = tables.get('LOTSTOCK')?.find((row) => row.LOT_CODE === 'LOT0010-1');
    assert.deepEqual(created, { LOT_CODE: 'LOT0010-1', ART_CODE: 'ART0010', DEP_CODE: 'CAVE', EMP_CODE: 'A02',
      MILLESIME: 2022, QUANTITE: 60, DATE_CREATION: '2026-12-03', STOCRIT1: null, STOCRIT2: null });
    assert.deepEqual(tables.get('LOTSTOCKILINK')?.filter((row) => row.LOT_CODE === 'LOT0010-1'),
      [{ LOT_CODE: 'LOT0010-1', INFO_CODE: 'TAV_ANALYSE', VALEUR: '13,0 % vol.' }]);
  });

test('the same movements under another name are "already imported" and leave the stock alone', async (t) => {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  const bytes = await buildMovementUpload(bench.mapping, MIXED_UPLOAD);
  await sendFromDevice(bench, 'Tab001', FIRST, bytes);
  await bench.bo.importForDevice('Tab001');
  const after = bench.bo.stock();
  await sendFromDevice(bench, 'Tab001', SECOND, bytes);

  const report = await bench.bo.importForDevice('Tab001');

  assert.equal(report.movementsImported, 0);
  assert.deepEqual(report.zips, [{ name: SECOND, movements: 0, anomalies: 8 }]);
  assert.equal(report.anomalies[0]?.file, SECOND);
  assert.match(report.anomalies[0]?.reason ?? '', new RegExp(`^already imported: same bytes .* as ${FIRST}, ` +
    'imported at 2026-12-03 19:45:00'));
  const repeated = report.anomalies.filter((anomaly) => /^movement .* already imported/.test(anomaly.reason));
  assert.deepEqual(repeated.map((anomaly) => anomaly.line), [2, 3, 4, 5]);
  assert.match(repeated[0]?.reason ?? '', new RegExp(`${FIRST} line 2`));
  assert.deepEqual(bench.bo.stock(), after);
  assert.equal(bench.bo.movements().length, 4);
  assert.deepEqual(inboxFiles(bench), []);
});

test('zips are imported oldest first, whatever order they were uploaded in', async (t) => {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  const inventory = movementRow('Tab001-0101', { TYPE_MVT: 'I', MOTIF_CODE: 'INV', QUANTITE: 50 });
  const exit = movementRow('Tab001-0102', { TYPE_MVT: 'S', MOTIF_CODE: 'CAS', QUANTITE: 10 });
  const only = (movement: Row): UploadContent => ({ movements: [movement], lots: [], lotInformation: [] });
  await sendFromDevice(bench, 'Tab001', SECOND, await buildMovementUpload(bench.mapping, only(exit)));
  await sendFromDevice(bench, 'Tab001', FIRST, await buildMovementUpload(bench.mapping, only(inventory)));

  const report = await bench.bo.importForDevice('Tab001');

  assert.deepEqual(report.zips.map((zip) => zip.name), [FIRST, SECOND]);
  assert.equal(quantityAt(bench.bo.stock(), 'LOT0001-1', 'STOCK', 'A04'), 40);
});

test('lines the back office cannot place are refused one by one', async (t) => {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  const before = bench.bo.stock();
  const content: UploadContent = {
    movements: [
      movementRow('m1', { LOT_CODE: 'LOT0001-9' }),
      movementRow('m2', { LOT_CODE: 'LOT0002-1' }),
      movementRow('m3', { EMP_CODE: 'Z99' }),
      movementRow('m4', { TYPE_MVT: 'T', MOTIF_CODE: 'TRF', DEP_CODE_DEST: 'STOCK', EMP_CODE_DEST: 'A04' }),
      movementRow('m5', { MOTIF_CODE: 'ENT' }),
      movementRow('m6', { DEVICE_ID: 'Tab002' }),
      movementRow('m7', { TYPE_MVT: 'X' }),
      movementRow('m8', { QUANTITE: 2 }),
      movementRow('m9', { TYPE_MVT: 'E', MOTIF_CODE: 'REC', LOT_CODE: 'LOT0001-7', QUANTITE: 1 }),
    ],
    lots: [
      { LOT_CODE: 'LOT0001-7', ART_CODE: 'ART9998', MILLESIME: null, DATE_CREATION: null,
        CREE_SUR_MOBILE: true },
      { LOT_CODE: 'LOT0001-1', ART_CODE: 'ART0003', MILLESIME: 2020, DATE_CREATION: null,
        CREE_SUR_MOBILE: false },
    ],
    lotInformation: [{ LOT_CODE: 'LOT9999-1', INFO_CODE: 'FUT', VALEUR: 'Barrique' }],
  };
  // A field the codec cannot read: line 9 (movement m8) says « deux » where a quantity is due.
  const movements = encodeTable(bench.mapping, bench.mapping.upload.movements, content.movements);
  const spoilt = Buffer.from(movements.toString('latin1').replace(';2,000;', ';deux;'), 'latin1');
  const lots = encodeTable(bench.mapping, bench.mapping.upload.lots, content.lots);
  const information = encodeTable(bench.mapping, bench.mapping.upload.lotInformation, content.lotInformation);
  await sendFromDevice(bench, 'Tab001', FIRST, await writeZip([{ name: 'MVTSTOCK.txt', data: spoilt },
    { name: 'LOTSTOCK.txt', data: lots }, { name: 'LOTSTOCKILINK.txt', data: information }]));

  const report = await bench.bo.importForDevice('Tab001');

  const reasons = report.anomalies.map((anomaly) =>
    `${anomaly.file?.split('/')[1]}:${anomaly.line} ${anomaly.reason}`);
  const expected = [
    /^LOTSTOCK\.txt:2 lot LOT0001-7: unknown article ART9998/,
    /^LOTSTOCK\.txt:3 lot LOT0001-1 is of article ART0001, not ART0003/,
    /^MVTSTOCK\.txt:2 unknown lot LOT0001-9/,
    /^MVTSTOCK\.txt:3 lot LOT0002-1 is of article ART0002, not ART0001/,
    /^MVTSTOCK\.txt:4 unknown location Z99 in depot STOCK/,
    /^MVTSTOCK\.txt:5 transfer .* to the same place/,
    /^MVTSTOCK\.txt:6 reason ENT is for movements of type E, not S/,
    /^MVTSTOCK\.txt:7 DEVICE_ID Tab002/,
    /^MVTSTOCK\.txt:8 movement type .*"X"/,
    /^MVTSTOCK\.txt:9 QUANTITE: not a number/,
    /^MVTSTOCK\.txt:10 unknown lot LOT0001-7/,
    /^LOTSTOCKILINK\.txt:2 information FUT on unknown lot LOT9999-1/,
  ];
  assert.equal(reasons.length, expected.length, reasons.join('\n'));
  expected.forEach((pattern, index) => assert.match(reasons[index] ?? '', pattern));
  assert.equal(report.movementsImported, 0);
  assert.deepEqual(bench.bo.stock(), before);
});

test('a truncated zip stays in the inbox and is reported; other files are left alone; a later run imports it',
  async (t) => {
    const bench = await startImportBench(t);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    const before = bench.bo.stock();
    const bytes = await buildMovementUpload(bench.mapping, MIXED_UPLOAD);
    await sendFromDevice(bench, 'Tab001', FIRST, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await sendFromDevice(bench, 'Tab001', 'notes.txt', Buffer.from('hello'));

    const report = await bench.bo.importForDevice('Tab001');

    assert.deepEqual(report.zips, [{ name: FIRST, movements: 0, anomalies: 1 }]);
    assert.equal(report.movementsImported, 0);
    const broken = report.anomalies.find((anomaly) => anomaly.file === FIRST);
    assert.match(broken?.reason ?? '', /left in the inbox/);
    const stray = report.anomalies.find((anomaly) => anomaly.file?.endsWith('/notes.txt'));
    assert.match(stray?.reason ?? '', /not a movement upload/);
    assert.deepEqual(inboxFiles(bench), [FIRST, 'notes.txt']);
    assert.deepEqual(bench.bo.stock(), before);

    await sendFromDevice(bench, 'Tab001', FIRST, bytes);
    const later = await bench.bo.importForDevice('Tab001');
    assert.equal(later.movementsImported, 4);
    assert.deepEqual(inboxFiles(bench), ['notes.txt']);
  });

test('a blocked, unlisted or unregistered device gets nothing imported: reported, its zips left in the inbox',
  async (t) => {
    const company = demoCompany();
    company.estock.find((device) => device.deviceId === 'Tab001')!.blocked = true;
    company.estock = company.estock.filter((device) => device.deviceId !== 'telATO');
    const bench = await startImportBench(t, company);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    const before = bench.bo.stock();
    const bytes = await buildMovementUpload(bench.mapping, MIXED_UPLOAD);
    for (const device of ['Tab001', 'telATO', 'GHOST']) await uploadToInbox(bench, device, FIRST, bytes);

    const reports = [];
    for (const device of ['Tab001', 'telATO', 'GHOST']) reports.push(await bench.bo.importForDevice(device));

    assert.deepEqual(reports.map((report) => report.anomalies.map((anomaly) => anomaly.reason)), [
      ['device Tab001 is blocked in the eStock device list: nothing imported', 'not imported, left in the inbox'],
      [`device telATO is registered but not in the eStock device list: nothing imported; add it to the list first`,
        'not imported, left in the inbox'],
      [`device GHOST is not in the device registry of Demo: nothing imported; register it and add it to the ` +
        'eStock device list to import its movements', 'not imported, left in the inbox'],
    ]);
    assert.deepEqual(reports[2]?.anomalies[1]?.file, `Entrant/eStock/GHOST/MvtStocks/${FIRST}`);
    assert.deepEqual(reports.map((report) => report.zips), [1, 2, 3].map(() => [{ name: FIRST, movements: 0,
      anomalies: 1 }]));
    for (const device of ['Tab001', 'telATO', 'GHOST']) assert.deepEqual(inboxFiles(bench, device), [FIRST]);
    assert.deepEqual(bench.bo.stock(), before);
    assert.ok(!existsSync(join(bench.boFolder, 'import', 'GHOST')), 'nothing downloaded for GHOST');
    const odd = await bench.bo.importForDevice('../Tab002');
    assert.match(odd.anomalies[0]?.reason ?? '', /device \.\.\/Tab002 is not in the device registry/);
  });

test('a device that never uploaded has an empty inbox', async (t) => {
  const bench = await startImportBench(t);
  const report = await bench.bo.importForDevice('Tab003');
  assert.deepEqual(report.zips, []);
  assert.deepEqual(report.anomalies, []);
});

test('without a valid licence nothing is imported and the server is not even reached', async (t) => {
  const bench = await startImportBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: 7 });
  await sendFromDevice(bench, 'Tab001', FIRST, await buildMovementUpload(bench.mapping, MIXED_UPLOAD));
  bench.bo.setLicences(8, '2026-12-02');
  bench.bo.enterCounterKey(counterKeyFor(bench.bo.licence().key));
  const sessions = new Set(bench.server.transcript().map((record) => record.session));

  const report = await bench.bo.importForDevice('Tab001');

  assert.deepEqual(report.anomalies, [{ reason: 'the eStock licence ended on 02/12/2026' }]);
  assert.deepEqual(report.zips, []);
  assert.deepEqual(bench.server.transcript().filter((record) => !sessions.has(record.session)), []);
  assert.deepEqual(inboxFiles(bench), [FIRST]);
});
