import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { SCENARIOS_FOLDER } from '../scenarios/runner/run-suite.ts';
import { globPattern, selectScenarioFiles } from './scenario-selection.ts';

const names = (files: string[]) => files.map((file) => basename(file));

test('without a filter every shipped scenario runs, not the benchmarks', () => {
  const files = names(selectScenarioFiles());
  assert.ok(files.includes('full-cycle.yaml') && files.includes('two-devices.yaml'));
  assert.ok(files.every((file) => file.endsWith('.yaml')));
  assert.equal(files.length, new Set(files).size);
});

test('a filter matches the file name, a glob of the path, or the scenario name', () => {
  assert.deepEqual(names(selectScenarioFiles('full-cycle')), ['full-cycle.yaml']);
  assert.deepEqual(names(selectScenarioFiles('scenarios/two-*.yaml')),
    ['two-devices.yaml', 'two-sends-one-import.yaml']);
  assert.deepEqual(names(selectScenarioFiles('Two devices, one stock')), ['two-devices.yaml']);
  assert.deepEqual(names(selectScenarioFiles('Full*')), ['full-cycle.yaml']);
});

test('an existing file or folder is taken as it is', () => {
  const file = join(SCENARIOS_FOLDER, 'bench', 'full-cycle-medium.yaml');
  assert.deepEqual(selectScenarioFiles(file), [file]);
});

test('a filter that matches nothing names the scenarios there are', () => {
  assert.throws(() => selectScenarioFiles('no-such'),
    /--scenarios no-such: no scenario file or name matches; .*full-cycle/);
});

test('globs: ** crosses folders, * and ? do not', () => {
  assert.ok(globPattern('**/x.yaml').test('a/b/x.yaml'));
  assert.ok(!globPattern('*.yaml').test('a/x.yaml'));
  assert.ok(globPattern('x?.yaml').test('x1.yaml'));
  assert.ok(!globPattern('x.yaml').test('xxyaml'));
});
