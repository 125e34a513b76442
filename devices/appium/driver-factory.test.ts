// Scenarios run through Appium: the scenario runner with the Appium driver
// factory, the virtual driver behind a real Appium server on 127.0.0.1.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startAppiumServer } from '../../simulator/appium-driver/appium-server.ts';
import { loadScenario } from '../../scenarios/runner/load.ts';
import { runScenario } from '../../scenarios/runner/run-scenario.ts';
import { SCENARIOS_FOLDER } from '../../scenarios/runner/run-suite.ts';
import { appiumDriverFactory } from './driver-factory.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-appium-scenarios-'));
let server: Awaited<ReturnType<typeof startAppiumServer>>;

before(async () => {
  server = await startAppiumServer();
});

after(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('the full cycle and the lot selection scenarios pass through Appium, refusals expected included', async () => {
  const openDriver = appiumDriverFactory({ profile: 'virtual', server });
  for (const name of ['full-cycle', 'lot-selection']) {
    const result = await runScenario(loadScenario(join(SCENARIOS_FOLDER, `${name}.yaml`)),
      { folder: join(folder, name), openDriver });
    assert.equal(result.status, 'passed', `${name}: ${JSON.stringify(result.error)}`);
  }
});

test('a refusal the scenario does not expect fails the step (the app said no), it does not break it', async () => {
  const file = join(folder, 'unexpected-refusal.yaml');
  writeFileSync(file, [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.export: {}',
    '  - device.configure: {}',
    '  - device.receive: {}',
    '  - device.move: { type: exit, lot: LOT9999-9, depot: STOCK, location: A04, quantity: 1, reason: VTE }',
  ].join('\n'));
  const openDriver = appiumDriverFactory({ profile: 'virtual', server });
  const result = await runScenario(loadScenario(file), { folder: join(folder, 'unexpected-refusal'), openDriver });

  assert.equal(result.status, 'failed', JSON.stringify(result.error));
  assert.equal(result.error?.code, 'DEVICE');
  assert.match(result.error?.message ?? '', /^Mouvement refusé : .*LOT9999-9/);
});
