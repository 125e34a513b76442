/**
 * The embedded simulator: the company FTP server and the back office of one
 * company (startSimulator), or of several companies on one FTP server
 * (startCompaniesSimulator), started together over one state folder. Devices
 * are not part of it: they reach it from outside, through FTP, as real
 * tablets do.
 */
import { join } from 'node:path';
import { openBackOffice, type BackOffice } from './bo/index.ts';
import type { Company } from './company.ts';
import type { Mapping } from './exchange/index.ts';
import type { FtpProfile } from './ftp/client.ts';
import type { FaultSet, FaultSpec } from './ftp/faults/fault-schema.ts';
import type { ServerProfile } from './ftp/profiles/profile-schema.ts';
import { startFtpServer, type StartedFtpServer, type TlsOptions } from './ftp/server.ts';
import { importOnUpload, type ImportOnArrival } from './import-on-upload.ts';
import { logger } from './log.ts';

/** Where the FTP server listens; see FtpServerOptions for the defaults. */
export interface SimulatorFtpOptions {
  host?: string;
  /** Default 2120; 0 picks a free port. */
  port?: number;
  passivePorts?: { min: number; max: number };
  passiveHost?: string;
  /** Default `{ mode: 'off' }`. */
  tls?: TlsOptions;
  /** Faults in force from the start (docs/faults.md); none by default. */
  faults?: FaultSet;
  /** A customer server's behaviour to reproduce from the start; our own by default. */
  profile?: ServerProfile;
}

/** The FTP options of a one-company simulator: where it listens, and the host its FTP profile names. */
/**
 * The server options of faults, their seed and a profile, as the CLI and
 * scenarios give them: a fault set only when there are faults or a seed.
 */
export function faultServerOptions(given: { faults: readonly FaultSpec[]; seed?: number; profile?: ServerProfile }):
  Pick<SimulatorFtpOptions, 'faults' | 'profile'> {
  const { faults, seed, profile } = given;
  return {
    ...((faults.length > 0 || seed !== undefined) &&
      { faults: { faults: [...faults], ...(seed !== undefined && { seed }) } }),
    ...(profile !== undefined && { profile }),
  };
}

export interface OneCompanyFtpOptions extends SimulatorFtpOptions {
  /**
   * The host in the simulator's FTP profile, which devices are set to and the
   * back office uses, when it differs from `host` (a server on `0.0.0.0`
   * reached at the bench's LAN address); default `host` as the server has it.
   */
  advertisedHost?: string;
}

export interface SimulatorOptions {
  /** The state folder: `ftp/roots/<company>` (the FTP tree), `ftp/transcripts`, `bo/`. */
  folder: string;
  company: Company;
  mapping: Mapping;
  ftp?: OneCompanyFtpOptions;
  /** The BO's clock, for export dates; default the system clock. */
  clock?: () => Date;
}

/** A started simulator; `stop()` closes the FTP server and the BO database. */
export interface RunningSimulator {
  readonly folder: string;
  readonly company: Company;
  readonly mapping: Mapping;
  readonly ftp: StartedFtpServer;
  readonly backOffice: BackOffice;
  /** The login a device (or any FTP client) uses to reach this company's tree. */
  readonly ftpProfile: FtpProfile;
  stop(): Promise<void>;
}

/**
 * How long the back office of startSimulator watches a zip's size before
 * importing it, in milliseconds. Its scenarios run one step after the other,
 * and the device's send has checked its upload's size before the import step:
 * a short wait keeps the check in every run without adding the 1 s default
 * (meant for real tablets, as under `serve`) to each import.
 */
export const SCENARIO_SETTLE_MS = 50;

/** Starts the FTP server for the company, then opens its back office on the same tree. */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const { folder, company, mapping } = options;
  const log = logger('hil:bo', company.name);
  const { advertisedHost, ...listen } = options.ftp ?? {};
  const ftp = await startFtpServer({
    ...listen,
    companies: [{ company: company.name, login: company.ftp.login, password: company.ftp.password }],
    rootsFolder: join(folder, 'ftp', 'roots'),
    transcriptsFolder: join(folder, 'ftp', 'transcripts'),
  });
  const ftpProfile: FtpProfile = {
    host: advertisedHost ?? ftp.host,
    port: ftp.port,
    user: company.ftp.login,
    password: company.ftp.password,
    tls: ftp.tls.mode !== 'off',
  };
  let backOffice: BackOffice;
  try {
    const boFolder = join(folder, 'bo');
    backOffice = openBackOffice({ folder: boFolder, company, mapping, ftp: ftpProfile, clock: options.clock });
    backOffice.changeSettings({ settleMs: SCENARIO_SETTLE_MS });
  } catch (error) {
    await ftp.stop();
    throw error;
  }
  log('simulator started: FTP on %s, state in %s', ftp.url, folder);

  return {
    folder,
    company,
    mapping,
    ftp,
    backOffice,
    ftpProfile,
    async stop() {
      backOffice.close();
      await ftp.stop();
      log('simulator stopped');
    },
  };
}

