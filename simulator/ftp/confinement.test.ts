import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Client } from 'basic-ftp';
import { withFtpSession } from './client.ts';
import {
  ACME, DEMO, downloadBytes, profileOf, startTestServer, uploadBytes,
} from './test-fixture.ts';

/** The reply code of a download that must fail, or 0 if it succeeded. */
function downloadReply(client: Client, path: string): Promise<number> {
  return downloadBytes(client, path).then(() => 0, (error: { code?: number }) => error.code ?? -1);
}

const names = (entries: Array<{ name: string }>): string[] => entries.map((entry) => entry.name).sort();

test('CWD .. and CDUP from the company root stay in the root', async (t) => {
  const { server } = await startTestServer(t);

  const seen = await withFtpSession(profileOf(server, DEMO), 'test', async (client) => {
    await client.cd('..');
    const afterCwd = await client.pwd();
    await client.cd('../../../..');
    await client.send('CDUP');
    return { afterCwd, afterCdup: await client.pwd(), names: names(await client.list()) };
  });

  assert.deepEqual(seen, { afterCwd: '/', afterCdup: '/', names: ['Entrant', 'Sortant'] });
});

test('paths climbing out, relative or absolute, stay inside the company root', async (t) => {
  const { server, folder } = await startTestServer(t);
  const roots = join(folder, 'roots');
  writeFileSync(join(folder, 'secret.txt'), 'outside');
  writeFileSync(join(roots, 'secret.txt'), 'outside');
  const root = server.companyRoot('Demo');

  const replies = await withFtpSession(profileOf(server, DEMO), 'test', async (client) => {
    await client.cd('Sortant/eStock');
    const codes = {
      parent: await downloadReply(client, '../../../secret.txt'),
      grandParent: await downloadReply(client, '../../../../secret.txt'),
      absoluteOnDisk: await downloadReply(client, join(folder, 'secret.txt')),
      system: await downloadReply(client, '/etc/hostname'),
    };
    await uploadBytes(client, Buffer.from('climbed'), '../../../../escape.txt');
    await uploadBytes(client, Buffer.from('absolute'), '/Entrant/eStock/absolute.txt');
    return codes;
  });

  assert.deepEqual(replies, { parent: 550, grandParent: 550, absoluteOnDisk: 550, system: 550 });
  assert.equal(readFileSync(join(root, 'escape.txt'), 'utf8'), 'climbed');
  assert.ok(!existsSync(join(roots, 'escape.txt')) && !existsSync(join(folder, 'escape.txt')));
  assert.equal(readFileSync(join(root, 'Entrant/eStock/absolute.txt'), 'utf8'), 'absolute');
});

test('two companies cannot see each other\'s files', async (t) => {
  const { server } = await startTestServer(t);
  await withFtpSession(profileOf(server, ACME), 'acme', (client) =>
    uploadBytes(client, Buffer.from('acme only'), '/Sortant/eStock/acme.txt'));

  const seen = await withFtpSession(profileOf(server, DEMO), 'demo', async (client) => ({
    root: names(await client.list('/')),
    sortant: names(await client.list('/Sortant/eStock')),
    sameName: await downloadReply(client, '/Sortant/eStock/acme.txt'),
    sideways: await downloadReply(client, '../Acme Vins/Sortant/eStock/acme.txt'),
  }));

  assert.deepEqual(seen, { root: ['Entrant', 'Sortant'], sortant: [], sameName: 550, sideways: 550 });
  const acmeFile = join(server.companyRoot('Acme Vins'), 'Sortant/eStock/acme.txt');
  assert.equal(readFileSync(acmeFile, 'utf8'), 'acme only');
});
