import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEvent, formatBytes } from './serve-lines.ts';

const time = new Date(2026, 11, 4, 5, 6, 12).toISOString();

test('an import reads with its zips and each anomaly, counted in words', () => {
  const lines = describeEvent({
    event: 'import', time, company: 'Demo', device: 'Tab001', uploads: [], movementsImported: 1, ms: 31,
    zips: [{ name: 'LotStockExported_20261204_050612.zip', movements: 1, anomalies: 2 }],
    anomalies: [
      { file: 'LotStockExported_20261204_050612.zip/MVTSTOCK.txt', line: 3, reason: 'unknown lot LOT9' },
      { reason: 'something else' },
    ],
  });

  assert.deepEqual(lines, [
    '05:06:12 import Demo/Tab001: 1 movement imported from 1 zip, 2 anomalies (31 ms)',
    '    LotStockExported_20261204_050612.zip: 1 movement, 2 anomalies',
    '    anomaly: LotStockExported_20261204_050612.zip/MVTSTOCK.txt:3: unknown lot LOT9',
    '    anomaly: something else',
  ]);
});

test('refused logins say why, and an upload cut short says it is not imported', () => {
  const refused = (login: string, reason: string) =>
    describeEvent({ event: 'login-refused', time, session: 's0002', login, reason });
  assert.deepEqual(refused('Dem', 'unknown-login'), ['05:06:12 s0002 login refused for "Dem": unknown login']);
  assert.deepEqual(refused('Demo', 'tls-required'),
    ['05:06:12 s0002 login refused for "Demo": TLS is required (AUTH TLS before USER)']);
  assert.deepEqual(describeEvent({
    event: 'upload-cut-short', time, session: 's0004', company: 'Demo', bytes: 20_480,
    path: 'Entrant/eStock/Tab001/MvtStocks/LotStockExported_20261204_050612.zip', reason: 'the client aborted',
  }), ['05:06:12 s0004 Demo UPLOAD CUT SHORT, not imported: ' +
    'Entrant/eStock/Tab001/MvtStocks/LotStockExported_20261204_050612.zip after 20.0 KiB: the client aborted']);
});

test('bytes read as bytes, KiB or MiB', () => {
  assert.equal(formatBytes(812), '812 bytes');
  assert.equal(formatBytes(39_014), '38.1 KiB');
  assert.equal(formatBytes(2_500_000), '2.4 MiB');
});
