/**
 * The only file that imports ftp-srv. It turns ftp-srv's server into a neutral
 * backend: it asks `openSession` for the handlers of each new session, lets
 * them decide logins, reports every command with its final reply, and
 * neutralises ftp-srv's habits that do not suit a library inside a test run.
 *
 * Where it hooks, and why (read against ftp-srv 4.6.3's src/connection.js;
 * the per-session hooks live in ftp-srv-session.ts):
 * - Command lines: ftp-srv decodes each socket chunk on its own and runs the
 *   chunks concurrently, so a line split across two chunks, or a UTF-8 name
 *   cut in the middle, arrives garbled, and two commands can overlap. The
 *   backend replaces the command socket's `data` listener (the socket is still
 *   paused when `connect` is emitted) with a line reader that hands whole lines
 *   to `connection.commands.handle`, one at a time. That also gives the exact
 *   arrival time and line of each command, and its end: `handle` resolves once
 *   the handler has sent its last reply (226 for a transfer, not 150).
 * - Reply codes: `connection.reply` is wrapped on the instance; the last coded
 *   reply written to the command socket during a command is its final reply.
 *   The wrapper also replaces the company root in reply texts by `/`, since
 *   ftp-srv puts file system paths in error replies and in MKD's 257.
 * - Transferred bytes come from the data socket seen during the command
 *   (bytesRead for uploads, bytesWritten for downloads and listings); the file
 *   written or read comes from the connection's `STOR` and `RETR` events.
 * - ftp-srv's constructor adds SIGTERM/SIGINT/SIGQUIT handlers that exit the
 *   process; they are removed at once: signals belong to the command line.
 * - ftp-srv's close() leaves a 1 s timer per session; the backend closes the
 *   sockets itself and resolves when each one has closed.
 * - Its bunyan logger goes to `hil:ftp` (warnings and errors only); passive
 *   ports come from passive-ports.ts instead of ftp-srv's own finder.
 * Known limits of ftp-srv left as they are: a PASV or EPSV never followed by
 * a data connection arms a 30 s timer that stop() cannot reach (the process
 * may linger that long after stop()); command arguments lose every `"` and,
 * except for RETR, SIZE and STOR, any lone `-x` word (taken as a flag); FEAT
 * lists AUTH TLS although TLS is off (AUTH TLS is answered 502).
 */
import type { EventEmitter } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { FtpSrv } from 'ftp-srv';
import { ConfigError } from '../errors.ts';
import { logger } from '../log.ts';
import { SrvSession, type SrvConnection } from './ftp-srv-session.ts';
import { nextPassivePortFinder, type PassivePortRange } from './passive-ports.ts';

/** What one command came to, as the backend saw it. */
export interface CommandOutcome {
  /** The command line as received, secrets included: mask it before writing it out. */
  line: string;
  arrivedAt: Date;
  /** Final reply code; 0 when the session closed before any reply. */
  reply: number;
  /** Bytes on the data connection, when the command used one. */
  bytes?: number;
  /** Absolute path of the file an upload completed. */
  stored?: string;
  /** Absolute path of the file a download completed. */
  retrieved?: string;
  /** Milliseconds from arrival to the final reply. */
  ms: number;
}

/** What the server does for one session; called one at a time for a session. */
export interface SessionHandlers {
  /** Names the session in log lines, e.g. `s0003`. */
  readonly label: string;
  /** Decides a login: the absolute root to confine the session to, or undefined (530). */
  login(login: string, password: string): string | undefined;
  /** One command has been answered. */
  command(outcome: CommandOutcome): void;
  /** The command socket has closed; no call follows. */
  end(): void;
}

/** How to start the backend: addresses, passive ports, and the session factory. */
export interface FtpSrvBackendOptions {
  host: string;
  port: number;
  passivePorts: PassivePortRange;
  /** Address given in PASV replies. */
  passiveHost: string;
  openSession(remoteAddress: string): SessionHandlers;
}

/** A listening backend. */
export interface FtpSrvBackend {
  /** The port actually bound (the free port chosen when 0 was asked). */
  readonly port: number;
  /** Closes the listener and every session; resolves once all sockets have closed. */
  close(): Promise<void>;
}

// The parts of ftp-srv's server relied upon (they are not in its typings).
interface SrvInternals {
  server: Server;
  connections: Record<string, unknown>;
  getNextPasvPort: () => Promise<number>;
}

const SIGNALS_FTP_SRV_TRAPS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;
const log = logger('hil:ftp');

