/**
 * Control connections a scenario holds open on its FTP server, idle, as other
 * tablets or a forgotten client behind the same address would: what a
 * server's per-address connection limit counts. They stay open until
 * `ftp.release` or the end of the scenario.
 */
import { Client, FTPError } from 'basic-ftp';
import { FtpError } from '../../simulator/errors.ts';
import type { FtpProfile } from '../../simulator/ftp/client.ts';
import { logger } from '../../simulator/log.ts';

/** How long one connection may take to be greeted (and logged in), in milliseconds. */
export const OCCUPY_TIMEOUT_MS = 10_000;

/** Where to connect, and whether to log in and how. */
export interface OccupyRequest {
  profile: FtpProfile;
  connections: number;
  login: boolean;
}

/** The connections held for a scenario. */
export class OccupiedConnections {
  private readonly clients: Client[] = [];
  private readonly log = logger('hil:scenario', 'ftp.occupy');

  /** How many are open now. */
  get count(): number {
    return this.clients.filter((client) => !client.closed).length;
  }

  /**
   * Opens the connections one after the other. Throws FtpError with the
   * server's reply code when one is not greeted with 220 (or its login is
   * refused); those opened before it stay open.
   */
  async open(request: OccupyRequest): Promise<void> {
    const { profile } = request;
    for (let index = 1; index <= request.connections; index += 1) {
      const client = new Client(OCCUPY_TIMEOUT_MS);
      try {
        await client.connect(profile.host, profile.port);
        if (request.login) {
          if (profile.tls === true || profile.tls === 'required') {
            await client.useTLS({ rejectUnauthorized: false, host: profile.host });
          }
          await client.login(profile.user, profile.password);
        }
      } catch (error) {
        client.close();
        const code = error instanceof FTPError ? error.code : undefined;
        throw new FtpError(`ftp.occupy: connection ${index} of ${request.connections} to ` +
          `${profile.host}:${profile.port} was refused: ${(error as Error).message}`, code, { cause: error });
      }
      this.clients.push(client);
    }
    this.log('%d control connections open (%s)', this.count, request.login ? 'logged in' : 'not logged in');
  }

  /** Closes every connection; returns how many were open. */
  release(): number {
    const open = this.count;
    for (const client of this.clients.splice(0)) client.close();
    if (open > 0) this.log('released %d control connections', open);
    return open;
  }
}
