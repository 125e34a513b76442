import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { ConfigError } from '../../simulator/errors.ts';
import { YamlFileError } from '../../simulator/yaml-file.ts';
import {
  ELEMENT_NAMES, loadLocatorMap, loadLocatorMapFor, LOCATORS_FOLDER, mapVersionFor, parseLocatorMap,
} from './locator-map.ts';
import { matchMessage } from './pages/result-text.ts';
import type { Screen } from './pages/screen.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-locators-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('the map of a version is the longest leading part of it that has a file', () => {
  assert.equal(mapVersionFor('2.1.0', ['2.1']), '2.1');
  assert.equal(mapVersionFor('2.1.3', ['2', '2.1', '2.1.3']), '2.1.3');
  assert.equal(mapVersionFor('2.2.0', ['2', '2.1']), '2');
  assert.equal(mapVersionFor('3.0.0', ['2.1']), undefined);
  assert.throws(() => loadLocatorMapFor('3.0.0'), (error: Error) => error instanceof ConfigError &&
    /no locator map serves app version 3\.0\.0: the maps in .* are 2\.1; write .*3\.0\.yaml .*calibrate/
      .test(error.message));
});

test('the 2.1 map names every element, the guide\'s labels first', () => {
  const map = loadLocatorMapFor('2.1.0');
  assert.deepEqual([...map.elements.keys()].sort(), [...ELEMENT_NAMES].sort());
  assert.deepEqual(map.elements.get('settings.deviceId')?.locators[0],
    { uiautomator: 'new UiSelector().text("Identifiant de la tablette")' });
  assert.equal(map.elements.get('settings.deviceId')?.screen, 'Settings');
  assert.deepEqual(map.elements.get('sync.receive')?.locators.at(-1), { id: 'estock.virtual:id/sync_receive' });
});

test('the 2.1 map reads the messages of docs/virtual-app.md into their groups', () => {
  const screen = { finder: { map: loadLocatorMapFor('2.1.0') } } as unknown as Screen;
  const received = matchMessage(screen, 'Réception terminée : 52 tables, 1234 lignes, 45678 octets, données 1.00 ' +
    'du 2026-12-04 10:00:00 (812 ms)', ['sync.received', 'sync.receiveFailed']);
  assert.deepEqual(received?.groups, { tables: '52', rows: '1234', bytes: '45678', dataVersion: '1.00',
    exportDate: '2026-12-04 10:00:00', ms: '812' });
  const sent = matchMessage(screen, 'Envoi terminé : LotStockExported_20261204_100000.zip, 3 mouvements, 2 lots, ' +
    '1234 octets (95 ms)', ['sync.sent']);
  assert.equal(sent?.groups.file, 'LotStockExported_20261204_100000.zip');
  const recorded = matchMessage(screen, 'Mouvement PC-175-000001 enregistré : lot L1, article A1, lot existant, ' +
    '2026-12-04T10:00:00', ['movement.recorded']);
  assert.deepEqual(recorded?.groups, { id: 'PC-175-000001', lot: 'L1', article: 'A1',
    recordedAt: '2026-12-04T10:00:00' });
  const refused = matchMessage(screen, 'Mouvement refusé : Tab001: lot X is unknown on the device',
    ['movement.recorded', 'movement.refused']);
  assert.deepEqual([refused?.message, refused?.groups.reason], ['movement.refused', 'Tab001: lot X is unknown on ' +
    'the device']);
  assert.equal(matchMessage(screen, 'Aucun mouvement', ['sync.nothingToSend']), undefined);
});

test('a wrong map file names the line and key of each problem', () => {
  const written = parse(readFileSync(join(LOCATORS_FOLDER, '2.1.yaml'), 'utf8')) as {
    screens: Record<string, Record<string, unknown>>; messages: Record<string, string>;
  };
  delete written.screens.Stock!['stock.quantity'];
  written.screens.Settings!['settings.colour'] = [{ id: 'x' }];
  written.screens.Dialog!['dialog.ok'] = [{ id: 'android:id/button1', xpath: '//x' }];
  written.messages['sync.sent'] = '^Envoi terminé : (?<file>\\S+)$';
  written.messages['sync.sendFailed'] = '^Échec (?<reason>.+$';
  const file = join(folder, '9.9.yaml');
  writeFileSync(file, JSON.stringify(written, null, 1));

  assert.throws(() => loadLocatorMap(file), (error: Error) => {
    assert.ok(error instanceof YamlFileError);
    const text = error.problems.join('\n');
    assert.match(text, /9\.9\.yaml:\d+: screens\.Dialog\.dialog\.ok\.0: /);
    assert.match(text, /9\.9\.yaml:\d+: messages\.sync\.sendFailed: not a regular expression/);
    return true;
  });

  written.screens.Dialog!['dialog.ok'] = [{ id: 'android:id/button1' }];
  written.messages['sync.sendFailed'] = '^Échec (?<reason>.+)$';
  writeFileSync(file, JSON.stringify(written, null, 1));
  assert.throws(() => loadLocatorMap(file), (error: Error) => {
    assert.ok(error instanceof YamlFileError);
    const text = error.problems.join('\n');
    assert.match(text, /9\.9\.yaml:\d+: screens\.Settings\.settings\.colour: unknown element "settings\.colour"/);
    assert.match(text, /9\.9\.yaml:\d+: screens: elements missing: stock\.quantity/);
    const said = 'messages.sync.sent: the expression needs the named groups (?<movements>…), (?<lots>…)';
    assert.ok(text.includes(said), text);
    return true;
  });
});

test('a map given as data is checked too', () => {
  assert.throws(() => parseLocatorMap({ screens: {}, messages: {} }, 'test map'),
    (error: Error) => error instanceof ConfigError && /test map: .*elements missing: permission\.message/
      .test(error.message) && /messages missing: sync\.received/.test(error.message));
});

test('a problem of a map file is reported at the line of its key, not the line after', () => {
  const shipped = readFileSync(join(LOCATORS_FOLDER, '2.1.yaml'), 'utf8');
  const lines = shipped.split('\n');
  const sendLine = lines.findIndex((line) => /^\s+sync\.send:/.test(line)) + 1;
  const screensLine = lines.findIndex((line) => line === 'screens:') + 1;
  const file = join(folder, 'misspelt.yaml');
  writeFileSync(file, shipped.replace(/^(\s+)sync\.send:/m, '$1sync.sendd:'));

  assert.throws(() => loadLocatorMap(file), (error: Error) => {
    assert.ok(error instanceof YamlFileError);
    assert.ok(error.problems.includes(`${file}:${sendLine}: screens.Synchronisation.sync.sendd: unknown element ` +
      '"sync.sendd"; the page objects use the names of ELEMENT_NAMES in devices/appium/locator-names.ts'),
    error.problems.join('\n'));
    assert.ok(error.problems.includes(`${file}:${screensLine}: screens: elements missing: sync.send`),
      error.problems.join('\n'));
    return true;
  });
});
