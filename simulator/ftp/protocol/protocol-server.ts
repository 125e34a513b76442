/**
 * The listening side of our FTP protocol layer: accepts control connections
 * and gives each its session, and stops them all. What a session may do is
 * decided by the handlers that `openSession` returns (server.ts).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ConfigError } from '../../errors.ts';
import { logger } from '../../log.ts';
import { plainAddress } from './data-channel.ts';
import { FtpSession, type SessionSettings } from './session.ts';
import type { SessionHandlers } from './session-handlers.ts';

/** How to start the protocol server. */
export interface ProtocolServerOptions extends SessionSettings {
  port: number;
  /** The handlers of a new session; a throw closes the connection at once. */
  openSession(remoteAddress: string): SessionHandlers;
}

/** A listening protocol server. */
export interface ProtocolServer {
  /** The port bound (the free one chosen when 0 was asked). */
  readonly port: number;
  /** Closes the listener and every session; resolves once all their sockets have closed. */
  close(): Promise<void>;
}

const log = logger('hil:ftp');

/** Listens on `host:port`. Throws ConfigError when the address cannot be bound. */
export async function startProtocolServer(options: ProtocolServerOptions): Promise<ProtocolServer> {
  const sessions = new Set<FtpSession>();
  const listener = createServer((socket) => {
    const session = openSession(socket, options, openFrom(sessions, socket.remoteAddress));
    if (session === undefined) return;
    sessions.add(session);
    socket.once('close', () => sessions.delete(session));
  });
  const port = await listen(listener, options);
  log('listening on %s:%d, passive ports %d-%d, TLS %s', options.host, port,
    options.passivePorts.min, options.passivePorts.max, options.tlsMode);

  const close = async (): Promise<void> => {
    const listenerClosed = new Promise<void>((done) => listener.close(() => done()));
    await Promise.all([...sessions].map((session) => session.destroy()));
    await listenerClosed;
    log('stopped listening on %s:%d', options.host, port);
  };
  let closing: Promise<void> | undefined;
  return { port, close: () => (closing ??= close()) };
}

/** How many sessions from `address` are open, those refused by a server profile's limit aside. */
function openFrom(sessions: ReadonlySet<FtpSession>, address: string | undefined): number {
  let count = 0;
  for (const session of sessions) {
    if (!session.wasRefused && plainAddress(session.clientAddress) === plainAddress(address)) count += 1;
  }
  return count;
}

function openSession(socket: Socket, options: ProtocolServerOptions, openFromAddress: number)
  : FtpSession | undefined {
  socket.on('error', () => undefined);
  try {
    return new FtpSession(socket, options, options.openSession(socket.remoteAddress ?? '?'), openFromAddress);
  } catch (error) {
    log('cannot open a session: %s', (error as Error).message);
    socket.destroy();
    return undefined;
  }
}

function listen(listener: Server, options: ProtocolServerOptions): Promise<number> {
  return new Promise((done, fail) => {
    listener.once('error', (error) => fail(new ConfigError(`FTP server: cannot listen on ` +
      `${options.host}:${options.port}: ${error.message}; choose another port (0 takes any free port) ` +
      'or an address of this machine', { cause: error })));
    listener.listen({ host: options.host, port: options.port }, () => {
      const address = listener.address();
      done(typeof address === 'object' && address !== null ? address.port : options.port);
    });
  });
}
