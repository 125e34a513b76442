import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { countResults, readTestResults, type AllureTestResult } from './allure-results.ts';
import { deviceSlots } from './e2e-run.ts';
import { writeMissingResults } from './missing-results.ts';
import { sessionErrorsIn } from './session-errors.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-missing-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('each scenario a device never ran gets a broken result in the device\'s suite', () => {
  const run = { devices: deviceSlots(['virtual', 'emulator']), reportsFolder: folder, resultsFolder: folder };
  const ranOnVirtual: AllureTestResult = { name: 'Full cycle', status: 'passed', steps: [], attachments: [],
    labels: [{ name: 'device', value: 'virtual #1' }] };

  const written = writeMissingResults(run, ['Full cycle', 'Two devices, one stock'], [ranOnVirtual]);

  assert.equal(written, 3);
  const results = readTestResults(folder);
  assert.deepEqual(countResults(results), { passed: 0, failed: 0, broken: 3, other: 0 });
  const suiteOf = (result: AllureTestResult) => result.labels.find((label) => label.name === 'parentSuite')?.value;
  assert.deepEqual(results.map((result) => `${suiteOf(result)}: ${result.name}`).sort(), [
    'Scenarios on emulator #1: Full cycle',
    'Scenarios on emulator #1: Two devices, one stock',
    'Scenarios on virtual #1: Two devices, one stock',
  ]);
  assert.match(results[0]?.statusDetails?.message ?? '', /^not run on (virtual|emulator) #1: .*\/logs \(appium\.log/);
});

test('the cause of a session that did not open is in the broken result when the launcher had it', () => {
  const results = join(folder, 'with-cause');
  const run = { devices: deviceSlots(['virtual']), reportsFolder: results, resultsFolder: results };
  const cause = 'WebDriverError: A new session could not be created. Details: no device';
  writeMissingResults(run, ['Full cycle'], [], new Date(), new Map([['virtual #1', cause]]));
  assert.equal(readTestResults(results)[0]?.statusDetails?.message,
    `not run on virtual #1: its Appium session did not open: ${cause} ` +
    `(more in ${join(results, 'logs', 'appium.log')})`);
});

test('the session errors are read from the reporter\'s lines of each worker, colours and all', () => {
  const output = [
    '[junk.json Android #0-0] Running: junk.json on Android',
    '[junk.json Android #0-0]',
    '[junk.json Android #0-0] \u001b[31m✖ Failed to create a session:\u001b[39m',
    '[junk.json Android #0-0] WebDriverError: A new session could not be created. Details: bad app',
    '[tablet Android #1-0] ✔ passed',
  ].join('\n');
  assert.deepEqual([...sessionErrorsIn(output)],
    [[0, 'WebDriverError: A new session could not be created. Details: bad app']]);
});
