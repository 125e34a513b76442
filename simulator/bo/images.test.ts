import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { crc32, inflateSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { BackOfficeError } from '../errors.ts';
import { loadMapping } from '../exchange/index.ts';
import { column, openBoFile, serverImages, serverTables } from './export-fixture.ts';
import { openBoDatabase } from './database.ts';
import { catalogPicture } from './images.ts';
import { encodePng } from './png.ts';
import { startTestBench, type TestBench } from './test-fixture.ts';

const SEED = 2026;

/** Reads a PNG the way a viewer does: signature, chunks with their CRC, then the pixels inflated. */
function readPng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const typed = png.subarray(at + 4, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), crc32(typed), `CRC of chunk ${chunks.length}`);
    chunks.push({ type: typed.subarray(0, 4).toString('latin1'), data: typed.subarray(4) });
    at += 12 + length;
  }
  assert.deepEqual(chunks.map((chunk) => chunk.type), ['IHDR', 'IDAT', 'IEND']);
  const header = chunks[0]!.data;
  const pixels = inflateSync(chunks[1]!.data);
  return { width: header.readUInt32BE(0), height: header.readUInt32BE(4), pixels };
}

async function seeded(t: TestContext, imageExport: 'all' | 'not-sent' | 'none'): Promise<TestBench> {
  const bench = await startTestBench(t);
  bench.bo.seedCatalog({ size: 'small', seed: SEED });
  bench.bo.changeSettings({ imageExport });
  return bench;
}