/**
 * Starts ftp-srv on `host:port`. Throws ConfigError when the address cannot
 * be bound (port in use, address not on this machine).
 */
export async function startFtpSrvBackend(options: FtpSrvBackendOptions): Promise<FtpSrvBackend> {
  const srv = createQuietFtpSrv(options);
  const internals = srv as unknown as SrvInternals;
  internals.getNextPasvPort = nextPassivePortFinder(options.host, options.passivePorts);
  const sessions = new Map<string, SrvSession>();
  srv.on('client-error', ({ context, error }) =>
    log('client %s error: %s', context, error.message));
  (srv as EventEmitter).on('connect', ({ connection }: { connection: SrvConnection }) => {
    const session = openSrvSession(connection, options);
    if (session === undefined) return;
    sessions.set(connection.id, session);
    // Runs before ftp-srv's close listener, which would otherwise arm a 1 s timer per session.
    connection.commandSocket.prependListener('close', () => {
      delete internals.connections[connection.id];
      sessions.delete(connection.id);
      session.end();
    });
  });
  srv.on('login', ({ connection, username, password }, resolve, reject) => {
    const root = sessions.get(connection.id)?.login(username, password);
    if (root !== undefined) return resolve({ root, cwd: '/' });
    // ftp-srv keeps a refused user name and would answer any new USER with 530.
    (connection as unknown as SrvConnection).username = undefined;
    reject(new Error('Login incorrect'));
  });

  const port = await listen(srv, options);
  const { min, max } = options.passivePorts;
  log('listening on %s:%d, passive ports %d-%d', options.host, port, min, max);
  const close = async (): Promise<void> => {
    const listenerClosed = new Promise<void>((done) =>
      internals.server.close(() => done()));
    await Promise.all([...sessions.values()].map((session) => session.abort()));
    await listenerClosed;
    srv.removeAllListeners();
    log('stopped listening on %s:%d', options.host, port);
  };
  let closing: Promise<void> | undefined;
  return { port, close: () => (closing ??= close()) };
}

/** Listens and returns the port bound; a failure becomes a ConfigError. */
async function listen(srv: FtpSrv, options: FtpSrvBackendOptions): Promise<number> {
  try {
    await srv.listen();
  } catch (error) {
    srv.removeAllListeners();
    const reason = (error as Error).message;
    throw new ConfigError(`FTP server: cannot listen on ${options.host}:${options.port}: ` +
      `${reason}; choose another port (0 takes any free port) or an address of this machine`,
    { cause: error });
  }
  return ((srv as unknown as SrvInternals).server.address() as AddressInfo).port;
}

/** The session of a new connection, or undefined (connection closed) if none can open. */
function openSrvSession(
  connection: SrvConnection,
  options: FtpSrvBackendOptions,
): SrvSession | undefined {
  try {
    const remoteAddress = connection.commandSocket.remoteAddress ?? '?';
    return new SrvSession(connection, options.openSession(remoteAddress));
  } catch (error) {
    log('cannot open a session: %s', (error as Error).message);
    connection.commandSocket.destroy();
    return undefined;
  }
}

/** An ftp-srv server with a quiet logger and without its process signal handlers. */
function createQuietFtpSrv(options: FtpSrvBackendOptions): FtpSrv {
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const trapped = new Map(SIGNALS_FTP_SRV_TRAPS.map((signal) =>
    [signal, new Set(process.listeners(signal))]));
  const srv = new FtpSrv({
    url: `ftp://${host}:${options.port}`,
    pasv_min: options.passivePorts.min,
    pasv_max: options.passivePorts.max,
    // A function is used as is; a string gives way to the client's address for local clients.
    pasv_url: (() => options.passiveHost) as unknown as string,
    anonymous: false,
    log: quietBunyanLogger(),
  });
  for (const signal of SIGNALS_FTP_SRV_TRAPS) {
    for (const listener of process.listeners(signal)) {
      if (!trapped.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return srv;
}

/** A bunyan look-alike for ftp-srv: warnings and errors go to `hil:ftp`, the rest is lost. */
function quietBunyanLogger(): object {
  const ignore = (): void => undefined;
  const report = (level: string) => (...args: unknown[]): void => {
    const parts = args.map((arg) =>
      (arg instanceof Error ? arg.message : JSON.stringify(arg)));
    log('ftp-srv %s: %s', level, parts.join(' '));
  };
  const quiet = {
    trace: ignore, debug: ignore, info: ignore,
    warn: report('warn'), error: report('error'), fatal: report('fatal'),
    child: () => quiet,
  };
  return quiet;
}
