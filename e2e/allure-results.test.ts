import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { clearResults, countResults, readTestResults } from './allure-results.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-allure-results-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function result(name: string, status: string): string {
  return JSON.stringify({ name, status, labels: [], steps: [], attachments: [] });
}

test('results are counted by status, and clearing removes Allure files only', () => {
  writeFileSync(join(folder, 'a1-result.json'), result('Full cycle', 'passed'));
  writeFileSync(join(folder, 'a2-result.json'), result('Two devices', 'failed'));
  writeFileSync(join(folder, 'a3-result.json'), result('Licence', 'broken'));
  writeFileSync(join(folder, 'a4-result.json'), result('Other', 'skipped'));
  writeFileSync(join(folder, 'c1-container.json'), '{}');
  writeFileSync(join(folder, 'f1-attachment.png'), 'png');
  writeFileSync(join(folder, 'environment.properties'), 'x=1');
  writeFileSync(join(folder, 'notes.md'), 'mine');

  assert.deepEqual(countResults(readTestResults(folder)), { passed: 1, failed: 1, broken: 1, other: 1 });
  clearResults(folder);
  assert.deepEqual(readdirSync(folder), ['notes.md']);
  assert.deepEqual(readTestResults(join(folder, 'missing')), []);
});
