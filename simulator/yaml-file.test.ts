import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { withFirstProblemOnly, YamlFile, YamlFileError } from './yaml-file.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-yaml-file-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function yamlFile(name: string, lines: string[]): YamlFile {
  const file = join(folder, name);
  writeFileSync(file, lines.join('\n'));
  return YamlFile.read(file, 'test file');
}

function readError(name: string, lines: string[]): YamlFileError {
  try {
    yamlFile(name, lines);
  } catch (error) {
    assert.ok(error instanceof YamlFileError && error instanceof ConfigError, String(error));
    return error;
  }
  return assert.fail(`${name} was read, but it is wrong`);
}

const schema = z.strictObject({
  size: z.enum(['small', 'large']),
  devices: z.array(z.string()).min(1),
  seed: z.number().int().min(0),
  place: z.strictObject({ depot: z.string().min(1), active: z.boolean() }),
});

/** The problems of checking the file's data against `schema`, without the file's path. */
function schemaProblems(name: string, lines: string[]): string[] {
  const yaml = yamlFile(name, lines);
  const result = schema.safeParse(yaml.data());
  for (const issue of result.error?.issues ?? []) yaml.addIssue([], issue);
  return yaml.problems.map((problem) => problem.slice(yaml.file.length));
}

test('a schema issue is told at the line of its key, in the words of YAML', () => {
  assert.deepEqual(schemaProblems('kinds.yaml', [
    'size: huge',
    'devices: Tab001',
    'seed: -1',
    'place:',
    '  depot: ""',
    '  active: yes',
    '  colour: blue',
  ]), [
    ':1: size: expected one of small, large, got text "huge"',
    ':2: devices: expected a list, got text "Tab001"',
    ':3: seed: expected 0 or more, got the number -1',
    ':5: place.depot: empty; expected some text',
    ':6: place.active: expected true or false, got text "yes"',
    ':7: place: unknown key "colour"',
  ]);
});

test('a missing key is told at its mapping, an empty list and an empty value as such', () => {
  assert.deepEqual(schemaProblems('missing.yaml', ['size: small', 'devices: []', 'seed:', 'place: { active: true }']), [
    ':2: devices: the list is empty; give at least one item',
    ':3: seed: expected a number, got nothing',
    ':4: place.depot: missing; expected text',
  ]);
});

test('a file that holds no mapping is told what it holds and what it needs', () => {
  const told = (name: string, lines: string[]) => {
    const yaml = yamlFile(name, lines);
    assert.equal(yaml.isMapping(yaml.data(), 'give size:'), false);
    return yaml.problems.map((problem) => problem.slice(yaml.file.length));
  };
  assert.deepEqual(told('empty.yaml', ['']), [': the file is empty; give size:']);
  assert.deepEqual(told('comments.yaml', ['# size: small']), [': the file is empty but for comments; give size:']);
  assert.deepEqual(told('list.yaml', ['- small']), [':1: the file is a list, not a mapping; give size:']);
  assert.deepEqual(told('number.yaml', ['42']), [':1: the file holds only the number 42; give size:']);
});

test('every YAML error of a file is told, each with its line', () => {
  const error = readError('broken.yaml', ['a: 1', 'a: 2', 'b: *nowhere', 'c: [']);
  assert.deepEqual(error.problems.map((problem) => problem.slice(error.file.length)), [
    ':2: not valid YAML (column 1): Map keys must be unique',
    ':4: not valid YAML (column 5): Flow sequence in block collection must be sufficiently indented and end with a ]',
    ':3: not valid YAML: alias *nowhere has no anchor &nowhere before it',
  ]);
  assert.equal(error.message, error.problems.join('\n'));
});

test('an unreadable file is told with what it is', () => {
  const file = join(folder, 'absent.yaml');
  assert.throws(() => YamlFile.read(file, 'test file'), (error: Error) => error instanceof YamlFileError &&
    error.message === `${file}: cannot read the test file: ${(error.cause as Error).message}` &&
    (error.cause as NodeJS.ErrnoException).code === 'ENOENT');
});

test('withFirstProblemOnly keeps the first problem of a YamlFileError and lets other errors through', () => {
  assert.throws(() => withFirstProblemOnly(() => yamlFile('two.yaml', ['a: 1', 'a: 2', 'b: 1', 'b: 2'])),
    (error: Error) => error instanceof YamlFileError && error.problems.length === 1 &&
      /two\.yaml:2: not valid YAML/.test(error.message));
  assert.throws(() => withFirstProblemOnly(() => {
    throw new RangeError('not ours');
  }), RangeError);
  assert.equal(withFirstProblemOnly(() => 7), 7);
});
