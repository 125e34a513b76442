import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../../simulator/errors.ts';
import { loadScenario } from './load.ts';
import { runScenario } from './run-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-bo-actions-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function scenarioFile(name: string, lines: string[]): string {
  const file = join(folder, name);
  writeFileSync(file, lines.join('\n'));
  return file;
}

function problems(name: string, lines: string[]): string {
  try {
    loadScenario(scenarioFile(name, lines));
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail(`${name} loaded, but it is wrong`);
}

async function run(name: string, lines: string[]) {
  return runScenario(loadScenario(scenarioFile(`${name}.yaml`, lines)), { folder: join(folder, name) });
}

test('the BO\'s administration steps act on no device, or on any device they name', () => {
  const scenario = loadScenario(scenarioFile('devices.yaml', [
    'setup: { devices: [Tab001, Tab002] }',
    'steps:',
    '  - bo.settings: { set: { negativeStock: refuse } }',
    '  - bo.registry: { device: Tab009, create: true }',
    '  - bo.export: { devices: [Tab009, PC-174] }',
    '  - bo.import: { all: true }',
  ]));
  assert.deepEqual(scenario.steps.map((step) => step.body.device), [undefined, 'Tab009', undefined, undefined]);

  const message = problems('misplaced.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.licence: { device: Tab001, count: 3 }',
    '  - bo.registry: { blocked: true }',
    '  - bo.import: { all: true, device: Tab001 }',
  ]);
  assert.match(message, /:3: step 1 \(bo\.licence\): device: bo\.licence acts on no single device here; leave/);
  assert.match(message, /:4: step 2 \(bo\.registry\): device: name the device/);
  assert.match(message, /:5: step 3 \(bo\.import\): device: bo\.import acts on no single device here/);
});

test('what no run could accept is named before the run, with the step and the key', () => {
  const message = problems('wrong.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.settings: { set: { colour: red } }',
    '  - bo.estockList: { device: Tab009, add: true }',
    '  - bo.registry: { device: Tab009, create: true, delete: true }',
    '  - bo.ftpProfile: { name: office, delete: true, port: 21 }',
    '  - bo.licence: { until: 31/12/2030 }',
    '  - bo.export: { selection: { depot: [CHAI] } }',
    '  - bo.registry: { device: Tab001 }',
  ]);
  assert.match(message, /:3: step 1 \(bo\.settings\): set\.colour: colour is not a setting; the settings/);
  assert.match(message, /step 2 \(bo\.estockList\): login: a device added to the list needs its login/);
  assert.match(message, /step 3 \(bo\.registry\): delete: give one of create and delete/);
  assert.match(message, /step 4 \(bo\.ftpProfile\): delete: a deleted profile takes no port/);
  assert.match(message, /step 5 \(bo\.licence\): until: a day written YYYY-MM-DD/);
  assert.match(message, /step 6 \(bo\.export\): selection: unknown key "depot"/);
  assert.match(message, /step 7 \(bo\.registry\): \(arguments\): give create, delete, or what to change: authKey/);
});

test('an expectation of the BO\'s administration the BO does not meet fails the step, naming it', async () => {
  const result = await run('licence-unmet', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.settings: { set: { settleMs: 0 }, expect: { settleMs: 0, negativeStock: refuse } }',
    '  - bo.licence: { count: 2 }',
  ]);
  assert.equal(result.status, 'failed');
  assert.equal(result.error?.message, 'bo.settings: expected negativeStock "refuse", got "allow"');
  assert.deepEqual(result.steps.map((step) => step.status), ['failed', 'skipped']);

  const licence = await run('licence-refusal', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.licence: { count: 2, counterKey: valid, expect: { refusal: has ended } }',
  ]);
  assert.match(licence.error?.message ?? '',
    /^bo\.licence: expected a refusal containing "has ended", got "8 devices are/);
});

test('an export to several devices checks each report, with a selection; import all imports the active ones',
  { timeout: 30_000 }, async () => {
    const result = await run('several', [
      'setup: { devices: [Tab001] }',
      'steps:',
      '  - bo.estockList: { device: Tab002, active: false }',
      '  - bo.export:',
      '      devices: [Tab001, Tab002]',
      '      selection: { depots: [CHAI], vintages: { from: 2018 } }',
      '      scope: existing-lots',
      '      expect: { files: 3, anomalies: 0 }',
      '  - bo.import: { all: true, expect: { movementsImported: 0, zips: 0, anomalies: 0 } }',
    ]);
    assert.equal(result.status, 'failed', JSON.stringify(result.error));
    const [files, anomalies, ...more] = result.error?.unmet ?? [];
    assert.equal(files, 'Tab002: expected files 3, got 0', 'Tab001 met them; Tab002 is named');
    assert.match(anomalies ?? '', /^Tab002: expected 0 anomalies, got 1: device Tab002 is not active in the eStock/);
    assert.deepEqual(more, []);

    const all = await run('import-all', [
      'setup: { devices: [Tab001] }',
      'steps:',
      '  - bo.estockList: { device: Tab002, active: false }',
      '  - bo.export: { device: Tab001 }',
      '  - bo.export: { devices: [Tab002], expect: { files: 0 } }',
      '  - bo.import: { all: true, expect: { movementsImported: 0, anomalies: 0 } }',
    ]);
    assert.equal(all.status, 'passed', JSON.stringify(all.error));
    const imported = all.steps[3]!.detail as { device: string }[];
    assert.deepEqual(imported.map((report) => report.device), ['Tab001'],
      'the devices with a folder on the server: the export made Tab001\'s inbox, and none for Tab002');
    assert.equal(all.steps[3]!.summary, 'imported 0 movements from 0 zips of 1 device, 0 anomalies');
  });

test('seed replaces the catalog; a profile of its own starts as a copy of the simulator\'s', async () => {
  const result = await run('seed-profile', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.seed: { size: small, seed: 3, expect: { articles: 40 } }',
    '  - bo.ftpProfile: { name: copy, tls: optional }',
    '  - bo.settings: { set: { ftpProfile: copy } }',
    '  - bo.export: { expect: { files: 3 } }',
  ]);
  assert.equal(result.status, 'passed', JSON.stringify(result.error));
  assert.match(result.steps[1]!.summary, /^FTP profile copy: Demo@127\.0\.0\.1:\d+, TLS optional$/);
});
