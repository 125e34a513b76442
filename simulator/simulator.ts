/**
 * The embedded simulator: the company FTP server and the back office of one
 * company, started together over one state folder. Devices are not part of it:
 * they reach it from outside, through FTP, as real tablets do.
 */
import { join } from 'node:path';
import { openBackOffice, type BackOffice } from './bo/index.ts';
import type { Company } from './company.ts';
import type { Mapping } from './exchange/index.ts';
import type { FtpProfile } from './ftp/client.ts';
import { startFtpServer, type StartedFtpServer } from './ftp/server.ts';
import { logger } from './log.ts';

/** Where the FTP server listens; see FtpServerOptions for the defaults. */
export interface SimulatorFtpOptions {
  host?: string;
  /** Default 2120; 0 picks a free port. */
  port?: number;
  passivePorts?: { min: number; max: number };
  passiveHost?: string;
}

export interface SimulatorOptions {
  /** The state folder: `ftp/roots/<company>` (the FTP tree), `ftp/transcripts`, `bo/`. */
  folder: string;
  company: Company;
  mapping: Mapping;
  ftp?: SimulatorFtpOptions;
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

/** Starts the FTP server for the company, then opens its back office on the same tree. */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const { folder, company, mapping } = options;
  const log = logger('hil:bo', company.name);
  const ftp = await startFtpServer({
    ...options.ftp,
    companies: [{ company: company.name, login: company.ftp.login, password: company.ftp.password }],
    rootsFolder: join(folder, 'ftp', 'roots'),
    transcriptsFolder: join(folder, 'ftp', 'transcripts'),
  });
  const ftpProfile: FtpProfile = {
    host: ftp.host,
    port: ftp.port,
    user: company.ftp.login,
    password: company.ftp.password,
  };
  let backOffice: BackOffice;
  try {
    const boFolder = join(folder, 'bo');
    backOffice = openBackOffice({ folder: boFolder, company, mapping, ftp: ftpProfile, clock: options.clock });
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
