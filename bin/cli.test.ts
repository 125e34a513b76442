import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = mkdtempSync(join(tmpdir(), 'hil-cli-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function estockHil(...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin', 'estock-hil.js'), ...args], { cwd: root, encoding: 'utf8' });
}

test('run prints the summary, writes summary.json and exits 0 when every scenario passes', () => {
  const reports = join(folder, 'passing');
  const run = estockHil('run', 'scenarios/two-sends-one-import.yaml', '--reports', reports);

  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /Device sends twice before one import\s+│\s+PASSED\s+│\s+3\s+│/);
  assert.match(run.stdout, /1 of 1 passed, 0 failed, 0 broken/);
  const [runFolder] = readdirSync(reports);
  const summary = JSON.parse(readFileSync(join(reports, runFolder!, 'summary.json'), 'utf8'));
  assert.equal(summary.passed, 1);
  assert.equal(summary.scenarios[0].movementsImported, 3);
});

test('run exits 1 and says why when a scenario fails', () => {
  const file = join(folder, 'failing.yaml');
  writeFileSync(file, 'setup: { devices: [Tab001] }\nsteps:\n  - bo.export: { expect: { tables: 3 } }\n');
  const run = estockHil('run', file, '--reports', join(folder, 'failing'));

  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout,
    /FAILED failing step 1 \(bo\.export, line 3\): bo\.export Tab001: expected tables 3, got 52/);
});

test('run --device virtual drives the devices through Appium and the virtual driver', () => {
  const reports = join(folder, 'appium');
  const run = estockHil('run', 'scenarios/full-cycle.yaml', '--device', 'virtual', '--reports', reports);

  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /through Appium \(virtual\)/);
  assert.match(run.stdout, /1 of 1 passed, 0 failed, 0 broken/);
  // The virtual app keeps its data under the udid of the profile's first slot, not under the device id.
  const [runFolder] = readdirSync(reports);
  assert.ok(existsSync(join(reports, runFolder!, 'full-cycle', 'state', 'devices', 'virtual-1')));
});

test('run --device with a profile that names no device says so before starting anything', () => {
  const run = estockHil('run', 'scenarios/full-cycle.yaml', '--device', 'tablet', '--reports', join(folder, 'x'));

  assert.equal(run.status, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /tablet\.yaml: udid: the profile tablet names no device/);
  assert.equal(existsSync(join(folder, 'x')), false);
});

test('run --json prints only the summary as JSON', () => {
  const run = estockHil('run', 'scenarios/wrong-ftp-password.yaml', '--reports', join(folder, 'json'), '--json');

  assert.equal(run.status, 0, run.stdout + run.stderr);
  const summary = JSON.parse(run.stdout);
  assert.equal(summary.scenarios[0].status, 'passed');
});

test('validate names the wrong file and exits 1', () => {
  const file = join(folder, 'wrong.yaml');
  writeFileSync(file, 'setup: { devices: [Tab001] }\nsteps:\n  - device.move: { type: exit }\n');
  const run = estockHil('validate', 'scenarios/full-cycle.yaml', file);

  assert.equal(run.status, 1);
  assert.match(run.stdout, /ok {4}scenarios\/full-cycle\.yaml \(\d+ steps\)/);
  assert.match(run.stdout, /WRONG .*wrong\.yaml:3: step 1 \(device\.move\): lot: /);
});

test('a wrong option exits 2 for every subcommand, help and --version 0', () => {
  for (const args of [['calibrate'], ['run', '--bogus'], ['--bogus'], ['validate', '--bogus'], ['nosuchcommand'],
    ['bench', '--bogus'], ['serve', '--bogus'], ['bo', '--bogus']]) {
    const wrong = estockHil(...args);
    assert.equal(wrong.status, 2, `estock-hil ${args.join(' ')}: ${wrong.stderr}`);
    assert.match(wrong.stderr, /error: /, args.join(' '));
  }
  for (const args of [['--help'], ['run', '--help'], ['calibrate', '--help'], ['bo', '--help']]) {
    assert.equal(estockHil(...args).status, 0, `estock-hil ${args.join(' ')}`);
  }
});
