import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACK_OFFICE_CLIENT_NAME } from './client-name.ts';
import { withFtpSession } from './client.ts';
import { faultSetSchema } from './faults/fault-schema.ts';
import { loadServerProfile } from './profiles/load-profile.ts';
import type { StartedFtpServer } from './server.ts';
import { DEMO, logIn, profileOf, RawControl, sessionEnded, startTestServer } from './test-fixture.ts';

/** The commands of one session's transcript, in order, with the client name each record carries. */
function commandsOf(server: StartedFtpServer, session: string): { command: string; client?: string }[] {
  return server.transcript().filter((record) => record.session === session)
    .map(({ command, client }) => ({ command, ...(client !== undefined && { client }) }));
}

test('CLNT is answered 200 before and after login, and the name goes into the transcript', async (t) => {
  const { server } = await startTestServer(t);
  const control = await RawControl.open(server.port);
  const ended = sessionEnded(server, 's0001');

  assert.match(await control.command('CLNT'), /^501 /);
  assert.equal(await control.command('CLNT  bench tool 1.0 '), '200 Client name noted: bench tool 1.0');
  await logIn(control, DEMO);
  assert.match(await control.command(`CLNT ${BACK_OFFICE_CLIENT_NAME}`), /^200 /);
  assert.match(await control.command('QUIT'), /^221 /);
  await ended;

  assert.deepEqual(commandsOf(server, 's0001'), [
    { command: 'CLNT' },
    { command: 'CLNT  bench tool 1.0 ', client: 'bench tool 1.0' },
    { command: 'USER Demo', client: 'bench tool 1.0' },
    { command: 'PASS ****', client: 'bench tool 1.0' },
    { command: `CLNT ${BACK_OFFICE_CLIENT_NAME}`, client: BACK_OFFICE_CLIENT_NAME },
    { command: 'QUIT', client: BACK_OFFICE_CLIENT_NAME },
  ]);
});

test('the login event names the client a session gave before logging in, and only that one', async (t) => {
  const { server } = await startTestServer(t);
  const logins: { session: string; client?: string }[] = [];
  server.on('login', ({ session, client }) => logins.push({ session, ...(client !== undefined && { client }) }));

  await withFtpSession(profileOf(server, DEMO), 'device', (client) => client.pwd());
  await withFtpSession({ ...profileOf(server, DEMO), clientName: BACK_OFFICE_CLIENT_NAME }, 'back office',
    (client) => client.pwd());

  assert.deepEqual(logins, [{ session: 's0001' }, { session: 's0002', client: BACK_OFFICE_CLIENT_NAME }]);
});

test('FEAT lists CLNT, under a profile that takes commands away too', async (t) => {
  for (const profile of [undefined, loadServerProfile('iis')]) {
    const { server } = await startTestServer(t, profile === undefined ? {} : { profile });
    const control = await RawControl.open(server.port);
    t.after(() => control.close());

    assert.match(await control.command('FEAT'), /^ CLNT$/m, profile?.name ?? 'no profile');
    assert.match(await control.command('CLNT anyone'), /^200 /);
  }
});

test('the client sends CLNT only when asked, first, before AUTH TLS and the login', async (t) => {
  const { server } = await startTestServer(t, { tls: { mode: 'optional' } });
  const profile = { ...profileOf(server, DEMO), tls: 'required' as const };

  await withFtpSession(profile, 'device', (client) => client.pwd());
  await withFtpSession({ ...profile, clientName: BACK_OFFICE_CLIENT_NAME }, 'back office', (client) => client.pwd());
  await sessionEnded(server, 's0002');

  assert.equal(commandsOf(server, 's0001').filter(({ command }) => command.startsWith('CLNT')).length, 0);
  assert.deepEqual(commandsOf(server, 's0002').slice(0, 3).map(({ command }) => command),
    [`CLNT ${BACK_OFFICE_CLIENT_NAME}`, 'AUTH TLS', 'OPTS UTF8 ON']);
  assert.ok(commandsOf(server, 's0002').every(({ client }) => client === BACK_OFFICE_CLIENT_NAME));
});

test('a server that refuses CLNT is logged in to all the same', async (t) => {
  const faults = [{ reply: { verb: 'CLNT', side: 'any', code: 550, times: 'always' } }];
  const { server } = await startTestServer(t, { faults: faultSetSchema.parse({ faults }) });

  const where = await withFtpSession({ ...profileOf(server, DEMO), clientName: BACK_OFFICE_CLIENT_NAME },
    'back office', (client) => client.pwd());
  await sessionEnded(server, 's0001');

  assert.equal(where, '/');
  const [clnt] = server.transcript();
  assert.deepEqual([clnt?.command, clnt?.reply], [`CLNT ${BACK_OFFICE_CLIENT_NAME}`, 550]);
  assert.ok(server.transcript().every((record) => record.client === undefined), 'a refused CLNT names nobody');
});

test('with TLS optional and a server without it, the client names itself again on the plain session', async (t) => {
  const { server } = await startTestServer(t);

  await withFtpSession({ ...profileOf(server, DEMO), tls: 'optional', clientName: 'test tool' }, 'test',
    (client) => client.pwd());
  await sessionEnded(server, 's0002');

  assert.deepEqual(commandsOf(server, 's0001').slice(0, 2).map(({ command }) => command),
    ['CLNT test tool', 'AUTH TLS']);
  assert.deepEqual(commandsOf(server, 's0002').slice(0, 2).map(({ command }) => command),
    ['CLNT test tool', 'OPTS UTF8 ON']);
});
