import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client, FileType } from 'basic-ftp';
import iconv from 'iconv-lite';
import type { StartedFtpServer } from '../server.ts';
import {
  DEMO, downloadBytes, logIn, openDataConnection, RawControl, readToEnd, sessionEnded, startTestServer,
} from '../test-fixture.ts';
import { loadServerProfile } from './load-profile.ts';

/** A basic-ftp client logged in as the demo company, closed after the test. */
async function basicFtp(t: { after(fn: () => void): void }, server: StartedFtpServer): Promise<Client> {
  const client = new Client(10_000);
  t.after(() => client.close());
  await client.access({ host: server.host, port: server.port, user: DEMO.login, password: DEMO.password });
  return client;
}

/** The address and port of a 227 reply. */
function pasvTarget(reply: string): { host: string; port: number } {
  const numbers = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(reply)?.slice(1).map(Number);
  assert.ok(numbers !== undefined, `no address in: ${reply}`);
  return { host: numbers.slice(0, 4).join('.'), port: numbers[4]! * 256 + numbers[5]! };
}

/** The error code of a connection to `host:port`, or `connected`. */
function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((done) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      done('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

test('a profile set at run time holds from the next command of a session already open', async (t) => {
  const { server } = await startTestServer(t, { profile: loadServerProfile('vsftpd') });
  const control = await RawControl.open(server.port);
  t.after(() => control.close());

  const vsftpd = await control.command('SYST');
  server.profile.set(loadServerProfile('iis'));
  const iis = await control.command('SYST');
  const iisFeat = await control.command('FEAT');
  server.profile.set(undefined);
  const ours = await control.command('SYST');
  const ourFeat = await control.command('FEAT');

  assert.deepEqual([vsftpd, iis, ours], ['215 UNIX Type: L8', '215 Windows_NT', '215 UNIX Type: L8']);
  assert.doesNotMatch(iisFeat, /MLST/);
  assert.match(ourFeat, /\n MLST /);
});

test('each session greets with the profile in force when it connects', async (t) => {
  const { server } = await startTestServer(t, { profile: loadServerProfile('vsftpd') });
  const greeting = async (): Promise<string> => {
    const socket = connect(server.port, '127.0.0.1');
    t.after(() => socket.destroy());
    const first = await new Promise<Buffer>((done) => socket.once('data', done));
    return first.toString('utf8');
  };

  const vsftpd = await greeting();
  server.profile.set(loadServerProfile('iis'));
  const iis = await greeting();
  server.profile.set(undefined);
  const ours = await greeting();

  assert.deepEqual([vsftpd, iis, ours],
    ['220 (vsFTPd 3.0.5)\r\n', '220 Microsoft FTP Service\r\n', '220 estock-hil FTP server ready\r\n']);
});

test('iis: LIST in MS-DOS style that basic-ftp parses; no MLSD or MLST, and the transcript says why', async (t) => {
  const { server } = await startTestServer(t, { profile: loadServerProfile('iis') });
  const folder = join(server.companyRoot(DEMO.company), 'Entrant/eStock/T1');
  mkdirSync(join(folder, 'MvtStocks'), { recursive: true });
  writeFileSync(join(folder, 'LotStockExported_20261204_160500.zip'), Buffer.alloc(1234));
  const afternoon = new Date('2026-12-04T16:05:00Z');
  utimesSync(join(folder, 'MvtStocks'), afternoon, afternoon);
  const control = await RawControl.open(server.port);
  await logIn(control, DEMO);
  const feat = await control.command('FEAT');
  const mlsd = await control.command('MLSD /');
  const data = await openDataConnection(control);
  assert.match(await control.command('LIST /Entrant/eStock/T1'), /^150 /);
  const lines = (await readToEnd(data)).toString('utf8');
  assert.match(await control.reply(), /^226 /);
  const ended = sessionEnded(server, 's0001');
  control.close();
  await ended;

  assert.doesNotMatch(feat, /MLST/);
  assert.equal(mlsd, "500 'MLSD': command not understood");
  assert.equal(server.transcript().find((record) => record.command === 'MLSD /')?.profile, 'iis: MLSD not offered');
  assert.match(lines, /^\d\d-\d\d-\d\d {2}\d\d:\d\d[AP]M {17}1234 LotStockExported_20261204_160500\.zip\r\n/);
  assert.match(lines, /\r\n12-04-26 {2}04:05PM {7}<DIR> {10}MvtStocks\r\n$/);
  const client = await basicFtp(t, server);
  const entries = await client.list('/Entrant/eStock/T1');
  assert.deepEqual(entries.map(({ name, type, size }) => ({ name, type, size })), [
    { name: 'LotStockExported_20261204_160500.zip', type: FileType.File, size: 1234 },
    { name: 'MvtStocks', type: FileType.Directory, size: 0 },
  ]);
});

test('windows-1252: no UTF8, OPTS UTF8 ON refused, names read and listed in that code page', async (t) => {
  const { server } = await startTestServer(t, { profile: loadServerProfile('windows-1252') });
  const name = 'Récolte été.txt';
  const control = await RawControl.open(server.port);
  t.after(() => control.close());
  await logIn(control, DEMO);
  const feat = await control.command('FEAT');
  const opts = await control.command('OPTS UTF8 ON');

  const upload = await openDataConnection(control);
  control.write(Buffer.concat([Buffer.from('STOR /Entrant/eStock/'), iconv.encode(`${name}\r\n`, 'windows-1252')]));
  assert.match(await control.reply(), /^150 /);
  upload.end('1.00\r\n');
  assert.match(await control.reply(), /^226 /);
  const listing = await openDataConnection(control);
  assert.match(await control.command('NLST /Entrant/eStock'), /^150 /);
  const names = await readToEnd(listing);
  assert.match(await control.reply(), /^226 /);

  assert.doesNotMatch(feat, /UTF8/);
  assert.match(opts, /^501 /);
  assert.ok(readdirSync(join(server.companyRoot(DEMO.company), 'Entrant/eStock')).includes(name));
  assert.deepEqual(names, iconv.encode(`${name}\r\n`, 'windows-1252'));
});

test('nat: PASV gives an address refused at once; EPSV still works, and basic-ftp gets through', async (t) => {
  const { server } = await startTestServer(t, { profile: loadServerProfile('nat') });
  writeFileSync(join(server.companyRoot(DEMO.company), 'Sortant/eStock/Version.txt'), '1.00\r\n');
  const control = await RawControl.open(server.port);
  t.after(() => control.close());
  await logIn(control, DEMO);

  const target = pasvTarget(await control.command('PASV'));
  assert.equal(target.host, '127.0.0.2');
  assert.equal(await connectOutcome(target.host, target.port), 'ECONNREFUSED');
  const client = await basicFtp(t, server);
  assert.equal((await downloadBytes(client, '/Sortant/eStock/Version.txt')).toString(), '1.00\r\n');
});

test('nat: on a server bound to every address, a data connection to the PASV address gets 425', async (t) => {
  const { server } = await startTestServer(t,
    { host: '0.0.0.0', passiveHost: '127.0.0.1', profile: loadServerProfile('nat') });
  const control = await RawControl.open(server.port);
  t.after(() => control.close());
  await logIn(control, DEMO);

  const target = pasvTarget(await control.command('PASV'));
  const data = connect(target.port, target.host);
  data.on('error', () => undefined);
  const list = await control.command('LIST /');
  const final = list.startsWith('150 ') ? await control.reply() : list;

  assert.match(final, /^425 /);
});

test('connection-limit: the third connection from one address gets 421, closed and recorded as (connect)',
  async (t) => {
    const { server } = await startTestServer(t, { profile: loadServerProfile('connection-limit') });
    const open = [await RawControl.open(server.port), await RawControl.open(server.port)];
    t.after(() => open.forEach((control) => control.close()));

    const refused = connect(server.port, '127.0.0.1');
    const received: Buffer[] = [];
    refused.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise((done) => refused.once('close', done));
    const record = server.transcript().find((entry) => entry.command === '(connect)');
    const closing = sessionEnded(server, 's0001');
    open[0]!.close();
    await closing;
    const later = await RawControl.open(server.port);
    t.after(() => later.close());

    assert.equal(Buffer.concat(received).toString(), '421 Too many connections from your address (at most 2)\r\n');
    assert.deepEqual([record?.session, record?.reply, record?.profile],
      ['s0003', 421, 'connection-limit: 2 sessions already open from this address, at most 2']);
    assert.match(await later.command('NOOP'), /^200 /);
  });
