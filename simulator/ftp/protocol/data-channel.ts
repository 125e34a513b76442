/**
 * The passive data connection of one transfer (PASV or EPSV): a listener on
 * a port of the passive range that takes exactly one connection, from the
 * client's own address, optionally wrapped in TLS when the client asked for
 * PROT P. The TLS handshake is answered whenever the client starts it, before
 * or after the 150 reply: clients differ there (Apache Commons Net, ftplib and
 * lftp start it after 150).
 */
import type { Server, Socket } from 'node:net';
import type { CloseKind } from '../faults/fault-schema.ts';
import { listenOnPassivePort, type PassivePortRange } from '../passive-ports.ts';
import { serverTlsSocket, type SessionTls } from './tls-certificate.ts';

/** How long a passive listener waits for the client to connect, in milliseconds. */
export const DATA_CONNECT_TIMEOUT_MS = 30_000;

/** A data connection that carries nothing for this long is closed, and its transfer answered 426. */
export const DATA_IDLE_TIMEOUT_MS = 120_000;

/**
 * After a cut, how long the server reads and drops what the client still
 * sends before it closes the connection for good, in milliseconds.
 */
export const CUT_LINGER_MS = 2_000;

/**
 * How long the channel of a transfer answered without being carried out waits
 * for the client's data connection before closing (PassiveChannel.turnAway).
 */
export const TURN_AWAY_WAIT_MS = 1_000;

/** A data connection that failed to come; `reply` is the code to answer the transfer with. */
export class DataChannelError extends Error {
  constructor(readonly reply: number, message: string) {
    super(message);
  }
}

/** TLS for the data connection, when PROT P is in force: its session's. */
export type DataProtection = SessionTls;

/** What a passive channel needs from its session. */
export interface PassiveChannelOptions {
  host: string;
  range: PassivePortRange;
  /** The address of the control connection's client; a connection from anywhere else is refused. */
  clientAddress: string;
  connectTimeoutMs?: number;
}

/** A listening passive channel; the next transfer takes its connection. */
export class PassiveChannel {
  private socket: Socket | undefined;
  /** The connection the transfer uses: the TLS one over `socket` under PROT P. */
  private data: Socket | undefined;
  /** Once cut, the connection closes on its own (cut); close() leaves it be. */
  private isCut = false;
  private closed = false;
  private readonly waiters: ((socket: Socket | undefined) => void)[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, options: PassiveChannelOptions) {
    server.on('connection', (socket) => this.accept(socket, options.clientAddress));
    this.timer = setTimeout(() => this.close(), options.connectTimeoutMs ?? DATA_CONNECT_TIMEOUT_MS);
  }

  /** Listens on a free port of the range. Throws DataChannelError (425) when there is none. */
  static async open(options: PassiveChannelOptions): Promise<PassiveChannel> {
    try {
      return new PassiveChannel(await listenOnPassivePort(options.host, options.range), options);
    } catch (error) {
      throw new DataChannelError(425, `Cannot open a passive port: ${(error as Error).message}`);
    }
  }

  /** The port listened on. */
  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /**
   * The data connection, once the client has connected and, with `protection`,
   * finished its TLS handshake. Throws DataChannelError (425) when the client
   * does not connect in time, or the handshake fails.
   */
  async connection(protection: DataProtection | undefined): Promise<Socket> {
    const raw = this.socket ?? await new Promise<Socket | undefined>((done) => {
      if (this.closed) done(undefined);
      else this.waiters.push(done);
    });
    if (raw === undefined) throw new DataChannelError(425, 'Cannot open data connection: the client did not connect');
    let socket = raw;
    if (protection === undefined) raw.resume();
    else socket = await secure(raw, protection, this.sockets);
    this.data = socket;
    // A stalled network must not hold the transfer, and so the session, for ever.
    socket.setTimeout(DATA_IDLE_TIMEOUT_MS, () =>
      socket.destroy(new Error(`no data for ${DATA_IDLE_TIMEOUT_MS / 1000} s`)));
    return socket;
  }

  /**
   * Once an upload's data has ended (`socket` is the connection it came on):
   * returns why the client's side ended abnormally, or undefined when it closed
   * normally, and then ends our side too (with TLS, its close_notify, which
   * clients such as Python's ftplib wait for).
   */
  async endUpload(socket: Socket): Promise<string | undefined> {
    const reset = await this.resetReason();
    if (reset === undefined) await new Promise<void>((done) => socket.end(() => done()));
    return reset;
  }

