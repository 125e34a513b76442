import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../../simulator/errors.ts';
import { faultSpecText } from '../../simulator/ftp/faults/fault-spec-text.ts';
import { loadScenario } from './load.ts';
import { runScenario, type StepWrapper } from './run-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-ftp-steps-'));
after(() => rmSync(folder, { recursive: true, force: true }));
mkdirSync(join(folder, 'faults'));

// A fault no session of these tests meets (no such login): its fired count stays 0 whatever the engine does.
const NEVER = '{ reply: { verb: DELE, login: nobody, code: 550 } }';
writeFileSync(join(folder, 'faults', 'stalls.yaml'),
  'seed: 42\nfaults:\n  - stall: { direction: upload, afterPercent: 50, login: nobody }\n');
writeFileSync(join(folder, 'bench-unix.yaml'), 'name: bench-unix\ndescription: a profile of these tests\n' +
  'listing: unix\nsystem: "UNIX Type: L8"\n');

function scenarioFile(name: string, lines: string[]): string {
  const file = join(folder, `${name}.yaml`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

function loadError(file: string): string {
  try {
    loadScenario(file);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail(`${file} loaded, but it is wrong`);
}

test('setup.ftp and the ftp steps find fault files and profiles from the scenario\'s folder', () => {
  const scenario = loadScenario(scenarioFile('paths', [
    'setup:',
    '  devices: [Tab001]',
    '  ftp: { tls: optional, profile: ./bench-unix.yaml, faults: faults/stalls.yaml }',
    'steps:',
    '  - ftp.faults: { add: faults/stalls.yaml }',
    '  - ftp.profile: bench-unix.yaml',
    '  - ftp.profile: none',
  ]));
  assert.equal(scenario.setup.ftp?.faults, join(folder, 'faults', 'stalls.yaml'));
  assert.equal(scenario.setup.ftp?.profile, join(folder, 'bench-unix.yaml'));
  const [add, profile, none] = scenario.steps.map((step) => step.body as Record<string, unknown>);
  assert.equal(add?.add, join(folder, 'faults', 'stalls.yaml'));
  assert.equal(profile?.name, join(folder, 'bench-unix.yaml'));
  assert.equal(none?.name, 'none');
  assert.equal(scenario.steps[0]?.body.device, undefined, 'an ftp step acts on no device');
});

test('a wrong ftp step or setup names the file, the line, the step and the key', () => {
  const message = loadError(scenarioFile('wrong', [
    'setup:',
    '  devices: [Tab001]',
    '  ftp: { faults: missing.yaml, tls: sometimes }',
    'steps:',
    '  - ftp.faults: { set: [{ cut: { direction: sideways, atPercent: 40 } }] }',
    '  - ftp.faults: { set: [], clear: true }',
    '  - ftp.faults: { add: [{ bandwidth: 5g }] }',
    '  - ftp.fired: { fault: 1, exactly: 2, atLeast: 1 }',
    '  - ftp.occupy: { connections: 0 }',
    '  - ftp.release: { device: Tab001 }',
    '  - ftp.profile: ./no-such-profile.yaml',
    '  - ftp.faults: { set: [{ cutt: { atBytes: 1 } }] }',
    '  - ftp.faults: { clear: true, seed: 3 }',
  ]));
  const expected = [
    /wrong\.yaml:3: setup\.ftp\.tls: expected one of off, optional, required, got text "sometimes"/,
    /wrong\.yaml:5: step 1 \(ftp\.faults\): set\.0\.cut\.direction: expected one of upload, download, both, got/,
    /wrong\.yaml:6: step 2 \(ftp\.faults\): clear: give one of set and clear/,
    /wrong\.yaml:7: step 3 \(ftp\.faults\): add\.0\.bandwidth\.network: expected one of edge, .*, got text "5g"/,
    /wrong\.yaml:8: step 4 \(ftp\.fired\): exactly: give exactly, or atLeast and\/or atMost/,
    /wrong\.yaml:9: step 5 \(ftp\.occupy\): connections: expected more than 0, got the number 0/,
    /wrong\.yaml:10: step 6 \(ftp\.release\): device: ftp\.release acts on no single device here; leave device out/,
    /wrong\.yaml:12: step 8 \(ftp\.faults\): set\.0: unknown key "cutt"\n/,
    /wrong\.yaml:12: step 8 \(ftp\.faults\): set\.0: a fault is a mapping of one key, its kind: one of latency/,
    /wrong\.yaml:13: step 9 \(ftp\.faults\): seed: seed goes with set: add and clear keep the seed in force/,
  ];
  for (const line of expected) assert.match(message, line);
});

test('a fault file or a profile that cannot be read is told at its line when the scenario loads', () => {
  const message = loadError(scenarioFile('unreadable', [
    'setup:',
    '  devices: [Tab001]',
    '  ftp: { faults: missing.yaml }',
    'steps:',
    '  - ftp.profile: ./no-such-profile.yaml',
    '  - ftp.profile: { name: no-such-name }',
  ]));
  assert.match(message, /unreadable\.yaml:3: setup\.ftp\.faults: .*missing\.yaml/);
  assert.match(message, /unreadable\.yaml:5: step 1 \(ftp\.profile\): ftp\.profile: .*no-such-profile\.yaml/);
  assert.match(message,
    /unreadable\.yaml:6: step 2 \(ftp\.profile\): ftp\.profile: no shipped server profile "no-such-name"/);
});

test('the setup starts the server with its faults, seed and profile; steps change them as the scenario runs',
  async () => {
    const file = scenarioFile('changes', [
      'setup:',
      '  devices: [Tab001]',
      `  ftp: { profile: bench-unix.yaml, seed: 7, faults: [${NEVER}] }`,
      'steps:',
      '  - ftp.faults: { add: faults/stalls.yaml }',
      '  - ftp.fired: { fault: 2, exactly: 0 }',
      '  - ftp.fired: { fault: 1, expectError: "expected it to fire at least 1 time, it fired 0 times" }',
      '  - ftp.fired: { fault: 3, expectError: "no fault 3 in force" }',
      '  - ftp.profile: none',
      '  - ftp.faults: { set: faults/stalls.yaml }',
      `  - ftp.faults: { set: [${NEVER}], seed: 9 }`,
      '  - ftp.profile: { name: bench-unix.yaml }',
      '  - ftp.faults: { clear: true }',
    ]);
    const seen: string[] = [];
    const wrapStep: StepWrapper = async (_step, run, { simulator }) => {
      const result = await run();
      const { seed, faults } = simulator.ftp.faults.current();
      const specs = faults.map(({ fault, spec, fired }) => `${fault}:${Object.keys(spec)[0]}:${fired}`);
      seen.push(`seed ${seed} [${specs.join(' ')}] ${simulator.ftp.profile.current()?.name ?? 'no profile'}`);
      return result;
    };
    const result = await runScenario(loadScenario(file), { folder: join(folder, 'run-changes'), wrapStep });

    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.deepEqual(seen, [
      'seed 7 [1:reply:0 2:stall:0] bench-unix',
      'seed 7 [1:reply:0 2:stall:0] bench-unix',
      'seed 7 [1:reply:0 2:stall:0] bench-unix',
      'seed 7 [1:reply:0 2:stall:0] bench-unix',
      'seed 7 [1:reply:0 2:stall:0] no profile',
      'seed 42 [1:stall:0] no profile',
      'seed 9 [1:reply:0] no profile',
      'seed 9 [1:reply:0] bench-unix',
      'seed 9 [] bench-unix',
    ]);
    assert.match(result.steps[0]?.summary ?? '',
      /^faults added: seed 7, faults 1\. reply: \{ verb: DELE, .*; 2\. stall: /);
    assert.equal(result.steps[1]?.summary, 'fault 2 fired 0 times');
    assert.equal(result.steps[4]?.summary, 'server profile removed: our own server\'s behaviour');
  });

test('ftp.fired of a fault that is not in force is broken, the scenario\'s mistake rather than the app\'s',
  async () => {
    const file = scenarioFile('no-such-fault', [
      'setup:', '  devices: [Tab001]', `  ftp: { faults: [${NEVER}] }`, 'steps:', '  - ftp.fired: { fault: 3 }',
    ]);

    const result = await runScenario(loadScenario(file), { folder: join(folder, 'run-no-such-fault') });

    assert.equal(result.status, 'broken', JSON.stringify(result.error));
    assert.equal(result.error?.code, 'SCENARIO');
    assert.match(result.error?.message ?? '', new RegExp('^ftp\\.fired fault 3: no fault 3 in force, so the ' +
      'scenario cannot ask how often it fired; the faults in force are 1\\. reply: '));
  });

test('the run\'s extras add faults after the scenario\'s, and their seed and profile replace the scenario\'s',
  async () => {
    const file = scenarioFile('extras', [
      'setup:',
      '  devices: [Tab001]',
      `  ftp: { seed: 7, faults: [${NEVER}] }`,
      'steps:',
      '  - ftp.fired: { fault: 2, exactly: 0 }',
    ]);
    let state: unknown;
    const wrapStep: StepWrapper = async (_step, run, { simulator }) => {
      state = { ...simulator.ftp.faults.current(), profile: simulator.ftp.profile.current()?.name };
      return run();
    };
    const extra = { bandwidth: { network: '3g' as const } };
    const result = await runScenario(loadScenario(file), { folder: join(folder, 'run-extras'), wrapStep,
      ftpExtras: { faults: [extra], seed: 11, profile: { name: 'extra', description: 'from the run' } } });

    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    const { seed, faults, profile } = state as { seed: number; faults: { spec: object }[]; profile: string };
    assert.deepEqual([seed, profile], [11, 'extra']);
    assert.deepEqual(faults.map(({ spec }) => faultSpecText(spec as never)),
      ['reply: { verb: DELE, login: nobody, code: 550 }', 'bandwidth: { network: 3g }']);
  });

test('ftp.occupy holds control connections open until ftp.release', async () => {
  const file = scenarioFile('occupy', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - ftp.occupy: { connections: 2 }',
    '  - ftp.occupy: { connections: 1, login: true }',
    '  - ftp.release: {}',
  ]);
  const seen: string[] = [];
  const open = new Set<string>();
  let logins = 0;
  const wrapStep: StepWrapper = async (step, run, { simulator }) => {
    if (step.index === 0) {
      simulator.ftp.on('session-start', ({ session }) => open.add(session));
      simulator.ftp.on('session-end', ({ session }) => open.delete(session));
      simulator.ftp.on('login', () => (logins += 1));
    }
    const result = await run();
    // The server hears a close a moment after the client makes it.
    for (let wait = 0; wait < 50 && result.action === 'ftp.release' && open.size > 0; wait += 1) {
      await new Promise((done) => setTimeout(done, 100));
    }
    seen.push(`${result.summary}; ${open.size} open, ${logins} logged in`);
    return result;
  };
  const result = await runScenario(loadScenario(file), { folder: join(folder, 'run-occupy'), wrapStep });

  assert.equal(result.status, 'passed', JSON.stringify(result.error));
  assert.deepEqual(seen, [
    '2 control connections held open from this machine (not logged in); 2 open, 0 logged in',
    '3 control connections held open from this machine (logged in as Demo); 3 open, 1 logged in',
    '3 control connections closed; 0 open, 1 logged in',
  ]);
});
