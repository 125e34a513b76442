/**
 * One FTP session: a control connection from greeting to close. It reads
 * whole command lines, answers them one at a time in order, and keeps the
 * session's state (login, current folder, TLS, passive channel, the transfer
 * in progress). A transfer runs in the background so that NOOP, STAT and
 * ABOR are answered while it goes on; any other command waits for its end.
 * The commands themselves are in commands/.
 */
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { TLSSocket } from 'node:tls';
import { logger } from '../../log.ts';
import { namesBackOffice } from '../client-name.ts';
import { CommandFaults, SessionFaults, type SessionIdentity } from '../faults/command-faults.ts';
import { commandPath } from '../faults/command-path.ts';
import type { FaultEngine } from '../faults/fault-engine.ts';
import type { FiredFault } from '../faults/fault-schema.ts';
import type { PassivePortRange } from '../passive-ports.ts';
import { decodeNames, encodeNames, nameEncodingOf } from '../profiles/name-encoding.ts';
import { connectionRefusal, greetingLines, verbRefusal } from '../profiles/profile-behaviour.ts';
import type { ServerProfile } from '../profiles/profile-schema.ts';
import { maskCommand } from '../transcript.ts';
import { CommandReader } from './command-reader.ts';
import { commandFor, TRANSFER_TIME_COMMANDS } from './commands/index.ts';
import type { CompanyFolder } from './company-folder.ts';
import type { PassiveChannel } from './data-channel.ts';
import { formatReply } from './replies.ts';
import type { RenameOutcome, SessionHandlers, TransferOutcome } from './session-handlers.ts';
import { serverTlsSocket, type SessionTls } from './tls-certificate.ts';

/** The TLS modes of the server (see TlsMode in server.ts). */
export type SessionTlsMode = 'off' | 'optional' | 'required';

/** What every session of a server shares. */
export interface SessionSettings {
  /** The bind address, where passive listeners listen too. */
  host: string;
  /** The address given in PASV replies. */
  passiveHost: string;
  passivePorts: PassivePortRange;
  tlsMode: SessionTlsMode;
  /**
   * The TLS of a new session and its data connections, a session resuming
   * only on them; present unless tlsMode is `off`.
   */
  sessionTls?: () => SessionTls;
  /** The server profile in force, read at each occasion; none is our own behaviour. */
  profile?: () => ServerProfile | undefined;
  /** A session without any command for this long gets 421 and is closed. */
  idleTimeoutMs: number;
  /** The faults in force on the server; none when absent. */
  faults?: FaultEngine;
}

/** The command being answered: what its handler may do and note. */
export interface CommandContext {
  readonly session: FtpSession;
  /** The verb, upper case: `STOR`. */
  readonly verb: string;
  /** Everything after the verb and one space, as sent (spaces and quotes kept). */
  readonly arg: string;
  /** The faults this command meets (docs/faults.md). */
  readonly faults: CommandFaults;
  reply(code: number, text: string | readonly string[]): void;
  /** Notes the data bytes, the file transfer, a rename, and what the server profile did, for the transcript. */
  note(fields: { bytes?: number; transfer?: TransferOutcome; rename?: RenameOutcome; profile?: string }): void;
  /**
   * Runs `work` as the session's transfer: the command's outcome is reported
   * when it ends, and `abort` (ABOR, session close) stops it with `reason`.
   */
  runTransfer(work: (abort: AbortSignal) => Promise<void>): void;
}

interface RunningTransfer {
  done: Promise<void>;
  controller: AbortController;
}

interface CommandRecord {
  line: string;
  arrivedAt: Date;
  startedMs: number;
  reply: number;
  repliedMs?: number;
  bytes?: number;
  transfer?: TransferOutcome;
  profile?: string;
  rename?: RenameOutcome;
  /** The faults that fired for the command; `faults` records its continuous ones when it ends. */
  fired: FiredFault[];
  faults?: CommandFaults;
}

const log = logger('hil:ftp');

