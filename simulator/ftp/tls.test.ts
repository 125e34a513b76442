import assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { connect as connectTls } from 'node:tls';
import { Client } from 'basic-ftp';
import type { FtpServerEvents, StartedFtpServer, TlsMode } from './server.ts';
import {
  DEMO, downloadBytes, logIn, openDataConnection, RawControl, readToEnd, startTestServer, uploadBytes,
} from './test-fixture.ts';

/** A basic-ftp client logged in over explicit TLS (PROT P), trusting the self-signed certificate. */
async function tlsClient(server: StartedFtpServer): Promise<Client> {
  const client = new Client(10_000);
  await client.access({
    host: server.host, port: server.port, user: DEMO.login, password: DEMO.password,
    secure: true, secureOptions: { rejectUnauthorized: false },
  });
  return client;
}

/** The certificate a TLS handshake on the control connection shows, after AUTH TLS. */
async function shownCertificate(server: StartedFtpServer): Promise<string> {
  const control = await RawControl.open(server.port);
  assert.match(await control.command('AUTH TLS'), /^234 /);
  const secure = connectTls({ socket: control.socket, rejectUnauthorized: false });
  await new Promise<void>((done, fail) => secure.once('secureConnect', done).once('error', fail));
  const fingerprint = secure.getPeerX509Certificate()!.fingerprint256;
  secure.destroy();
  return fingerprint;
}

test('FEAT offers AUTH TLS only when TLS is on, before and after login', async (t) => {
  for (const mode of ['off', 'optional'] as TlsMode[]) {
    const { server } = await startTestServer(t, { tls: { mode } });
    const control = await RawControl.open(server.port);
    t.after(() => control.close());
    const before = await control.command('FEAT');
    await logIn(control, DEMO);
    const after = await control.command('FEAT');

    for (const feat of [before, after]) {
      assert.equal(/\n AUTH TLS\n/.test(feat), mode !== 'off', `${mode}: ${feat}`);
      assert.match(feat, /\n MLST type\*;size\*;modify\*;perm\*;\n/);
    }
    if (mode === 'off') assert.match(await control.command('AUTH TLS'), /^502 /);
  }
});

test('with TLS optional, a client uploads and downloads over PROT P, and a plain client still logs in', async (t) => {
  const { server } = await startTestServer(t, { tls: { mode: 'optional' } });
  const bytes = randomBytes(1_500_000);
  const client = await tlsClient(server);
  t.after(() => client.close());

  await uploadBytes(client, bytes, '/Entrant/eStock/tls.zip');
  const back = await downloadBytes(client, '/Entrant/eStock/tls.zip');
  const plain = await RawControl.open(server.port);
  t.after(() => plain.close());
  await logIn(plain, DEMO);

  assert.ok(back.equals(bytes));
  assert.ok(readFileSync(join(server.companyRoot('Demo'), 'Entrant/eStock/tls.zip')).equals(bytes));
  const prot = server.transcript().find((record) => record.command === 'PROT P');
  assert.equal(prot?.reply, 200);
});

test('PROT C after AUTH TLS keeps data connections in clear; PROT without PBSZ is accepted', async (t) => {
  const { server } = await startTestServer(t, { tls: { mode: 'optional' } });
  const control = await RawControl.openSecure(server.port);
  t.after(() => control.close());
  await logIn(control, DEMO);

  assert.match(await control.command('PROT C'), /^200 /);
  const data = await openDataConnection(control);
  const listing = readToEnd(data);
  assert.match(await control.command('NLST /'), /^150 /);
  assert.match(await control.reply(), /^226 /);
  assert.equal((await listing).toString(), 'Entrant\r\nSortant\r\n');
  assert.match(await control.command('PBSZ 0'), /^200 PBSZ=0/);
});

test('with TLS required, a plain login is refused with a clear reply and an event', async (t) => {
  const { server } = await startTestServer(t, { tls: { mode: 'required' } });
  const refusals: FtpServerEvents['login-refused'][] = [];
  server.on('login-refused', (payload) => refusals.push(payload));
  const control = await RawControl.open(server.port);
  t.after(() => control.close());

  assert.match(await control.command('USER Demo'), /^530 This server requires TLS: send AUTH TLS/);
  assert.match(await control.command('PASS demo-estock'), /^503 /);
  assert.deepEqual(refusals, [{ session: 's0001', login: 'Demo', reason: 'tls-required' }]);

  const client = await tlsClient(server);
  t.after(() => client.close());
  assert.equal((await client.send('PROT C').catch((error: { code: number }) => error)).code, 536);
  assert.equal((await client.send('PROT P')).code, 200);
  await uploadBytes(client, Buffer.from('private'), '/Entrant/eStock/private.txt');
});

test('the generated certificate is kept in the state folder and shown again after a restart', async (t) => {
  const stateFolder = temporaryFolder(t);
  const { server } = await startTestServer(t, { tls: { mode: 'optional' }, stateFolder });
  const kept = join(stateFolder, 'tls', 'server-cert.pem');
  assert.equal(server.tls.certFile, kept);
  const first = await shownCertificate(server);
  await server.stop();

  const { server: again } = await startTestServer(t, { tls: { mode: 'optional' }, stateFolder });

  assert.equal(await shownCertificate(again), first);
  assert.equal(new X509Certificate(readFileSync(kept)).fingerprint256, first);
});

test('a certificate given by path is the one shown', async (t) => {
  const stateFolder = temporaryFolder(t);
  const { server: generating } = await startTestServer(t, { tls: { mode: 'optional' }, stateFolder });
  const certFile = generating.tls.certFile!;
  const keyFile = join(stateFolder, 'tls', 'server-key.pem');

  const { server } = await startTestServer(t, { tls: { mode: 'required', certFile, keyFile } });

  assert.equal(await shownCertificate(server), new X509Certificate(readFileSync(certFile)).fingerprint256);
  assert.equal(server.tls.certFile, certFile);
});

function temporaryFolder(t: TestContext): string {
  const folder = mkdtempSync(join(tmpdir(), 'hil-tls-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

test('over PROT P, an upload whose connection is reset after its data is cut short', async (t) => {
  const { server } = await startTestServer(t, { tls: { mode: 'optional' } });
  const control = await RawControl.openSecure(server.port);
  t.after(() => control.close());
  await logIn(control, DEMO);
  assert.match(await control.command('PBSZ 0'), /^200 /);
  assert.match(await control.command('PROT P'), /^200 /);

  for (let round = 0; round < 6; round++) {
    const raw = await openDataConnection(control);
    assert.match(await control.command(`STOR Entrant/eStock/reset-${round}.zip`), /^150 /);
    const data = connectTls({ socket: raw, rejectUnauthorized: false });
    await new Promise<void>((done, fail) => data.once('secureConnect', done).once('error', fail));
    data.on('error', () => undefined);
    data.write(Buffer.alloc(300_000, 1), () => raw.resetAndDestroy());
    assert.match(await control.reply(), /^426 /, `round ${round}`);
  }
  const stors = server.transcript().filter((record) => record.command.startsWith('STOR'));
  assert.deepEqual(stors.map(({ reply }) => reply), Array(6).fill(426));
});
