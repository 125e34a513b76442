import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { FtpError } from '../errors.ts';
import { withFtpSession } from './client.ts';
import { MAX_COMMAND_LINE_BYTES } from './protocol/command-reader.ts';
import type { FtpServerEvents, TranscriptRecord } from './server.ts';
import {
  ACME, DEMO, downloadBytes, profileOf, RawControl, sessionEnded, startTestServer, uploadBytes,
} from './test-fixture.ts';

const names = (entries: Array<{ name: string }>): string[] => entries.map((entry) => entry.name).sort();

test('a login lands in the company root: Sortant and Entrant, each with eStock, ND2, HM1', async (t) => {
  const { server } = await startTestServer(t);
  const logins: FtpServerEvents['login'][] = [];
  server.on('login', (payload) => logins.push(payload));

  const tree = await withFtpSession(profileOf(server, DEMO), 'test', async (client) => ({
    cwd: await client.pwd(),
    root: names(await client.list()),
    sortant: names(await client.list('Sortant')),
    entrant: names(await client.list('Entrant')),
  }));

  assert.deepEqual(tree, {
    cwd: '/',
    root: ['Entrant', 'Sortant'],
    sortant: ['HM1', 'ND2', 'eStock'],
    entrant: ['HM1', 'ND2', 'eStock'],
  });
  assert.deepEqual(logins, [{ session: 's0001', company: 'Demo' }]);
});

test('a wrong password or an unknown login gets 530 and a login-refused event', async (t) => {
  const { server } = await startTestServer(t);
  const refusals: FtpServerEvents['login-refused'][] = [];
  server.on('login-refused', (payload) => refusals.push(payload));
  const sessionsEnded = sessionEnded(server, 's0002');

  for (const [user, password] of [['Demo', 'wrong'], ['nobody', 'demo-estock']] as const) {
    const profile = { ...profileOf(server, DEMO), user, password };
    const failure = await withFtpSession(profile, 'test', async () => undefined)
      .then(() => undefined, (error: unknown) => error);
    assert.ok(failure instanceof FtpError, `login ${user} should fail`);
    assert.equal(failure.replyCode, 530);
  }
  await sessionsEnded;

  assert.deepEqual(refusals, [
    { session: 's0001', login: 'Demo', reason: 'wrong-password' },
    { session: 's0002', login: 'nobody', reason: 'unknown-login' },
  ]);
  const pass = server.transcript().filter((record) => record.command.startsWith('PASS'));
  assert.deepEqual(pass.map((record) => [record.command, record.reply, record.company]),
    [['PASS ****', 530, undefined], ['PASS ****', 530, undefined]]);
});

test('a refused login may try again in the same session', async (t) => {
  const { server } = await startTestServer(t);
  const control = await RawControl.open(server.port);
  t.after(() => control.close());

  assert.match(await control.command('USER Demo'), /^331 /);
  assert.match(await control.command('PASS wrong'), /^530 /);
  assert.match(await control.command('USER Demo'), /^331 /);
  assert.match(await control.command('PASS demo-estock'), /^230 /);
});

test('an upload and a download round-trip the exact bytes, with their events', async (t) => {
  const { server } = await startTestServer(t);
  const uploads: FtpServerEvents['upload'][] = [];
  const downloads: FtpServerEvents['download'][] = [];
  server.on('upload', (payload) => uploads.push(payload));
  server.on('download', (payload) => downloads.push(payload));
  const bytes = randomBytes(300_000);
  const path = 'Entrant/eStock/T1/MvtStocks/LotStockExported_20240102_030405.zip';
  const ended = sessionEnded(server, 's0001');

  const back = await withFtpSession(profileOf(server, DEMO), 'test', async (client) => {
    await client.ensureDir('/Entrant/eStock/T1/MvtStocks');
    await uploadBytes(client, bytes, `/${path}`);
    return downloadBytes(client, `/${path}`);
  });
  await ended;

  assert.ok(back.equals(bytes), 'downloaded bytes differ from uploaded ones');
  assert.ok(readFileSync(join(server.companyRoot('Demo'), path)).equals(bytes), 'file on disk differs');
  const transfer = { session: 's0001', company: 'Demo', path, bytes: bytes.length };
  assert.deepEqual(uploads, [transfer]);
  assert.deepEqual(downloads, [transfer]);
});

