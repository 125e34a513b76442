import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExchangeFormatError } from '../errors.ts';
import {
  buildExportZip, buildMovementUpload, readExportZip, readMovementUpload, writeExportZipFile,
} from './exchange-zips.ts';
import { loadMapping } from './mapping.ts';
import type { ColumnSpec, Row, TableSpec, Value } from './types.ts';
import { readZip, writeZip } from './zip.ts';

const mapping = loadMapping('eStock', '1.00');

function sampleValue(column: ColumnSpec, index: number): Value {
  switch (column.type) {
    case 'text': return `${index}é«»œ€àç${column.name}`.slice(0, column.length ?? 40);
    case 'integer': return index * 7 - 3;
    case 'decimal': return Number((index * 1.25 + 0.5).toFixed(column.scale ?? 4));
    case 'date': return `2026-12-0${index + 1}`;
    case 'datetime': return `2026-12-0${index + 1}T19:41:3${index}`;
    case 'boolean': return index % 2 === 0;
  }
}

/** `count` rows of a table, every column filled, keys distinct. */
function sampleRows(table: TableSpec, count: number): Row[] {
  return Array.from({ length: count }, (_, index) =>
    Object.fromEntries(table.columns.map((column) => [column.name, sampleValue(column, index)])));
}

function table(name: string): TableSpec {
  return mapping.exportTables.find((candidate) => candidate.name === name)!;
}

// One to three rows a table, so that tables differ in length.
const ALL_TABLES = new Map(mapping.exportTables.map((table, index) =>
  [table.name, sampleRows(table, 1 + (index % 3))]));

test('the export zip holds one file per table in mapping order and reads back whole', async () => {
  const zip = await buildExportZip(mapping, ALL_TABLES);
  const entries = await readZip(zip, 'Tab001.zip');
  assert.deepEqual(entries.map((entry) => entry.name), mapping.exportTables.map((table) => table.file));
  assert.equal(entries.length, 52);

  const tables = await readExportZip(mapping, zip, 'Tab001.zip');
  assert.deepEqual([...tables.keys()], mapping.exportTables.map((table) => table.name));
  for (const [name, rows] of ALL_TABLES) assert.deepEqual(tables.get(name), rows, name);
});

test('the same tables give a byte-identical export zip', async () => {
  const first = await buildExportZip(mapping, ALL_TABLES);
  const second = await buildExportZip(mapping, new Map([...ALL_TABLES].map(([name, rows]) => [name, [...rows]])));
  assert.ok(first.equals(second));
});

test('a table left out is written with its header alone; an unknown table is refused', async () => {
  const zip = await buildExportZip(mapping, new Map([['DEPOT', sampleRows(table('DEPOT'), 1)]]));
  const entries = await readZip(zip, 'Tab001.zip');
  const article = entries.find((entry) => entry.name === 'ARTICLE.txt')!;
  assert.equal(article.data.toString('latin1'), 'ART_CODE;LIBELLE;FAM_CODE;UNF_CODE;UV_CODE;TF_CODE;CONTENANCE;' +
    'DEGRE;GERE_LOT;ACTIF;CRIT1;CRIT2;CRIT3;CRIT4;DATE_CREATION\r\n');
  assert.equal((await readExportZip(mapping, zip, 'Tab001.zip')).get('ARTICLE')!.length, 0);

  await assert.rejects(buildExportZip(mapping, new Map([['ARTICLES', []]])),
    (error: unknown) => error instanceof ExchangeFormatError && /no export table named ARTICLES/.test(error.message));
});

test('reading an export zip: a missing table file is named, extra files are ignored, a bad line throws', async () => {
  const entries = await readZip(await buildExportZip(mapping, ALL_TABLES), 'Tab001.zip');
  const withoutDepot = await writeZip([...entries.filter((entry) => entry.name !== 'DEPOT.txt'),
    { name: 'README.txt', data: Buffer.from('extra') }]);
  await assert.rejects(readExportZip(mapping, withoutDepot, 'Tab001.zip'), (error: unknown) => {
    assert.ok(error instanceof ExchangeFormatError);
    assert.match(error.message, /^Tab001\.zip\/DEPOT\.txt: missing: the export zip has no DEPOT\.txt \(table DEPOT\)/);
    return true;
  });

  const withExtra = await writeZip([...entries, { name: 'README.txt', data: Buffer.from('extra') }]);
  assert.equal((await readExportZip(mapping, withExtra, 'Tab001.zip')).size, 52);

  const badDepot = entries.map((entry) => (entry.name === 'DEPOT.txt'
    ? { name: entry.name, data: Buffer.from('DEP_CODE;LIBELLE;TDE_CODE;GERE_EMPLACEMENT\r\nD1;Cave;;oui\r\n') }
    : entry));
  await assert.rejects(readExportZip(mapping, await writeZip(badDepot), 'Tab001.zip'),
    /^ExchangeFormatError: Tab001\.zip\/DEPOT\.txt:2 \(column GERE_EMPLACEMENT\): not a boolean/);
});

