/**
 * One ftp-srv connection seen from its command socket: reads whole command
 * lines, runs them one at a time through ftp-srv's command handlers, notes
 * each reply, and reports every command with its final reply. It reaches
 * into ftp-srv 4.6.3's connection object (src/connection.js) without
 * importing ftp-srv; ftp-srv-backend.ts explains where and why it hooks.
 */
import type { EventEmitter } from 'node:events';
import type { Server, Socket } from 'node:net';
import { sep } from 'node:path';
import { logger } from '../log.ts';
import type { SessionHandlers } from './ftp-srv-backend.ts';
import { maskCommand } from './transcript.ts';

/** The parts of ftp-srv's connection relied upon (they are not in its typings). */
export interface SrvConnection extends EventEmitter {
  id: string;
  commandSocket: Socket;
  connector: { dataSocket: Socket | null; dataServer: Server | null };
  encoding: BufferEncoding;
  username: string | undefined;
  commands: { handle(line: string): PromiseLike<unknown> };
  reply(options: ReplyOptions, ...letters: unknown[]): PromiseLike<unknown>;
}

type ReplyOptions = number | { code?: number; socket?: Socket };

/** A longer command line, still without its end of line, closes the session. */
export const MAX_COMMAND_LINE_BYTES = 8 * 1024;

const UPLOADS = new Set(['STOR', 'APPE', 'STOU']);
const DATA_COMMANDS = new Set([...UPLOADS, 'RETR', 'LIST', 'NLST']);
const log = logger('hil:ftp');

interface CommandInProgress {
  line: string;
  arrivedAt: Date;
  startedMs: number;
  reply: number;
  repliedMs?: number;
  dataSocket?: Socket;
  stored?: string;
  retrieved?: string;
}

/** Takes over the command socket of a new ftp-srv connection (from its `connect` event). */
export class SrvSession {
  private readonly wireLog: (format: string, ...args: unknown[]) => void;
  private root: string | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private queue: Promise<void> = Promise.resolve();
  private current: CommandInProgress | undefined;
  private hasEnded = false;
  private readonly ended: Promise<void>;
  private markEnded: () => void = () => undefined;

  constructor(
    private readonly connection: SrvConnection,
    private readonly handlers: SessionHandlers,
  ) {
    this.wireLog = logger('hil:ftp:wire', handlers.label);
    this.ended = new Promise((done) => (this.markEnded = done));
    // Still paused (ftp-srv listens with pauseOnConnect): no chunk has gone to ftp-srv's reader.
    const socket = connection.commandSocket;
    socket.removeAllListeners('data');
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    const reply = connection.reply.bind(connection);
    connection.reply = (options, ...letters) =>
      reply(options, ...this.noteReply(options, letters));
    connection.on('STOR', (error: unknown, path: unknown) =>
      this.noteFile('stored', error, path));
    connection.on('RETR', (error: unknown, path: unknown) =>
      this.noteFile('retrieved', error, path));
  }

  /** Decides a login through the handlers and remembers the root, to hide it in replies. */
  login(login: string, password: string): string | undefined {
    this.root = this.handlers.login(login, password);
    return this.root;
  }

  /** Once the command socket has closed: reports a command cut short, then the end. */
  end(): void {
    if (this.hasEnded) return;
    this.finishCommand();
    this.hasEnded = true;
    this.handlers.end();
    this.markEnded();
  }

  /** Closes the data connection and the command socket; resolves when all have closed. */
  async abort(): Promise<void> {
    const { dataSocket, dataServer } = this.connection.connector;
    const closings = [this.ended];
    if (dataSocket !== null && !dataSocket.closed) closings.push(closeOf(dataSocket));
    if (dataServer?.listening) closings.push(closeOf(dataServer));
    dataSocket?.destroy();
    dataServer?.close();
    this.connection.commandSocket.destroy();
    await Promise.all(closings);
  }

