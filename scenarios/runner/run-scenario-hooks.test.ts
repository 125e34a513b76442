import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadScenario } from './load.ts';
import type { StepResult } from './result.ts';
import { runScenario, type StepWrapper } from './run-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-run-hooks-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function scenarioFile(name: string, steps: string[]): string {
  const file = join(folder, `${name}.yaml`);
  writeFileSync(file, ['setup: { devices: [Tab001] }', 'steps:', ...steps.map((step) => `  - ${step}`)].join('\n'));
  return file;
}

const FAILING = scenarioFile('failing', [
  'bo.export: {}',
  'device.configure: {}',
  'device.receive: { expect: { tables: 51 } }',
  'device.send: {}',
]);

test('the step wrapper runs around every step, skipped ones too, with the simulator in scope', async () => {
  const seen: string[] = [];
  const wrapStep: StepWrapper = async (step, run, scope) => {
    const before = scope.simulator.ftp.transcript().length;
    const result = await run();
    const commands = scope.simulator.ftp.transcript().length - before;
    seen.push(`${step.index + 1} ${step.action} ${result.status} ${commands > 0 ? 'ftp' : 'no-ftp'}`);
    return result;
  };
  const result = await runScenario(loadScenario(FAILING), { folder: join(folder, 'wrapped'), wrapStep });

  assert.equal(result.status, 'failed');
  assert.deepEqual(seen, [
    '1 bo.export passed ftp',
    '2 device.configure passed no-ftp',
    '3 device.receive failed ftp',
    '4 device.send skipped no-ftp',
  ]);
});

test('a wrapper that throws makes its step broken and keeps the first step that did not pass', async () => {
  const wrapStep: StepWrapper = async (step, run) => {
    const result = await run();
    if (step.index >= 2) throw new TypeError('report folder gone');
    return result;
  };
  const result = await runScenario(loadScenario(FAILING), { folder: join(folder, 'throwing'), wrapStep });

  assert.deepEqual(result.steps.map((s: StepResult) => s.status), ['passed', 'passed', 'broken', 'broken']);
  assert.equal(result.status, 'broken');
  assert.match(result.error?.message ?? '', /the step wrapper failed: TypeError: report folder gone/);
});

test('the simulator listens where asked and devices are set to the advertised host', async () => {
  const file = scenarioFile('address', ['device.configure: {}', 'bo.export: {}', 'device.testFtp: {}']);
  const hosts: string[] = [];
  const wrapStep: StepWrapper = async (_step, run, scope) => {
    hosts.push(`${scope.simulator.ftp.host} ${scope.simulator.ftpProfile.host}`);
    return run();
  };
  // 127.0.0.2 is a loopback address too on Linux: the server listens on every
  // loopback address and tells its clients the second one.
  const result = await runScenario(loadScenario(file), {
    folder: join(folder, 'address'), wrapStep, simulatorAddress: { listen: '0.0.0.0', advertised: '127.0.0.2' },
  });

  assert.equal(result.status, 'passed', JSON.stringify(result.error));
  assert.deepEqual(new Set(hosts), new Set(['0.0.0.0 127.0.0.2']));
  assert.match(result.steps[0]?.summary ?? '', /Demo@127\.0\.0\.2:\d+/);
});
