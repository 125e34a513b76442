// Against a real Appium server with the EstockVirtual driver: a scenario whose
// device does not open still shows the session's screen and lists its steps.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openSession } from '../devices/appium/session.ts';
import { loadDeviceProfile } from '../devices/profile.ts';
import { startAppiumServer } from '../simulator/appium-driver/appium-server.ts';
import { loadScenario } from '../scenarios/runner/load.ts';
import { runScenario } from '../scenarios/runner/run-scenario.ts';
import { brokenBeforeStepsEvidence } from './session-evidence.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-session-evidence-'));
let server: Awaited<ReturnType<typeof startAppiumServer>>;
let browser: WebdriverIO.Browser;

before(async () => {
  server = await startAppiumServer();
  browser = await openSession(loadDeviceProfile('virtual', { slot: 1 }), server,
    { 'appium:estockDataDir': join(folder, 'devices') });
});

after(async () => {
  await browser?.deleteSession().catch(() => undefined);
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a scenario broken before its first step attaches the session\'s screen and lists its steps', async () => {
  const file = join(folder, 'two-steps.yaml');
  writeFileSync(file, 'setup: { devices: [Tab001] }\nsteps:\n  - device.configure: {}\n  - device.send: {}\n');
  const result = await runScenario(loadScenario(file), {
    folder: join(folder, 'two-steps'),
    openDriver: () => Promise.reject(new Error('permission.allow: no locator matched')),
  });
  assert.equal(result.status, 'broken');
  assert.deepEqual(result.steps.map((step) => step.status), ['skipped', 'skipped']);

  const evidence = await brokenBeforeStepsEvidence(result, browser, 'virtual-1');
  assert.deepEqual(evidence.map((item) => item.type), ['image/png', 'application/xml']);
  assert.deepEqual([...(evidence[0]!.content as Buffer).subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.match(evidence[1]!.content.toString(), /<hierarchy/);
});

test('a scenario that ran a step, or passed, attaches nothing more', async () => {
  const ran = { name: 'x', file: 'x.yaml', status: 'broken', movementsImported: 0, ftpBytes: 0, ms: 1, folder,
    steps: [{ number: 1, action: 'device.send', status: 'broken', ms: 1, summary: 'no' }] } as const;
  assert.deepEqual(await brokenBeforeStepsEvidence({ ...ran, steps: [...ran.steps] }, browser, 'virtual-1'), []);
  assert.deepEqual(await brokenBeforeStepsEvidence({ ...ran, status: 'passed', steps: [] }, browser, 'v'), []);
});
