import assert from 'node:assert/strict';
import { test } from 'node:test';
import { counted } from './counts.ts';

test('a count of one is singular, any other plural', () => {
  assert.equal(counted(1, 'movement'), '1 movement');
  assert.equal(counted(0, 'movement'), '0 movements');
  assert.equal(counted(2, 'zip'), '2 zips');
  assert.equal(counted(1, 'anomaly'), '1 anomaly');
  assert.equal(counted(3, 'anomaly'), '3 anomalies');
});
