/**
 * How `estock-hil bo` reaches a company's back office: the state folder it
 * shares with serve (`<state>/bo/<company>/bo.sqlite`, FTP roots
 * `<state>/ftp/roots/<company>`), the company picked from a companies file,
 * and the FTP server its exports and imports go through: the running serve's
 * when serve holds the state folder, else one the command starts on a free
 * port of 127.0.0.1 for its own duration.
 */
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { openBackOffice, type BackOffice } from '../simulator/bo/index.ts';
import {
  defaultCompanies, loadCompaniesFile, type CompaniesConfig, type ServedCompany,
} from '../simulator/companies-file.ts';
import { ConfigError, HilError } from '../simulator/errors.ts';
import { loadMapping } from '../simulator/exchange/index.ts';
import { makeFolders } from '../simulator/folders.ts';
import type { FtpProfile } from '../simulator/ftp/client.ts';
import { startFtpServer, type StartedFtpServer } from '../simulator/ftp/server.ts';
import { readServeAddress, type ServeAddress } from './serve-address.ts';
import { stateFolderIsServed } from './serve-lock.ts';

/** How long a command waits for a serve that holds the state folder to write its address (ms). */
const SERVE_ADDRESS_WAIT_MS = 10_000;
/** How long a command waits for the running serve to accept a connection (ms). */
const SERVE_CONNECT_TIMEOUT_MS = 3000;

/** The options every bo command takes, as typed. */
export interface RawTarget {
  state: string;
  companies?: string;
  company?: string;
}

/** The back office a command acts on. */
export interface BoTarget {
  /** The state folder, absolute. */
  state: string;
  companies: CompaniesConfig;
  company: ServedCompany;
}

/** The FTP server a command's exports and imports go through. */
export interface BoFtp {
  /** `serve`: the running serve's; `own`: started by this command, stopped when it ends. */
  via: 'serve' | 'own';
  host: string;
  port: number;
}

/** A back office opened for one command; `close()` closes it, and stops the command's own server. */
export interface OpenedBackOffice {
  readonly target: BoTarget;
  readonly backOffice: BackOffice;
  /** Undefined when the command needs no FTP and no serve runs. */
  readonly ftp: BoFtp | undefined;
  /** `seeded` when this command seeded a new back office's catalog, else `kept`. */
  readonly catalog: 'seeded' | 'kept';
  close(): Promise<void>;
}

/**
 * Reads `--state`, `--companies` and `--company`. The company is named by
 * its name or FTP login; it may be left out when the companies file serves
 * one. Throws ConfigError naming the flag at fault.
 */
export function boTarget(raw: RawTarget): BoTarget {
  const companies = raw.companies === undefined ? defaultCompanies() : loadCompaniesFile(raw.companies);
  const names = companies.companies.map(({ company }) => company.name);
  let company: ServedCompany | undefined;
  if (raw.company === undefined) {
    if (companies.companies.length > 1) {
      throw new ConfigError(`--company: the companies file serves ${names.join(', ')}; name one`);
    }
    company = companies.companies[0];
  } else {
    const wanted = raw.company.toLowerCase();
    company = companies.companies.find(({ company: { name, ftp } }) =>
      name.toLowerCase() === wanted || ftp.login.toLowerCase() === wanted);
  }
  if (company === undefined) {
    throw new ConfigError(`--company: no company ${raw.company} in ${companies.file ?? 'the default companies'}; ` +
      `the companies are ${names.join(', ')}`);
  }
  return { state: resolve(raw.state), companies, company };
}

/**
 * Opens the target's back office. With a serve holding the state folder,
 * the back office's `estock-hil` profile names that serve (checked to answer
 * when `needsFtp`). Without one, `needsFtp` starts the simulator's FTP server
 * on a free port of 127.0.0.1, plain FTP, for the companies of the companies
 * file, until `close()`; otherwise the stored profile is kept. A new back
 * office is seeded with the companies file's catalog unless `seedNew` is false.
 * Throws ConfigError naming the state folder when it cannot be made.
 */
