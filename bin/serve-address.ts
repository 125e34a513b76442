/**
 * Where a running serve tells the other estock-hil commands how to reach it:
 * `<state>/serve.json`, written once its FTP server listens and removed when
 * it stops. `estock-hil bo` reads it to export and import through that server
 * rather than starting one of its own.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TlsMode } from '../simulator/ftp/server.ts';

/** The address file's name inside the state folder. */
export const SERVE_ADDRESS_NAME = 'serve.json';

/** How a process of this machine reaches the running serve. */
export interface ServeAddress {
  /** The serve's process id. */
  pid: number;
  /** The address to connect to from this machine: the loopback when serve listens on every interface. */
  host: string;
  port: number;
  tls: TlsMode;
  /** When serve wrote the file (ISO 8601, UTC). */
  startedAt: string;
  /** The Unix socket of its control channel (serve-control.ts): `<state>/serve.sock`. */
  control?: string;
}

/** Writes the address file of a serve listening on `host`:`port`. */
export function writeServeAddress(folder: string,
  listening: { host: string; port: number; tls: TlsMode; control?: string }): void {
  const host = ['0.0.0.0', '::'].includes(listening.host) ? '127.0.0.1' : listening.host;
  const address: ServeAddress = { pid: process.pid, host, port: listening.port, tls: listening.tls,
    startedAt: new Date().toISOString(), ...(listening.control !== undefined && { control: listening.control }) };
  writeFileSync(join(folder, SERVE_ADDRESS_NAME), `${JSON.stringify(address, null, 2)}\n`);
}

/** The address file of the state folder, or undefined when there is none (or it is being written). */
export function readServeAddress(folder: string): ServeAddress | undefined {
  try {
    const address = JSON.parse(readFileSync(join(folder, SERVE_ADDRESS_NAME), 'utf8')) as ServeAddress;
    return typeof address.port === 'number' && typeof address.host === 'string' ? address : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the address file; nothing happens when it is gone already. */
export function removeServeAddress(folder: string): void {
  rmSync(join(folder, SERVE_ADDRESS_NAME), { force: true });
}