/** A session on an accepted control connection; it greets the client at once. */
export class FtpSession {
  /** Login state: the name given by USER, then the company folder once PASS is accepted. */
  user: string | undefined;
  folder: CompanyFolder | undefined;
  /** The login the session logged in with (fault selectors match it). */
  login: string | undefined;
  /** The name the client gave with CLNT, if any: the simulated back office names itself so. */
  clientName: string | undefined;
  /** The current folder, virtual. */
  cwd = '/';
  /** PBSZ given after AUTH TLS. */
  protectionBufferSet = false;
  /** PROT P in force: data connections go under TLS. */
  protectsData = false;
  /**
   * The offset REST gave for the next transfer. It holds until a transfer
   * command takes it: clients send PASV or TYPE between REST and RETR.
   */
  restartOffset = 0;
  /** The source of the next RNTO. */
  renameFrom: { virtual: string; disk: string } | undefined;
  passive: PassiveChannel | undefined;
  /** The TLS of this session's control and data connections, once AUTH TLS is done. */
  tls: SessionTls | undefined;
  /** True when the server profile refused the connection (421) instead of greeting it. */
  readonly wasRefused: boolean;

  private control: Socket;
  private readonly reader = new CommandReader();
  private queue: Promise<void> = Promise.resolve();
  private transfer: RunningTransfer | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private hasEnded = false;
  private readonly ended: Promise<void>;
  private markEnded: () => void = () => undefined;
  private readonly wire: (format: string, ...args: unknown[]) => void;
  private readonly faults: SessionFaults;

  /** `openFromAddress`: the sessions of the same client address already open, for the profile's limit. */
  constructor(
    private readonly raw: Socket,
    readonly settings: SessionSettings,
    private readonly handlers: SessionHandlers,
    openFromAddress = 0,
  ) {
    this.wire = logger('hil:ftp:wire', handlers.label);
    this.ended = new Promise((done) => (this.markEnded = done));
    this.faults = new SessionFaults(settings.faults, (fired) => handlers.fault?.(fired));
    this.control = raw;
    // Replies are small and answered one by one: Nagle's algorithm would hold each back for an ACK.
    raw.setNoDelay(true);
    raw.on('error', (error) => log('[%s] control connection: %s', handlers.label, error.message));
    raw.on('close', () => this.end());
    raw.on('data', (chunk: Buffer) => this.read(chunk));
    const refusal = connectionRefusal(this.profile, openFromAddress);
    this.wasRefused = refusal !== undefined;
    if (refusal !== undefined) {
      this.wire('refused by the server profile: %s', refusal.why);
      this.closeAfter(refusal.code, refusal.text);
      this.handlers.command({ line: '(connect)', arrivedAt: new Date(), reply: refusal.code, ms: 0,
        profile: refusal.why });
      return;
    }
    this.write(220, greetingLines(this.profile));
    this.armIdleTimer();
  }

  /** The server profile in force now. */
  get profile(): ServerProfile | undefined {
    return this.settings.profile?.();
  }

  /** The address of the client, as the control connection sees it. */
  get clientAddress(): string {
    return this.raw.remoteAddress ?? '';
  }

  /** Who the session is, as fault selectors see it. */
  private get identity(): SessionIdentity {
    return { address: this.clientAddress, login: this.login, fromBackOffice: namesBackOffice(this.clientName) };
  }

  /**
   * Who the session is for the faults of a command. CLNT is met as the client
   * it names: the back office's own CLNT is spared by the faults of the devices.
   */
  private identityFor(verb: string, arg: string): SessionIdentity {
    if (verb !== 'CLNT') return this.identity;
    return { ...this.identity, fromBackOffice: namesBackOffice(arg.trim()) };
  }

  /** True once AUTH TLS has secured the control connection. */
  get isSecure(): boolean {
    return this.control instanceof TLSSocket;
  }

  /** The handlers, for commands that decide logins. */
  get sessionHandlers(): SessionHandlers {
    return this.handlers;
  }

  /** Whether a transfer is in progress (ABOR, STAT). */
  get transferInProgress(): boolean {
    return this.transfer !== undefined;
  }

  /**
   * Puts the control connection under TLS (after the 234 reply to AUTH TLS
   * has been written). The next bytes from the client are its handshake.
   */
  upgradeToTls(tls: SessionTls): void {
    this.tls = tls;
    const dropped = this.reader.discard();
    if (dropped > 0) log('[%s] %d bytes after AUTH TLS dropped', this.handlers.label, dropped);
    this.raw.removeAllListeners('data');
    const secure = serverTlsSocket(this.raw, tls);
    secure.on('data', (chunk: Buffer) => this.read(chunk));
    secure.on('error', (error) => {
      log('[%s] TLS on the control connection: %s', this.handlers.label, error.message);
      this.raw.destroy();
    });
    this.control = secure;
  }

