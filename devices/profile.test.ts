import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../simulator/errors.ts';
import { YamlFileError } from '../simulator/yaml-file.ts';
import { listDeviceProfiles, loadDeviceProfile, PROFILES_FOLDER } from './profile.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-profile-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function profileFile(name: string, lines: string[]): string {
  const file = join(folder, `${name}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('the shipped profiles are virtual, emulator and tablet, and each loads', () => {
  assert.deepEqual(listDeviceProfiles(), ['emulator', 'tablet', 'virtual']);
  for (const name of listDeviceProfiles()) {
    const profile = loadDeviceProfile(name, { udid: name === 'tablet' ? 'R52T30ABCDE' : undefined });
    assert.equal(profile.name, name);
    assert.equal(profile.capabilities.platformName, 'Android');
    assert.equal('browserName' in profile.capabilities, false);
  }
});

test('the virtual profile gives the EstockVirtual caps, its app file and a udid per slot', () => {
  const profile = loadDeviceProfile('virtual', { slot: 3 });
  assert.equal(profile.kind, 'appium:virtual');
  assert.equal(profile.capabilities['appium:automationName'], 'EstockVirtual');
  assert.equal(profile.capabilities['appium:app'], join(PROFILES_FOLDER, '..', '..', 'simulator', 'appium-driver',
    'apps', 'estock-2.1.0.json'));
  assert.equal(profile.capabilities['appium:udid'], 'virtual-3');
  assert.equal(profile.udid, 'virtual-3');
  assert.equal(profile.deviceId, 'HIL3');
  assert.equal(profile.capabilities['appium:noReset'], false);
  assert.deepEqual(profile.simulator, { host: '127.0.0.1', listen: '127.0.0.1', passiveHost: '127.0.0.1' });
});

test('each emulator slot gets its own serial and its own systemPort, mjpegServerPort and chromedriverPort', () => {
  const first = loadDeviceProfile('emulator');
  const second = loadDeviceProfile('emulator', { slot: 2 });
  assert.equal(first.kind, 'appium:uiautomator2');
  assert.equal(first.capabilities['appium:udid'], 'emulator-5554');
  assert.equal(second.capabilities['appium:udid'], 'emulator-5556');
  assert.deepEqual(
    [second.capabilities['appium:systemPort'], second.capabilities['appium:mjpegServerPort'],
      second.capabilities['appium:chromedriverPort']],
    [8201, 7811, 9516],
  );
  assert.equal(first.simulator.host, '10.0.2.2');
  assert.equal(first.simulator.passiveHost, '10.0.2.2');
  assert.throws(() => loadDeviceProfile('emulator', { slot: 5 }),
    (error: Error) => error instanceof ConfigError && /udid: slot 5 has no serial, the list has 4/.test(error.message));
  assert.throws(() => loadDeviceProfile('emulator', { slot: 0 }), /slot 0: a slot is a whole number from 1/);
});

test('options replace the app and the udid; a tablet without a udid says how to give one', () => {
  const profile = loadDeviceProfile('tablet', { udid: 'R52T30ABCDE', app: 'build/estock-2.1.0.apk' });
  assert.equal(profile.capabilities['appium:udid'], 'R52T30ABCDE');
  assert.equal(profile.capabilities['appium:app'], join(process.cwd(), 'build', 'estock-2.1.0.apk'));
  assert.equal(profile.capabilities['appium:noReset'], true);
  assert.equal(profile.simulator.listen, '0.0.0.0');
  assert.throws(() => loadDeviceProfile('tablet'),
    (error: Error) => error instanceof ConfigError && /tablet\.yaml: udid: .*--udid <serial>/.test(error.message));
});

test('an unknown profile name lists the known ones', () => {
  assert.throws(() => loadDeviceProfile('pixel'),
    /no device profile named "pixel": known profiles are emulator, tablet, virtual/);
});

test('a wrong profile file names the file, the line and the key of each problem', () => {
  const file = profileFile('wrong', [
    'automationName: Espresso',
    'appVersion: two',
    'simulator: { host: 127.0.0.1 }',
    'reset: never',
    'colour: red',
    'capabilities:',
    '  browserName: chrome',
  ]);
  assert.throws(() => loadDeviceProfile(file), (error: Error) => {
    assert.ok(error instanceof YamlFileError);
    const text = error.problems.join('\n');
    assert.match(text, /wrong\.yaml:1: automationName: expected one of EstockVirtual, UiAutomator2, got text "Espr/);
    assert.match(text, /wrong\.yaml:2: appVersion: a version is numbers separated by dots/);
    assert.match(text, /wrong\.yaml:3: simulator\.listen: missing/);
    assert.match(text, /wrong\.yaml:4: reset: expected one of fresh, keep, reinstall/);
    assert.match(text, /wrong\.yaml:5: \(top\): unknown key "colour"/);
    assert.match(text, /wrong\.yaml:7: capabilities\.browserName: .*never set browserName/);
    return true;
  });
});

test('slot templates apply to the device id and the avd', () => {
  const file = profileFile('avd', [
    'automationName: UiAutomator2',
    'appVersion: 2.1.0',
    'avd: Tablet_{slot}',
    'deviceId: Bench{slot}',
    'simulator: { host: 10.0.2.2, listen: 127.0.0.1 }',
    'ports: { systemPort: 8300 }',
  ]);
  const profile = loadDeviceProfile(file, { slot: 2 });
  assert.equal(profile.capabilities['appium:avd'], 'Tablet_2');
  assert.equal(profile.deviceId, 'Bench2');
  assert.equal(profile.capabilities['appium:systemPort'], 8301);
  assert.equal('appium:mjpegServerPort' in profile.capabilities, false);
  assert.equal(profile.reset, 'fresh');
});
