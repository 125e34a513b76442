import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceSlots, E2E_RUN_ENV, encodeE2eRun, readE2eRun, slotLabel, workerSlot } from './e2e-run.ts';

test('the n-th device of a profile is its slot n, and the n-th udid goes to the n-th device', () => {
  const slots = deviceSlots(['virtual', 'tablet', 'virtual'], { app: '/apk/estock.apk', udids: ['V1', 'R58N'] });

  assert.deepEqual(slots, [
    { profile: 'virtual', slot: 1, app: '/apk/estock.apk', udid: 'V1' },
    { profile: 'tablet', slot: 1, app: '/apk/estock.apk', udid: 'R58N' },
    { profile: 'virtual', slot: 2, app: '/apk/estock.apk' },
  ]);
  assert.deepEqual(slots.map(slotLabel), ['virtual #1 (V1)', 'tablet #1 (R58N)', 'virtual #2']);
  assert.throws(() => deviceSlots(['virtual'], { udids: ['a', 'b'] }), /2 --udid for 1 --device/);
});

test('the run crosses to the workers as JSON, and each worker finds its slot by its capability', () => {
  const run = { devices: deviceSlots(['virtual', 'virtual']), scenarios: 'full-*', reportsFolder: 'reports/x',
    resultsFolder: '/tmp/results' };
  const env = { [E2E_RUN_ENV]: encodeE2eRun(run) };
  const read = readE2eRun(env);

  assert.match(read.reportsFolder, /^\/.*\/reports\/x$/, 'folders are made absolute');
  assert.equal(read.scenarios, 'full-*');
  assert.deepEqual(workerSlot(read, { ...env, WDIO_WORKER_ID: '1-0' }), { profile: 'virtual', slot: 2 });
  assert.throws(() => workerSlot(read, { WDIO_WORKER_ID: '2-0' }), /worker 2-0 has no device slot: the run has 2/);
});

test('a run that is not one says what is wrong and how to start a run', () => {
  assert.deepEqual(readE2eRun({}).devices, [{ profile: 'virtual', slot: 1 }]);
  assert.throws(() => readE2eRun({ [E2E_RUN_ENV]: '{' }), /HIL_E2E_RUN is not JSON .*npm run e2e/);
  assert.throws(() => readE2eRun({ [E2E_RUN_ENV]: '{"devices":[],"reportsFolder":"r","resultsFolder":"a"}' }),
    /HIL_E2E_RUN is not a run: devices: .*npm run e2e/);
});
