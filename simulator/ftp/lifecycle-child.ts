/**
 * Run by lifecycle.test.ts in a process of its own: starts a server, leaves
 * one logged-in session idle, uploads and downloads with another, stops the
 * server, then prints what still keeps the process alive (JSON on stdout).
 * Usage: node --import tsx simulator/ftp/lifecycle-child.ts <folder>
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { withFtpSession } from './client.ts';
import { startFtpServer } from './server.ts';

const folder = process.argv[2] ?? '.';
const account = { company: 'Demo', login: 'Demo', password: 'demo-estock' };
const server = await startFtpServer({
  port: 0,
  companies: [account],
  rootsFolder: join(folder, 'roots'),
  transcriptsFolder: join(folder, 'transcripts'),
});

const idle = connect(server.port, '127.0.0.1');
const idleClosed = new Promise((done) => idle.once('close', done));
let replies = '';
const loggedIn = new Promise<void>((done) => idle.on('data', (text: Buffer) => {
  // Replies may arrive several in a packet: look for the 230 line in all of them.
  replies += text.toString();
  if (/^230 /m.test(replies)) done();
}));
idle.write('USER Demo\r\nPASS demo-estock\r\n');
await loggedIn;

const { host, port } = server;
const profile = { host, port, user: account.login, password: account.password };
await withFtpSession(profile, 'lifecycle', async (client) => {
  await client.uploadFrom(Readable.from([Buffer.from('movements')]), 'Entrant/eStock/T1.zip');
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  await client.downloadTo(sink, 'Entrant/eStock/T1.zip');
});

await server.stop();
await idleClosed;
setImmediate(() => process.stdout.write(JSON.stringify(process.getActiveResourcesInfo())));