test('a movement upload carries movements, lots and lot information, read leniently per line', async () => {
  const content = {
    movements: sampleRows(mapping.upload.movements, 3),
    lots: sampleRows(mapping.upload.lots, 2),
    lotInformation: sampleRows(mapping.upload.lotInformation, 1),
  };
  const zip = await buildMovementUpload(mapping, content);
  assert.deepEqual((await readZip(zip, 'up.zip')).map((entry) => entry.name),
    ['MVTSTOCK.txt', 'LOTSTOCK.txt', 'LOTSTOCKILINK.txt']);
  const upload = await readMovementUpload(mapping, zip, 'LotStockExported_20261203_194131.zip');
  assert.deepEqual(upload.movements.rows.map((row) => row.row), content.movements);
  assert.deepEqual(upload.lots.rows.map((row) => row.line), [2, 3]);
  assert.deepEqual(upload.lotInformation.problems, []);
});

test('a movement upload with a bad line keeps the good ones; a missing file throws', async () => {
  const header = mapping.upload.movements.columns.map((column) => column.name).join(';');
  const good = 'M1;Tab001;03/12/2026 19:41:31;E;A1;L1;D1;E1;;;12,5;ENT;Admin;';
  const bad = 'M2;Tab001;hier;E;A1;L1;D1;E1;;;douze;ENT;Admin;';
  const entries = await readZip(await buildMovementUpload(mapping, { movements: [], lots: [], lotInformation: [] }),
    'up.zip');
  entries[0] = { name: 'MVTSTOCK.txt', data: Buffer.from(`${header}\r\n${bad}\r\n${good}\r\n`, 'latin1') };
  const upload = await readMovementUpload(mapping, await writeZip(entries), 'up.zip');
  assert.deepEqual(upload.movements.rows.map((row) => [row.line, row.row.MVT_ID, row.row.QUANTITE]), [[3, 'M1', 12.5]]);
  assert.deepEqual(upload.movements.problems.map((problem) => [problem.line, problem.column]),
    [[2, 'DATE_MVT'], [2, 'QUANTITE']]);

  await assert.rejects(readMovementUpload(mapping, await writeZip(entries.slice(0, 2)), 'up.zip'),
    /up\.zip\/LOTSTOCKILINK\.txt: missing: the movement upload has no LOTSTOCKILINK\.txt/);
});

test('the export zip written into a file a row at a time is buildExportZip\'s, byte for byte', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'hil-export-zip-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, 'Tab001.zip');
  const asked: string[] = [];

  const written = await writeExportZipFile(mapping, (spec) => {
    asked.push(spec.name);
    return ALL_TABLES.get(spec.name) ?? [];
  }, file);

  assert.ok(readFileSync(file).equals(await buildExportZip(mapping, ALL_TABLES)));
  assert.deepEqual(asked, mapping.exportTables.map((spec) => spec.name));
  assert.equal(written.bytes, readFileSync(file).length);
  assert.equal(written.tables, mapping.exportTables.length);
  assert.equal(written.rows, [...ALL_TABLES.values()].reduce((sum, rows) => sum + rows.length, 0));
});

test('a row refused while the export zip is written leaves no file', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'hil-export-zip-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, 'Tab001.zip');
  const bad = new Map(ALL_TABLES);
  bad.set('DEPOT', [{ ...bad.get('DEPOT')![0]!, LIBELLE: null }]);

  await assert.rejects(writeExportZipFile(mapping, (spec) => bad.get(spec.name) ?? [], file),
    (error) => error instanceof ExchangeFormatError && /DEPOT.*row 1: required/.test(error.message));
  assert.throws(() => readFileSync(file), /ENOENT/);
});
