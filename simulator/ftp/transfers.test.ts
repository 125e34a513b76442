import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FtpServerEvents } from './server.ts';
import {
  DEMO, logIn, openDataConnection, RawControl, readToEnd, sessionEnded, startTestServer, storThenReset,
} from './test-fixture.ts';

async function loggedIn(t: Parameters<typeof startTestServer>[0], options = {}) {
  const started = await startTestServer(t, options);
  const control = await RawControl.open(started.server.port);
  t.after(() => control.close());
  await logIn(control, DEMO);
  return { ...started, control, root: started.server.companyRoot('Demo') };
}

/** Uploads `bytes` with `command` (STOR x, APPE x) on a fresh data connection; returns the final reply. */
async function send(control: RawControl, command: string, bytes: Buffer): Promise<string> {
  const data = await openDataConnection(control);
  assert.match(await control.command(command), /^150 /);
  data.end(bytes);
  return control.reply();
}

test('an empty folder lists nothing, with LIST, NLST and MLSD alike', async (t) => {
  const { control } = await loggedIn(t);

  for (const verb of ['LIST', 'NLST', 'MLSD']) {
    const data = await openDataConnection(control);
    const listing = readToEnd(data);
    assert.match(await control.command(`${verb} /Sortant/eStock`), /^150 /);
    assert.match(await control.reply(), /^226 /);
    assert.equal((await listing).length, 0, `${verb} of an empty folder`);
  }
});

test('MLSD and MLST give type, size and modify facts; LIST shows the year of old files', async (t) => {
  const { control, root } = await loggedIn(t);
  const file = join(root, 'Sortant/eStock/T1.zip');
  writeFileSync(file, Buffer.alloc(1234));
  const old = new Date('2023-03-15T10:20:00Z');
  utimesSync(file, old, old);
  mkdirSync(join(root, 'Sortant/eStock/T1'));

  const mlsdData = await openDataConnection(control);
  const mlsd = readToEnd(mlsdData);
  await control.command('MLSD Sortant/eStock');
  await control.reply();
  const listData = await openDataConnection(control);
  const list = readToEnd(listData);
  await control.command('LIST -la Sortant/eStock');
  await control.reply();
  const mlst = await control.command('MLST Sortant/eStock/T1.zip');

  const facts = (await mlsd).toString().split('\r\n').filter(Boolean);
  assert.deepEqual(facts.map((line) => line.replace(/modify=\d+/, 'M')), [
    'type=dir;M;perm=cdeflmp; T1',
    'type=file;size=1234;M;perm=adfrw; T1.zip',
  ]);
  assert.match((await list).toString(), /^-rw.* 1234 Mar 15 {2}2023 T1\.zip\r$/m);
  assert.match((await list).toString(), /^d.* \d\d:\d\d T1\r$/m);
  assert.equal(mlst, '250-Listing T1.zip\n type=file;size=1234;modify=20230315102000;perm=adfrw; ' +
    '/Sortant/eStock/T1.zip\n250 End');
  assert.equal(await control.command('MDTM Sortant/eStock/T1.zip'), '213 20230315102000');
  assert.equal(await control.command('SIZE Sortant/eStock/T1.zip'), '213 1234');
});

test('REST then STOR resumes an upload, APPE appends, REST then RETR resumes a download', async (t) => {
  const { control, root } = await loggedIn(t);
  const whole = randomBytes(200_000);
  const path = join(root, 'Entrant/eStock/up.zip');

  assert.match(await send(control, 'STOR Entrant/eStock/up.zip', whole.subarray(0, 150_000)), /^226 /);
  assert.match(await control.command('REST 100000'), /^350 /);
  assert.match(await send(control, 'STOR Entrant/eStock/up.zip', whole.subarray(100_000)), /^226 /);
  assert.ok(readFileSync(path).equals(whole), 'REST + STOR should give the whole file');

  assert.match(await send(control, 'STOR Entrant/eStock/app.zip', whole.subarray(0, 70_000)), /^226 /);
  assert.match(await send(control, 'APPE Entrant/eStock/app.zip', whole.subarray(70_000)), /^226 /);
  assert.ok(readFileSync(join(root, 'Entrant/eStock/app.zip')).equals(whole), 'STOR + APPE');

  const data = await openDataConnection(control);
  const tail = readToEnd(data);
  assert.match(await control.command('REST 123456'), /^350 /);
  assert.match(await control.command('RETR Entrant/eStock/up.zip'), /^150 .*\(76544 bytes\)/);
  assert.match(await control.reply(), /^226 /);
  assert.ok((await tail).equals(whole.subarray(123_456)));
});

test('NOOP is answered during a transfer; ABOR stops it with 426 then 226', async (t) => {
  const { control, root } = await loggedIn(t);
  writeFileSync(join(root, 'Sortant/eStock/big.zip'), Buffer.alloc(64 * 1024 * 1024));

  const data = await openDataConnection(control);
  data.pause();
  assert.match(await control.command('RETR Sortant/eStock/big.zip'), /^150 /);
  assert.match(await control.command('NOOP'), /^200 /);
  control.write('ABOR\r\n');

  assert.match(await control.reply(), /^426 .*ABOR/);
  assert.match(await control.reply(), /^226 /);
  assert.match(await control.command('PWD'), /^257 /);
  data.destroy();
});

