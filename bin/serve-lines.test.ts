import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeEvent, EXPORT_SESSIONS_HEADING, formatBytes, lineWriter, type DeviceSettingsLine, type LineWriter,
  type ReadyLine, type Untimed,
} from './serve-lines.ts';

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

test('a login line names the client that gave its name with CLNT', () => {
  assert.deepEqual(describeEvent({ event: 'login', time, session: 's0011', company: 'Demo' }),
    ['05:06:12 s0011 login accepted: Demo']);
  const client = 'estock-hil back office';
  assert.deepEqual(describeEvent({ event: 'login', time, session: 's0011', company: 'Demo', client }),
    ['05:06:12 s0011 login accepted: Demo (client "estock-hil back office")']);
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

const SETTINGS: Untimed<DeviceSettingsLine> = {
  event: 'device', company: 'Demo', device: 'Tab001', authKey: '625a3bc6ff4eb194', loginDisabled: false,
  settings: {
    host: '127.0.0.1', port: 2120, deviceId: 'Tab001', user: 'Demo', password: 'demo-estock', tls: 'off',
  },
  export: { files: 3, tables: 52, rows: 632, bytes: 17_299, anomalies: [] },
};
const READY: Untimed<ReadyLine> = {
  event: 'ready',
  ftp: {
    host: '127.0.0.1', port: 2120, passiveHost: '127.0.0.1', passivePorts: { min: 1, max: 2 }, tls: { mode: 'off' },
  },
  state: '/state', lanAddresses: [],
  companies: [{
    company: 'Demo', login: 'Demo', disabled: false, root: '/state/ftp/roots/Demo', database: '/state/bo.sqlite',
    catalog: 'seeded', catalogSeed: { size: 'small', seed: 1 }, movementsImported: 0, devices: ['Tab001'],
    skipped: [],
  }],
};

/** Starts as serve does: the back office's session, the settings, ready; then a device's session. */
function startAndConnect(output: LineWriter): void {
  output.event({ event: 'session-start', session: 's0001', remoteAddress: '127.0.0.1' });
  output.device(SETTINGS);
  const path = 'Sortant/eStock/Tab001/Tab001.zip.part';
  output.event({ event: 'upload', session: 's0001', company: 'Demo', path, bytes: 17_195 });
  output.event({ event: 'session-end', session: 's0001', transcriptFile: '/t/s0001.jsonl' });
  output.ready(READY);
  output.event({ event: 'session-start', session: 's0002', remoteAddress: '192.168.1.31' });
}

test('--json: the export sessions before ready come first, then the settings, ready, the events; all timed', () => {
  const written: string[] = [];
  startAndConnect(lineWriter(true, (text) => written.push(text)));

  const lines = written.map((text) => JSON.parse(text) as { event: string; time: string; session?: string });
  assert.deepEqual(lines.map((line) => line.session ?? line.event),
    ['s0001', 's0001', 's0001', 'device', 'ready', 's0002']);
  for (const line of lines) assert.ok(!Number.isNaN(Date.parse(line.time)), `${line.event} has no time`);
  const times = lines.map((line) => line.time);
  assert.deepEqual(times, [...times].sort(), 'in the order they happened');
});

test('a person reads the export sessions under their heading, before the settings', () => {
  const written: string[] = [];
  startAndConnect(lineWriter(false, (text) => written.push(text)));

  const heading = written.indexOf(EXPORT_SESSIONS_HEADING);
  assert.ok(heading > 0, written.join('\n'));
  const sessions = written.slice(heading + 1, heading + 4);
  assert.deepEqual(sessions.map((line) => line.replace(/\d\d:\d\d:\d\d/, 'hh:mm:ss')), [
    '  hh:mm:ss s0001 session opened from 127.0.0.1',
    '  hh:mm:ss s0001 Demo upload Sortant/eStock/Tab001/Tab001.zip.part (16.8 KiB)',
    '  hh:mm:ss s0001 session closed, transcript /t/s0001.jsonl',
  ]);
  assert.equal(written[heading + 4], '');
  assert.match(written[heading + 5] ?? '', /^Demo: back office/);
  assert.equal(written.at(-2), 'Waiting for devices; Ctrl-C stops.');
  assert.match(written.at(-1) ?? '', /^\d\d:\d\d:\d\d s0002 session opened from 192\.168\.1\.31$/);
});

test('a fault that fires names its session, number and kind; changes of faults and profile are told', () => {
  const fired = describeEvent({ event: 'fault', time, session: 's0007',
    fault: { fault: 2, kind: 'cut', text: 'upload of Entrant/eStock/Tab001/MvtStocks/x.zip cut at 40%' } });
  const set = describeEvent({ event: 'faults', time, change: 'set', seed: 7,
    faults: [{ fault: 1, spec: { bandwidth: { network: '3g' } }, fired: 0 }] });
  const cleared = describeEvent({ event: 'faults', time, change: 'clear', seed: 7, faults: [] });
  const profile = describeEvent({ event: 'profile', time, profile: 'vsftpd', description: 'vsftpd 3' });
  const none = describeEvent({ event: 'profile', time, profile: null });
  const refused = describeEvent({ event: 'profile-refusal', time, session: 's0008', command: 'RETR Sortant/x.zip',
    reply: 522, why: 'vsftpd: the data connection did not resume the control connection\'s TLS session' });

  assert.deepEqual([...fired, ...set, ...cleared, ...profile, ...none, ...refused], [
    '05:06:12 s0007 FAULT 2 (cut): upload of Entrant/eStock/Tab001/MvtStocks/x.zip cut at 40%',
    '05:06:12 faults set: seed 7, 1. bandwidth: { network: 3g }',
    '05:06:12 faults cleared: none in force',
    '05:06:12 server profile vsftpd: vsftpd 3',
    '05:06:12 server profile removed: our own server\'s behaviour',
    '05:06:12 s0008 PROFILE 522 to RETR Sortant/x.zip: vsftpd: the data connection did not resume the control ' +
      'connection\'s TLS session',
  ]);
});
