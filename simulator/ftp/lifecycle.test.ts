import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.ts';
import { withFtpSession } from './client.ts';
import { startFtpServer, type FtpServerOptions, type TlsMode } from './server.ts';
import {
  ACME, DEMO, profileOf, RawControl, sessionEnded, startTestServer, uploadBytes,
} from './test-fixture.ts';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGQUIT'] as const;

test('port 0 takes a free port of 127.0.0.1, named in the url', async (t) => {
  const { server } = await startTestServer(t);

  assert.equal(server.host, '127.0.0.1');
  assert.ok(server.port > 0);
  assert.equal(server.url, `ftp://127.0.0.1:${server.port}`);
});

test('two servers run at once in one process, each with its own roots', async (t) => {
  const [first, second] = await Promise.all([startTestServer(t), startTestServer(t)]);

  await Promise.all([first, second].map(({ server }, index) =>
    withFtpSession(profileOf(server, DEMO), `server ${index}`, (client) =>
      uploadBytes(client, Buffer.from('movements'), `/Entrant/eStock/from-${index}.txt`))));

  assert.ok(existsSync(join(first.server.companyRoot('Demo'), 'Entrant/eStock/from-0.txt')));
  assert.ok(!existsSync(join(first.server.companyRoot('Demo'), 'Entrant/eStock/from-1.txt')));
  assert.ok(existsSync(join(second.server.companyRoot('Demo'), 'Entrant/eStock/from-1.txt')));
});

test('starting and stopping a server leaves the signal handlers as they were', async (t) => {
  const before = SIGNALS.map((signal) => process.listenerCount(signal));

  const { server } = await startTestServer(t);
  const whileRunning = SIGNALS.map((signal) => process.listenerCount(signal));
  await server.stop();

  assert.deepEqual(whileRunning, before);
  assert.deepEqual(SIGNALS.map((signal) => process.listenerCount(signal)), before);
});

test('stop() closes an open session, ends it, and accepts no more connections', async (t) => {
  const { server } = await startTestServer(t);
  const control = await RawControl.open(server.port);
  assert.match(await control.command('USER Demo'), /^331 /);
  assert.match(await control.command('PASS demo-estock'), /^230 /);
  const ended = sessionEnded(server, 's0001');

  await server.stop();

  await control.closed;
  await ended;
  const refused = await new Promise<string>((done) => {
    const socket = connect(server.port, '127.0.0.1', () => done('accepted'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
  });
  assert.equal(refused, 'ECONNREFUSED');
  await server.stop();
});

test('a process that starts, uses and stops a server exits with nothing left running',
  { timeout: 60_000 }, async (t) => {
    const folder = mkdtempSync(join(tmpdir(), 'hil-ftp-child-'));
    t.after(() => rmSync(folder, { recursive: true, force: true }));
    const script = join(dirname(fileURLToPath(import.meta.url)), 'lifecycle-child.ts');

    const child = spawn(process.execPath, ['--import', 'tsx', script, folder],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (errors += text));
    const exitCode = await new Promise<number | null>((done) => child.once('close', done));

    assert.equal(exitCode, 0, errors);
    const resources = JSON.parse(output) as string[];
    const leftOver = resources.filter((kind) => /TCP|Timeout|Timer/.test(kind));
    assert.deepEqual(leftOver, []);
  });

test('bad options are refused with a ConfigError that names the option', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'hil-ftp-options-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const base: FtpServerOptions = {
    port: 0,
    companies: [DEMO],
    rootsFolder: join(folder, 'roots'),
    transcriptsFolder: join(folder, 'transcripts'),
  };
  const refusal = (options: FtpServerOptions): Promise<unknown> =>
    startFtpServer(options).then(async (server) => {
      await server.stop();
      return undefined;
    }, (error: unknown) => error);

  const cases: Array<[Partial<FtpServerOptions>, RegExp]> = [
    [{ tls: { mode: 'sometimes' as TlsMode } }, /tls\.mode "sometimes" is not one of off, optional, required/],
    [{ passiveHost: '203.0.113.7' }, /passiveHost 203\.0\.113\.7 is not an address of this machine/],
    [{ passiveHost: 'ftp.example' }, /passiveHost "ftp\.example" is not an IP address/],
    [{ tls: { mode: 'optional', certFile: join(folder, 'cert.pem') } }, /certFile and tls\.keyFile go together/],
    [{ companies: [DEMO, { ...ACME, login: DEMO.login }] }, /FTP login "Demo" is used twice/],
    [{ companies: [{ ...DEMO, company: '../Demo' }] }, /company "\.\.\/Demo"/],
    [{ companies: [] }, /companies is empty/],
    [{ port: 70000 }, /port 70000/],
    [{ passivePorts: { min: 50010, max: 50000 } }, /passivePorts 50010-50000/],
    [{ host: '0.0.0.0' }, /host "0\.0\.0\.0" cannot be given in PASV replies; set passiveHost/],
  ];
  for (const [options, message] of cases) {
    const error = await refusal({ ...base, ...options });
    assert.ok(error instanceof ConfigError, `${JSON.stringify(options)} should be refused`);
    assert.match(error.message, message);
  }
});

test('a port in use gives a ConfigError, and the failed start leaves nothing behind', async (t) => {
  const { server, folder } = await startTestServer(t);
  const signalsBefore = SIGNALS.map((signal) => process.listenerCount(signal));

  const options = { port: server.port, companies: [DEMO], rootsFolder: folder, transcriptsFolder: folder };
  const error = await startFtpServer(options).then(() => undefined, (failure: unknown) => failure);

  assert.ok(error instanceof ConfigError);
  assert.match(error.message, new RegExp(`listen on 127\\.0\\.0\\.1:${server.port}: .*EADDRINUSE`));
  assert.deepEqual(SIGNALS.map((signal) => process.listenerCount(signal)), signalsBefore);
  assert.throws(() => server.companyRoot('Nobody'), /company "Nobody"; known: Demo, Acme Vins/);
});

test('a restart on the same roots keeps the files already there', async (t) => {
  const { server, folder } = await startTestServer(t);
  const kept = join(server.companyRoot('Demo'), 'Sortant/eStock/T1.zip');
  writeFileSync(kept, 'export');
  await server.stop();

  const again = await startFtpServer({
    port: 0,
    companies: [DEMO],
    rootsFolder: join(folder, 'roots'),
    transcriptsFolder: join(folder, 'transcripts'),
  });
  t.after(() => again.stop());

  assert.ok(existsSync(kept));
  assert.ok(existsSync(join(again.companyRoot('Demo'), 'Entrant/HM1')));
});
