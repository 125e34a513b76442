import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../../simulator/errors.ts';
import { YamlFileError } from '../../simulator/yaml-file.ts';
import { loadScenario } from './load.ts';
import { scenarioHeadSchema } from './schema.ts';
import { scenarioFiles } from './run-suite.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-scenario-load-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function scenarioFile(name: string, text: string): string {
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
}

function loadError(file: string): ConfigError {
  try {
    loadScenario(file);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${file} loaded, but it is wrong`);
}

test('every shipped scenario loads', () => {
  const files = scenarioFiles();
  assert.ok(files.length >= 3, `expected the shipped scenarios, found ${files.length}`);
  for (const file of files) assert.ok(loadScenario(file).steps.length > 0, file);
});

test('defaults fill the setup and the single device', () => {
  const file = scenarioFile('defaults.yaml', 'setup: { devices: [Tab001] }\nsteps:\n  - device.send: {}\n');
  const scenario = loadScenario(file);
  assert.equal(scenario.name, 'defaults');
  assert.deepEqual(scenario.setup.catalog, { size: 'small', seed: 1 });
  assert.deepEqual(scenario.setup.mapping, { format: 'eStock', version: '1.00' });
  assert.equal(scenario.steps[0]?.body.device, 'Tab001');
  assert.equal(scenario.steps[0]?.line, 3);
});

test('a wrong value names the file, the line, the step and the key', () => {
  const file = scenarioFile('wrong-quantity.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - device.receive: {}',
    '  - device.move:',
    '      type: exit',
    '      lot: LOT0001-1',
    '      depot: STOCK',
    '      quantity: six',
    '      reason: VTE',
  ].join('\n'));
  const error = loadError(file);
  assert.match(error.message, /wrong-quantity\.yaml:8: step 2 \(device\.move\): quantity: /);
});

test('an unknown action lists the actions', () => {
  const error = loadError(scenarioFile('unknown.yaml', 'setup: { devices: [Tab001] }\nsteps:\n  - device.fly: {}\n'));
  assert.match(error.message, /unknown\.yaml:3: step 1: unknown action "device\.fly"; the actions are .*device\.send/);
});

test('an unknown key is named', () => {
  const error = loadError(scenarioFile('typo.yaml',
    'setup: { devices: [Tab001] }\nsteps:\n  - device.send: { expect: { movement: 1 } }\n'));
  assert.match(error.message, /typo\.yaml:3: step 1 \(device\.send\): expect: unknown key "movement"/);
});

test('a device outside the setup, or a missing one with several devices, is refused', () => {
  const outside = loadError(scenarioFile('outside.yaml',
    'setup: { devices: [Tab001] }\nsteps:\n  - device.send: { device: Tab002 }\n'));
  assert.match(outside.message, /step 1 \(device\.send\): device: Tab002 is not in setup\.devices \(Tab001\)/);
  const missing = loadError(scenarioFile('missing.yaml',
    'setup: { devices: [Tab001, Tab002] }\nsteps:\n  - device.send: {}\n'));
  assert.match(missing.message, /missing\.yaml:3: step 1 \(device\.send\): device: name the device/);
});

test('a stock expectation needs exactly one of quantity and change', () => {
  const error = loadError(scenarioFile('stock.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.import:',
    '      expect:',
    '        stock:',
    '          - { lot: L1, depot: D, location: A01 }',
  ].join('\n')));
  assert.match(error.message, /stock\.yaml:6: step 1 \(bo\.import\): expect\.stock\.0: give either quantity or change/);
});

test('a file that holds no mapping says what it holds and names every top-level key a scenario has', () => {
  const cases: [string, string, RegExp][] = [
    ['empty.yaml', '', /^.*empty\.yaml: the file is empty; a scenario is a mapping with setup: /],
    ['comments.yaml', '# to do\n', /^.*comments\.yaml: the file is empty but for comments; a scenario is /],
    ['list.yaml', '- bo.export: {}\n', /^.*list\.yaml:1: the file is a list, not a mapping; a scenario is /],
    ['text.yaml', 'full cycle\n', /^.*text\.yaml:1: the file holds only text "full cycle"; a scenario is /],
  ];
  for (const [name, text, expected] of cases) {
    const message = loadError(scenarioFile(name, text)).message;
    assert.match(message, expected);
    for (const key of Object.keys(scenarioHeadSchema.shape)) assert.match(message, new RegExp(`\\b${key}:`), key);
    assert.doesNotMatch(message, /Invalid input|received/);
  }
});

test('a value of the wrong kind says what was expected and what is there, in YAML words', () => {
  const lines = loadError(scenarioFile('kinds.yaml', 'setup: { devices: Tab001 }\nsteps:\n')).message.split('\n');
  assert.deepEqual(lines.map((line) => line.replace(/^.*kinds\.yaml/, '')), [
    ':1: setup.devices: expected a list, got text "Tab001"',
    ':2: steps: expected a list, got nothing',
  ]);
  assert.match(loadError(scenarioFile('no-steps.yaml', 'setup: { devices: [Tab001] }\n')).message,
    /no-steps\.yaml:1: steps: missing; expected a list$/);
});

test('broken YAML and a missing setup are reported with the file', () => {
  assert.match(loadError(scenarioFile('broken.yaml', 'setup: [\n')).message, /broken\.yaml:\d+: not valid YAML/);
  assert.match(loadError(scenarioFile('nosetup.yaml', 'steps:\n  - device.send: {}\n')).message,
    /nosetup\.yaml(:\d+)?: setup: /);
  assert.match(loadError(join(folder, 'absent.yaml')).message, /absent\.yaml: cannot read the scenario file/);
});

test('a YAML error names the file and its line, and ends with the reason, not a cut code frame', () => {
  const message = loadError(scenarioFile('frame.yaml', 'setup: { devices: [Tab001] }\nsteps: [\n')).message;
  assert.match(message, /frame\.yaml:3: not valid YAML \(column 1\): Flow sequence .* must be .*\]$/);
  assert.doesNotMatch(message, /:\s*$/);
});

test('an alias without its anchor is our error, with the file and the line of the alias', () => {
  const file = scenarioFile('alias.yaml',
    'setup: { devices: [Tab001] }\nsteps:\n  - bo.export: {}\n  - bo.export: *b\n');
  const error = loadError(file);
  assert.match(error.message, /^.*alias\.yaml:4: not valid YAML: alias \*b has no anchor &b before it$/);
});

test('an unknown top-level key points at its own line', () => {
  const error = loadError(scenarioFile('top-key.yaml',
    'setup: { devices: [Tab001] }\nsteps:\n  - device.send: {}\nstepz: 1\n'));
  assert.match(error.message, /top-key\.yaml:4: \(top\): unknown key "stepz"/);
});

test('every problem of a file is reported, one line each', () => {
  const error = loadError(scenarioFile('many.yaml', [
    'setup: { devices: [Tab001], colour: blue }',
    'steps:',
    '  - device.fly: {}',
    '  - device.send: { expect: { movement: 1, lot: 2 } }',
    '  - device.move: { type: exit, lot: LOT0001-1, depot: STOCK, location: A04, quantity: six, reason: VTE }',
  ].join('\n')));
  assert.ok(error instanceof YamlFileError);
  const lines = error.message.split('\n');
  assert.equal(lines.length, 5, error.message);
  assert.deepEqual(error.problems, lines);
  assert.match(lines[0]!, /many\.yaml:1: setup: unknown key "colour"/);
  assert.match(lines[1]!, /many\.yaml:3: step 1: unknown action "device\.fly"/);
  assert.match(lines[2]!, /many\.yaml:4: step 2 \(device\.send\): expect: unknown key "movement"/);
  assert.match(lines[3]!, /many\.yaml:4: step 2 \(device\.send\): expect: unknown key "lot"/);
  assert.match(lines[4]!, /many\.yaml:5: step 3 \(device\.move\): quantity: /);
});

test('the setup is checked against the company file and the mappings', () => {
  const lines = loadError(scenarioFile('setup.yaml', [
    'setup:',
    '  company: no-such-company',
    '  mapping: { format: eStock, version: "9.99" }',
    '  devices: [Tab001]',
    'steps:',
    '  - device.send: {}',
  ].join('\n'))).message.split('\n');
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0]!, /setup\.yaml:2: setup\.company: no company file .*no-such-company\.yaml; .*\(.*demo.*\)/);
  assert.match(lines[1]!, /setup\.yaml:3: setup\.mapping: no mapping eStock 9\.99; the mappings are eStock 1\.00/);
});

test('a device of the setup must be in the company\'s device registry', () => {
  const error = loadError(scenarioFile('unregistered.yaml',
    'setup: { company: demo, devices: [Tab001, Tab999] }\nsteps:\n  - device.send: { device: Tab001 }\n'));
  assert.match(error.message,
    /unregistered\.yaml:1: setup\.devices\.1: Tab999 is not in the device registry of company demo; choose one of/);
});

test('a company file given by path is read, and its own faults are named', () => {
  const company = join(folder, 'broken-company.yaml');
  writeFileSync(company, 'name: Broken\n');
  const error = loadError(scenarioFile('own-company.yaml',
    `setup: { company: ${company}, devices: [Tab001] }\nsteps:\n  - device.send: {}\n`));
  assert.match(error.message, /own-company\.yaml:1: setup\.company: .*broken-company\.yaml:1: ftp: missing; /);
});

test('movement arguments the device always refuses are refused before the run', () => {
  const move = '{ type: exit, lot: LOT0001-1, depot: STOCK, location: A04, reason: VTE';
  const lines = loadError(scenarioFile('arguments.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - device.move: { type: transfer, lot: LOT0001-1, depot: STOCK, location: A04, quantity: 1, reason: TRF }',
    `  - device.move: ${move}, quantity: 0 }`,
    `  - device.move: ${move}, quantity: 1.2345 }`,
    `  - device.move: ${move}, quantity: 1, toDepot: CAVE }`,
    '  - device.send: { expect: { movements: 1 }, expectError: refused }',
  ].join('\n'))).message.split('\n');
  assert.deepEqual(lines.map((line) => line.replace(/^.*arguments\.yaml:/, '')), [
    '3: step 1 (device.move): toDepot: a transfer needs toDepot, the depot it goes to',
    '3: step 1 (device.move): toLocation: a transfer needs toLocation, the location it goes to',
    '4: step 2 (device.move): quantity: 0 for an exit: expected more than 0',
    '5: step 3 (device.move): quantity: 1.2345 has more than 3 decimals, which the device does not keep; ' +
      'round it to 3 decimals',
    '6: step 4 (device.move): toDepot: toDepot is for transfers only, not for an exit',
    '7: step 5 (device.send): expectError: a step with expectError must fail, so it has no result to expect; ' +
      'keep expect or expectError',
  ]);
});

test('with expectError, a value the device refuses is let through to see the refusal', () => {
  const scenario = loadScenario(scenarioFile('expected-refusal.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - device.move: { type: exit, lot: L1, depot: STOCK, location: A04, quantity: 0, reason: VTE, ' +
      'expectError: "quantity 0" }',
    '  - device.move: { type: inventory, lot: L1, depot: STOCK, location: A04, quantity: 0, reason: INV }',
    '  - device.testFtp: { expectError: "530" }',
  ].join('\n')));
  assert.equal(scenario.steps.length, 3);
});

test('expect beside its action, not under it, is told where it belongs', () => {
  const beside = loadError(scenarioFile('beside.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.export: { device: Tab001 }',
    '    expect: { tables: 52 }',
  ].join('\n'))).message;
  assert.equal(beside.replace(/^.*beside\.yaml/, ''), ':4: step 1: expect is beside bo.export, not under it; ' +
    'the arguments of a step go under its action: indent it under bo.export, or write "- bo.export: { expect: … }"');
});

test('expect written as a step of its own is told to go under the step before', () => {
  const own = loadError(scenarioFile('own-item.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.export:',
    '  - expect: { tables: 52 }',
  ].join('\n'))).message;
  assert.equal(own.replace(/^.*own-item\.yaml/, ''), ':4: step 2: expect is an argument, not an action; ' +
    'if it belongs to step 1 (bo.export), remove the "- " before expect and indent it under bo.export');

  const first = loadError(scenarioFile('first-item.yaml',
    'setup: { devices: [Tab001] }\nsteps:\n  - { device: Tab001, expect: { tables: 52 } }\n')).message;
  assert.match(first, /first-item\.yaml:3: step 1: device and expect are arguments, not an action; a step starts /);
});

test('expect in the column of the "- " before its action is a YAML error on the line of expect', () => {
  const message = loadError(scenarioFile('dash-column.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.export:',
    '  expect:',
    '      tables: 52',
  ].join('\n'))).message;
  assert.equal(message.replace(/^.*dash-column\.yaml/, ''), ':4: not valid YAML (column 3): expect: is in column 3, ' +
    'in line with none of the keys above it (bo.export: line 3 column 5, steps: line 2 column 1); ' +
    'indent it like the key it belongs with');
});

test('two actions in one step, and an action without its colon, are named', () => {
  const lines = loadError(scenarioFile('shapes.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.export: {}',
    '    device.receive: {}',
    '  - device.send',
    '  -',
  ].join('\n'))).message.split('\n');
  assert.deepEqual(lines.map((line) => line.replace(/^.*shapes\.yaml/, '')), [
    ':4: step 1 has 2 actions, bo.export and device.receive; a step is one action: start each with its own "- "',
    ':5: step 2: device.send has no colon after it; write "- device.send: {}", or "- device.send:" with its ' +
      'arguments under it',
    ':6: step 3 is empty; a step is one action, e.g. "- device.send: {}"; the actions are bo.export, ' +
      'bo.settings, bo.ftpProfile, bo.licence, bo.registry, bo.estockList, bo.seed, device.configure, ' +
      'device.testFtp, device.receive, device.move, device.send, bo.import, ' +
      'ftp.faults, ftp.profile, ftp.fired, ftp.occupy, ftp.release',
  ]);
});

test('a key indented one space too far is named on its own line, not on the line before', () => {
  const message = loadError(scenarioFile('indent.yaml', [
    'setup:',
    '  company: demo',
    '   devices: [Tab001]',
    'steps:',
    '  - bo.export: {}',
  ].join('\n'))).message;
  assert.equal(message.replace(/^.*indent\.yaml/, ''), ':3: not valid YAML (column 4): this line is read as the ' +
    'rest of line 2 ("demo"), and a key cannot run over two lines; if devices: starts a key of its own, ' +
    'line it up with the keys above it');
});

test('values the back office refuses in any state are named before the run: key, criteria, selection', () => {
  const message = loadError(scenarioFile('bo-values.yaml', [
    'setup: { devices: [Tab001, Tab002] }',
    'steps:',
    '  - bo.registry: { device: Tab001, authKey: 0123-nope }',
    '  - bo.estockList: { device: Tab002, criteria: "ART00*" }',
    '  - bo.export: { devices: [Tab001], selection: { vintages: { from: 2020, to: 2018 } } }',
    '  - bo.export: { device: Tab001, selection: { vintages: { from: 18 } } }',
    '  - bo.export: { device: Tab001, selection: { depots: [] } }',
    '  - bo.export: { devices: [Tab001, Tab001] }',
  ].join('\n'))).message;
  const lines = message.split('\n').map((line) => line.replace(/^.*bo-values\.yaml/, ''));
  assert.deepEqual(lines, [
    ':3: step 1 (bo.registry): authKey: "0123-nope" is not 16 hexadecimal digits (0-9, a-f), e.g. 0123456789abcdef',
    ':4: step 2 (bo.estockList): criteria: the « Critères Articles et Lots » of device Tab002 ("ART00*") cannot ' +
      'be read: ART00*: not name=value; write criteria as name=value separated by spaces, with the names ' +
      'article, family, depot, location, vintage and quantity, e.g. "family=ROUGE,BLANC depot=STOCK ' +
      'vintage=2018..2020 quantity=1.."',
    ':5: step 3 (bo.export): selection.vintages: from 2020 is after to 2018',
    ':6: step 4 (bo.export): selection.vintages.from: a vintage is a year of 4 digits, e.g. 2018',
    ':7: step 5 (bo.export): selection.depots: an empty list matches nothing; leave it out',
    ':8: step 6 (bo.export): devices: Tab001 is given twice; give each once',
  ]);
});

test('with expectError, a key or criteria the back office refuses is let through to see the refusal', () => {
  const scenario = loadScenario(scenarioFile('bo-refusals.yaml', [
    'setup: { devices: [Tab001] }',
    'steps:',
    '  - bo.registry: { device: Tab001, authKey: XYZ, expectError: "16 hexadecimal digits" }',
    '  - bo.estockList: { device: Tab001, criteria: "ART00*", expectError: "cannot be read" }',
    '  - bo.registry: { device: Tab001, authKey: 0123456789ABCDEF }',
  ].join('\n')));
  assert.equal(scenario.steps.length, 3);
});