test('a file name with accents and spaces round-trips', async (t) => {
  const { server } = await startTestServer(t);
  const folder = '/Sortant/eStock/Dossier élevé';
  const name = 'Relevé de stock « été » n° 2.txt';
  const bytes = Buffer.from('Château, cuvée spéciale\r\n', 'utf8');

  const seen = await withFtpSession(profileOf(server, DEMO), 'test', async (client) => {
    await client.ensureDir(folder);
    await uploadBytes(client, bytes, name);
    return { listed: names(await client.list()), back: await downloadBytes(client, name) };
  });

  assert.deepEqual(seen.listed, [name]);
  assert.ok(seen.back.equals(bytes));
  const onDisk = join(server.companyRoot('Demo'), folder, name);
  assert.ok(readFileSync(onDisk).equals(bytes));
});

test('the transcript: one JSON line per command, PASS masked, STOR 226 with its bytes', async (t) => {
  const { server, transcriptsFolder } = await startTestServer(t);
  const ends: FtpServerEvents['session-end'][] = [];
  const commands: TranscriptRecord[] = [];
  server.on('session-end', (payload) => ends.push(payload));
  server.on('command', (record) => commands.push(record));
  const ended = sessionEnded(server, 's0001');
  const bytes = randomBytes(12_345);

  await withFtpSession(profileOf(server, DEMO), 'test', (client) =>
    uploadBytes(client, bytes, 'Entrant/eStock/up.bin'));
  await ended;

  const files = readdirSync(transcriptsFolder);
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^\d{8}-\d{6}-s0001\.jsonl$/);
  const file = join(transcriptsFolder, files[0]!);
  assert.deepEqual(ends, [{ session: 's0001', transcriptFile: file }]);
  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes(DEMO.password), 'the password is in the transcript');
  const records = text.trimEnd().split('\n').map((line) => JSON.parse(line) as TranscriptRecord);
  assert.deepEqual(records, server.transcript());
  assert.deepEqual(records, commands);
  assert.deepEqual(records.map((record) => record.command.split(' ')[0]),
    ['OPTS', 'USER', 'PASS', 'FEAT', 'TYPE', 'STRU', 'OPTS', 'OPTS', 'EPSV', 'STOR', 'QUIT']);
  const byCommand = new Map(records.map((record) => [record.command, record]));
  assert.deepEqual(pick(byCommand.get('PASS ****')), { reply: 230, bytes: undefined, company: 'Demo' });
  assert.equal(byCommand.get('USER Demo')?.company, undefined);
  const stor = byCommand.get('STOR Entrant/eStock/up.bin');
  assert.deepEqual(pick(stor), { reply: 226, bytes: 12_345, company: 'Demo' });
  assert.equal(byCommand.get('QUIT')?.reply, 221);
  for (const { time, ms, session } of records) {
    assert.ok(!Number.isNaN(Date.parse(time)) && ms >= 0 && session === 's0001');
  }
});

test('error replies give paths from the company root, never the server folders', async (t) => {
  const { folder, server } = await startTestServer(t);
  const control = await RawControl.open(server.port);
  t.after(() => control.close());
  await control.command('USER Demo');
  await control.command('PASS demo-estock');

  const mkd = await control.command('MKD Sortant/eStock/T9');
  const cwd = await control.command('CWD Sortant/nowhere');
  const size = await control.command('SIZE missing.zip');

  assert.match(mkd, /^257 "\/Sortant\/eStock\/T9" /);
  assert.match(cwd, /^550 \/Sortant\/nowhere: No such file or folder$/);
  assert.match(size, /^550 \/missing\.zip: No such file or folder$/);
  for (const reply of [mkd, cwd, size]) {
    assert.ok(!reply.includes(folder), `server folder in: ${reply}`);
  }
});

