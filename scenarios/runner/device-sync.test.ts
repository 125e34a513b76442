import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../../simulator/errors.ts';
import { loadScenario } from './load.ts';
import { runScenario } from './run-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-device-sync-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function scenarioFile(name: string, lines: readonly string[]): string {
  const file = join(folder, name);
  writeFileSync(file, lines.join('\n'));
  return file;
}

test('sync settings from the setup\'s device entry and the device.configure step reach the device', async () => {
  const file = scenarioFile('sync.yaml', [
    'setup:',
    '  devices: [{ device: Tab001, attempts: 3, pauseMs: 10, uploadMode: temporary-name }, Tab002]',
    'steps:',
    '  - bo.export: { device: Tab001 }',
    '  - device.configure: { device: Tab001, timeoutMs: 4000, attempts: 2 }',
    '  - device.configure: { device: Tab002 }',
    '  - device.receive: { device: Tab001 }',
    '  - device.move: { device: Tab001, type: exit, lot: LOT0001-1, depot: STOCK, location: A04, quantity: 1, ' +
      'reason: VTE }',
    '  - device.send: { device: Tab001, expect: { movements: 1 } }',
  ]);
  const scenario = loadScenario(file);
  assert.deepEqual(scenario.setup.devices, ['Tab001', 'Tab002']);
  assert.deepEqual(scenario.setup.deviceSync, { Tab001: { attempts: 3, pauseMs: 10, uploadMode: 'temporary-name' } });

  const result = await runScenario(scenario, { folder: join(folder, 'sync') });

  assert.equal(result.status, 'passed', JSON.stringify(result.error));
  assert.equal(result.steps[1]?.summary.replace(/FTP \S+,/, 'FTP …,'), 'Tab001 set to FTP …, login Admin; ' +
    'sync: attempts 2, pauseMs 10, uploadMode temporary-name, timeoutMs 4000');
  assert.doesNotMatch(result.steps[2]?.summary ?? '', /sync:/);
  const transcripts = join(result.folder, 'state', 'ftp', 'transcripts');
  const commands = readdirSync(transcripts)
    .flatMap((name) => readFileSync(join(transcripts, name), 'utf8').trim().split('\n'))
    .map((line) => (JSON.parse(line) as { command: string; reply: number }))
    .filter(({ command }) => /^(STOR|RNFR|RNTO) .*MvtStocks/.test(command));
  assert.deepEqual(commands.map(({ command, reply }) => `${command.split(' ')[0]} ${reply}`),
    ['STOR 226', 'RNFR 350', 'RNTO 250']);
  assert.match(commands[0]?.command ?? '', /LotStockExported_\d{8}_\d{6}\.zip\.tmp$/);
});

test('a sync setting out of range is named with its file, step and key before the run', () => {
  const file = scenarioFile('bad-sync.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - device.configure: { attempts: 0, uploadMode: rename }',
  ]);
  assert.throws(() => loadScenario(file), (error: unknown) => error instanceof ConfigError &&
    /bad-sync\.yaml:3.*attempts/.test(error.message) && /uploadMode/.test(error.message));
});

test('a setup device entry that is neither an id nor { device } says what it may be', () => {
  const file = scenarioFile('bad-setup.yaml', [
    'setup: { devices: [{ id: Tab001 }] }',
    'steps:',
    '  - device.configure: {}',
  ]);
  assert.throws(() => loadScenario(file),
    /bad-setup\.yaml:1: setup\.devices\.0: a device is its id, or \{ device: <id> \}/);
});
