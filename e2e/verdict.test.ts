import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Status } from 'allure-js-commons';
import { getStatusFromError } from 'allure-js-commons/sdk';
import type { ScenarioResult } from '../scenarios/runner/result.ts';
import { AppAssertionError, HarnessBrokenError, scenarioVerdict, withoutVerdictWords } from './verdict.ts';

function scenario(status: ScenarioResult['status'], message: string): ScenarioResult {
  return {
    name: 'Full cycle', file: 'full-cycle.yaml', status, movementsImported: 0, ftpBytes: 0, ms: 1, folder: '/tmp/x',
    steps: [
      { number: 1, action: 'bo.export', device: 'Tab001', line: 8, status: 'passed', ms: 1, summary: 'exported' },
      { number: 2, action: 'device.receive', device: 'Tab001', line: 9, status, ms: 1, summary: message,
        error: { message } },
    ],
    error: { message },
  };
}

test('an unmet expectation is failed for allure-js, with the step and line that did not pass', () => {
  const error = scenarioVerdict(scenario('failed', 'device.receive Tab001: expected tables 51, got 52'));

  assert.ok(error instanceof AppAssertionError);
  assert.equal(getStatusFromError(error), Status.FAILED);
  assert.equal(error.message, 'Full cycle failed at step 2 (device.receive on Tab001, line 9): ' +
    'device.receive Tab001: expected tables 51, got 52');
});

test('a harness fault is broken for allure-js even when its message says expected or assert', () => {
  for (const message of ['Unexpected token < in JSON', 'expected an error containing "530", got: TypeError',
    'AssertionError in a dependency', 'connect ECONNREFUSED 127.0.0.1:4723']) {
    const error = scenarioVerdict(scenario('broken', message));

    assert.ok(error instanceof HarnessBrokenError);
    assert.equal(getStatusFromError(error), Status.BROKEN, message);
    // What @wdio/allure-reporter reads: "assert" in the name, "expect" in the message, mean failed.
    assert.doesNotMatch(error.name, /assert/i);
    assert.doesNotMatch(error.message, /expect|assert/i);
    assert.equal(error.message.replaceAll('\u2060', ''), `Full cycle broken at step 2 (device.receive on Tab001, ` +
      `line 9): ${message}`);
  }
});

test('a scenario broken before any step says so', () => {
  const result = { ...scenario('broken', 'no company file'), steps: [] };

  assert.match(scenarioVerdict(result)?.message ?? '', /^Full cycle broken before its first step: no company file$/);
  assert.equal(scenarioVerdict({ ...result, status: 'passed' }), undefined);
});

test('the word joiner keeps the text as it reads', () => {
  assert.equal(withoutVerdictWords('Expected, UNEXPECTED, assertion').replaceAll('\u2060', ''),
    'Expected, UNEXPECTED, assertion');
  assert.doesNotMatch(withoutVerdictWords('Expected, UNEXPECTED, assertion'), /expect|assert/i);
});