export async function openForCommand(target: BoTarget, needs: { ftp: boolean; seedNew?: boolean }):
  Promise<OpenedBackOffice> {
  try {
    makeFolders(target.state);
  } catch (error) {
    throw new ConfigError(`--state: cannot make the state folder ${target.state}: ${(error as Error).message}`,
      { cause: error });
  }
  const served = await stateFolderIsServed(target.state) ? await serveAddress(target.state) : undefined;
  if (served !== undefined && needs.ftp) await checkAnswers(target.state, served);
  const own = served === undefined && needs.ftp ? await startOwnServer(target) : undefined;

  const { company, catalog } = target.company;
  const address = served ?? (own && { host: own.host, port: own.port, tls: own.tls.mode });
  const profile: FtpProfile | undefined = address && {
    host: address.host, port: address.port, user: company.ftp.login, password: company.ftp.password,
    tls: address.tls !== 'off',
  };
  let backOffice: BackOffice;
  try {
    const { format, version } = target.companies.mapping;
    backOffice = openBackOffice({ folder: join(target.state, 'bo', company.name), company,
      mapping: loadMapping(format, version), ...(profile !== undefined && { ftp: profile }) });
  } catch (error) {
    await own?.stop();
    throw error;
  }
  const seeded = needs.seedNew !== false && backOffice.stock().length === 0;
  if (seeded) backOffice.seedCatalog(catalog);

  return {
    target, backOffice, catalog: seeded ? 'seeded' : 'kept',
    ftp: address && { via: served === undefined ? 'own' : 'serve', host: address.host, port: address.port },
    async close() {
      backOffice.close();
      await own?.stop();
    },
  };
}

/** The address of the serve holding the state folder, once it has written it. */
async function serveAddress(state: string): Promise<ServeAddress> {
  const started = Date.now();
  for (;;) {
    const address = readServeAddress(state);
    if (address !== undefined) return address;
    if (Date.now() - started > SERVE_ADDRESS_WAIT_MS) {
      throw new HilError('SERVE_UNREACHABLE', `an estock-hil serve holds the state folder ${state} but has ` +
        `written no address in it within ${SERVE_ADDRESS_WAIT_MS / 1000} s; wait for it to be ready, or stop it`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

/**
 * Fails with HilError `SERVE_UNREACHABLE` when the serve of the address file
 * does not accept a connection within SERVE_CONNECT_TIMEOUT_MS. Its control
 * channel is asked when it has one, so that the check opens no FTP session
 * (which serve would print and keep a transcript of); its FTP port otherwise.
 */
export async function checkAnswers(state: string, address: ServeAddress): Promise<void> {
  const where = address.control ?? `${address.host}:${address.port}`;
  await new Promise<void>((done, fail) => {
    const socket = address.control === undefined
      ? connect({ host: address.host, port: address.port, timeout: SERVE_CONNECT_TIMEOUT_MS })
      : connect({ path: address.control, timeout: SERVE_CONNECT_TIMEOUT_MS });
    const refuse = (why: string) => {
      socket.destroy();
      fail(new HilError('SERVE_UNREACHABLE', `the estock-hil serve of the state folder ${state} (pid ` +
        `${address.pid}) does not answer on ${where}: ${why}; is it still running?`));
    };
    socket.once('connect', () => (socket.destroy(), done()));
    socket.once('timeout', () => refuse(`no answer within ${SERVE_CONNECT_TIMEOUT_MS} ms`));
    socket.once('error', (error) => refuse(error.message));
  });
}

/** The simulator's FTP server for the companies of the companies file, on the state folder. */
function startOwnServer(target: BoTarget): Promise<StartedFtpServer> {
  const ftp = join(target.state, 'ftp');
  return startFtpServer({
    host: '127.0.0.1', port: 0, tls: { mode: 'off' },
    companies: target.companies.companies.map(({ company, root, disabled }) => ({
      company: company.name, login: company.ftp.login, password: company.ftp.password, root, disabled,
    })),
    rootsFolder: join(ftp, 'roots'), transcriptsFolder: join(ftp, 'transcripts'), stateFolder: ftp,
  });
}
