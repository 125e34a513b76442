/**
 * Checks the options of the FTP server and fills in the defaults, so that a
 * wrong setting fails at start with a message naming the option, not later
 * on the first client.
 */
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { ConfigError } from '../errors.ts';
import type { PassivePortRange } from './passive-ports.ts';
import type { CompanyAccount, FtpServerOptions } from './server.ts';

/** The port of the editor's FTP server in the guide. */
export const DEFAULT_FTP_PORT = 2120;
/** Default bind address: this machine only. */
export const DEFAULT_FTP_HOST = '127.0.0.1';
/** Default range of passive data ports. */
export const DEFAULT_PASSIVE_PORTS: Readonly<PassivePortRange> = { min: 50000, max: 50999 };

/** A session without any command for this long is closed (421): 15 minutes. */
export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60 * 1000;

/** The address a stock Android emulator reaches its host's loopback on. */
export const EMULATOR_HOST_ADDRESS = '10.0.2.2';

/** The addresses and ports to use, defaults filled in. */
export interface ListenSettings {
  host: string;
  port: number;
  passivePorts: PassivePortRange;
  passiveHost: string;
  idleTimeoutMs: number;
}

/**
 * How error messages name the address and port options: a caller whose user
 * gave them under other names (a command's flags) passes its own.
 */
export interface ListenOptionNames {
  host: string;
  port: string;
  passiveHost: string;
  passivePorts: string;
}

/** The options' own keys, as FtpServerOptions has them. */
export const LISTEN_OPTION_KEYS: Readonly<ListenOptionNames> = {
  host: 'host', port: 'port', passiveHost: 'passiveHost', passivePorts: 'passivePorts',
};

/** The options checkListenOptions checks. */
export type ListenOptions =
  Pick<FtpServerOptions, 'host' | 'port' | 'passiveHost' | 'passivePorts'>;

const TLS_MODES = ['off', 'optional', 'required'];
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
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;

  if (!TLS_MODES.includes(tlsMode)) {
    throw new ConfigError(`FTP server: tls.mode "${tlsMode}" is not one of ${TLS_MODES.join(', ')}`);
  }
  if (!Number.isInteger(idleTimeoutMs) || idleTimeoutMs <= 0) {
    throw new ConfigError(`FTP server: idleTimeoutMs ${idleTimeoutMs} is not a positive number of milliseconds`);
  }
  checkListenOptions(options);
  checkAccounts(options.companies);
  return { host, port, passivePorts, passiveHost, idleTimeoutMs };
}

/**
 * Checks where the server is to listen: the port, the passive range and the
 * passive host, defaults filled in as listenSettings does. Throws ConfigError
 * naming the option at fault as `names` call it (default their keys); a
 * passive host left to default to `host` is named as `host`.
 */
export function checkListenOptions(options: ListenOptions,
  names: Readonly<ListenOptionNames> = LISTEN_OPTION_KEYS): void {
  const host = options.host ?? DEFAULT_FTP_HOST;
  const port = options.port ?? DEFAULT_FTP_PORT;
  const { min, max } = options.passivePorts ?? DEFAULT_PASSIVE_PORTS;
  if (!isPort(port, 0)) {
    throw new ConfigError(`FTP server: ${names.port} ${port} is not 0 to 65535 ` +
      '(0 takes a free port)');
  }
  if (!isPort(min, 1) || !isPort(max, 1) || min > max) {
    throw new ConfigError(`FTP server: ${names.passivePorts} ${min}-${max} is not a range ` +
      'of ports 1 to 65535 with min <= max');
  }

  const passive = options.passiveHost === undefined
    ? { address: host, name: names.host }
    : { address: options.passiveHost, name: names.passiveHost };
  if (UNSPECIFIED_ADDRESSES.includes(passive.address)) {
    throw new ConfigError(`FTP server: ${passive.name} "${passive.address}" cannot be given ` +
      `in PASV replies; set ${names.passiveHost} to the address the clients reach this server on`);
  }
  checkPassiveHost(host, passive, names);
}

/**
 * The passive address goes into every PASV reply: a client connects to it
 * for each transfer, so it must lead to this server's passive listeners
 * (bound to `host`). That holds for an address of this machine that `host`
 * covers, and for 10.0.2.2, which a stock Android emulator maps to its host's
 * loopback. Anything else would make every transfer fail, so the server
 * refuses to start.
 */
function checkPassiveHost(host: string, passive: { address: string; name: string },
  names: Readonly<ListenOptionNames>): void {
  const { address: passiveHost, name } = passive;
  if (isIP(passiveHost) === 0) {
    throw new ConfigError(`FTP server: ${name} "${passiveHost}" is not an IP address; ` +
      'PASV replies carry an address, not a host name');
  }
  const hostIsUnspecified = UNSPECIFIED_ADDRESSES.includes(host);
  if (passiveHost === EMULATOR_HOST_ADDRESS) {
    if (hostIsUnspecified || isLoopback(host) || passiveHost === host) return;
    throw new ConfigError(`FTP server: ${name} ${passiveHost} is how an Android emulator ` +
      `reaches its host's loopback, but the server listens on ${host} (${names.host}); ` +
      'listen on 127.0.0.1 or 0.0.0.0');
  }
  if (!isAddressOfThisMachine(passiveHost)) {
    throw new ConfigError(`FTP server: ${name} ${passiveHost} is not an address of this ` +
      `machine (${localAddresses().join(', ')}); clients could not reach the passive ports there`);
  }
  if (!hostIsUnspecified && host !== passiveHost) {
    throw new ConfigError(`FTP server: ${name} ${passiveHost} differs from the listening ` +
      `address ${host} (${names.host}): the passive ports listen on ${host} only; ` +
      `set ${names.host} to ${passiveHost} or to 0.0.0.0`);
  }
}

function isAddressOfThisMachine(address: string): boolean {
  // Linux routes all of 127.0.0.0/8 to its loopback interface, which lists 127.0.0.1 only.
  const linuxLoopback = process.platform === 'linux' && address.startsWith('127.');
  return linuxLoopback || localAddresses().includes(address);
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
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
