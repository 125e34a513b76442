import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExchangeFormatError } from '../errors.ts';
import {
  decodeSingleRowFile, decodeTable, decodeTableStrict, encodeSingleRowFile, encodeTable,
} from './codec.ts';
import { loadMapping, loadMappingFile, MAPPINGS_FOLDER } from './mapping.ts';
import type { Row, TableSpec } from './types.ts';

const mapping = loadMapping('eStock', '1.00');

/** A table with one column of each type. */
const SAMPLE: TableSpec = {
  name: 'SAMPLE',
  file: 'SAMPLE.txt',
  key: ['CODE'],
  columns: [
    { name: 'CODE', type: 'text', length: 10, required: true },
    { name: 'LABEL', type: 'text', length: 50, required: false },
    { name: 'COUNT', type: 'integer', required: false },
    { name: 'QUANTITY', type: 'decimal', scale: 3, required: false },
    { name: 'RATIO', type: 'decimal', required: false },
    { name: 'DAY', type: 'date', required: false },
    { name: 'AT', type: 'datetime', required: false },
    { name: 'ACTIVE', type: 'boolean', required: true },
  ],
};
const HEADER = 'CODE;LABEL;COUNT;QUANTITY;RATIO;DAY;AT;ACTIVE';

const ROWS: Row[] = [
  {
    CODE: 'A1', LABEL: 'Côte « été » à Noël, çà œuvre 5 €', COUNT: -42, QUANTITY: 12.5, RATIO: 0.0625,
    DAY: '2026-12-03', AT: '2026-12-03T19:41:31', ACTIVE: true,
  },
  { CODE: 'B2', LABEL: null, COUNT: null, QUANTITY: null, RATIO: null, DAY: null, AT: null, ACTIVE: false },
  {
    CODE: 'C3', LABEL: 'a;b "quoted"\r\nsecond line', COUNT: 0, QUANTITY: -0.001, RATIO: 1234567.5,
    DAY: '2024-02-29', AT: '2000-01-01T00:00:00', ACTIVE: true,
  },
];

function file(lines: string[], ending = '\r\n'): Buffer {
  return Buffer.from(lines.map((line) => line + ending).join(''), 'latin1');
}

