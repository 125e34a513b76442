import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatSummary } from '../../reports/summary.ts';
import { loadScenario } from './load.ts';
import { runScenario } from './run-scenario.ts';
import { SCENARIOS_FOLDER } from './run-suite.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-run-scenario-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('the full cycle runs end to end over real FTP sockets on 127.0.0.1', async () => {
  const scenario = loadScenario(join(SCENARIOS_FOLDER, 'full-cycle.yaml'));
  const result = await runScenario(scenario, { folder: join(folder, 'full-cycle') });

  assert.equal(result.status, 'passed', JSON.stringify(result.error));
  assert.equal(result.steps.length, scenario.steps.length);
  assert.ok(result.steps.every((step) => step.status === 'passed'));
  assert.equal(result.movementsImported, 4);
  assert.equal(result.steps.at(-1)?.summary, 'imported 4 movements from 1 zip, 0 anomalies');
  assert.ok(result.ftpBytes > 1000, `only ${result.ftpBytes} bytes crossed FTP`);

  // What crossed the wire is on disk: transcripts of every session, and the uploads left
  // the inbox once imported.
  const transcripts = join(result.folder, 'state', 'ftp', 'transcripts');
  const records = readdirSync(transcripts)
    .flatMap((name) => readFileSync(join(transcripts, name), 'utf8').trim().split('\n'))
    .map((line) => JSON.parse(line) as { command: string; reply: number });
  assert.ok(records.some((r) => /^STOR .*LotStockExported_\d{8}_\d{6}\.zip$/.test(r.command) && r.reply === 226));
  assert.ok(records.some((r) => /^RETR .*Tab001\.zip$/.test(r.command) && r.reply === 226));
  assert.ok(records.every((r) => !r.command.startsWith('PASS') || r.command === 'PASS ****'));
  const inbox = join(result.folder, 'state', 'ftp', 'roots', 'Demo', 'Entrant', 'eStock', 'Tab001', 'MvtStocks');
  assert.deepEqual(readdirSync(inbox), []);
  assert.ok(existsSync(join(result.folder, 'result.json')));
});

test('an expectation the system does not meet fails the scenario and skips the rest', async () => {
  const file = join(folder, 'wrong-expectation.yaml');
  writeFileSync(file, [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.export: {}',
    '  - device.configure: {}',
    '  - device.receive: { expect: { tables: 51 } }',
    '  - device.send: {}',
  ].join('\n'));
  const result = await runScenario(loadScenario(file), { folder: join(folder, 'wrong-expectation') });

  assert.equal(result.status, 'failed');
  assert.deepEqual(result.steps.map((s) => s.status), ['passed', 'passed', 'failed', 'skipped']);
  assert.match(result.error?.message ?? '', /expected tables 51, got 52/);
});

test('a failed FTP test gives the app\'s own words: the server\'s 530 reply', async () => {
  const file = join(folder, 'wrong-password-unexpected.yaml');
  writeFileSync(file, ['setup: { devices: [Tab002] }', 'steps:', '  - bo.export: {}',
    '  - device.configure: { ftp: { password: not-the-password } }', '  - device.testFtp: {}'].join('\n'));
  const result = await runScenario(loadScenario(file), { folder: join(folder, 'wrong-password-unexpected') });

  assert.equal(result.status, 'failed');
  assert.match(result.error?.message ?? '', /expected ok true, got false; the app said: ".*530/);
});

test('a refusal the scenario expects passes; one it does not expect fails', async () => {
  const file = join(folder, 'refusals.yaml');
  writeFileSync(file, [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - device.configure: {}',
    '  - device.receive: { expectError: nothing to receive }',
    '  - bo.export: {}',
    '  - device.receive: {}',
    '  - device.move: { type: exit, lot: NO-SUCH-LOT, depot: STOCK, location: A01, quantity: 1, reason: VTE }',
  ].join('\n'));
  const result = await runScenario(loadScenario(file), { folder: join(folder, 'refusals') });

  assert.deepEqual(result.steps.map((s) => s.status), ['passed', 'passed', 'passed', 'passed', 'failed']);
  assert.equal(result.status, 'failed');
  assert.match(result.error?.message ?? '', /NO-SUCH-LOT/);
});

test('a harness fault gives a broken result, not a thrown error', async () => {
  // The loader refuses an unknown company; a scenario built by hand still reaches the runner with one.
  const file = join(folder, 'unknown-company.yaml');
  writeFileSync(file, 'setup: { devices: [Tab001] }\nsteps:\n  - device.send: {}\n');
  const loaded = loadScenario(file);
  const scenario = { ...loaded, setup: { ...loaded.setup, company: 'no-such-company' } };
  const result = await runScenario(scenario, { folder: join(folder, 'unknown-company') });

  assert.equal(result.status, 'broken');
  assert.match(result.error?.message ?? '', /no-such-company\.yaml: cannot read the company file/);
  assert.deepEqual(result.steps.map((s) => [s.number, s.action, s.status, s.summary]),
    [[1, 'device.send', 'skipped', 'not run: the set-up did not complete']]);
});

test('every unmet expectation of a step is reported, in result.json and in the printed reason', async () => {
  const file = join(folder, 'many-unmet.yaml');
  writeFileSync(file, [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.export: { expect: { files: 9, tables: 51, anomalies: 1 } }',
  ].join('\n'));
  const result = await runScenario(loadScenario(file), { folder: join(folder, 'many-unmet') });

  assert.equal(result.status, 'failed');
  const expected = ['expected files 9, got 3', 'expected tables 51, got 52', 'expected 1 anomaly, got 0'];
  assert.deepEqual(result.steps[0]?.error?.unmet, expected);
  assert.equal(result.error?.message, `bo.export Tab001: ${expected.join('; ')}`);
  const written = JSON.parse(readFileSync(join(result.folder, 'result.json'), 'utf8'));
  assert.deepEqual(written.steps[0].error.unmet, expected);
  const printed = formatSummary({ run: 'r', folder, startedAt: '', ms: 1, passed: 0, failed: 1, broken: 0,
    scenarios: [result] });
  assert.match(printed,
    /FAILED many-unmet step 1 \(bo\.export, line 3\): bo\.export Tab001: expected files 9, got 3; /);
  assert.match(printed, /expected tables 51, got 52; expected 1 anomaly, got 0/);
});

test('an error other than the one expected says what was expected and what came', async () => {
  const file = join(folder, 'other-error.yaml');
  writeFileSync(file, 'setup: { devices: [Tab001] }\nsteps:\n  - device.receive: { expectError: zzz }\n');
  const result = await runScenario(loadScenario(file), { folder: join(folder, 'other-error') });

  assert.equal(result.status, 'failed');
  assert.match(result.error?.message ?? '', /^expected an error containing "zzz", got: configure the device first/);
  assert.equal(result.error?.code, 'EXPECTATION');
});
