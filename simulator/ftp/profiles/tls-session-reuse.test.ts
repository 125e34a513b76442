import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { constants } from 'node:crypto';
import { connect as connectTls, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { Client } from 'basic-ftp';
import type { StartedFtpServer, TranscriptRecord } from '../server.ts';
import {
  DEMO, downloadBytes, logIn, openDataConnection, RawControl, sessionEnded, startTestServer, uploadBytes,
} from '../test-fixture.ts';
import { loadServerProfile } from './load-profile.ts';

/** A server requiring TLS, under `profile`. */
async function tlsServer(t: TestContext, profile: string): Promise<StartedFtpServer> {
  const { server } = await startTestServer(t, { tls: { mode: 'required' }, profile: loadServerProfile(profile) });
  return server;
}

/** A client of TLS 1.2 that asks for no session tickets: its sessions resume by session id. */
const TLS12_SESSION_IDS: ConnectionOptions = { maxVersion: 'TLSv1.2', secureOptions: constants.SSL_OP_NO_TICKET };

/** A raw TLS session logged in, with PROT P. */
async function secureSession(t: TestContext, server: StartedFtpServer, options: ConnectionOptions = {})
  : Promise<RawControl> {
  const control = await RawControl.openSecure(server.port, options);
  t.after(() => control.close());
  await logIn(control, DEMO);
  assert.match(await control.command('PBSZ 0'), /^200 /);
  assert.match(await control.command('PROT P'), /^200 /);
  return control;
}

/**
 * STOR on a new data connection whose TLS handshake offers `session` (none:
 * a full handshake); resolves with the final reply and whether the client saw its session resumed.
 */
async function storOverTls(control: RawControl, path: string, session: Buffer | undefined,
  options: ConnectionOptions = {}): Promise<{ reply: string; resumed: boolean }> {
  const data: Socket = await openDataConnection(control);
  assert.match(await control.command(`STOR ${path}`), /^150 /);
  const secure: TLSSocket = connectTls({
    ...options, socket: data, rejectUnauthorized: false, servername: 'localhost',
    ...(session !== undefined && { session }),
  });
  secure.on('error', () => undefined);
  await new Promise<void>((done) => secure.once('secureConnect', done).once('close', done));
  const resumed = secure.isSessionReused();
  secure.end(randomBytes(10_000));
  return { reply: await control.reply(), resumed };
}

/** The control session's TLS session, once its tickets have come (after the login's round trips). */
function controlSession(control: RawControl): Buffer {
  const session = (control.socket as TLSSocket).getSession();
  assert.ok(session !== undefined, 'the control connection has no TLS session to resume');
  return session;
}

async function recordsOf(server: StartedFtpServer, control: RawControl): Promise<TranscriptRecord[]> {
  const session = server.transcript().at(-1)!.session;
  const ended = sessionEnded(server, session);
  control.close();
  await ended;
  return server.transcript().filter((record) => record.session === session);
}

test('vsftpd: a data connection that resumes its control connection\'s TLS session is served', async (t) => {
  const server = await tlsServer(t, 'vsftpd');
  const control = await secureSession(t, server);

  const { reply, resumed } = await storOverTls(control, '/Entrant/eStock/resumed.zip', controlSession(control));

  assert.equal(resumed, true);
  assert.match(reply, /^226 /);
});

test('vsftpd: a data connection with a TLS session of its own gets 522, and the transcript says why', async (t) => {
  const server = await tlsServer(t, 'vsftpd');
  const control = await secureSession(t, server);

  const { reply, resumed } = await storOverTls(control, '/Entrant/eStock/fresh.zip', undefined);
  const stor = (await recordsOf(server, control)).find((record) => record.command.startsWith('STOR'));

  assert.equal(resumed, false);
  assert.equal(reply, '522 SSL connection failed: session reuse required');
  assert.equal(stor?.reply, 522);
  assert.match(stor?.profile ?? '', /^vsftpd: the data connection did not resume the control connection's TLS session/);
});

test('vsftpd: the TLS session of another control connection is not resumed, and gets 522', async (t) => {
  const server = await tlsServer(t, 'vsftpd');
  const other = await secureSession(t, server);
  const control = await secureSession(t, server);

  const { reply, resumed } = await storOverTls(control, '/Entrant/eStock/other.zip', controlSession(other));

  assert.equal(resumed, false);
  assert.match(reply, /^522 /);
});

test('vsftpd: a TLS 1.2 client without tickets resumes its control connection\'s session by id', async (t) => {
  const server = await tlsServer(t, 'vsftpd');
  const control = await secureSession(t, server, TLS12_SESSION_IDS);
  const session = controlSession(control);

  const first = await storOverTls(control, '/Entrant/eStock/first.zip', session, TLS12_SESSION_IDS);
  const second = await storOverTls(control, '/Entrant/eStock/second.zip', session, TLS12_SESSION_IDS);
  const fresh = await storOverTls(control, '/Entrant/eStock/fresh.zip', undefined, TLS12_SESSION_IDS);

  assert.equal((control.socket as TLSSocket).getProtocol(), 'TLSv1.2');
  assert.deepEqual([first.resumed, second.resumed, fresh.resumed], [true, true, false]);
  assert.deepEqual([first.reply.slice(0, 3), second.reply.slice(0, 3), fresh.reply.slice(0, 3)], ['226', '226', '522']);
});

test('vsftpd: the session id of another control connection is not resumed, and gets 522', async (t) => {
  const server = await tlsServer(t, 'vsftpd');
  const other = await secureSession(t, server, TLS12_SESSION_IDS);
  const control = await secureSession(t, server, TLS12_SESSION_IDS);

  const { reply, resumed } = await storOverTls(control, '/Entrant/eStock/other.zip', controlSession(other),
    TLS12_SESSION_IDS);

  assert.equal(resumed, false);
  assert.match(reply, /^522 /);
});

test('filezilla: a data connection that does not resume the TLS session gets 425', async (t) => {
  const server = await tlsServer(t, 'filezilla');
  const control = await secureSession(t, server);

  const refused = await storOverTls(control, '/Entrant/eStock/fresh.zip', undefined);
  const served = await storOverTls(control, '/Entrant/eStock/resumed.zip', controlSession(control));

  assert.match(refused.reply, /^425 Unable to build data connection: TLS session of data connection not resumed/);
  assert.match(served.reply, /^226 /);
});

test('without a profile, or with one that does not ask for it, a TLS session of its own is served', async (t) => {
  const { server } = await startTestServer(t, { tls: { mode: 'required' } });
  const control = await secureSession(t, server);

  const plain = await storOverTls(control, '/Entrant/eStock/fresh.zip', undefined);
  server.profile.set(loadServerProfile('iis'));
  const iis = await storOverTls(control, '/Entrant/eStock/fresh-iis.zip', undefined);
  server.profile.set(loadServerProfile('vsftpd'));
  const vsftpd = await storOverTls(control, '/Entrant/eStock/fresh-vsftpd.zip', undefined);

  assert.deepEqual([plain.reply.slice(0, 3), iis.reply.slice(0, 3), vsftpd.reply.slice(0, 3)], ['226', '226', '522']);
});

test('vsftpd: basic-ftp, the device\'s client, resumes the session on every data connection', async (t) => {
  const server = await tlsServer(t, 'vsftpd');
  const client = new Client(10_000);
  t.after(() => client.close());
  await client.access({
    host: server.host, port: server.port, user: DEMO.login, password: DEMO.password,
    secure: true, secureOptions: { rejectUnauthorized: false },
  });
  const bytes = randomBytes(200_000);

  await uploadBytes(client, bytes, '/Entrant/eStock/one.zip');
  await uploadBytes(client, bytes, '/Entrant/eStock/two.zip');
  const names = (await client.list('/Entrant/eStock')).map((entry) => entry.name).sort();
  const back = await downloadBytes(client, '/Entrant/eStock/two.zip');

  assert.deepEqual(names, ['one.zip', 'two.zip']);
  assert.ok(back.equals(bytes));
});