  /** Stops the transfer in progress, with `reason` for its reply; resolves when it has answered. */
  async abortTransfer(reason: string): Promise<boolean> {
    const transfer = this.transfer;
    if (transfer === undefined) return false;
    transfer.controller.abort(new Error(reason));
    await transfer.done;
    return true;
  }

  /** Closes the passive channel, and the control connection once the replies written so far are out. */
  endControl(): void {
    this.setPassive(undefined);
    this.control.end();
  }

  private closeAfter(code: number, text: string): void {
    this.write(code, text);
    this.endControl();
  }

  /** Closes everything now; resolves when the session has ended. */
  async destroy(): Promise<void> {
    this.transfer?.controller.abort(new Error('the server stopped'));
    this.passive?.close();
    this.raw.destroy();
    await this.ended;
    await this.passive?.closedAll();
  }

  /** The REST offset for the transfer starting now; the next one starts from 0 again. */
  takeRestartOffset(): number {
    const offset = this.restartOffset;
    this.restartOffset = 0;
    return offset;
  }

  /** Replaces the passive channel, closing the previous one. */
  setPassive(channel: PassiveChannel | undefined): void {
    this.passive?.close();
    this.passive = channel;
  }

  private read(chunk: Buffer): void {
    const decode = (line: Buffer): string => decodeNames(line, nameEncodingOf(this.profile));
    for (const output of this.reader.push(chunk, decode)) {
      if (output.kind === 'too-long') {
        this.wire('command line too long: closing');
        this.closeAfter(500, 'Command line too long');
        return;
      }
      this.armIdleTimer();
      this.take(output.line);
    }
  }

  private take(line: string): void {
    const verb = verbOf(line);
    if (this.transfer !== undefined && TRANSFER_TIME_COMMANDS.has(verb)) {
      void this.run(line);
      return;
    }
    this.queue = this.queue
      .then(() => this.transfer?.done)
      .then(() => this.run(line))
      .catch((error: Error) => log('[%s] %s: %s', this.handlers.label, maskCommand(line), error.message));
  }

  private async run(line: string): Promise<void> {
    if (this.hasEnded) return;
    const verb = verbOf(line);
    const arg = argumentOf(line);
    const path = commandPath(verb, arg, this.cwd, this.folder);
    const faults = this.faults.command(this.identityFor(verb, arg), verb, path);
    const record: CommandRecord = {
      line, arrivedAt: new Date(), startedMs: performance.now(), reply: 0, fired: faults.fired, faults,
    };
    this.wire('< %s', maskCommand(line));
    if (await this.faultBefore(record, faults)) return;
    let transferStarted = false;
    const context: CommandContext = {
      session: this,
      verb,
      arg,
      faults,
      reply: (code, text) => {
        record.reply = code;
        record.repliedMs = performance.now();
        this.write(code, text);
      },
      note: (fields) => Object.assign(record, fields),
      runTransfer: (work) => {
        transferStarted = true;
        this.startTransfer(record, work);
      },
    };
    const refusal = verbRefusal(this.profile, verb);
    try {
      if (refusal === undefined) {
        await commandFor(verb)(context);
      } else {
        context.note({ profile: refusal.why });
        context.reply(refusal.code, refusal.text);
      }
    } catch (error) {
      log('[%s] %s failed: %s', this.handlers.label, maskCommand(line), (error as Error).stack);
      context.reply(451, 'Local error in processing');
    }
    if (transferStarted) return;
    this.finish(record);
    // Idle from the reply on; after a login, idle timeout faults for that login apply.
    this.armIdleTimer();
  }