/** One company of a simulator serving several. */
export interface SimulatorCompany {
  company: Company;
  /** Its root folder on disk; default `<folder>/ftp/roots/<company name>`. */
  root?: string;
  /** Its FTP login is refused, for its back office as for its devices. */
  disabled?: boolean;
  /** The catalog its back office is seeded with when the database holds none yet. */
  catalog: { size: 'small' | 'medium' | 'large'; seed: number };
}

/** How to start a simulator of several companies. */
export interface CompaniesSimulatorOptions {
  /**
   * The state folder, kept from one start to the next: `ftp/roots/<company>`,
   * `ftp/transcripts`, `ftp/tls` (the generated certificate), `bo/<company>/`
   * (each back office).
   */
  folder: string;
  companies: readonly SimulatorCompany[];
  mapping: Mapping;
  ftp?: SimulatorFtpOptions;
  /** Called with each import made on arrival of a movement upload; none when left out. */
  onImport?: (outcome: ImportOnArrival) => void;
  clock?: () => Date;
}

/** A company as a started simulator of several serves it. */
export interface RunningCompany {
  readonly company: Company;
  readonly disabled: boolean;
  /** Absolute root folder of its FTP tree. */
  readonly root: string;
  readonly backOffice: BackOffice;
  /** Whether the back office was seeded by this start (`seeded`) or kept its catalog (`kept`). */
  readonly catalog: 'seeded' | 'kept';
}

/** A started simulator of several companies; `stop()` stops it after the imports under way. */
export interface RunningCompaniesSimulator {
  readonly folder: string;
  readonly mapping: Mapping;
  /** The server the devices reach. */
  readonly ftp: StartedFtpServer;
  readonly companies: readonly RunningCompany[];
  stop(): Promise<void>;
}

/**
 * Starts one FTP server for every company, opens each company's back office
 * (seeding the catalog of a new one) and, with `onImport`, imports each
 * movement upload on arrival. Throws ConfigError for a bad option or a port
 * that cannot be bound, BackOfficeError for a database that cannot be opened.
 */
export async function startCompaniesSimulator(options: CompaniesSimulatorOptions): Promise<RunningCompaniesSimulator> {
  const { folder, companies, mapping } = options;
  const ftp = await startFtpServer({
    ...options.ftp,
    companies: companies.map(({ company, root, disabled }) => ({ ...accountOf(company), root, disabled })),
    rootsFolder: join(folder, 'ftp', 'roots'),
    transcriptsFolder: join(folder, 'ftp', 'transcripts'),
    stateFolder: join(folder, 'ftp'),
  });
  let backOffices: BackOffices | undefined;
  try {
    backOffices = openBackOffices(options, ftp);
  } catch (error) {
    await ftp.stop();
    throw error;
  }

  const { running, close } = backOffices;
  const byName = new Map(running.map(({ company, backOffice }) => [company.name, backOffice]));
  const importer = options.onImport && importOnUpload(ftp, mapping, byName, options.onImport);
  const log = logger('hil:bo');
  log('simulator of %d companies started: FTP on %s, state in %s', companies.length, ftp.url, folder);
  let stopping: Promise<void> | undefined;
  return {
    folder, mapping, ftp, companies: running,
    stop: () => stopping ??= (async () => {
      // The imports due run first, at most one per device: the back offices reach the inboxes through this
      // server. An upload that completes from now on starts none and stays in its inbox, for the next import.
      await importer?.stop();
      await ftp.stop();
      close();
      log('simulator of %d companies stopped', companies.length);
    })(),
  };
}

function accountOf(company: Company): { company: string; login: string; password: string } {
  return { company: company.name, login: company.ftp.login, password: company.ftp.password };
}

interface BackOffices {
  running: RunningCompany[];
  /** Closes every back office. */
  close(): void;
}

/**
 * Opens each company's back office in `<folder>/bo/<company>/`. They reach
 * the company trees through the same server as the devices, as the real back
 * office does, under TLS unless the server has it off.
 */
function openBackOffices(options: CompaniesSimulatorOptions, ftp: StartedFtpServer): BackOffices {
  const running: RunningCompany[] = [];
  const close = (): void => {
    for (const { backOffice } of running) backOffice.close();
  };
  // A server listening on every interface is reached on the loopback from this machine.
  const host = ['0.0.0.0', '::'].includes(ftp.host) ? '127.0.0.1' : ftp.host;

  try {
    for (const served of options.companies) {
      const { company } = served;
      const backOffice = openBackOffice({
        folder: join(options.folder, 'bo', company.name),
        company,
        mapping: options.mapping,
        ftp: {
          host, port: ftp.port, user: company.ftp.login, password: company.ftp.password,
          tls: ftp.tls.mode !== 'off',
        },
        clock: options.clock,
      });
      const catalog = backOffice.stock().length === 0 ? 'seeded' : 'kept';
      running.push({ company, disabled: served.disabled === true, root: ftp.companyRoot(company.name),
        backOffice, catalog });
      if (catalog === 'seeded') backOffice.seedCatalog(served.catalog);
    }
  } catch (error) {
    close();
    throw error;
  }
  return { running, close };
}
