import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { DEMO, sessionEnded } from '../test-fixture.ts';
import { faultSetSchema } from './fault-schema.ts';
import { faultyServer } from './fault-test-fixture.ts';

const run = promisify(execFile);

test('reset: the control connection is reset when the command arrives, before any reply', async (t) => {
  for (const secure of [false, true]) {
    const { control, server } = await faultyServer(t, [{ reset: { verb: 'MKD' } }],
      { tls: { mode: 'optional' } }, { secure });
    const error = new Promise<string>((done) => control.socket.once('error', (cause: NodeJS.ErrnoException) =>
      done(cause.code ?? cause.message)));
    const ended = sessionEnded(server, 's0001');

    control.write('MKD Entrant/new\r\n');

    assert.equal(await error, 'ECONNRESET', secure ? 'under TLS' : 'plain');
    await ended;
    const record = server.transcript().find((line) => line.command === 'MKD Entrant/new')!;
    assert.equal(record.reply, 0);
    assert.deepEqual(record.faults, [{ fault: 1, kind: 'reset',
      text: 'control connection reset (TCP RST) on MKD Entrant/new, before any reply' }]);
  }
});

test('idleTimeout: an idle session gets 421 and is closed, recorded as (idle)', async (t) => {
  const { control, server } = await faultyServer(t, [{ idleTimeout: { ms: 300, login: DEMO.login } }]);
  const ended = sessionEnded(server, 's0001');

  assert.equal(await control.reply(), '421 Idle timeout: closing the control connection');
  await ended;

  const last = server.transcript().at(-1)!;
  assert.equal(last.command, '(idle)');
  assert.equal(last.reply, 421);
  assert.deepEqual(last.faults, [{ fault: 1, kind: 'idleTimeout',
    text: 'no command for 300 ms: answered 421 and closed the session' }]);
});

test('idleTimeout does not touch a session that is not idle, nor one it does not select', async (t) => {
  const { control, server } = await faultyServer(t, [{ idleTimeout: { ms: 400, login: 'acme' } }]);

  await new Promise((done) => setTimeout(done, 700));
  assert.match(await control.command('NOOP'), /^200 /);
  assert.equal(server.faults.current().faults[0]!.fired, 0);
});

test('the same seed gives the same replies over the wire; set counts again, clear ends the faults', async (t) => {
  const faults = [{ reply: { verb: 'NOOP', chance: 0.5, times: 'always', code: 450 } }];
  const { control, server } = await faultyServer(t, faults);
  const codes = async (): Promise<string> => {
    let seen = '';
    for (let at = 0; at < 24; at++) seen += (await control.command('NOOP')).slice(0, 3) === '450' ? 'x' : '.';
    return seen;
  };

  server.faults.set(faultSetSchema.parse({ seed: 42, faults }));
  const first = await codes();
  server.faults.set(faultSetSchema.parse({ seed: 42, faults }));
  assert.equal(await codes(), first);
  assert.match(first, /x/);
  assert.match(first, /\./);
  server.faults.set(faultSetSchema.parse({ seed: 43, faults }));
  assert.notEqual(await codes(), first);
  server.faults.clear();
  assert.equal(await codes(), '.'.repeat(24));
});

test('a fault set while a session is open applies from its next command', async (t) => {
  const { control, server } = await faultyServer(t, []);

  assert.match(await control.command('PWD'), /^257 /);
  server.faults.add([faultSetSchema.parse({ faults: [{ reply: { verb: 'PWD', code: 530 } }] }).faults[0]!]);
  assert.equal(await control.command('PWD'), '530 Not logged in');
  assert.match(await control.command('PWD'), /^257 /);
});

// Python's ssl tells an orderly TLS close (close_notify) from a bare end of the connection.
const TLS_CLOSE_PROBE = `
import ftplib, ssl, sys
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
ftp = ftplib.FTP_TLS(context=context)
ftp.connect('127.0.0.1', int(sys.argv[1]))
ftp.login('${DEMO.login}', '${DEMO.password}')
ftp.prot_p()
conn = ftp.transfercmd('RETR Sortant/eStock/T1.zip')
received = 0
try:
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        received += len(chunk)
    conn.unwrap()
    print(received, 'close_notify')
except (ssl.SSLError, OSError) as error:
    print(received, 'no close_notify', type(error).__name__)
`;

test('under TLS a clean cut sends close_notify, an abrupt one does not', async (t) => {
  for (const close of ['clean', 'abrupt'] as const) {
    const { server, root } = await faultyServer(t, [{ cut: { atBytes: 30_000, close } }],
      { tls: { mode: 'optional' } });
    writeFileSync(join(root, 'Sortant/eStock/T1.zip'), randomBytes(200_000));

    const { stdout } = await run('python3', ['-c', TLS_CLOSE_PROBE, String(server.port)]);

    assert.match(stdout.trim(), close === 'clean' ? /^30000 close_notify$/ : /^30000 no close_notify/);
  }
});
