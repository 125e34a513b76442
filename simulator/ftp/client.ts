/**
 * The FTP client side of the simulator: how the back office and the virtual
 * device reach the company FTP server, as the real ones do, over sockets.
 * A thin layer over basic-ftp that adds the connection profile, the wire log
 * and errors of our family.
 */
import { Writable } from 'node:stream';
import { Client, FTPError } from 'basic-ftp';
import { FtpError } from '../errors.ts';
import { logger } from '../log.ts';

/** Where and how to log in: an FTP profile of the BO, or the settings of a device. */
export interface FtpProfile {
  host: string;
  port: number;
  user: string;
  password: string;
  /**
   * Explicit FTP over TLS (AUTH TLS, PROT P): `true` or `'required'` insist
   * on it, `'optional'` uses it when the server offers it and plain FTP when
   * the server refuses AUTH TLS, `false` or `'off'` (the default) never. The
   * server's certificate is not checked: the simulator's server shows a
   * self-signed one, as a bench server usually does.
   */
  tls?: boolean | 'off' | 'optional' | 'required';
  /**
   * Where passive data connections go: `control-host` (the default) to the
   * control connection's host whatever PASV says, `as-given` to the PASV
   * reply's address. EPSV, tried first, gives no address.
   */
  passiveAddress?: 'control-host' | 'as-given';
  /**
   * A name to send with `CLNT` right after the greeting, before TLS and the
   * login; none by default, as the real app sends none. The back office sends
   * BACK_OFFICE_CLIENT_NAME (client-name.ts) so that the faults meant for the
   * devices spare it. A server that refuses CLNT is logged in to all the same.
   */
  clientName?: string;
}

/** The replies of a server that does not offer TLS to AUTH TLS: not understood, not implemented. */
const NO_TLS_REPLIES = new Set([500, 502, 504, 534]);

/**
 * Connects and logs in as basic-ftp's `access()` does, step by step so that
 * CLNT goes between the greeting and AUTH TLS. The host goes with the TLS
 * options so that data connections can resume the control connection's TLS
 * session, which servers such as vsftpd insist on.
 */
async function access(client: Client, profile: FtpProfile, secure: boolean): Promise<void> {
  await client.connect(profile.host, profile.port);
  if (profile.clientName !== undefined) await nameClient(client, profile.clientName);
  if (secure) await client.useTLS({ rejectUnauthorized: false, host: profile.host });
  // Before the login too, for a login that is not ASCII; useDefaultSettings asks again after it.
  await client.sendIgnoringError('OPTS UTF8 ON');
  await client.login(profile.user, profile.password);
  await client.useDefaultSettings();
}

/** Sends CLNT; a server that does not know it (`500 'CLNT': command not understood`) is no reason to stop. */
async function nameClient(client: Client, name: string): Promise<void> {
  const reply = await client.sendIgnoringError(`CLNT ${name}`);
  if (reply.code >= 400) client.ftp.log(`CLNT refused with ${reply.code}: going on without a client name`);
}

async function logIn(client: Client, profile: FtpProfile): Promise<void> {
  if (profile.tls !== 'optional') {
    await access(client, profile, profile.tls === true || profile.tls === 'required');
    return;
  }
  try {
    await access(client, profile, true);
  } catch (error) {
    if (!(error instanceof FTPError && NO_TLS_REPLIES.has(error.code))) throw error;
    await access(client, profile, false);
  }
}

/** How long a connection may wait for the server before giving up, in milliseconds. */
export const FTP_CLIENT_TIMEOUT_MS = 15_000;

/**
 * Opens a logged-in FTP session, runs `work` with it and closes it, whatever
 * happens. Failures become FtpError with the server's reply code, naming the
 * server and what `who` was doing.
 */
export async function withFtpSession<T>(
  profile: FtpProfile,
  who: string,
  work: (client: Client) => Promise<T>,
  timeoutMs = FTP_CLIENT_TIMEOUT_MS,
): Promise<T> {
  const wire = logger('hil:ftp:wire', who);
  const client = new Client(timeoutMs, { allowSeparateTransferHost: profile.passiveAddress === 'as-given' });
  client.ftp.log = (message) => wire(message.replace(/^(> PASS) .*/, '$1 ****'));
  client.ftp.verbose = true;
  try {
    await logIn(client, profile);
    return await work(client);
  } catch (error) {
    const context = `${who}: FTP with ${profile.user}@${profile.host}:${profile.port}`;
    throw asFtpError(explainTimeout(error, timeoutMs), context);
  } finally {
    client.close();
  }
}

/** basic-ftp's words for a connection silent too long: `Timeout (control socket)`, `Timeout (data socket)`. */
const BASIC_FTP_TIMEOUT = /^Timeout \((control|data) socket\)$/;

/** A timeout of basic-ftp said with what was awaited and for how long; any other error as it is. */
function explainTimeout(error: unknown, timeoutMs: number): unknown {
  const which = error instanceof Error ? BASIC_FTP_TIMEOUT.exec(error.message)?.[1] : undefined;
  if (which === undefined) return error;
  return new Error(`Timeout: nothing from the server on the ${which} connection for ${timeoutMs} ms`,
    { cause: error });
}

/** Wraps any failure of an FTP exchange as an FtpError that carries the reply code, if any. */
export function asFtpError(error: unknown, context: string): FtpError {
  if (error instanceof FtpError) return error;
  if (error instanceof FTPError) {
    // basic-ftp's message is the whole reply, code included: `550 /Entrant/...: No such file or folder`.
    const reply = error.message.startsWith(String(error.code)) ? error.message : `${error.code} ${error.message}`;
    return new FtpError(`${context} failed: the server replied ${reply}`, error.code, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new FtpError(`${context} failed: ${message}`, undefined, { cause: error });
}

/** Downloads `path` into memory. Failures are basic-ftp's, as for any command of the client. */
export async function downloadBytes(client: Client, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      chunks.push(chunk);
      done();
    },
  });
  await client.downloadTo(sink, path);
  return Buffer.concat(chunks);
}
