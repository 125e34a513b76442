import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CalibrationIndex } from '../devices/appium/calibrate.ts';
import { writeMapCopy, writeProfileWithMap } from '../devices/appium/test-fixture.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = mkdtempSync(join(tmpdir(), 'hil-calibrate-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function estockHil(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'estock-hil.js'), ...args], { cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

test('calibrate walks every screen of the virtual app and writes XML, PNG and the index', async () => {
  const out = join(folder, 'virtual');
  const run = await estockHil('calibrate', '--device', 'virtual', '--out', out);

  assert.equal(run.status, 0, run.stdout + run.stderr);
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as CalibrationIndex;
  assert.deepEqual(index.errors, []);
  assert.equal(index.appVersion, '2.1.0');
  assert.equal(index.appVersionIsExpected, true);
  assert.deepEqual(index.screens.map((screen) => screen.screen), [
    'permission-1', 'permission-2', 'sync', 'menu', 'settings-top', 'settings-dialog', 'settings-bottom',
    'stock', 'movement', 'movement-type', 'browser',
  ]);
  for (const screen of index.screens) {
    assert.ok(existsSync(join(out, `${screen.file}.xml`)) && existsSync(join(out, `${screen.file}.png`)), screen.file);
  }
  const byName = new Map(index.screens.map((screen) => [screen.screen, screen]));
  assert.equal(byName.get('settings-top')?.found['settings.deviceId'],
    'uiautomator new UiSelector().text("Identifiant de la tablette")');
  assert.ok(byName.get('settings-top')?.missing.includes('settings.testFtp'), 'Test FTP is below the fold');
  assert.ok(byName.get('settings-bottom')?.found['settings.testFtp']);
  assert.ok(byName.get('permission-1')?.found['permission.allow']);
  assert.ok(byName.get('browser')?.found['browser.url']);
  assert.match(readFileSync(join(out, '01-permission-1.xml'), 'utf8'), /permission_message/);

  // missing and found cover only the names of the screen's group(s) of the map.
  const sync = byName.get('sync')!;
  assert.deepEqual(sync.groups, ['Synchronisation']);
  assert.ok(!sync.missing.includes('permission.allow') && !sync.missing.includes('browser.url'), sync.missing.join());
  assert.ok(Object.keys(sync.found).every((name) => /^(sync|menu|settings\.open)/.test(name)),
    Object.keys(sync.found).join());
  assert.ok(sync.found['sync.receive']);
  assert.deepEqual(byName.get('settings-dialog')?.groups, ['Dialog']);
  assert.ok(byName.get('settings-top')?.missing.every((name) => name.startsWith('settings.')));
  assert.match(run.stdout, /Index: .*index\.json/);
});

test('calibrate with an app file that is not there exits 2 before a session, naming the file', async () => {
  const out = join(folder, 'wrong-app');
  const run = await estockHil('calibrate', '--device', 'virtual', '--app', join(folder, 'none.apk'), '--out', out);
  assert.equal(run.status, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /the app file .*none\.apk \(from --app\) does not exist/);
  assert.equal(existsSync(out), false, 'nothing was written');
});

test('calibrate refuses a profile\'s wrong locator map before the session; --locators wins over it', async () => {
  const wrong = writeMapCopy(folder, 'wrong-map.yaml', true);
  const profile = writeProfileWithMap(folder, 'wrong-map-profile.yaml', 'wrong-map.yaml');
  const refused = await estockHil('calibrate', '--device', profile, '--out', join(folder, 'refused'));
  assert.equal(refused.status, 2, refused.stdout + refused.stderr);
  assert.ok(refused.stderr.includes(`${wrong}:`) && refused.stderr.includes('"sync.sendd"'), refused.stderr);
  assert.equal(existsSync(join(folder, 'refused')), false, 'nothing was written');

  const right = writeMapCopy(folder, 'right-map.yaml');
  const out = join(folder, 'given-map');
  const run = await estockHil('calibrate', '--device', profile, '--locators', right, '--out', out, '--json');
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.equal((JSON.parse(run.stdout) as CalibrationIndex).locatorMap, right);
});
