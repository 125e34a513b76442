import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startImportBench } from '../bo/import-fixture.ts';
import type { ImportOnArrival } from '../import-on-upload.ts';
import { importOnUpload } from '../import-on-upload.ts';
import { FtpError } from '../errors.ts';
import { onReply, startReplyProxy } from './reply-proxy.ts';
import { openVirtualDevice } from './virtual-device.ts';

const FIRST = 'LotStockExported_20261203_194131.zip';
const SECOND = 'LotStockExported_20261203_194132.zip';

test('a 451 after the whole zip reached the server: the device sends again, the BO changes the stock once',
  async (t) => {
    const bench = await startImportBench(t);
    bench.bo.seedCatalog({ size: 'small', seed: 7 });
    await bench.bo.exportForDevices(['Tab001']);
    const outcomes: ImportOnArrival[] = [];
    const importer = importOnUpload(bench.server, bench.mapping, new Map([[bench.company.name, bench.bo]]),
      (outcome) => outcomes.push(outcome), 60_000);
    const folder = mkdtempSync(join(tmpdir(), 'hil-resend-'));
    const device = openVirtualDevice({ folder, mapping: bench.mapping,
      clock: () => new Date(2026, 11, 3, 19, 41, 31) });
    t.after(() => {
      device.close();
      rmSync(folder, { recursive: true, force: true });
    });
    const proxy = await startReplyProxy(t, bench.server, onReply('STOR', 226, 1, '451 Local error in processing'));
    device.configure({ deviceId: 'Tab001', ftp: { ...bench.profile, port: proxy.port }, login: 'Admin' });
    await device.receive();
    const line = { lot: 'LOT0001-1', depot: 'STOCK', location: 'A04' };
    const quantityOf = () => bench.bo.stock().find((stock) =>
      stock.lot === line.lot && stock.depot === line.depot && stock.location === line.location)?.quantity;
    const before = quantityOf();
    assert.ok(before !== undefined && before >= 2, `the catalog has ${line.lot} at STOCK/A04`);
    const sale = device.move({ type: 'exit', ...line, quantity: 2, reason: 'VTE' });

    await assert.rejects(device.send(), (error: unknown) => error instanceof FtpError && error.replyCode === 451);
    await importer.drain();
    assert.equal(outcomes.length, 1, 'the server had the whole zip: the BO imported it');
    assert.equal(outcomes[0]?.report?.movementsImported, 1);
    assert.deepEqual(device.pendingMovements().map(({ id }) => id), [sale.id]);

    const report = await device.send();
    await importer.drain();

    assert.equal(report.file, SECOND);
    assert.deepEqual(device.pendingMovements(), []);
    assert.equal(outcomes.length, 2);
    const again = outcomes[1]?.report;
    assert.equal(again?.movementsImported, 0);
    assert.deepEqual(again?.zips.map(({ name }) => name), [SECOND]);
    assert.match(again?.anomalies.map(({ reason }) => reason).join('\n') ?? '',
      new RegExp(`movement ${sale.id} already imported \\(${FIRST} line 2, `));
    assert.equal(quantityOf(), before - 2, 'the stock changed once, by the one sale');
  });
