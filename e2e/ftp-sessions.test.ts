import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TranscriptRecord } from '../simulator/ftp/server.ts';
import { firedFaultLines, formatTranscript } from './ftp-sessions.ts';

const records: TranscriptRecord[] = [
  { time: '2026-12-04T10:41:07.100Z', session: 's0004', command: 'PASV', reply: 227, ms: 1 },
  {
    time: '2026-12-04T10:41:07.213Z', session: 's0004', command: 'STOR LotStockExported_20261204_104100.zip',
    reply: 426, bytes: 5120, cutShort: 'data connection closed by the server', ms: 40,
    faults: [{ fault: 2, kind: 'cut', text: 'upload cut at 5120 of 12800 bytes (40%), abrupt close' }],
  },
];

test('a fault that fired stands out under its command in the transcript, and in a list of its own', () => {
  assert.equal(formatTranscript(records), [
    '10:41:07.100 s0004 PASV  227  1 ms',
    '10:41:07.213 s0004 STOR LotStockExported_20261204_104100.zip  426  5120 B  40 ms' +
      '  cut short: data connection closed by the server',
    '    !! FAULT 2 (cut): upload cut at 5120 of 12800 bytes (40%), abrupt close',
  ].join('\n'));
  assert.deepEqual(firedFaultLines(records), [
    '10:41:07.213 s0004 STOR LotStockExported_20261204_104100.zip: FAULT 2 (cut): ' +
      'upload cut at 5120 of 12800 bytes (40%), abrupt close',
  ]);
  assert.deepEqual(firedFaultLines(records.slice(0, 1)), []);
});
