import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineCounter, parseDocument } from 'yaml';
import { syntaxProblems } from './yaml-syntax.ts';

function problems(lines: string[]): string[] {
  const text = lines.join('\n');
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  return syntaxProblems(text, document.errors, counter).map((p) => `${p.line}:${p.column}: ${p.message}`);
}

test('a key indented too far is one problem, on its own line rather than on the line whose value it continues', () => {
  assert.deepEqual(problems(['setup:', '  company: demo', '   devices: [Tab001]']), [
    '3:4: this line is read as the rest of line 2 ("demo"), and a key cannot run over two lines; ' +
      'if devices: starts a key of its own, line it up with the keys above it',
  ]);
});

test('a key in line with no key above it is named on its own line, with the columns of the keys above', () => {
  // The library points at the end of line 3 here: the line before the key.
  assert.deepEqual(problems(['setup: {}', 'steps:', '  - bo.export:', '  expect:', '      tables: 52']), [
    '4:3: expect: is in column 3, in line with none of the keys above it ' +
      '(bo.export: line 3 column 5, steps: line 2 column 1); indent it like the key it belongs with',
  ]);
  assert.deepEqual(problems(['setup:', '  company: demo', ' devices: [Tab001]']), [
    '3:2: devices: is in column 2, in line with none of the keys above it ' +
      '(company: line 2 column 3, setup: line 1 column 1); indent it like the key it belongs with',
  ]);
});

test('a list item out of line with the items above it is named with their column', () => {
  assert.deepEqual(problems(['steps:', '  - bo.export: {}', '   - device.send: {}']), [
    '3:4: the "- " of this list item is in column 4, in line with none of the list items above it ' +
      '("- " line 2 column 3); indent it like the list it belongs with',
  ]);
});

test('a plain value holding ": " is told to be quoted, its comment left out', () => {
  assert.deepEqual(problems(['name: nas', 'system: UNIX Type: L8   # the 215 reply', 'listing: unix']), [
    '2:9: the value of system: holds ": ", which YAML reads as a key inside it; quote the value: ' +
      'system: \'UNIX Type: L8\'',
  ]);
  assert.deepEqual(problems(['steps:', '  - note: it\'s: here']), [
    '2:11: the value of note: holds ": ", which YAML reads as a key inside it; quote the value: ' +
      'note: "it\'s: here"',
  ]);
});

test('other errors keep the library\'s words and position', () => {
  assert.deepEqual(problems(['a: 1', 'a: 2']), ['2:1: Map keys must be unique']);
  assert.deepEqual(problems(['steps:', '\t- bo.export: {}']), ['2:1: Tabs are not allowed as indentation']);
});