  /**
   * Carries out the faults that come before the command: a reset of the
   * control connection, the latency of the command and its reply, a reply
   * instead of the command. Returns true when the command is not to be carried out.
   */
  private async faultBefore(record: CommandRecord, faults: CommandFaults): Promise<boolean> {
    if (faults.reset !== undefined) {
      this.wire('fault: resetting the control connection');
      this.raw.resetAndDestroy();
      this.finish(record);
      return true;
    }
    const delayMs = faults.controlDelayMs();
    if (delayMs > 0) await sleep(delayMs);
    if (this.hasEnded) return true;
    if (faults.instead === undefined) return false;
    // A transfer answered instead uses no data connection: the one the client opened is turned away.
    const passive = this.passive;
    this.passive = undefined;
    record.reply = faults.instead.code;
    record.repliedMs = performance.now();
    this.write(faults.instead.code, faults.instead.text);
    this.finish(record);
    if (passive !== undefined) void passive.turnAway();
    return true;
  }

  private startTransfer(record: CommandRecord, work: (abort: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    this.stopIdleTimer();
    const done = work(controller.signal)
      .catch((error: Error) => {
        log('[%s] transfer failed: %s', this.handlers.label, error.stack);
        if (record.reply < 200) this.write(451, 'Local error in processing');
      })
      .finally(() => {
        this.transfer = undefined;
        this.finish(record);
        this.armIdleTimer();
      });
    this.transfer = { done, controller };
  }

  private finish(record: CommandRecord): void {
    record.faults?.finish();
    this.handlers.command({
      line: record.line,
      arrivedAt: record.arrivedAt,
      reply: record.reply,
      ...(record.bytes !== undefined && { bytes: record.bytes }),
      ...(record.transfer !== undefined && { transfer: record.transfer }),
      ...(record.profile !== undefined && { profile: record.profile }),
      ...(record.rename !== undefined && { rename: record.rename }),
      ...(this.clientName !== undefined && { client: this.clientName }),
      ms: Math.round((record.repliedMs ?? performance.now()) - record.startedMs),
      ...(record.fired.length > 0 && { faults: record.fired }),
    });
    if (record.faults?.closesSession === true) this.endControl();
  }

  private write(code: number, text: string | readonly string[]): void {
    if (this.hasEnded || this.control.destroyed) return;
    this.wire('> %d %s', code, typeof text === 'string' ? text : text.join(' | '));
    this.control.write(encodeNames(formatReply({ code, text }), nameEncodingOf(this.profile)));
  }

  private armIdleTimer(waitedMs = 0): void {
    this.stopIdleTimer();
    if (this.transfer !== undefined || this.hasEnded) return;
    const serverMs = this.settings.idleTimeoutMs - waitedMs;
    const faultMs = waitedMs > 0 ? undefined : this.faults.idleTimeoutMs(this.identity);
    const ms = Math.min(faultMs ?? serverMs, serverMs);
    this.idleTimer = setTimeout(() => {
      if (ms < serverMs) return this.idleByFault(ms);
      this.wire('idle for %d ms: closing', this.settings.idleTimeoutMs);
      this.closeAfter(421, 'Idle timeout: closing the control connection');
    }, ms);
    this.idleTimer.unref();
  }

  /** An idle timeout fault may close the session now; if none fires, the server's own timeout goes on. */
  private idleByFault(idleMs: number): void {
    const fired = this.faults.fireIdle(this.identity, idleMs);
    if (fired === undefined) return this.armIdleTimer(idleMs);
    this.wire('fault: idle for %d ms: closing', idleMs);
    const startedMs = performance.now() - idleMs;
    this.closeAfter(421, 'Idle timeout: closing the control connection');
    this.finish({ line: '(idle)', arrivedAt: new Date(Date.now() - idleMs), startedMs, reply: 421,
      repliedMs: performance.now(), fired: [fired] });
  }

  private stopIdleTimer(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private end(): void {
    if (this.hasEnded) return;
    this.hasEnded = true;
    this.stopIdleTimer();
    this.transfer?.controller.abort(new Error('the control connection closed'));
    this.passive?.close();
    const finishing = this.transfer?.done ?? Promise.resolve();
    void finishing.then(() => {
      this.handlers.end();
      this.markEnded();
    });
  }
}

/** The verb of a command line, upper case. */
export function verbOf(line: string): string {
  return line.trimStart().split(' ', 1)[0]!.toUpperCase();
}

// RFC 959: the verb, one space, the argument. Names may start or end with spaces, so nothing else is trimmed.
function argumentOf(line: string): string {
  const start = line.trimStart();
  const space = start.indexOf(' ');
  return space < 0 ? '' : start.slice(space + 1);
}
