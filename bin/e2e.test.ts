// The launcher's checks before anything is emptied or started, run as a user runs it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeMapCopy, writeProfileWithMap } from '../devices/appium/test-fixture.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = mkdtempSync(join(tmpdir(), 'hil-e2e-bin-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function e2e(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'bin', 'e2e.ts'), ...args], { cwd: root },
      (error, stdout, stderr) => resolve({ status: error === null ? 0 : error.code as number, stdout, stderr }));
  });
}

/** A results folder holding an earlier run's result. */
function earlierResults(name: string): string {
  const results = join(folder, name);
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'earlier-result.json'), '{}');
  return results;
}

test('a wrong --app exits 2 naming the file and the option, and leaves the earlier results', async () => {
  const results = earlierResults('option');
  const run = await e2e('--app', join(folder, 'no-such.apk'), '--results', results, '--reports', folder);
  assert.equal(run.status, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /the app file .*no-such\.apk \(from --app\) does not exist/);
  assert.ok(existsSync(join(results, 'earlier-result.json')), 'the earlier results are kept');
});

test('a profile whose app file is missing exits 2 naming the profile file', async () => {
  const results = earlierResults('profile');
  const profile = join(folder, 'gone.yaml');
  writeFileSync(profile, readFileSync(join(root, 'devices', 'profiles', 'virtual.yaml'), 'utf8')
    .replace(/^app: .*$/m, 'app: gone.json'));
  const run = await e2e('--device', profile, '--results', results, '--reports', folder);
  assert.equal(run.status, 2, run.stdout + run.stderr);
  assert.ok(run.stderr.includes(`${join(folder, 'gone.json')} (from app: in ${profile}) does not exist`), run.stderr);
  assert.ok(existsSync(join(results, 'earlier-result.json')), 'the earlier results are kept');
});

test('a session that does not open gives broken results that say why, from Appium\'s refusal', async () => {
  const results = join(folder, 'session');
  const app = join(folder, 'not-an-app.json');
  writeFileSync(app, '{ "bad": true }\n');
  const reports = join(folder, 'session-reports');
  const run = await e2e('--app', app, '--scenarios', 'full-cycle', '--results', results, '--reports', reports);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const broken = readdirSync(results).filter((name) => name.endsWith('-result.json'))
    .map((name) => JSON.parse(readFileSync(join(results, name), 'utf8')) as { statusDetails: { message: string } });
  assert.equal(broken.length, 1);
  assert.match(broken[0]!.statusDetails.message,
    /^not run on virtual #1: its Appium session did not open: .*not-an-app\.json: "package" must be a string/);
  const [runFolder] = readdirSync(reports);
  assert.match(readFileSync(join(reports, runFolder!, 'session-errors.json'), 'utf8'), /"virtual #1": ".*package/);
});

test('a profile\'s wrong locator map exits 2 with its file and line, before the results are emptied', async () => {
  const results = earlierResults('locators');
  const map = writeMapCopy(folder, 'wrong-map.yaml', true);
  const profile = writeProfileWithMap(folder, 'wrong-map-profile.yaml', 'wrong-map.yaml');
  const run = await e2e('--device', profile, '--results', results, '--reports', folder);
  assert.equal(run.status, 2, run.stdout + run.stderr);
  assert.ok(run.stderr.includes(`${map}:`) && run.stderr.includes('unknown element "sync.sendd"'), run.stderr);
  assert.ok(existsSync(join(results, 'earlier-result.json')), 'the earlier results are kept');
});