  /**
   * libuv takes a hang-up that follows a short read for an end of file, without
   * reading the error behind it, so a connection reset right after its data
   * would pass for a complete upload. A write of zero bytes sends nothing on a
   * connection closed normally, and fails with the pending error (ECONNRESET)
   * on a reset one.
   */
  private async resetReason(): Promise<string | undefined> {
    const raw = this.socket;
    if (raw === undefined || raw.destroyed) return 'closed before its end';
    return new Promise((done) => {
      raw.write(Buffer.alloc(0), (error) => {
        const code = (error as NodeJS.ErrnoException | null | undefined)?.code;
        done(error ? `the client reset it (${code ?? error.message})` : undefined);
      });
    });
  }

  /**
   * Closes the data connection in the middle of its transfer, as a cut fault
   * asks: `clean` ends it (under TLS, close_notify then FIN; plain, FIN),
   * `abrupt` sends FIN without any close_notify (the same as clean without
   * TLS), `reset` sends RST. After a FIN what the client still sends is read
   * and dropped for up to CUT_LINGER_MS, so that the close stays a FIN and
   * does not turn into a reset. Resolves once the FIN or RST is sent.
   */
  async cut(kind: CloseKind): Promise<void> {
    const raw = this.socket;
    const data = this.data ?? raw;
    if (raw === undefined || data === undefined || raw.destroyed) return;
    data.setTimeout(0);
    this.isCut = true;
    if (kind === 'reset') {
      raw.resetAndDestroy();
      return;
    }
    const closed = new Promise<void>((done) => data.once('close', () => done()));
    await new Promise<void>((done) => (kind === 'clean' ? data : raw).end(() => done()));
    data.on('data', () => undefined);
    data.resume();
    const linger = setTimeout(() => {
      data.destroy();
      raw.destroy();
    }, CUT_LINGER_MS);
    void closed.then(() => clearTimeout(linger));
  }

  /**
   * Closes the channel of a transfer answered without being carried out (a
   * reply fault `instead`). The client has connected, or is about to, and
   * may have begun its TLS handshake: closing the listener or the connection
   * at once would reset it, and the client would see the reset rather than
   * the reply. So the connection is awaited for up to TURN_AWAY_WAIT_MS, then
   * ended with a FIN, what the client sends being read and dropped.
   */
  async turnAway(): Promise<void> {
    clearTimeout(this.timer);
    const raw = this.socket ?? await new Promise<Socket | undefined>((done) => {
      if (this.closed) return done(undefined);
      const timer = setTimeout(() => done(undefined), TURN_AWAY_WAIT_MS);
      this.waiters.push((socket) => {
        clearTimeout(timer);
        done(socket);
      });
    });
    if (raw !== undefined && !raw.destroyed) await this.cut('abrupt');
    this.close();
  }

  /** Closes the listener and, unless `keepConnection`, the data connection. */
  close(keepConnection = false): void {
    clearTimeout(this.timer);
    if (this.server.listening) this.server.close();
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(this.socket);
    if (!keepConnection && !this.isCut) for (const socket of this.sockets) socket.destroy();
  }

  /** Resolves once the listener and every socket of the channel have closed. */
  async closedAll(): Promise<void> {
    const pending = [...this.sockets].filter((socket) => !socket.closed)
      .map((socket) => new Promise<void>((done) => socket.once('close', () => done())));
    if (this.server.listening) pending.push(new Promise((done) => this.server.once('close', () => done())));
    await Promise.all(pending);
  }

  private accept(socket: Socket, clientAddress: string): void {
    const fromClient = plainAddress(socket.remoteAddress) === plainAddress(clientAddress);
    if (this.socket !== undefined || !fromClient) {
      socket.destroy();
      return;
    }
    this.socket = socket;
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    clearTimeout(this.timer);
    if (this.server.listening) this.server.close();
    for (const waiter of this.waiters.splice(0)) waiter(socket);
  }
}

function secure(raw: Socket, protection: DataProtection, sockets: Set<Socket>): Promise<Socket> {
  const socket = serverTlsSocket(raw, protection);
  sockets.add(socket);
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      socket.destroy();
      fail(new DataChannelError(425, 'Cannot open data connection: no TLS handshake from the client'));
    }, DATA_CONNECT_TIMEOUT_MS);
    socket.once('secure', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      // With TLS 1.3 the server's session tickets follow the handshake: data written and closed
      // in this same turn reaches Python's ssl before its handshake is done, and its close
      // (unwrap) fails with SHUTDOWN_WHILE_IN_INIT. One turn of the event loop lets them out first.
      setImmediate(() => done(socket));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      fail(new DataChannelError(425, `Cannot open data connection: TLS handshake failed: ${error.message}`));
    });
    raw.resume();
  });
}

/** `::ffff:127.0.0.1` (an IPv4 client on a dual-stack socket) is `127.0.0.1`. */
export function plainAddress(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/i, '');
}
