import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stepShapeProblem } from './step-shape.ts';

test('one action with its arguments under it has no shape problem', () => {
  assert.equal(stepShapeProblem([{ 'bo.export': { expect: { tables: 52 } } }], 0), undefined);
  assert.equal(stepShapeProblem([{ 'device.send': null }], 0), undefined);
});

test('several arguments beside their action are named together, with the line of the first', () => {
  assert.deepEqual(stepShapeProblem([{ 'bo.export': null, device: 'PC-174', expect: {} }], 0), {
    key: 'device',
    problem: 'step 1: device and expect are beside bo.export, not under it; the arguments of a step go ' +
      'under its action: indent them under bo.export, or write "- bo.export: { device: … }"',
  });
});

test('a step of arguments after a step that is not one action is told how a step starts', () => {
  const steps = [{ 'device.fly': {} }, { expect: {} }];
  assert.match(stepShapeProblem(steps, 1)!.problem,
    /^step 2: expect is an argument, not an action; a step starts with its action, e\.g\. "- bo\.export: /);
});

test('keys that are neither actions nor arguments are listed', () => {
  assert.match(stepShapeProblem([{ colour: 'red', size: 2 }], 0)!.problem,
    /^step 1: none of colour and size is an action; a step is one action, .*; the actions are bo\.export, /);
  assert.match(stepShapeProblem([['bo.export']], 0)!.problem, /^step 1: a step is one action, e\.g\. /);
});
