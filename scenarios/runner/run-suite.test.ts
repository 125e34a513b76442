import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../../simulator/errors.ts';
import { writeSummary } from '../../reports/summary.ts';
import { loadScenario } from './load.ts';
import { runScenario } from './run-scenario.ts';
import { createNewFolder, newRunId, runSuite } from './run-suite.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-run-suite-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const exportOnly = join(folder, 'export-only.yaml');
writeFileSync(exportOnly, 'setup: { devices: [Tab001] }\nsteps:\n  - bo.export: { expect: { tables: 52 } }\n');
/** A plain file: nothing can be made under it. */
const notAFolder = join(folder, 'not-a-folder');
writeFileSync(notAFolder, '');

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('it succeeded');
}

test('a reports folder that cannot be made is a ConfigError naming it and what to do', async () => {
  const reports = join(notAFolder, 'reports');
  const error = await rejection(runSuite({ files: [exportOnly], reports }));
  assert.match(error.message, new RegExp(`cannot create the folder ${reports}/\\d{4}-.*: ENOTDIR.*` +
    'choose a reports folder that can be created and written'));
});

test('a scenario folder or a summary that cannot be written is a ConfigError, not a raw fs error', async () => {
  const scenario = loadScenario(exportOnly);
  const error = await rejection(runScenario(scenario, { folder: join(notAFolder, 'scenario') }));
  assert.match(error.message, /cannot create the scenario folder .*not-a-folder\/scenario: ENOTDIR/);

  const summary = { run: 'r', folder: join(notAFolder, 'r'), startedAt: '', ms: 0, passed: 0, failed: 0,
    broken: 0, scenarios: [] };
  assert.throws(() => writeSummary(summary), (thrown: unknown) => thrown instanceof ConfigError &&
    /cannot write .*not-a-folder\/r\/summary\.json: ENOTDIR/.test(thrown.message));
});

test('run ids sort in start order to the millisecond', () => {
  const first = newRunId(new Date('2026-12-04T04:23:55.007Z'));
  const second = newRunId(new Date('2026-12-04T04:23:55.042Z'));
  assert.equal(first, '2026-12-04T04-23-55.007');
  assert.ok(first < second);
});

test('a folder already there is never reused: the new one gets a suffix, and names keep their order', () => {
  const base = join(folder, 'taken', newRunId());
  mkdirSync(base, { recursive: true });
  writeFileSync(join(base, 'other-run.txt'), 'left by another run');
  const made = [createNewFolder(base), createNewFolder(base)];
  assert.deepEqual(made, [`${base}-02`, `${base}-03`]);
  assert.equal(readFileSync(join(base, 'other-run.txt'), 'utf8'), 'left by another run');
  assert.deepEqual([base, ...made].sort(), [base, ...made]);
});

test('runs started together into one folder name each get their own folder', async () => {
  const requested = join(folder, 'parallel', newRunId());
  const summaries = await Promise.all([1, 2, 3].map(() => runSuite({ files: [exportOnly], folder: requested })));
  const folders = summaries.map((summary) => summary.folder);
  assert.equal(new Set(folders).size, 3, folders.join(', '));
  for (const summary of summaries) {
    assert.equal(summary.passed, 1, JSON.stringify(summary.scenarios[0]?.error));
    assert.equal(summary.run, basename(summary.folder));
    const file = writeSummary(summary);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).folder, summary.folder);
    assert.ok(existsSync(join(summary.folder, 'export-only', 'result.json')));
  }
});

test('a file that does not load is a broken result named like the others, with its result.json', async () => {
  const wrong = join(folder, 'wrong-file.yaml');
  writeFileSync(wrong, 'setup: { devices: [Tab001] }\nsteps:\n  - device.fly: {}\n');
  const again = join(folder, 'again');
  mkdirSync(again);
  const sameName = join(again, 'export-only.yaml');
  writeFileSync(sameName, readFileSync(exportOnly));
  const summary = await runSuite({ files: [wrong, exportOnly, sameName], reports: join(folder, 'reports') });

  const [broken, first, second] = summary.scenarios;
  assert.equal(broken?.status, 'broken');
  assert.equal(broken?.name, 'wrong-file');
  assert.match(broken?.error?.message ?? '', /wrong-file\.yaml:3: step 1: unknown action "device\.fly"/);
  assert.ok(existsSync(join(broken!.folder, 'result.json')));
  assert.equal(first?.name, 'export-only');
  assert.notEqual(first?.folder, second?.folder);
  assert.ok(existsSync(join(second!.folder, 'result.json')));
});
