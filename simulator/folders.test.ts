import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeFolders } from './folders.ts';

test('makeFolders makes every missing level, and accepts a folder already there', () => {
  const base = mkdtempSync(join(tmpdir(), 'estock-hil-folders-'));
  try {
    const deep = join(base, 'a', 'b', 'c');
    assert.equal(makeFolders(deep), deep);
    assert.ok(statSync(deep).isDirectory());
    assert.equal(makeFolders(deep), deep);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('makeFolders fails at once where a level cannot be made', () => {
  const base = mkdtempSync(join(tmpdir(), 'estock-hil-folders-'));
  try {
    const file = join(base, 'a-file');
    writeFileSync(file, '');
    assert.throws(() => makeFolders(join(file, 'below')), { code: 'ENOTDIR' });
    assert.throws(() => makeFolders(file), { code: 'ENOTDIR' });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('makeFolders fails at once under /proc, where a recursive mkdir would spin for ever', { skip:
  statSync('/proc', { throwIfNoEntry: false }) === undefined && 'no /proc on this system' }, () => {
  assert.throws(() => makeFolders('/proc/estock-hil-nope/reports'), { code: 'ENOENT' });
});