test('an upload cut short is replied 426, recorded as cut short, and reported by an event', async (t) => {
  const { server, control } = await loggedIn(t);
  const cut: FtpServerEvents['upload-cut-short'][] = [];
  const complete: FtpServerEvents['upload'][] = [];
  server.on('upload-cut-short', (payload) => cut.push(payload));
  server.on('upload', (payload) => complete.push(payload));

  assert.match(await storThenReset(control, 'Entrant/eStock/half.zip', 50_000), /^426 /);
  const ended = sessionEnded(server, 's0001');
  await control.command('QUIT');
  await ended;

  assert.deepEqual(complete, []);
  assert.equal(cut.length, 1);
  assert.equal(cut[0]!.path, 'Entrant/eStock/half.zip');
  assert.equal(cut[0]!.bytes, 50_000);
  const stor = server.transcript().find((record) => record.command.startsWith('STOR'));
  assert.equal(stor?.reply, 426);
  assert.match(stor?.cutShort ?? '', /data connection failed/);
});

test('an upload reset right after its data is cut short, never complete', async (t) => {
  const { server, control } = await loggedIn(t);
  const complete: FtpServerEvents['upload'][] = [];
  server.on('upload', (payload) => complete.push(payload));

  // The reset lands while the server is still reading: the case where a reset can pass for an end of file.
  const rounds = 12;
  for (let round = 0; round < rounds; round++) {
    const data = await openDataConnection(control);
    assert.match(await control.command(`STOR Entrant/eStock/reset-${round}.zip`), /^150 /);
    data.write(Buffer.alloc(300_000, 1), () => data.resetAndDestroy());
    assert.match(await control.reply(), /^426 /, `round ${round}`);
  }

  assert.deepEqual(complete.map(({ path }) => path), []);
  const stors = server.transcript().filter((record) => record.command.startsWith('STOR'));
  assert.deepEqual(stors.map(({ reply }) => reply), Array(rounds).fill(426));
});

test('a STOR that never gets its data connection leaves the file as it was, and makes none', async (t) => {
  const { control, root } = await loggedIn(t);
  writeFileSync(join(root, 'Sortant/eStock/kept.zip'), 'the bytes before');

  assert.match(await control.command('STOR Sortant/eStock/kept.zip'), /^425 /);
  assert.match(await control.command('STOR Sortant/eStock/new.zip'), /^425 /);

  assert.equal(readFileSync(join(root, 'Sortant/eStock/kept.zip'), 'utf8'), 'the bytes before');
  assert.equal(existsSync(join(root, 'Sortant/eStock/new.zip')), false);
});

test('a client closing the data connection mid-download still gets a reply', async (t) => {
  const { control, root } = await loggedIn(t);
  writeFileSync(join(root, 'Sortant/eStock/big.zip'), Buffer.alloc(32 * 1024 * 1024));

  const data = await openDataConnection(control);
  assert.match(await control.command('RETR Sortant/eStock/big.zip'), /^150 /);
  await new Promise<void>((done) => data.once('data', () => done()));
  data.destroy();

  assert.match(await control.reply(), /^426 /);
  assert.match(await control.command('NOOP'), /^200 /);
});

test('a new PASV closes the unused one before it, and the session\'s end closes the last one', async (t) => {
  const { server, control } = await loggedIn(t);
  const ports: number[] = [];
  for (let index = 0; index < 200; index++) {
    ports.push(Number(/\|(\d+)\|/.exec(await control.command('EPSV'))![1]));
  }
  const refused = async (port: number): Promise<boolean> => new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); done(false); });
    socket.once('error', () => done(true));
  });

  const stale = await Promise.all(ports.slice(0, -1).map(refused));
  assert.ok(stale.every(Boolean), 'an abandoned passive port still accepts connections');
  const ended = sessionEnded(server, 's0001');
  assert.match(await control.command('QUIT'), /^221 /);
  await ended;
  assert.ok(await refused(ports.at(-1)!), 'the last passive port outlived its session');
  await server.stop();
});

test('a link inside the root that points out of it cannot be followed', async (t) => {
  const { control, root, folder } = await loggedIn(t);
  mkdirSync(join(folder, 'outside'));
  writeFileSync(join(folder, 'outside/secret.txt'), 'secret');
  symlinkSync(join(folder, 'outside'), join(root, 'Sortant/eStock/link'));

  assert.match(await control.command('CWD Sortant/eStock/link'), /^550 .*out of the company root/);
  assert.match(await control.command('SIZE Sortant/eStock/link/secret.txt'), /^550 /);
  assert.match(await control.command('DELE Sortant/eStock/link/secret.txt'), /^550 /);
  assert.match(await send(control, 'STOR Sortant/eStock/link/new.txt', Buffer.from('x')).catch(String), /^550 |150/);
  assert.equal(readFileSync(join(folder, 'outside/secret.txt'), 'utf8'), 'secret');
});

test('names with accents, spaces and quotes round-trip byte for byte; PWD doubles quotes', async (t) => {
  const { control, root } = await loggedIn(t);
  const name = 'Récolte 2024 "cuvée" ñ.zip';
  const folder = 'Dossier "spécial"';
  const bytes = randomBytes(3000);

  const made = await control.command(`MKD Entrant/eStock/${folder}`);
  assert.match(made, /^257 "\/Entrant\/eStock\/Dossier ""spécial""" /);
  assert.match(await control.command(`CWD Entrant/eStock/${folder}`), /^250 /);
  assert.equal(await control.command('PWD'), '257 "/Entrant/eStock/Dossier ""spécial""" is the current folder');
  assert.match(await send(control, `STOR ${name}`, bytes), /^226 /);
  const data = await openDataConnection(control);
  const listing = readToEnd(data);
  await control.command('NLST');
  await control.reply();

  assert.ok(readFileSync(join(root, 'Entrant/eStock', folder, name)).equals(bytes));
  assert.deepEqual((await listing).toString('utf8'), `${name}\r\n`);
  assert.match(await control.command('OPTS UTF8 ON'), /^200 /);
  assert.match(await control.command('FEAT'), /\n UTF8\n/);
});
