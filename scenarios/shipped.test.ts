/**
 * The shipped scenarios, the suite `npm start` runs, all pass: a change to
 * the simulator that breaks one fails `npm test` too.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runSuite, scenarioFiles } from './runner/run-suite.ts';

test('every scenario in scenarios/ passes', { timeout: 120_000 }, async (t) => {
  const reports = mkdtempSync(join(tmpdir(), 'hil-shipped-'));
  t.after(() => rmSync(reports, { recursive: true, force: true }));
  const files = scenarioFiles();
  assert.ok(files.length >= 10, `the shipped scenarios: ${files.join(', ')}`);

  const summary = await runSuite({ files, reports });

  const wrong = summary.scenarios.filter((result) => result.status !== 'passed')
    .map((result) => `${result.name}: ${result.status} ${JSON.stringify(result.error)}`);
  assert.deepEqual(wrong, []);
});