test('commands split across packets, or sent together, are answered in order', async (t) => {
  const { server } = await startTestServer(t);
  const control = await RawControl.open(server.port);
  t.after(() => control.close());
  const eAcute = Buffer.from('é', 'utf8');
  const nextTurn = (): Promise<void> => new Promise((done) => setImmediate(done));

  control.write('US');
  await nextTurn();
  control.write('ER Demo\r\nPASS demo-e');
  await nextTurn();
  // The last packet starts in the middle of a UTF-8 character.
  control.write(Buffer.concat([Buffer.from('stock\r\nMKD Entrant/HM1/r'), eAcute.subarray(0, 1)]));
  await nextTurn();
  control.write(Buffer.concat([eAcute.subarray(1), Buffer.from('sumé\r\nPWD\r\n')]));

  assert.match(await control.reply(), /^331 /);
  assert.match(await control.reply(), /^230 /);
  assert.match(await control.reply(), /^257 "\/Entrant\/HM1\/résumé" created$/);
  assert.match(await control.reply(), /^257 "\/" /);
});

test('PASV replies give the passive host and a port of the passive range', async (t) => {
  const passivePorts = { min: 51000, max: 51009 };
  // 10.0.2.2 is how a stock Android emulator reaches its host's loopback.
  const { server } = await startTestServer(t, { passiveHost: '10.0.2.2', passivePorts });
  const control = await RawControl.open(server.port);
  t.after(() => control.close());
  await control.command('USER acme');
  await control.command('PASS acme-secret');

  const reply = await control.command('PASV');

  const numbers = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(reply)?.slice(1).map(Number);
  assert.ok(numbers !== undefined, `no address in: ${reply}`);
  assert.equal(numbers.slice(0, 4).join('.'), '10.0.2.2');
  const port = numbers[4]! * 256 + numbers[5]!;
  assert.ok(port >= passivePorts.min && port <= passivePorts.max, `port ${port} out of the range`);
  const listing = readAll(port);
  const recorded = new Promise<TranscriptRecord>((done) => server.on('command', (record) => {
    if (record.command === 'LIST') done(record);
  }));
  assert.match(await control.command('LIST'), /^150 /);
  assert.match(await control.reply(), /^226 /);
  const text = await listing;
  assert.match(text, /Entrant[\s\S]*Sortant|Sortant[\s\S]*Entrant/);
  const bytes = Buffer.byteLength(text);
  assert.deepEqual(pick(await recorded), { reply: 226, bytes, company: ACME.company });
});

function pick(record: TranscriptRecord | undefined): object {
  return { reply: record?.reply, bytes: record?.bytes, company: record?.company };
}

/** Reads a whole data connection from a passive port of 127.0.0.1 (where the test server listens). */
function readAll(port: number): Promise<string> {
  return new Promise((done, fail) => {
    let text = '';
    const socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.once('end', () => done(text)).once('error', fail);
  });
}

test('a command line over the limit without an end of line gets 500 and closes the session', async (t) => {
  const { server } = await startTestServer(t);
  const control = await RawControl.open(server.port);
  t.after(() => control.close());

  control.write('USER '.padEnd(MAX_COMMAND_LINE_BYTES + 10, 'x'));

  assert.match(await control.reply(), /^500 Command line too long/);
  await control.closed;
});

test('a disabled login is refused with its reason; a company root may be given by path', async (t) => {
  const ownRoot = join(mkdtempSync(join(tmpdir(), 'hil-own-root-')), 'Domaine');
  t.after(() => rmSync(dirname(ownRoot), { recursive: true, force: true }));
  const { server } = await startTestServer(t, {
    companies: [{ ...DEMO, disabled: true }, { ...ACME, root: ownRoot }],
  });
  const refusals: FtpServerEvents['login-refused'][] = [];
  server.on('login-refused', (payload) => refusals.push(payload));

  const demo = await RawControl.open(server.port);
  t.after(() => demo.close());
  await demo.command('USER Demo');
  assert.match(await demo.command('PASS demo-estock'), /^530 /);
  await withFtpSession(profileOf(server, ACME), 'acme', (client) =>
    uploadBytes(client, Buffer.from('acme'), '/Entrant/eStock/acme.txt'));

  assert.deepEqual(refusals, [{ session: 's0001', login: 'Demo', reason: 'disabled' }]);
  assert.equal(server.companyRoot('Acme Vins'), ownRoot);
  assert.equal(readFileSync(join(ownRoot, 'Entrant/eStock/acme.txt'), 'utf8'), 'acme');
  assert.ok(existsSync(join(ownRoot, 'Sortant/HM1')));
});
