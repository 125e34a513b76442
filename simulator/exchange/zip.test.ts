import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ZipError } from '../errors.ts';
import { DEFAULT_ZIP_LIMITS, extractZip, readZip, safeEntryName, writeZip, type ZipEntry } from './zip.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-zip-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/**
 * The bytes of a stored (uncompressed) zip written by hand, so that names no
 * zip tool would write (`..\..\evil.txt`, `/abs/path`, twice the same) can be tried.
 */
function rawZip(entries: readonly { name: string; data: string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.data, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(0x0021, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0x0021, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

async function refusal(work: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof ZipError, `ZipError, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

const ENTRIES: ZipEntry[] = [
  { name: 'ARTICLE.txt', data: Buffer.from('ART_CODE;LIBELLE\r\nA1;Côte\r\n', 'latin1') },
  { name: 'sub/DEPOT.txt', data: Buffer.from('x'.repeat(5000)) },
  { name: 'EMPTY.txt', data: Buffer.alloc(0) },
];

test('a written zip reads back, in order, compressed, dated 1980-01-01', async () => {
  const zip = await writeZip(ENTRIES);
  assert.deepEqual(await readZip(zip, 'test.zip'), ENTRIES);
  assert.ok(zip.length < 1000, `the 5000 x compress (${zip.length} bytes)`);
  assert.equal(zip.readUInt16LE(10), 0x0000, 'DOS time 00:00');
  assert.equal(zip.readUInt16LE(12), 0x0021, 'DOS date 1980-01-01');
});

test('the same entries give the same bytes; another mtime gives others', async () => {
  const first = await writeZip(ENTRIES);
  assert.ok(first.equals(await writeZip(ENTRIES.map((entry) => ({ ...entry })))));
  assert.ok(!first.equals(await writeZip(ENTRIES, { mtime: new Date(2026, 11, 3, 19, 41, 30) })));
});

test('writing refuses unsafe or repeated names', async () => {
  await refusal(writeZip([{ name: '../x.txt', data: Buffer.alloc(1) }]), /unsafe entry name: "\.\.\/x\.txt" escapes/);
  await refusal(writeZip([{ name: 'a.txt', data: Buffer.alloc(1) }, { name: './a.txt', data: Buffer.alloc(1) }]),
    /entry a\.txt given twice/);
});

test('entry names escaping their folder are refused', async () => {
  await refusal(readZip(rawZip([{ name: '..\\..\\evil.txt', data: 'evil' }]), 'up.zip'),
    /^up\.zip: unsafe entry name \(invalid relative path: \.\.\/\.\.\/evil\.txt\)/);
  await refusal(readZip(rawZip([{ name: '/abs/path', data: 'evil' }]), 'up.zip'), /unsafe entry name \(absolute path/);
  await refusal(readZip(rawZip([{ name: 'C:\\Windows\\evil.txt', data: 'evil' }]), 'up.zip'), /unsafe entry name/);
  await refusal(extractZip(rawZip([{ name: 'ok.txt', data: 'ok' }, { name: '../evil.txt', data: 'evil' }]),
    'up.zip', join(folder, 'target')), /unsafe entry name/);
  assert.ok(!existsSync(join(folder, 'evil.txt')));
});

test('the name checks by themselves', () => {
  assert.equal(safeEntryName('sub\\.\\file.txt'), 'sub/file.txt');
  assert.equal(safeEntryName('a/../b.txt'), 'b.txt');
  assert.ok(safeEntryName('a/../../b.txt') instanceof Error);
  assert.ok(safeEntryName('\\\\server\\share') instanceof Error);
  assert.ok(safeEntryName('d:file') instanceof Error);
  assert.ok(safeEntryName('a\u0000b') instanceof Error);
});

test('backslashes are separators; directory entries are left out', async () => {
  const zip = rawZip([{ name: 'sub\\', data: '' }, { name: 'sub\\file.txt', data: 'inside' }]);
  const entries = await readZip(zip, 'win.zip');
  assert.deepEqual(entries.map((entry) => [entry.name, entry.data.toString()]), [['sub/file.txt', 'inside']]);
});

test('a name given twice is refused', async () => {
  await refusal(readZip(rawZip([{ name: 'A.txt', data: '1' }, { name: 'A.txt', data: '2' }]), 'dup.zip'),
    /^dup\.zip: entry A\.txt appears twice/);
});

test('empty, random and truncated bytes are refused with a clear message', async () => {
  await refusal(readZip(Buffer.alloc(0), 'empty.zip'), /^empty\.zip: empty file \(0 bytes\), not a zip/);
  await refusal(readZip(randomBytes(2000), 'random.zip'), /^random\.zip: not a zip, or a truncated one/);
  const zip = await writeZip(ENTRIES);
  await refusal(readZip(zip.subarray(0, Math.floor(zip.length / 2)), 'half.zip'), /^half\.zip: not a zip/);
  await refusal(readZip(zip.subarray(0, zip.length - 5), 'cut.zip'), /^cut\.zip: not a zip/);
  // The end record intact but the first entry's bytes gone: the central directory points into nothing.
  await refusal(readZip(zip.subarray(40), 'head.zip'), /^head\.zip: /);
});

test('damaged compressed data is refused', async () => {
  const zip = await writeZip([{ name: 'big.txt', data: Buffer.from('abc'.repeat(2000)) }]);
  const damaged = Buffer.from(zip);
  const dataStart = 30 + 'big.txt'.length;
  damaged.fill(0xff, dataStart, dataStart + 8);
  await refusal(readZip(damaged, 'damaged.zip'), /^damaged\.zip: entry big\.txt: /);
});

test('limits on entries and bytes hold, even when the zip lies about its sizes', async () => {
  const zip = await writeZip(ENTRIES);
  await refusal(readZip(zip, 'many.zip', { ...DEFAULT_ZIP_LIMITS, maxEntries: 2 }),
    /^many\.zip: 3 entries, more than the limit of 2/);
  await refusal(readZip(zip, 'big.zip', { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: 1000 }),
    /entry sub\/DEPOT\.txt holds 5000 bytes, more than the limit of 1000/);
  await refusal(readZip(zip, 'all.zip', { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 5010 }),
    /more than the limit of 5010 bytes in all/);

  // A bomb: a million zeros declared as 100 bytes, in both the local and the central header.
  const bomb = Buffer.from(await writeZip([{ name: 'zeros.bin', data: Buffer.alloc(1_000_000) }]));
  bomb.writeUInt32LE(100, 22);
  bomb.writeUInt32LE(100, bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
  await refusal(readZip(bomb, 'bomb.zip'), /^bomb\.zip: entry zeros\.bin: /);
});

test('extracting writes every file under the target folder', async () => {
  const target = join(folder, 'extract');
  const written = await extractZip(await writeZip(ENTRIES), 'test.zip', target);
  assert.deepEqual(written, [join(target, 'ARTICLE.txt'), join(target, 'sub', 'DEPOT.txt'), join(target, 'EMPTY.txt')]);
  assert.deepEqual(readFileSync(join(target, 'sub', 'DEPOT.txt')), ENTRIES[1]!.data);
});

test('an entry that inflates past the compression ratio is refused, by its header or while inflating', async () => {
  const limits = { ...DEFAULT_ZIP_LIMITS, maxCompressionRatio: 50, ratioCheckAboveBytes: 10_000 };
  const zeros = await writeZip([{ name: 'zeros.bin', data: Buffer.alloc(200_000) }]);
  await refusal(readZip(zeros, 'ratio.zip', limits),
    /^ratio\.zip: entry zeros\.bin declares 200000 bytes from \d+ compressed \(\d+ times\), more than the limit of 50/);
  assert.equal((await readZip(zeros, 'ratio.zip', { ...limits, maxCompressionRatio: 2000 }))[0]?.data.length, 200_000);
  // Small files of repeated text are not bombs: the ratio counts past ratioCheckAboveBytes only.
  const small = await writeZip([{ name: 'x.txt', data: Buffer.from('x'.repeat(9_000)) }]);
  assert.equal((await readZip(small, 'small.zip', limits)).length, 1);

  // The header claims 9,000 bytes, under the bytes the ratio counts from: only inflating tells.
  const liar = Buffer.from(zeros);
  liar.writeUInt32LE(9_000, 22);
  liar.writeUInt32LE(9_000, liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
  await refusal(readZip(liar, 'liar.zip', limits),
    /^liar\.zip: entry zeros\.bin: gave \d+ bytes from \d+ compressed .*limit of 50 times: a zip bomb, whatever its/);
  await refusal(readZip(liar, 'liar.zip', { ...limits, maxCompressionRatio: 2000 }),
    /^liar\.zip: entry zeros\.bin: gives more bytes than the 9000 it declares/);
});

test('a CRC-32 that does not match, or an unknown compression method, is refused', async () => {
  const zip = Buffer.from(rawZip([{ name: 'a.txt', data: 'hello' }]));
  const centralStart = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const badCrc = Buffer.from(zip);
  badCrc.writeUInt32LE(0x12345678, centralStart + 16);
  await refusal(readZip(badCrc, 'crc.zip'), /^crc\.zip: entry a\.txt: damaged: its CRC-32 does not match/);
  const bzip2 = Buffer.from(zip);
  bzip2.writeUInt16LE(12, 8);
  bzip2.writeUInt16LE(12, centralStart + 10);
  await refusal(readZip(bzip2, 'bz.zip'),
    /^bz\.zip: entry a\.txt uses compression method 12; only stored \(0\) and deflate/);
});

test('every name is checked before any entry is read', async () => {
  // The first entry is damaged (its CRC-32 is wrong), the second escapes: the name is what is reported.
  const zip = Buffer.from(rawZip([{ name: 'a.txt', data: 'hello' }, { name: '../evil.txt', data: 'evil' }]));
  zip.writeUInt32LE(0x12345678, zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 16);
  await refusal(readZip(zip, 'evil.zip'), /^evil\.zip: unsafe entry name \(invalid relative path/);
  await refusal(readZip(rawZip([{ name: 'a.txt', data: 'hello' }, { name: 'b/../../c', data: '' }]), 'up.zip'),
    /^up\.zip: unsafe entry name/);
});
