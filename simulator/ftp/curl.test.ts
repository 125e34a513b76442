import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { DEMO, sessionEnded, startTestServer } from './test-fixture.ts';

const run = promisify(execFile);

function curlIsInstalled(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// A third-party client catches what basic-ftp would forgive: reply formats, EPSV, PASV, data links.
test('curl uploads into a new folder, then downloads with EPSV and with PASV', async (t) => {
  if (!curlIsInstalled()) {
    t.skip('curl is not installed on this machine (apt-get install curl to run this test)');
    return;
  }
  const { server, folder } = await startTestServer(t);
  const local = join(folder, 'Version.txt');
  const bytes = randomBytes(70_000);
  writeFileSync(local, bytes);
  const curl = ['--silent', '--show-error', '--user', `${DEMO.login}:${DEMO.password}`];
  const remote = `${server.url}/Entrant/eStock/T%C3%A9l%C3%A9phone%201/Version.txt`;
  const uploaded = sessionEnded(server, 's0001');

  // execFile, not execFileSync: the server answers from this very process.
  await run('curl', [...curl, '--ftp-create-dirs', '-T', local, remote]);
  await uploaded;
  await run('curl', [...curl, '-o', join(folder, 'epsv.txt'), remote]);
  await run('curl', [...curl, '--disable-epsv', '-o', join(folder, 'pasv.txt'), remote]);

  const onDisk = join(server.companyRoot('Demo'), 'Entrant/eStock/Téléphone 1/Version.txt');
  assert.ok(readFileSync(onDisk).equals(bytes), 'the uploaded file differs');
  assert.ok(readFileSync(join(folder, 'epsv.txt')).equals(bytes), 'the EPSV download differs');
  assert.ok(readFileSync(join(folder, 'pasv.txt')).equals(bytes), 'the PASV download differs');
  const stor = server.transcript().find((record) => record.command.startsWith('STOR'));
  assert.deepEqual([stor?.reply, stor?.bytes], [226, bytes.length]);
});
