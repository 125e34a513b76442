/**
 * Checks the options of the FTP server and fills in the defaults, so that a
 * wrong setting fails at start with a message naming the option, not later
 * on the first client.
 */
import { ConfigError } from '../errors.ts';
import type { PassivePortRange } from './passive-ports.ts';
import type { CompanyAccount, FtpServerOptions } from './server.ts';

/** The port of the editor's FTP server in the guide. */
export const DEFAULT_FTP_PORT = 2120;
/** Default bind address: this machine only. */
export const DEFAULT_FTP_HOST = '127.0.0.1';
/** Default range of passive data ports. */
export const DEFAULT_PASSIVE_PORTS: Readonly<PassivePortRange> = { min: 50000, max: 50999 };

/** The addresses and ports to use, defaults filled in. */
export interface ListenSettings {
  host: string;
  port: number;
  passivePorts: PassivePortRange;
  passiveHost: string;
}

// Addresses a client cannot connect to, so they cannot go into a PASV reply.
const UNSPECIFIED_ADDRESSES = ['0.0.0.0', '::', ''];

/**
 * Validates the options and returns the listen settings. Throws ConfigError
 * naming the option at fault: TLS asked, port or passive range out of
 * bounds, no usable passive host, no account, a login or company twice.
 */
export function listenSettings(options: FtpServerOptions): ListenSettings {
  const host = options.host ?? DEFAULT_FTP_HOST;
  const port = options.port ?? DEFAULT_FTP_PORT;
  const passivePorts = options.passivePorts ?? DEFAULT_PASSIVE_PORTS;
  const passiveHost = options.passiveHost ?? host;
  const tlsMode: string = options.tls?.mode ?? 'off';

  if (tlsMode !== 'off') {
    throw new ConfigError(`FTP server: tls.mode "${tlsMode}": TLS is not available yet; ` +
      'use tls.mode "off"');
  }
  if (!isPort(port, 0)) {
    throw new ConfigError(`FTP server: port ${port} is not 0 to 65535 (0 takes a free port)`);
  }
  const { min, max } = passivePorts;
  if (!isPort(min, 1) || !isPort(max, 1) || min > max) {
    throw new ConfigError(`FTP server: passivePorts ${min}-${max} is not a range of ports ` +
      '1 to 65535 with min <= max');
  }
  if (UNSPECIFIED_ADDRESSES.includes(passiveHost)) {
    throw new ConfigError(`FTP server: passiveHost "${passiveHost}" cannot be given in PASV ` +
      'replies; set passiveHost to the address the clients reach this server on');
  }
  checkAccounts(options.companies);
  return { host, port, passivePorts, passiveHost };
}

function checkAccounts(companies: readonly CompanyAccount[]): void {
  if (companies.length === 0) {
    throw new ConfigError('FTP server: companies is empty; give at least one account');
  }
  const logins = new Set<string>();
  const names = new Set<string>();
  for (const { company, login, password } of companies) {
    if (login === '' || password === '') {
      throw new ConfigError(`FTP server: company "${company}" has an empty FTP login or password`);
    }
    if (logins.has(login)) throw new ConfigError(`FTP server: FTP login "${login}" is used twice`);
    if (names.has(company)) throw new ConfigError(`FTP server: company "${company}" is listed twice`);
    logins.add(login);
    names.add(company);
  }
}

function isPort(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min && value <= 65535;
}