function thrown(work: () => unknown): ExchangeFormatError {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof ExchangeFormatError, `ExchangeFormatError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an ExchangeFormatError');
}

test('encodes Windows-1252 bytes: header, CRLF, decimal comma, DD/MM/YYYY, 1/0', () => {
  const bytes = encodeTable(mapping, SAMPLE, ROWS);
  const text = bytes.toString('latin1');
  const lines = text.split('\r\n');
  assert.equal(lines[0], HEADER);
  assert.equal(lines[1], 'A1;Côte « été » à Noël, çà \x9Cuvre 5 \x80;-42;12,500;0,0625;' +
    '03/12/2026;03/12/2026 19:41:31;1');
  assert.equal(lines[2], 'B2;;;;;;;0');
  assert.ok(text.endsWith('\r\n'), 'the last line ends with CRLF');
  assert.doesNotMatch(text, /(?<!\r)\n/, 'every LF follows a CR');

  const accents: [string, number][] = [['é', 0xe9], ['è', 0xe8], ['à', 0xe0], ['ç', 0xe7], ['œ', 0x9c],
    ['€', 0x80], ['«', 0xab], ['»', 0xbb]];
  for (const [character, byte] of accents) {
    const label = `x${character}x`;
    const encoded = encodeTable(mapping, SAMPLE, [{ CODE: 'A', LABEL: label, ACTIVE: true }]);
    assert.ok(encoded.includes(Buffer.from([0x78, byte, 0x78])), `${character} is 0x${byte.toString(16)}`);
    assert.equal(decodeTableStrict(mapping, SAMPLE, encoded, 'accents')[0]!.LABEL, label);
  }
});

test('values holding the separator, quotes or a line break are quoted and come back whole', () => {
  const text = encodeTable(mapping, SAMPLE, [ROWS[2]!]).toString('latin1');
  assert.match(text, /^C3;"a;b ""quoted""\r\nsecond line";0;-0,001;1234567,5;29\/02\/2024;/m);
  assert.deepEqual(decodeTableStrict(mapping, SAMPLE, Buffer.from(text, 'latin1'), 'quoted'), [ROWS[2]]);
});

test('every column type survives a round trip, with the line of each row', () => {
  const decoded = decodeTable(mapping, SAMPLE, encodeTable(mapping, SAMPLE, ROWS), 'SAMPLE.txt');
  assert.deepEqual(decoded.problems, []);
  assert.deepEqual(decoded.rows.map((row) => row.row), ROWS);
  // The third row starts on line 4: header, A1, B2.
  assert.deepEqual(decoded.rows.map((row) => row.line), [2, 3, 4]);
});

test('decimals are written with exactly `scale` digits, rounded half away from zero', () => {
  const quantity = (value: number) =>
    encodeTable(mapping, SAMPLE, [{ CODE: 'A', QUANTITY: value, ACTIVE: true }]).toString('latin1').split(';')[10];
  assert.equal(quantity(12.5), '12,500');
  assert.equal(quantity(1.0005), '1,001');
  assert.equal(quantity(-2.0005), '-2,001');
  assert.equal(quantity(3), '3,000');
});

test('encoding refuses, naming table, row and column', () => {
  const cases: [Row, string, RegExp][] = [
    [{ CODE: 'A', LABEL: 'Kőbánya', ACTIVE: true }, 'LABEL', /"ő" \(U\+0151\) cannot be written in windows-1252/],
    [{ CODE: 'A', LABEL: 'x'.repeat(57), ACTIVE: true }, 'LABEL', /too long \(57 > 50\)/],
    [{ CODE: 'A', QUANTITY: Number.NaN, ACTIVE: true }, 'QUANTITY', /NaN is not a finite number/],
    [{ CODE: 'A', RATIO: Number.POSITIVE_INFINITY, ACTIVE: true }, 'RATIO', /Infinity is not a finite number/],
    [{ CODE: 'A', COUNT: 1.5, ACTIVE: true }, 'COUNT', /1\.5 is not an integer/],
    [{ CODE: 'A', DAY: '2024-02-30', ACTIVE: true }, 'DAY', /"2024-02-30" is not a date YYYY-MM-DD/],
    [{ CODE: 'A', AT: '03/12/2026', ACTIVE: true }, 'AT', /is not a date and time YYYY-MM-DDTHH:mm:ss/],
    [{ CODE: 'A', ACTIVE: 'yes' }, 'ACTIVE', /"yes" is not a boolean/],
    [{ CODE: 'A' }, 'ACTIVE', /required/],
    [{ CODE: '', ACTIVE: true }, 'CODE', /required/],
    [{ CODE: 'A', ACTIVE: true, COLOUR: 'red' }, 'COLOUR', /unknown column COLOUR/],
  ];
  for (const [row, column, reason] of cases) {
    const error = thrown(() => encodeTable(mapping, SAMPLE, [ROWS[0]!, row]));
    assert.deepEqual(error.at, { file: 'SAMPLE.txt', line: 3, column }, error.message);
    assert.match(error.message, /^SAMPLE\.txt:3 \(column \w+\): table SAMPLE, row 2: /);
    assert.match(error.message, reason);
  }
  const twice = thrown(() => encodeTable(mapping, SAMPLE, [ROWS[0]!, ROWS[1]!, { ...ROWS[1]! }]));
  assert.match(twice.message, /row 3: key CODE=B2 already in row 2/);
});

test('decoding leniently reports each bad line with its line, column and reason', () => {
  const bytes = file([
    HEADER,
    'A1;ok;1;1,5;;;;1',
    'A2;"two\r\nlines";abc;12.5;;31/02/2024;;1',
    'A3;;;;;2024-02-01;03/12/2026 25:00:00;2',
    '',
    'A4;short',
    `A5;${'x'.repeat(57)};;1,2345;;;;0`,
    'A1;again;;;;;;1',
    ';;;;;;;1',
    'A6;last;7;;;;;0',
  ]);
  const decoded = decodeTable(mapping, SAMPLE, bytes, 'up.zip/SAMPLE.txt');
  assert.deepEqual(decoded.rows.map((row) => [row.line, row.row.CODE]), [[2, 'A1'], [11, 'A6']]);
  const problem = (line: number, reason: string, column?: string) =>
    (column === undefined ? { file: 'up.zip/SAMPLE.txt', line, reason }
      : { file: 'up.zip/SAMPLE.txt', line, column, reason });
  assert.deepEqual(decoded.problems, [
    problem(3, 'not an integer: "abc"', 'COUNT'),
    problem(3, 'not a number: "12.5": the decimal separator is ","', 'QUANTITY'),
    problem(3, '31/02/2024 is not a date', 'DAY'),
    problem(5, 'not a date DD/MM/YYYY: "2024-02-01"', 'DAY'),
    problem(5, '03/12/2026 25:00:00 is not a date and time', 'AT'),
    problem(5, 'not a boolean (1 or 0): "2"', 'ACTIVE'),
    problem(6, 'empty line'),
    problem(7, 'wrong number of fields (2, expected 8)'),
    problem(8, 'too long (57 > 50)', 'LABEL'),
    problem(8, 'too many decimals (4 > 3): "1,2345"', 'QUANTITY'),
    problem(9, 'duplicate key CODE=A1 (first at line 2)'),
    problem(10, 'required', 'CODE'),
  ]);
});

test('decoding strictly throws at the first bad line with the same location', () => {
  const bytes = file([HEADER, 'A1;ok;1;;;;;1', 'A2;ok;x;;;;;1', 'A3;ok;y;;;;;1']);
  const error = thrown(() => decodeTableStrict(mapping, SAMPLE, bytes, 'Tab001.zip/SAMPLE.txt'));
  assert.deepEqual(error.at, { file: 'Tab001.zip/SAMPLE.txt', line: 3, column: 'COUNT' });
  assert.equal(error.message, 'Tab001.zip/SAMPLE.txt:3 (column COUNT): not an integer: "x"');
});

test('the header is matched by name: another order reads the same, a missing or unknown column is refused', () => {
  const reordered = file(['ACTIVE;CODE;LABEL;COUNT;QUANTITY;RATIO;DAY;AT', '1;A1;é;;2,5;;;']);
  assert.deepEqual(decodeTableStrict(mapping, SAMPLE, reordered, 'reordered'), [{
    CODE: 'A1', LABEL: 'é', COUNT: null, QUANTITY: 2.5, RATIO: null, DAY: null, AT: null, ACTIVE: true,
  }]);

  const missing = thrown(() => decodeTable(mapping, SAMPLE, file(['CODE;LABEL;COUNT;QUANTITY;RATIO;DAY;AT;COLOUR']),
    'bad-header'));
  assert.deepEqual(missing.at, { file: 'bad-header', line: 1 });
  assert.match(missing.message,
    /does not name the columns of table SAMPLE: missing ACTIVE; unknown COLOUR; expected CODE/);
  const twice = thrown(() => decodeTable(mapping, SAMPLE, file([`${HEADER};CODE`]), 'twice'));
  assert.match(twice.message, /: named twice CODE; expected/);
});

test('structural problems spoil the whole file', () => {
  const cases: [Buffer, RegExp, number | undefined][] = [
    [Buffer.alloc(0), /empty file \(0 bytes\): expected at least the header line/, undefined],
    [file([HEADER, 'A1;ok;;;;;;1'], '\r'), /lines end with CR; the mapping's codec.lineEnding allows CRLF or LF/, 1],
    [Buffer.from(`${HEADER.replace('LABEL', 'LIBELLÉ')}\r\n`, 'utf8'), /UTF-8 text in a windows-1252 file/, 1],
    [file([HEADER, 'A1;ok;;;;;;1', 'A2;"never closed;;;;;;1', 'A3;ok;;;;;;1']),
      /a quote opened .* is never closed/, 3],
  ];
  for (const [bytes, reason, line] of cases) {
    const error = thrown(() => decodeTable(mapping, SAMPLE, bytes, 'broken.txt'));
    assert.match(error.message, reason);
    assert.equal(error.at.line, line, error.message);
  }
});

test('a header alone is zero rows; the final line ending may be left out', () => {
  assert.deepEqual(decodeTable(mapping, SAMPLE, file([HEADER]), 'empty'), { rows: [], problems: [] });
  const unended = Buffer.from(`${HEADER}\r\nA1;ok;;;;;;1`, 'latin1');
  assert.deepEqual(decodeTableStrict(mapping, SAMPLE, unended, 'unended').map((row) => row.CODE), ['A1']);
});

test('single-row files hold a header and exactly one line', () => {
  const row = { DATA_VERSION: '1.00', EXPORT_DATE: '2026-12-03T19:41:31' };
  const bytes = encodeSingleRowFile(mapping, 'exportVersion', row);
  assert.equal(bytes.toString('latin1'), 'DATA_VERSION;EXPORT_DATE\r\n1.00;03/12/2026 19:41:31\r\n');
  assert.deepEqual(decodeSingleRowFile(mapping, 'exportVersion', bytes, 'Version.txt'), row);

  const two = Buffer.concat([bytes, Buffer.from('1.01;04/12/2026 08:00:00\r\n')]);
  assert.match(thrown(() => decodeSingleRowFile(mapping, 'exportVersion', two, 'Version.txt')).message,
    /^Version\.txt: holds 2 lines of values; a exportVersion file holds exactly one after the header/);
  const none = Buffer.from('DATA_VERSION;EXPORT_DATE\r\n');
  const noLine = thrown(() => decodeSingleRowFile(mapping, 'exportVersion', none, 'Version.txt'));
  assert.match(noLine.message, /holds 0 lines/);
});

test('another mapping changes the output without a code change: "|" and UTF-8', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hil-codec-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const shipped = readFileSync(join(MAPPINGS_FOLDER, 'eStock', '1.00.yaml'), 'utf8');
  mkdirSync(join(dir, 'eStock'));
  const path = join(dir, 'eStock', '1.00.yaml');
  writeFileSync(path, shipped
    .replace('separator: ";"', 'separator: "|"')
    .replace('encoding: windows-1252', 'encoding: utf-8')
    .replace('decimalSeparator: ","', 'decimalSeparator: "."')
    .replace('lineEnding: "\\r\\n"', 'lineEnding: "\\n"'));
  const other = loadMappingFile(path);

  const bytes = encodeTable(other, SAMPLE, [ROWS[0]!]);
  assert.equal(bytes.toString('utf8'), 'CODE|LABEL|COUNT|QUANTITY|RATIO|DAY|AT|ACTIVE\n' +
    'A1|Côte « été » à Noël, çà œuvre 5 €|-42|12.500|0.0625|03/12/2026|03/12/2026 19:41:31|1\n');
  assert.ok(bytes.includes(Buffer.from([0xc3, 0xa9])), 'é is written as UTF-8');
  assert.deepEqual(decodeTableStrict(other, SAMPLE, bytes, 'utf8'), [ROWS[0]]);
  // In UTF-8 a byte order mark is skipped, and "ő" can be written.
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
  assert.equal(decodeTableStrict(other, SAMPLE, withBom, 'bom')[0]!.CODE, 'A1');
  assert.doesNotThrow(() => encodeTable(other, SAMPLE, [{ CODE: 'A', LABEL: 'Kőbánya', ACTIVE: true }]));
  // windows-1252 bytes where UTF-8 is expected: that line is refused, the others read.
  const latin = Buffer.concat([bytes, Buffer.from('B2|Lo\xefc||||||0\n', 'latin1')]);
  const decoded = decodeTable(other, SAMPLE, latin, 'latin');
  assert.deepEqual(decoded.rows.map((row) => row.row.CODE), ['A1']);
  assert.match(decoded.problems[0]?.reason ?? '', /^byte 0xEF is not valid utf-8; the line is refused/);
});

test('line endings: CRLF, LF and both mixed read the same; a quoted line break stays in its value', () => {
  const lines = [HEADER, 'A1;"a;b";;;;;;1', 'A2;"two\r\nlines";;;;;;0', 'A3;x;;;;;;1'];
  const expected = decodeTableStrict(mapping, SAMPLE, file(lines), 'crlf');
  assert.deepEqual(expected.map((row) => row.LABEL), ['a;b', 'two\r\nlines', 'x']);
  assert.deepEqual(decodeTableStrict(mapping, SAMPLE, file(lines, '\n'), 'lf'), expected);
  const mixed = Buffer.from(`${HEADER}\nA1;"a;b";;;;;;1\r\nA2;"two\r\nlines";;;;;;0\nA3;x;;;;;;1`, 'latin1');
  const decoded = decodeTable(mapping, SAMPLE, mixed, 'mixed');
  assert.deepEqual(decoded.rows.map((row) => [row.line, row.row]), expected.map((row, index) =>
    [[2, 3, 5][index], row]));
});

test('a UTF-8 byte order mark is skipped and the file read as UTF-8, whatever the mapping says', () => {
  const text = `${HEADER}\r\nA1;Côte « été » 5 €;;;;;;1\r\n`;
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  assert.deepEqual(decodeTableStrict(mapping, SAMPLE, withBom, 'bom').map((row) => row.LABEL),
    ['Côte « été » 5 €']);
  // Behind the mark, windows-1252 bytes are not UTF-8: that line alone is refused.
  const mixed = Buffer.concat([withBom, Buffer.from('A2;Lo\xefc;;;;;;1\r\nA3;ok;;;;;;0\r\n', 'latin1')]);
  const decoded = decodeTable(mapping, SAMPLE, mixed, 'bom');
  assert.deepEqual(decoded.rows.map((row) => row.row.CODE), ['A1', 'A3']);
  assert.deepEqual(decoded.problems, [{ file: 'bom', line: 3,
    reason: 'byte 0xEF is not valid utf-8; the line is refused: the file must be saved as utf-8' }]);
});

test('lines that cannot be read as windows-1252 text are refused one by one: bad bytes, UTF-8', () => {
  const bytes = Buffer.concat([
    file([HEADER, 'A1;Côte;;;;;;1']),
    Buffer.from('A2;Côte;;;;;;1\r\n', 'utf8'),
    Buffer.from('A3;x\x81y;;;;;;1\r\n', 'latin1'),
    Buffer.from('A4;"multi\r\nLoïc";;;;;;1\r\n', 'utf8'),
    file(['A5;CAFÉ\xa0;;;;;;0']),
  ]);
  const decoded = decodeTable(mapping, SAMPLE, bytes, 'up.zip/SAMPLE.txt');
  assert.deepEqual(decoded.rows.map((row) => [row.line, row.row.LABEL]), [[2, 'Côte'], [7, 'CAFÉ\u00a0']]);
  assert.deepEqual(decoded.problems.map((problem) => [problem.line, problem.reason]), [
    [3, 'UTF-8 text in a windows-1252 file: "Ã´" would be read for "ô" (U+00F4); the line is refused: ' +
      'the file must be saved as windows-1252'],
    [4, 'byte 0x81 is not valid windows-1252; the line is refused: the file must be saved as windows-1252'],
    [5, 'line 6: UTF-8 text in a windows-1252 file: "Ã¯" would be read for "ï" (U+00EF); the line is refused: ' +
      'the file must be saved as windows-1252'],
  ]);
});

test('numbers written for a person are refused with a hint: thousands separators, a decimal point', () => {
  const fields = ['1.234,5', '1 234,5', '1\u00a0234', '1.234.567', '12.5', '1.234', '1,2,3'];
  const bytes = file([HEADER, ...fields.map((field, index) => `A${index};;;${field};;;;1`), 'B;;;1234,5;;;;1']);
  const decoded = decodeTable(mapping, SAMPLE, bytes, 'n.txt');
  assert.deepEqual(decoded.rows.map((row) => row.row.QUANTITY), [1234.5]);
  assert.deepEqual(decoded.problems.map((problem) => problem.reason), [
    'not a number: "1.234,5": thousands separators are refused, write "1234,5"',
    'not a number: "1 234,5": thousands separators are refused, write "1234,5"',
    'not a number: "1\u00a0234": thousands separators are refused, write "1234"',
    'not a number: "1.234.567": thousands separators are refused, write "1234567"',
    'not a number: "12.5": the decimal separator is ","',
    'not a number: "1.234": the decimal separator is ",", and thousands separators are refused',
    'not a number: "1,2,3"',
  ]);
});

test('a line with a field missing or one too many is refused; a quoted separator is one field', () => {
  const bytes = file([HEADER, 'A1;"x;y";;;;;;1', 'A2;x;;;;;1', 'A3;x;;;;;;1;', 'A4;"a"";""b";;;;;;1']);
  const decoded = decodeTable(mapping, SAMPLE, bytes, 'f.txt');
  assert.deepEqual(decoded.rows.map((row) => row.row.LABEL), ['x;y', 'a";"b']);
  assert.deepEqual(decoded.problems.map((problem) => [problem.line, problem.reason]), [
    [3, 'wrong number of fields (7, expected 8)'], [4, 'wrong number of fields (9, expected 8)'],
  ]);
});
