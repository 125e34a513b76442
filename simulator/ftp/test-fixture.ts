/**
 * What the FTP server tests share: throwaway servers on free ports, the
 * accounts they serve, byte transfers with basic-ftp, and a raw command
 * connection for what a client library would hide (split lines, PASV replies).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { Readable } from 'node:stream';
import type { TestContext } from 'node:test';
import type { Client } from 'basic-ftp';
import type { FtpProfile } from './client.ts';
export { downloadBytes } from './client.ts';
import {
  startFtpServer, type CompanyAccount, type FtpServerOptions, type StartedFtpServer,
} from './server.ts';

/** The demo company's FTP account, as in simulator/companies/demo.yaml. */
export const DEMO: CompanyAccount = { company: 'Demo', login: 'Demo', password: 'demo-estock' };
/** A second company, to check that companies stay apart. */
export const ACME: CompanyAccount = { company: 'Acme Vins', login: 'acme', password: 'acme-secret' };

/** A started server and the temporary folder holding its roots and transcripts. */
export interface TestServer {
  server: StartedFtpServer;
  folder: string;
  transcriptsFolder: string;
}

/** Starts a server on a free port of 127.0.0.1, stopped and removed after the test. */
export async function startTestServer(
  t: TestContext,
  options: Partial<FtpServerOptions> = {},
): Promise<TestServer> {
  const folder = mkdtempSync(join(tmpdir(), 'hil-ftp-'));
  const transcriptsFolder = join(folder, 'transcripts');
  const server = await startFtpServer({
    port: 0,
    companies: [DEMO, ACME],
    rootsFolder: join(folder, 'roots'),
    transcriptsFolder,
    ...options,
  });
  t.after(async () => {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  });
  return { server, folder, transcriptsFolder };
}

/**
 * Resolves when `session` (e.g. `s0001`) has ended. A client has its final
 * reply a moment before the server has recorded the command: wait for the end
 * of the session before looking at the transcript or the events.
 */
export function sessionEnded(server: StartedFtpServer, session: string): Promise<void> {
  return new Promise((done) => server.on('session-end', (payload) => {
    if (payload.session === session) done();
  }));
}

/** The client profile of an account on a test server. */
export function profileOf(server: StartedFtpServer, account: CompanyAccount): FtpProfile {
  const { host, port } = server;
  return { host, port, user: account.login, password: account.password };
}

/** Uploads `bytes` as `path`. */
export async function uploadBytes(client: Client, bytes: Buffer, path: string): Promise<void> {
  await client.uploadFrom(Readable.from([bytes]), path);
}


/** A bare command connection: sends raw bytes, reads whole replies. */
export class RawControl {
  private buffered = '';
  private lines: string[] = [];
  private readonly waiting: Array<(reply: string) => void> = [];
  private readonly replies: string[] = [];
  /** Resolves when the server has closed the connection. */
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.take(text));
    this.closed = new Promise((done) => socket.once('close', () => done()));
  }

  /** Connects and reads the 220 greeting. */
  static async open(port: number): Promise<RawControl> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((done, fail) => socket.once('connect', done).once('error', fail));
    const control = new RawControl(socket);
    await control.reply();
    return control;
  }

  /** Connects, reads the greeting, and puts the connection under TLS with AUTH TLS (any certificate, `options`). */
  static async openSecure(port: number, options: ConnectionOptions = {}): Promise<RawControl> {
    const plain = await RawControl.open(port);
    const reply = await plain.command('AUTH TLS');
    if (!reply.startsWith('234 ')) throw new Error(`AUTH TLS refused: ${reply}`);
    plain.socket.removeAllListeners('data');
    const socket = connectTls({ ...options, socket: plain.socket, rejectUnauthorized: false });
    await new Promise<void>((done, fail) => socket.once('secureConnect', done).once('error', fail));
    return new RawControl(socket);
  }

  /** Writes bytes as they are: no end of line is added. */
  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends one command line and returns its reply. */
  async command(line: string): Promise<string> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** The next whole reply, e.g. `230 User logged in, proceed`. */
  reply(): Promise<string> {
    const ready = this.replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((done) => this.waiting.push(done));
  }

  close(): void {
    this.socket.destroy();
  }

  private take(text: string): void {
    this.buffered += text;
    const nextEnd = (): number => this.buffered.indexOf('\r\n');
    for (let end = nextEnd(); end >= 0; end = nextEnd()) {
      const line = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 2);
      this.lines.push(line);
      // `NNN text` ends a reply; `NNN-text` opens a multi-line one, ended by `NNN text`.
      if (!/^\d{3}( |$)/.test(line)) continue;
      const reply = this.lines.join('\n');
      this.lines = [];
      const waiter = this.waiting.shift();
      if (waiter === undefined) this.replies.push(reply);
      else waiter(reply);
    }
  }
}

/** Sends EPSV on `control` and opens the data connection it offers. */
export async function openDataConnection(control: RawControl): Promise<Socket> {
  const reply = await control.command('EPSV');
  const port = /\(\|\|\|(\d+)\|\)/.exec(reply)?.[1];
  if (port === undefined) throw new Error(`no EPSV port in: ${reply}`);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise<void>((done, fail) => socket.once('connect', done).once('error', fail));
  return socket;
}

/**
 * Starts `STOR path` on a fresh data connection, sends `bytes`, and resets the
 * connection 50 ms later, once the server has read them; returns the final reply.
 */
export async function storThenReset(control: RawControl, path: string, bytes: number): Promise<string> {
  const data = await openDataConnection(control);
  const started = await control.command(`STOR ${path}`);
  if (!started.startsWith('150 ')) throw new Error(`STOR ${path} did not start: ${started}`);
  data.write(Buffer.alloc(bytes));
  await new Promise((done) => setTimeout(done, 50));
  data.resetAndDestroy();
  return control.reply();
}

/** Everything a data connection carries until the server closes it. */
export function readToEnd(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((done, fail) => {
    socket.once('end', () => done(Buffer.concat(chunks)));
    socket.once('error', fail);
  });
}

/** Logs `control` in as `account`. */
export async function logIn(control: RawControl, account: CompanyAccount): Promise<void> {
  await control.command(`USER ${account.login}`);
  const reply = await control.command(`PASS ${account.password}`);
  if (!reply.startsWith('230 ')) throw new Error(`login refused: ${reply}`);
}
