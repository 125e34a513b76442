import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { companiesFilePath, defaultCompanies, loadCompaniesFile } from './companies-file.ts';
import { COMPANIES_FOLDER } from './company.ts';
import { ConfigError } from './errors.ts';

const folder = mkdtempSync(join(tmpdir(), 'hil-companies-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function companiesFile(name: string, text: string): string {
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
}

function refusal(file: string): RegExp {
  return new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

writeFileSync(join(folder, 'acme.yaml'), `
name: Acme Vins
ftp: { login: acme, password: acme-secret }
users: [{ login: Admin, lastName: Administrateur }]
registry: [{ deviceId: T1, authKey: 0123456789abcdef }]
estock: [{ deviceId: T1, login: Admin }]
`);

test('the shipped bench file serves the demo company and the Domaine, each with its catalog', () => {
  const config = loadCompaniesFile('bench');

  assert.equal(config.file, join(COMPANIES_FOLDER, 'bench.companies.yaml'));
  assert.deepEqual(config.mapping, { format: 'eStock', version: '1.00' });
  assert.deepEqual(config.companies.map(({ company, disabled, catalog }) => [company.name, disabled, catalog.seed]),
    [['Demo', false, 1], ['Domaine des Essais', false, 7]]);
});

test('company files and roots are found from the companies file\'s folder', () => {
  const file = companiesFile('paths.yaml', [
    'companies:',
    '  - { company: acme.yaml, root: trees/acme, disabled: true, catalog: { size: medium } }',
    '  - company: demo',
  ].join('\n'));
  const [acme, demo] = loadCompaniesFile(file).companies;

  assert.equal(acme?.company.ftp.login, 'acme');
  assert.equal(acme?.companyFile, join(folder, 'acme.yaml'));
  assert.equal(acme?.root, join(folder, 'trees', 'acme'));
  assert.equal(acme?.disabled, true);
  assert.deepEqual(acme?.catalog, { size: 'medium', seed: 1 });
  assert.equal(demo?.companyFile, join(COMPANIES_FOLDER, 'demo.yaml'));
  assert.equal(demo?.root, undefined);
});

test('without a companies file, the demo company is served alone', () => {
  const config = defaultCompanies();

  assert.equal(config.file, undefined);
  assert.deepEqual(config.companies.map(({ company, disabled }) => [company.name, disabled]), [['Demo', false]]);
});

test('two companies with one FTP login are refused, naming the file, the key and both companies', () => {
  const file = companiesFile('twice.yaml',
    'companies:\n  - company: acme.yaml\n  - company: demo\n  - company: ./acme.yaml\n');

  assert.throws(() => loadCompaniesFile(file), (error: Error) => error instanceof ConfigError &&
    refusal(`${file}:4: companies.2.company: FTP login "acme" of Acme Vins is also the login of companies.0 ` +
      '(Acme Vins)').test(error.message));
});

test('two companies with one root are refused', () => {
  const file = companiesFile('root.yaml',
    'companies:\n  - { company: acme.yaml, root: tree }\n  - { company: demo, root: ./tree }\n');

  assert.throws(() => loadCompaniesFile(file), refusal(`${file}:3: companies.1.root: ${join(folder, 'tree')} is ` +
    'already the root of companies.0'));
});

test('a wrong key, a wrong value or a missing list names the file, the line and the key', () => {
  const unknown = companiesFile('unknown.yaml', 'companies:\n  - company: demo\n    colour: red\n');
  assert.throws(() => loadCompaniesFile(unknown), refusal(`${unknown}:3: companies.0: unknown key "colour"`));

  const value = companiesFile('value.yaml', 'companies:\n  - { company: demo, disabled: yes please }\n');
  assert.throws(() => loadCompaniesFile(value),
    refusal(`${value}:2: companies.0.disabled: expected true or false, got text "yes please"`));

  const empty = companiesFile('empty-list.yaml', 'companies: []\n');
  assert.throws(() => loadCompaniesFile(empty), refusal(`${empty}:1: companies: the list is empty`));

  const text = companiesFile('text.yaml', 'mapping: { format: eStock, version: "1.00" }\ncompanies: demo\n');
  assert.throws(() => loadCompaniesFile(text), refusal(`${text}:2: companies: expected a list, got text "demo"`));
});

test('a file that holds no mapping says what it holds and what a companies file needs', () => {
  const needs = 'list the companies under companies:, each one "- company: ';
  const empty = companiesFile('empty.yaml', '');
  assert.throws(() => loadCompaniesFile(empty), refusal(`${empty}: the file is empty; ${needs}`));
  const none = companiesFile('none.yaml', '# nothing yet\n');
  assert.throws(() => loadCompaniesFile(none), refusal(`${none}: the file is empty but for comments; ${needs}`));
  const list = companiesFile('list.yaml', '- company: demo\n');
  assert.throws(() => loadCompaniesFile(list), refusal(`${list}:1: the file is a list, not a mapping; ${needs}`));
});

test('a YAML error is named with its line, and only the first problem is told', () => {
  const file = companiesFile('indent.yaml', 'companies:\n  - company: demo\n   - company: domaine\n  - x: [\n');
  assert.throws(() => loadCompaniesFile(file), (error: Error) => error instanceof ConfigError &&
    refusal(`${file}:3: not valid YAML (column 4): the "- " of this list item is in column 4`).test(error.message) &&
    !error.message.includes('\n'));
});

test('a company file that is missing or wrong is named with the entry that names it', () => {
  const missing = companiesFile('missing.yaml', 'companies:\n  - company: demo\n  - company: nowhere.yaml\n');
  assert.throws(() => loadCompaniesFile(missing),
    refusal(`${missing}:3: companies.1.company: ${join(folder, 'nowhere.yaml')}: cannot read the company file`));

  companiesFile('wrong-company.yaml', 'name: Wrong\nftp: { login: w }\n');
  const wrong = companiesFile('wrong.yaml', 'companies:\n  - company: wrong-company.yaml\n');
  assert.throws(() => loadCompaniesFile(wrong),
    refusal(`${wrong}:2: companies.0.company: ${join(folder, 'wrong-company.yaml')}:2: ftp.password: missing`));
});

test('an unreadable companies file says so, and a name is looked for among the shipped ones', () => {
  assert.equal(companiesFilePath('bench'), join(COMPANIES_FOLDER, 'bench.companies.yaml'));
  assert.throws(() => loadCompaniesFile('no-such-bench'),
    refusal(`${join(COMPANIES_FOLDER, 'no-such-bench.companies.yaml')}: cannot read the companies file`));
});
