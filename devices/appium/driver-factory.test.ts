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

test('the full cycle scenario passes through Appium, the BO importing what the screens entered', async () => {
  const openDriver = appiumDriverFactory({ profile: 'virtual', server });
  const result = await runScenario(loadScenario(join(SCENARIOS_FOLDER, 'full-cycle.yaml')),
    { folder: join(folder, 'full-cycle'), openDriver });
  assert.equal(result.status, 'passed', JSON.stringify(result.error));
  assert.equal(result.movementsImported, 4);
});

function refusalScenario(name: string, expectError: string | undefined): string {
  const file = join(folder, `${name}.yaml`);
  const expected = expectError === undefined ? '' : `, expectError: "${expectError}"`;
  writeFileSync(file, [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.export: {}',
    '  - device.configure: {}',
    '  - device.receive: {}',
    `  - device.move: { type: exit, lot: LOT9999-9, depot: STOCK, location: A04, quantity: 1, reason: VTE${expected} }`,
  ].join('\n'));
  return file;
}

test('a refusal the scenario expects passes; one it does not expect fails the step, it does not break it', async () => {
  const openDriver = appiumDriverFactory({ profile: 'virtual', server });
  const expected = await runScenario(loadScenario(refusalScenario('expected', 'LOT9999-9 is unknown on the device')),
    { folder: join(folder, 'expected'), openDriver });
  assert.equal(expected.status, 'passed', JSON.stringify(expected.error));
  assert.match(expected.steps.at(-1)?.summary ?? '', /^refused as expected: Mouvement refusé : /);

  const unexpected = await runScenario(loadScenario(refusalScenario('unexpected', undefined)),
    { folder: join(folder, 'unexpected'), openDriver });
  assert.equal(unexpected.status, 'failed', JSON.stringify(unexpected.error));
  assert.equal(unexpected.error?.code, 'DEVICE');
  assert.match(unexpected.error?.message ?? '', /^Mouvement refusé : .*LOT9999-9/);
});
