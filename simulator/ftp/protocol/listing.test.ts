import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dosListLine } from './listing.ts';

test('MS-DOS lines as IIS gives them: two-digit year, 12-hour clock, <DIR> or the size, name at column 40', (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'hil-listing-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const afternoon = new Date('2026-12-04T16:05:00Z');
  const midnight = new Date('2025-01-09T00:30:00Z');
  mkdirSync(join(folder, 'MvtStocks'));
  writeFileSync(join(folder, 'file.zip'), Buffer.alloc(1234));
  utimesSync(join(folder, 'MvtStocks'), afternoon, afternoon);
  utimesSync(join(folder, 'file.zip'), midnight, midnight);

  const lines = ['MvtStocks', 'file.zip'].map((name) => dosListLine({ name, stats: statSync(join(folder, name)) }));

  assert.deepEqual(lines, [
    '12-04-26  04:05PM       <DIR>          MvtStocks',
    '01-09-25  12:30AM                 1234 file.zip',
  ]);
});
