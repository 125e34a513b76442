import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ExchangeFormatError } from '../errors.ts';
import { loadMapping, loadMappingFile, MAPPINGS_FOLDER } from './mapping.ts';

const SHIPPED = join(MAPPINGS_FOLDER, 'eStock', '1.00.yaml');
const shippedText = readFileSync(SHIPPED, 'utf8');
const folder = mkdtempSync(join(tmpdir(), 'hil-mapping-'));
after(() => rmSync(folder, { recursive: true, force: true }));

let written = 0;
/** A copy of the shipped mapping with one text replaced, as <folder>/<n>/1.00.yaml. */
function variant(from: string, to: string): string {
  assert.ok(shippedText.includes(from), `the shipped mapping holds ${from}`);
  const dir = join(folder, String(written++));
  mkdirSync(dir);
  const file = join(dir, '1.00.yaml');
  writeFileSync(file, shippedText.replace(from, to));
  return file;
}

function assertRefused(file: string, message: RegExp): void {
  assert.throws(() => loadMappingFile(file), (error: unknown) => {
    assert.ok(error instanceof ExchangeFormatError, `ExchangeFormatError, got ${String(error)}`);
    assert.ok(error.message.startsWith(`${file}: `), error.message);
    assert.match(error.message, message);
    return true;
  });
}

test('the shipped mapping holds the 52 tables of the guide, the codec and the paths', () => {
  const mapping = loadMapping('eStock', '1.00');
  assert.equal(mapping.exportTables.length, 52);
  assert.equal(mapping.exportTables[0]!.name, 'ARTCRITERIA1');
  assert.equal(mapping.exportTables.at(-1)!.name, 'UPPERFAMILY');
  assert.equal(mapping.codec.separator, ';');
  assert.equal(mapping.codec.lineEnding, '\r\n');
  assert.equal(mapping.paths.exportZip, 'Sortant/eStock/{device}/{device}.zip');
  assert.equal(mapping.upload.movements.file, 'MVTSTOCK.txt');
  assert.equal(mapping.source, SHIPPED);
});

test('aliases give each table its own copy of the shared columns', () => {
  const mapping = loadMapping('eStock', '1.00');
  const first = mapping.exportTables.find((table) => table.name === 'ARTCRITERIA1')!;
  const second = mapping.exportTables.find((table) => table.name === 'STOCRITERIA5')!;
  assert.deepEqual(second.columns, first.columns);
  assert.notEqual(second.columns, first.columns);
  assert.deepEqual(first.columns.map((column) => column.name), ['CODE', 'LIBELLE']);
});

test('key columns are required, others default to not required; single-row files are named', () => {
  const mapping = loadMapping('eStock', '1.00');
  const article = mapping.exportTables.find((table) => table.name === 'ARTICLE')!;
  const column = (name: string) => article.columns.find((candidate) => candidate.name === name)!;
  assert.equal(column('ART_CODE').required, true);
  assert.equal(column('FAM_CODE').required, false);
  assert.deepEqual(column('CONTENANCE'), { name: 'CONTENANCE', type: 'decimal', scale: 3, required: false });
  assert.equal(mapping.files.exportVersion.file, 'Version.txt');
  assert.equal(mapping.files.exportStatus.file, '{device}.txt');
  assert.deepEqual(mapping.files.deviceVersion.key, []);
});

test('a mapping is read once per path and frozen', () => {
  const mapping = loadMapping('eStock', '1.00');
  assert.equal(loadMappingFile(SHIPPED), mapping);
  assert.ok(Object.isFrozen(mapping.exportTables[3]!.columns[1]));
  assert.throws(() => {
    (mapping.codec as { separator: string }).separator = ',';
  }, TypeError);
});

test('an unknown column type names the file and the key path', () => {
  const file = variant('{ name: CONTENANCE, type: decimal, scale: 3 }', '{ name: CONTENANCE, type: money }');
  assertRefused(file, /: export\.tables\.23\.columns\.6\.type: Invalid option/);
});

test('an encoding iconv-lite does not know is refused', () => {
  assertRefused(variant('encoding: windows-1252', 'encoding: windows-9999'),
    /: codec\.encoding: windows-9999 is not an encoding known to iconv-lite/);
});

test('a key column that is not a column is refused', () => {
  const file = variant('key: [ART_CODE]\n      columns:\n        - { name: ART_CODE, type: text, length: 20 }\n' +
    '        - { name: LIBELLE, type: text, length: 120',
  'key: [ARTCODE]\n      columns:\n        - { name: ART_CODE, type: text, length: 20 }\n' +
    '        - { name: LIBELLE, type: text, length: 120');
  assertRefused(file, /: export\.tables\.23\.key\.0: ARTCODE is not one of the columns/);
});

test('table names and file names must be unique', () => {
  assertRefused(variant('{ name: ARTCRITERIA2, file: ARTCRITERIA2.txt', '{ name: ARTCRITERIA1, file: ARTCRITERIA2.txt'),
    /: export\.tables\.1\.name: table ARTCRITERIA1 appears twice/);
  assertRefused(variant('{ name: ARTCRITERIA2, file: ARTCRITERIA2.txt', '{ name: ARTCRITERIA2, file: artcriteria1.txt'),
    /: export\.tables\.1\.file: file artcriteria1\.txt appears twice/);
});

test('length on a non-text column, a missing key list and an unquoted version are refused', () => {
  assertRefused(variant('{ name: CRITERIA_NUM, type: integer }', '{ name: CRITERIA_NUM, type: integer, length: 3 }'),
    /: export\.tables\.21\.columns\.0\.length: applies to text columns only/);
  assertRefused(variant('      key: [ART_CODE, ART_CODE_LIE]\n', ''), /: export\.tables\.24\.key: /);
  assertRefused(variant('version: "1.00"', 'version: 1.00'), /: version: must be a string: quote it/);
});

test('broken YAML and unknown keys name the file', () => {
  assertRefused(variant('format: eStock', 'format: [eStock'), /cannot read the mapping file/);
  assertRefused(variant('  header: true', '  header: true\n  quoting: always'), /: codec: Unrecognized key: "quoting"/);
});

test('a movement upload name without {timestamp} is refused', () => {
  assertRefused(variant('MvtStocks/LotStockExported_{timestamp}.zip', 'MvtStocks/LotStockExported.zip'),
    /: paths\.movementUpload: its file name must hold \{timestamp\} once/);
});

test('loadMapping checks the names asked and the format and version the file states', () => {
  assert.throws(() => loadMapping('../eStock', '1.00'), ConfigError);
  const dir = join(folder, 'renamed', 'eStock');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '1.01.yaml'), shippedText);
  assert.throws(() => loadMapping('eStock', '1.01', join(folder, 'renamed')),
    /says format eStock version 1\.00, but was loaded as eStock 1\.01/);
});

test('the mapping states the app versions its format goes with, as numbers a range can hold', () => {
  assert.deepEqual(loadMapping('eStock', '1.00').appVersions, { min: '1.0.0', below: '3.0.0' });
  const range = 'appVersions: { min: "1.0.0", below: "3.0.0" }';
  assertRefused(variant(range, 'appVersions: { min: "1.0.0", below: "1.0" }'),
    /appVersions\.below: must be above min \(1\.0\.0\)/);
  assertRefused(variant(range, 'appVersions: { min: "v1" }'), /appVersions\.min: must be numbers joined by dots/);
  assert.equal(loadMappingFile(variant(range, '')).appVersions, undefined);
});
