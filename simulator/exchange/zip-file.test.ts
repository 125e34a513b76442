import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipError } from '../errors.ts';
import { readZip, writeZip, type ZipEntry } from './zip.ts';
import { createZipFile } from './zip-file.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-zip-file-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Text that compresses, some random bytes that do not, and an empty file. */
const ENTRIES: ZipEntry[] = [
  { name: 'ARTICLE.txt', data: Buffer.from('ART_CODE;LIBELLE\r\n'.concat(
    Array.from({ length: 20_000 }, (_, n) => `ART${n};Château n° ${n % 97}\r\n`).join('')), 'latin1') },
  { name: 'EMPTY.txt', data: Buffer.alloc(0) },
  { name: 'sub/RANDOM.bin', data: randomBytes(300_000) },
  { name: 'été.txt', data: Buffer.from('x') },
];

/** A buffer cut into pieces of `size` bytes. */
function* pieces(data: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function streamedZip(name: string, cut: number, mtime?: Date): Promise<Buffer> {
  const file = join(folder, name);
  const zip = await createZipFile(file, mtime === undefined ? {} : { mtime });
  for (const entry of ENTRIES) {
    const written = await zip.add(entry.name, pieces(entry.data, cut));
    assert.equal(written.size, entry.data.length);
  }
  const bytes = await zip.close();
  const data = readFileSync(file);
  assert.equal(data.length, bytes);
  return data;
}

test('a zip streamed into a file is byte for byte the zip writeZip makes, however the data is cut', async () => {
  const expected = await writeZip(ENTRIES);
  for (const cut of [1_000, 65_536, 10_000_000]) {
    assert.ok((await streamedZip(`cut-${cut}.zip`, cut)).equals(expected), `cut into ${cut} bytes`);
  }
  const mtime = new Date(2026, 11, 3, 19, 41, 31);
  assert.ok((await streamedZip('dated.zip', 4096, mtime)).equals(await writeZip(ENTRIES, { mtime })));
});

test('the streamed zip reads back whole', async () => {
  const entries = await readZip(await streamedZip('read.zip', 8192), 'read.zip');
  assert.deepEqual(entries.map((entry) => entry.name), ENTRIES.map((entry) => entry.name));
  entries.forEach((entry, index) => assert.ok(entry.data.equals(ENTRIES[index]!.data), entry.name));
});

test('an unsafe or repeated name is refused with a ZipError naming the file', async () => {
  const file = join(folder, 'names.zip');
  const zip = await createZipFile(file);
  await assert.rejects(zip.add('../outside.txt', []), (error) => error instanceof ZipError &&
    /names\.zip.*escapes its folder/.test(error.message));
  await zip.add('a.txt', [Buffer.from('a')]);
  await assert.rejects(zip.add('./a.txt', []), /entry a\.txt given twice/);
  await zip.close();
  assert.deepEqual((await readZip(readFileSync(file), 'names.zip')).map((entry) => entry.name), ['a.txt']);
});

test('a source that fails stops the entry; abort removes the file', async () => {
  const file = join(folder, 'failed.zip');
  const zip = await createZipFile(file);
  function* failing(): Generator<Buffer> {
    yield Buffer.from('first chunk');
    throw new Error('row 12 refused');
  }
  await assert.rejects(zip.add('T.txt', failing()), /row 12 refused/);
  await zip.abort();
  assert.equal(existsSync(file), false);
});