/** A small picture file in a throwaway folder. */
function pictureFile(t: TestContext, name: string, colour: [number, number, number]): string {
  const folder = mkdtempSync(join(tmpdir(), 'hil-picture-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, name);
  writeFileSync(file, encodePng(4, 4, () => colour));
  return file;
}

test('a catalog picture is a real 16 x 32 RGB PNG, different for each image id', () => {
  const picture = readPng(catalogPicture(2));

  assert.equal(picture.width, 16);
  assert.equal(picture.height, 32);
  assert.equal(picture.pixels.length, 32 * (1 + 16 * 3));
  assert.ok(!catalogPicture(2).equals(catalogPicture(3)));
  assert.ok(!catalogPicture(2).equals(catalogPicture(2 + 4)), 'same colour, other label');
  assert.ok(catalogPicture(7).equals(catalogPicture(7)));
});

test('image export « Aucune » (none): no Images.zip', async (t) => {
  const bench = await seeded(t, 'none');

  const report = await bench.bo.exportForDevice('Tab001');

  assert.equal(await serverImages(bench), undefined);
  assert.equal(report.files.some((file) => file.path.includes('Images')), false);
  assert.equal(existsSync(join(bench.boFolder, 'export', 'Images')), false);
  assert.equal(bench.bo.images().some((image) => image.sent), false);
});

test('image export « Toutes » (all): the pictures of the articles exported, each time', async (t) => {
  const bench = await seeded(t, 'all');

  const report = await bench.bo.exportForDevice('Tab001', { selection: { families: ['ROUGE'] } });

  const images = await serverImages(bench);
  const exported = column(await serverTables(bench, 'Tab001'), 'IMAGE', 'FICHIER');
  assert.deepEqual([...images!.keys()], ['ART0002.png', 'ART0022.png']);
  assert.deepEqual([...images!.keys()], exported);
  assert.ok(images!.get('ART0002.png')!.equals(catalogPicture(2)));
  assert.deepEqual(report.files.at(-1), { path: 'Sortant/eStock/Images/Images.zip',
    bytes: readFileSync(join(bench.companyRoot, 'Sortant/eStock/Images/Images.zip')).length });
  assert.ok(readFileSync(join(bench.boFolder, 'export', 'Images', 'Images.zip'))
    .equals(readFileSync(join(bench.companyRoot, 'Sortant/eStock/Images/Images.zip'))), 'no local copy');

  await bench.bo.exportForDevice('Tab001', { selection: { families: ['ROUGE'] } });
  assert.deepEqual([...(await serverImages(bench))!.keys()], ['ART0002.png', 'ART0022.png']);
});

test('one Images.zip for a two-device run: the pictures of what either device got', async (t) => {
  const bench = await seeded(t, 'all');
  bench.bo.changeListedDevice('Tab002', { criteria: 'family=VRAC' });

  const reports = await bench.bo.exportForDevices(['Tab001', 'Tab002'], { selection: { families: ['ROUGE', 'VRAC'] },
    scope: 'existing-lots' });

  assert.deepEqual([...(await serverImages(bench))!.keys()],
    ['ART0002.png', 'ART0007.png', 'ART0022.png', 'ART0027.png']);
  assert.deepEqual(column(await serverTables(bench, 'Tab002'), 'IMAGE', 'FICHIER'), ['ART0007.png', 'ART0027.png']);
  for (const report of reports) assert.equal(report.files.at(-1)?.path, 'Sortant/eStock/Images/Images.zip');
});

test('image export « Non envoyées » (not-sent): sent once; again after the picture or its date changes',
  async (t) => {
    const bench = await seeded(t, 'not-sent');
    const imagesZip = join(bench.companyRoot, 'Sortant/eStock/Images/Images.zip');

    const first = await bench.bo.exportForDevice('Tab001');
    assert.deepEqual([...(await serverImages(bench))!.keys()], ['ART0002.png', 'ART0007.png', 'ART0012.png',
      'ART0017.png', 'ART0022.png', 'ART0027.png', 'ART0032.png', 'ART0037.png']);
    assert.equal(first.files.length, 4);
    assert.ok(bench.bo.images().every((image) => image.sent));

    const before = readFileSync(imagesZip);
    const second = await bench.bo.exportForDevice('Tab002');
    assert.equal(second.files.length, 3, 'nothing to send: no Images.zip in the report');
    assert.ok(readFileSync(imagesZip).equals(before), 'the server\'s Images.zip stays as it was');

    const saved = bench.bo.saveImage('ART0012', pictureFile(t, 'ART0012.png', [200, 30, 30]));
    assert.deepEqual({ ...saved, bytes: 0 }, { imageId: 12, article: 'ART0012', file: 'ART0012.png',
      updated: '2026-12-03T19:45:00', bytes: 0, sent: false });
    openBoFile(t, bench).prepare("UPDATE IMAGE SET DATE_MAJ = '2026-01-01T00:00:00' WHERE IMG_ID = 32").run();
    await bench.bo.exportForDevice('Tab001');
    const third = await serverImages(bench);
    assert.deepEqual([...third!.keys()], ['ART0012.png', 'ART0032.png']);
    assert.ok(third!.get('ART0012.png')!.equals(readFileSync(pictureFile(t, 'x.png', [200, 30, 30]))));
    assert.ok(third!.get('ART0032.png')!.equals(catalogPicture(32)), 'same bytes, newer date: sent again');
  });

test('sent is global: a picture sent with one device\'s export is not sent with another\'s', async (t) => {
  const bench = await seeded(t, 'not-sent');

  await bench.bo.exportForDevice('Tab001', { selection: { articles: ['ART0002'] } });
  await bench.bo.exportForDevice('Tab002', { selection: { articles: ['ART0002', 'ART0007'] } });

  assert.deepEqual([...(await serverImages(bench))!.keys()], ['ART0007.png']);
  assert.deepEqual(bench.bo.images().filter((image) => image.sent).map((image) => image.imageId), [2, 7]);
});

test('saveImage adds a picture to an article, and refuses what is not one', async (t) => {
  const bench = await seeded(t, 'all');
  const added = bench.bo.saveImage('ART0001', pictureFile(t, 'ART0001-etiquette.png', [10, 10, 10]));
  assert.equal(added.imageId, 38);
  const notPicture = join(bench.boFolder, 'notes.png');
  writeFileSync(notPicture, 'not a picture');

  assert.throws(() => bench.bo.saveImage('ART0001', notPicture), (error) => error instanceof BackOfficeError &&
    /picture .*notes\.png not saved for article ART0001: .*notes\.png is neither a JPEG nor a PNG picture/
      .test(error.message));
  assert.throws(() => bench.bo.saveImage('ART9999', pictureFile(t, 'a.png', [1, 1, 1])),
    /not saved for article ART9999: there is no article ART9999 in ARTICLE/);
  assert.throws(() => bench.bo.saveImage('ART0003', pictureFile(t, 'ART0002.png', [1, 1, 1])),
    /ART0002\.png is the name of a picture of article ART0002; .*rename the file/);
  assert.throws(() => bench.bo.saveImage('ART0003', join(bench.boFolder, 'missing.jpg')), /cannot read .*missing\.jpg/);

  await bench.bo.exportForDevice('Tab001', { selection: { articles: ['ART0001'] } });
  assert.deepEqual(column(await serverTables(bench, 'Tab001'), 'IMAGE', 'FICHIER'), ['ART0001-etiquette.png']);
  assert.deepEqual([...(await serverImages(bench))!.keys()], ['ART0001-etiquette.png']);
});

test('an image without picture bytes is reported to the devices that got its article, and left out', async (t) => {
  const bench = await seeded(t, 'all');
  openBoFile(t, bench).prepare('DELETE FROM image_file WHERE img_id = 7').run();

  const reports = await bench.bo.exportForDevices(['Tab001', 'Tab002'], { selection: { articles: ['ART000*'] } });

  assert.deepEqual(reports.map((report) => report.anomalies.map((anomaly) => anomaly.reason)), [
    ['image 7 (ART0007.png, article ART0007) has no picture in the back office: not in Images.zip; save one for it'],
    ['image 7 (ART0007.png, article ART0007) has no picture in the back office: not in Images.zip; save one for it'],
  ]);
  assert.deepEqual([...(await serverImages(bench))!.keys()], ['ART0002.png']);
  assert.equal(bench.bo.images().find((image) => image.imageId === 7)?.bytes, 0);
});

test('a database whose image_sent was kept per device gets the shared table', (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'hil-bo-old-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, 'bo.sqlite');
  const old = new Database(file);
  old.exec(`CREATE TABLE image_sent (device_id TEXT NOT NULL, img_id INTEGER NOT NULL, date_maj TEXT,
    sent_at TEXT NOT NULL, PRIMARY KEY (device_id, img_id))`);
  old.close();

  const db = openBoDatabase(file, loadMapping('eStock', '1.00'));
  const columns = db.prepare("SELECT name FROM pragma_table_info('image_sent')").all();
  db.close();

  assert.deepEqual(columns.map((row) => (row as { name: string }).name),
    ['img_id', 'file_name', 'date_maj', 'sha256', 'sent_at']);
});
