import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { docCodeBlock } from '../../doc-samples.ts';
import { ConfigError } from '../../errors.ts';
import { loadServerProfile, shippedProfileNames } from './load-profile.ts';

test('the shipped profiles load, each named after its file', () => {
  const names = shippedProfileNames();

  assert.deepEqual(names, ['connection-limit', 'filezilla', 'iis', 'nat', 'vsftpd', 'windows-1252']);
  for (const name of names) assert.equal(loadServerProfile(name).name, name);
});

test('a profile file is loaded by its path', (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'hil-profile-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, 'customer.yaml');
  writeFileSync(file, 'name: customer\ndescription: a customer server\nlisting: dos\nmaxConnectionsPerAddress: 4\n');

  assert.deepEqual(loadServerProfile(file),
    { name: 'customer', description: 'a customer server', listing: 'dos', maxConnectionsPerAddress: 4 });
});

test('the profile of docs/faults.md (Writing a profile) loads as written', (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'hil-profile-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, 'customer-nas.yaml');
  writeFileSync(file, docCodeBlock('faults.md', '### Writing a profile', 'yaml'));

  const profile = loadServerProfile(file);

  assert.equal(profile.name, 'customer-nas');
  assert.equal(profile.system, 'UNIX Type: L8');
  assert.deepEqual(profile.tlsSessionReuse, { reply: 522, text: 'SSL connection failed: session reuse required' });
});

test('a bad profile is refused with its file, its line and the field at fault', (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'hil-profile-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, 'bad.yaml');
  writeFileSync(file, 'name: bad\ndescription: a bad one\ntlsSessionReuse:\n  reply: 421\n');

  assert.throws(() => loadServerProfile(file), (error: Error) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.match(error.message, /bad\.yaml/);
    assert.match(error.message, /tlsSessionReuse\.reply: expected one of 522, 425, got the number 421/);
    assert.match(error.message, /:4\b|line 4/);
    return true;
  });
});

test('an unknown profile name lists the shipped ones', () => {
  assert.throws(() => loadServerProfile('proftpd'),
    /no shipped server profile "proftpd"; the shipped ones are connection-limit, filezilla, iis, nat, vsftpd/);
});
