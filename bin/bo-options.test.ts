import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExportOptions } from '../simulator/bo/index.ts';
import { startTestBench } from '../simulator/bo/test-fixture.ts';
import { runExport } from './bo-exchange.ts';
import { collectCodes, deviceIds, exportOptions, parseRange, settingsChange } from './bo-options.ts';

test('settings assignments: numbers for the keys that hold numbers, text for the rest', () => {
  assert.deepEqual(settingsChange(['negativeStock=refuse', 'settleMs=0', 'version=1.00', 'exportFolder=a=b']),
    { negativeStock: 'refuse', settleMs: 0, version: '1.00', exportFolder: 'a=b' });
  assert.deepEqual(settingsChange(['settleMs=soon']), { settleMs: 'soon' }, 'the back office refuses it, naming it');
  assert.throws(() => settingsChange(['colour=red']), /^ConfigError: colour is not a setting; the keys are version, /);
  assert.throws(() => settingsChange(['negativeStock']), /"negativeStock" is not key=value/);
  assert.throws(() => settingsChange([]), /give at least one key=value/);
});

test('ranges: both bounds, one, or a single value; a wrong one names the flag', () => {
  assert.deepEqual(parseRange('--vintage', '2018..2020', 'year'), { from: 2018, to: 2020 });
  assert.deepEqual(parseRange('--vintage', '2018..', 'year'), { from: 2018 });
  assert.deepEqual(parseRange('--vintage', '..2020', 'year'), { to: 2020 });
  assert.deepEqual(parseRange('--vintage', '2019', 'year'), { from: 2019, to: 2019 });
  assert.deepEqual(parseRange('--quantity', '1.5..100', 'quantity'), { from: 1.5, to: 100 });
  assert.throws(() => parseRange('--vintage', '2018.5..2020', 'year'),
    /^ConfigError: --vintage: "2018\.5\.\.2020" is not/);
  assert.throws(() => parseRange('--vintage', '..', 'year'), /--vintage: "\.\." is not a range/);
  assert.throws(() => parseRange('--quantity', '100..1', 'quantity'),
    /--quantity: "100\.\.1" goes from 100 down to 1/);
});

test('a vintage is a year of 4 digits: 18 or 0..99 is refused, naming the flag', () => {
  for (const typed of ['18', '0..99', '..99', '20180']) {
    assert.throws(() => parseRange('--vintage', typed, 'year'),
      new RegExp(`^ConfigError: --vintage: "${typed.replaceAll('.', '\\.')}" is not a range; write years of 4 digits`));
  }
  assert.throws(() => exportOptions({ vintage: '18' }), /--vintage: "18" is not a range/);
});

test('device ids: lists and repeats read into one list; an id given twice is refused', () => {
  assert.deepEqual(deviceIds(['Tab001,Tab002', 'Tab003']), ['Tab001', 'Tab002', 'Tab003']);
  assert.throws(() => deviceIds(['Tab001', 'Tab001']), /^ConfigError: --device: Tab001 is given twice/);
});

test('export flags become the lot selection and scope of ExportOptions', () => {
  const codes = ['CHAI,CAVE', 'STOCK'].reduce<string[] | undefined>((all, value) => collectCodes(value, all),
    undefined);
  assert.deepEqual(exportOptions({
    article: ['ART00*'], family: ['ROUGE'], depot: codes, location: ['CHAI/A01'], vintage: '2018..2020',
    quantity: '1..100', existingLots: true,
  }), {
    selection: {
      articles: ['ART00*'], families: ['ROUGE'], depots: ['CHAI', 'CAVE', 'STOCK'], locations: ['CHAI/A01'],
      vintages: { from: 2018, to: 2020 }, quantity: { min: 1, max: 100 },
    },
    scope: 'existing-lots',
  });
  assert.deepEqual(exportOptions({}), {}, 'no flag, no selection: the back office exports everything');
  assert.deepEqual(exportOptions({ allArticles: true, quantity: '10..' }),
    { selection: { quantity: { min: 10 } }, scope: 'all-articles' });
  assert.throws(() => exportOptions({ allArticles: true, existingLots: true }),
    /--all-articles and --existing-lots: choose one scope/);
});

test('bo export hands the selection to the back office\'s export, for each device', async (t) => {
  const { bo } = await startTestBench(t);
  bo.seedCatalog({ size: 'small', seed: 3 });
  const calls: { devices: readonly string[]; options: ExportOptions | undefined }[] = [];
  const recording = { ...bo, exportForDevices: (devices: readonly string[], options?: ExportOptions) => {
    calls.push({ devices, options });
    return bo.exportForDevices(devices, options);
  } };

  const outcome = await runExport(recording, { device: ['Tab001,Tab002'], depot: ['CHAI'], vintage: '2000..',
    existingLots: true, json: true });

  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0]!.devices, ['Tab001', 'Tab002']);
  assert.deepEqual(calls[0]!.options, { selection: { depots: ['CHAI'], vintages: { from: 2000 } },
    scope: 'existing-lots' }, 'with --json, no progress callback');
  const exports = outcome.json.exports as { device: string; files: unknown[] }[];
  assert.deepEqual(exports.map((report) => [report.device, report.files.length]), [['Tab001', 3], ['Tab002', 3]]);
  assert.equal(outcome.refused, false, JSON.stringify(outcome.json.anomalies));

  await runExport(recording, { device: ['Tab001'] });
  assert.equal(typeof calls[1]!.options?.onProgress, 'function', 'without --json, progress goes to stderr');
});
