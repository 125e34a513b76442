import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { docCodeBlock } from '../../doc-samples.ts';
import { ConfigError } from '../../errors.ts';
import { loadFaultFile, parseFaultText } from './load-faults.ts';

function faultFile(t: { after: (fn: () => void) => void }, text: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'hil-faults-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, 'faults.yaml');
  writeFileSync(file, text);
  return file;
}

test('the fault set of docs/faults.md loads, and its sample error is the one a wrong share gets', (t) => {
  const sample = docCodeBlock('faults.md', '## Faults', 'yaml');
  const wrong = faultFile(t, sample.replace('atPercent: 40', 'atPercent: 140'));

  assert.equal(loadFaultFile(faultFile(t, sample)).faults.length, 3);
  assert.throws(() => loadFaultFile(wrong), (error: Error) => {
    assert.ok(error.message.includes(
      'faults.yaml:4: faults.1.cut.atPercent: expected less than 100, got the number 140'), error.message);
    return true;
  });
});

test('a fault file gives its seed and its faults, short forms expanded', (t) => {
  const file = faultFile(t, [
    'seed: 7', 'faults:', '  - bandwidth: 3g', '  - latency: 300', '  - idleTimeout: 2000', '  - reset:',
    '  - reply: { verb: stor, path: "**/MvtStocks/*", occurrence: 2, code: 451, when: after-data }',
  ].join('\n'));

  assert.deepEqual(loadFaultFile(file), {
    seed: 7,
    faults: [
      { bandwidth: { network: '3g' } }, { latency: { ms: 300 } }, { idleTimeout: { ms: 2000 } }, { reset: {} },
      { reply: { verb: 'STOR', path: '**/MvtStocks/*', occurrence: 2, code: 451, when: 'after-data' } },
    ],
  });
});

test('a bad fault file is told with its file, line, fault index and field', (t) => {
  const cases: [string, RegExp][] = [
    ['faults:\n  - bandwidth: 3g\n  - cut: { atPercent: 140 }\n',
      /faults\.yaml:3: faults\.1\.cut\.atPercent: expected less than 100/],
    ['faults:\n  - cutt: { atBytes: 10 }\n', /faults\.yaml:2: faults\.0: unknown key "cutt"/],
    ['faults:\n  - reply: { code: 200 }\n', /:2: faults\.0\.reply\.code: a reply fault answers one of 421, 425/],
    ['faults:\n  - stall: { afterBytes: 10, afterPercent: 5 }\n', /faults\.0\.stall: give afterBytes or afterPercent/],
    ['faults:\n  - latency: 10\n    cut: { atBytes: 3 }\n', /faults\.0: a fault is a mapping of one key, its kind/],
    ['faults:\n  - bandwidth: { upKbps: 0 }\n', /faults\.0\.bandwidth\.upKbps: expected more than 0/],
    ['faults:\n  - bandwidth: {}\n', /faults\.0\.bandwidth: give a network \(edge, 3g, 4g, wifi\)/],
    ['faults:\n  - latency: { ms: 10, times: 0 }\n', /faults\.0\.latency\.times/],
    ['seed: 1.5\nfaults: []\n', /:1: seed: expected a whole number, got the number 1.5/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => loadFaultFile(faultFile(t, text)), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, message);
      return true;
    }, text);
  }
});

test('one fault as text: its kind and fields, or an error naming where it came from', () => {
  assert.deepEqual(parseFaultText('cut: { direction: upload, atPercent: 40 }', '--fault'),
    { cut: { direction: 'upload', atPercent: 40 } });
  assert.throws(() => parseFaultText('bandwidth: 5g', '--fault "bandwidth: 5g"'),
    /^ConfigError: --fault "bandwidth: 5g": bandwidth\.network: expected one of edge, 3g, 4g, wifi/);
  assert.throws(() => parseFaultText('cut: {', '--fault'), /--fault: not valid YAML/);
  assert.throws(() => parseFaultText('[{ latency: 300 }, { bandwidth: edge }]', '--fault'),
    /--fault: a list of 2 faults, where one is taken; give each fault with an option of its own \(repeat it\)/);
});

test('faults that could never act are refused: waits past a timer, bad addresses, idle timeouts by verb', () => {
  assert.throws(() => parseFaultText('latency: { ms: 1e12 }', 'f'),
    /^ConfigError: f: latency\.ms: expected 2147483647 or less, got the number 1000000000000/);
  assert.throws(() => parseFaultText('stall: { afterPercent: 50, forMs: 1e10 }', 'f'),
    /stall\.forMs: expected 2147483647 or less/);
  assert.throws(() => parseFaultText('reset: { address: 999.1.1.1 }', 'f'),
    /reset\.address: an IPv4 or IPv6 address, as the server sees the client/);
  assert.throws(() => parseFaultText('idleTimeout: { ms: 500, verb: STOR }', 'f'), /idleTimeout: unknown key "verb"/);
});

test('a path glob copied from a transcript, with its leading slash, matches from the company root', () => {
  assert.deepEqual(parseFaultText('reset: { path: "/Sortant/**" }', 'f'), { reset: { path: 'Sortant/**' } });
});