  private read(chunk: Buffer): void {
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (let newline = data.indexOf(0x0a); newline >= 0; newline = data.indexOf(0x0a)) {
      const end = newline > 0 && data[newline - 1] === 0x0d ? newline - 1 : newline;
      const line = data.subarray(0, end).toString(this.connection.encoding);
      data = data.subarray(newline + 1);
      if (line.trim() === '') continue;
      this.queue = this.queue.then(() => this.run(line)).catch((error: Error) => {
        log('[%s] %s: %s', this.handlers.label, maskCommand(line), error.message);
      });
    }
    this.pending = data;
    if (data.length > MAX_COMMAND_LINE_BYTES) {
      this.wireLog('command line over %d bytes: closing', MAX_COMMAND_LINE_BYTES);
      this.pending = Buffer.alloc(0);
      void this.connection.reply(500, 'Command line too long')
        .then(() => this.connection.commandSocket.destroy());
    }
  }

  private async run(line: string): Promise<void> {
    if (this.hasEnded) return;
    this.current = { line, arrivedAt: new Date(), startedMs: performance.now(), reply: 0 };
    this.wireLog('< %s', maskCommand(line));
    try {
      await this.connection.commands.handle(line);
    } catch (error) {
      const reason = (error as Error).message;
      log('[%s] %s failed in ftp-srv: %s', this.handlers.label, maskCommand(line), reason);
      if (this.current?.reply === 0) await this.connection.reply(451, 'Local error');
    }
    this.finishCommand();
  }

  private finishCommand(): void {
    const command = this.current;
    if (command === undefined) return;
    this.current = undefined;
    const directive = command.line.trim().split(/\s/, 1)[0]!.toUpperCase();
    const socket = DATA_COMMANDS.has(directive) ? command.dataSocket : undefined;
    const isUpload = UPLOADS.has(directive);
    const bytes = socket && (isUpload ? socket.bytesRead : socket.bytesWritten);
    this.handlers.command({
      line: command.line,
      arrivedAt: command.arrivedAt,
      reply: command.reply,
      ...(bytes !== undefined && { bytes }),
      ...(command.stored !== undefined && { stored: command.stored }),
      ...(command.retrieved !== undefined && { retrieved: command.retrieved }),
      ms: Math.round((command.repliedMs ?? performance.now()) - command.startedMs),
    });
  }

  /** Notes a reply of the current command; returns its texts, company root hidden. */
  private noteReply(options: ReplyOptions, letters: unknown[]): unknown[] {
    const code = typeof options === 'number' ? options : options.code;
    const masked = letters.map((letter) => this.hideRoot(letter));
    // Listing lines go to the data socket through the same method, with no code.
    const toCommandSocket = typeof options === 'number'
      || (code !== undefined && options.socket === undefined);
    if (!toCommandSocket || code === undefined) return masked;

    const texts = masked.filter((letter) => typeof letter === 'string');
    this.wireLog('> %d%s', code, texts.length === 0 ? '' : ` ${texts.join(' | ')}`);
    const command = this.current;
    if (command !== undefined) {
      command.reply = code;
      command.repliedMs = performance.now();
      command.dataSocket = this.connection.connector.dataSocket ?? command.dataSocket;
    }
    return masked;
  }

  private noteFile(kind: 'stored' | 'retrieved', error: unknown, path: unknown): void {
    if (error || this.current === undefined || typeof path !== 'string') return;
    this.current[kind] = path;
  }

  // ftp-srv puts disk paths in error replies ("ENOENT: ... stat '/srv/roots/Demo/x'") and MKD's 257.
  private hideRoot(letter: unknown): unknown {
    const root = this.root;
    if (root === undefined) return letter;
    const hide = (text: string): string =>
      text.split(root + sep).join('/').split(root).join('/');
    if (typeof letter === 'string') return hide(letter);
    const message = (letter as { message?: unknown } | null)?.message;
    if (typeof message === 'string') return { ...(letter as object), message: hide(message) };
    return letter;
  }
}

function closeOf(emitter: EventEmitter): Promise<void> {
  return new Promise((done) => emitter.once('close', () => done()));
}
