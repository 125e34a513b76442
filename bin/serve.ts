/**
 * `estock-hil serve`: the simulator for real tablets and emulators at a QA
 * bench. One FTP server for the companies of a companies file, each with its
 * back office; at start every active device gets its export and the settings
 * to type in the app are printed; then each session is logged as it happens
 * and each movement upload is imported on arrival. SIGINT and SIGTERM stop it
 * cleanly. docs/serve.md is the user's guide.
 */
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { ExportReport } from '../simulator/bo/index.ts';
import {
  defaultCompanies, loadCompaniesFile, type CompaniesConfig, type ServedCompany,
} from '../simulator/companies-file.ts';
import type { EstockDevice } from '../simulator/company.ts';
import { ConfigError } from '../simulator/errors.ts';
import { loadMapping } from '../simulator/exchange/index.ts';
import {
  DEFAULT_FTP_HOST, DEFAULT_FTP_PORT, DEFAULT_PASSIVE_PORTS, type FtpServerEvents, type TlsMode,
} from '../simulator/ftp/server.ts';
import type { ImportOnArrival } from '../simulator/import-on-upload.ts';
import {
  startCompaniesSimulator, type RunningCompaniesSimulator, type RunningCompany,
} from '../simulator/simulator.ts';
import {
  lineWriter, type CompanyLine, type DeviceSettingsLine, type EventLine, type LineWriter, type Untimed,
} from './serve-lines.ts';

/** Where serve keeps its state unless told otherwise, from the current folder. */
export const DEFAULT_STATE_FOLDER = '.estock-hil/state';

const TLS_MODES: readonly TlsMode[] = ['off', 'optional', 'required'];
const UNSPECIFIED_HOSTS = ['0.0.0.0', '::'];

/** The options of serve, checked. */
export interface ServeOptions {
  host: string;
  port: number;
  passiveHost?: string;
  passivePorts: { min: number; max: number };
  tls: { mode: TlsMode; certFile?: string; keyFile?: string };
  companies: CompaniesConfig;
  state: string;
  json: boolean;
}

interface RawServeOptions {
  host: string;
  port: string;
  passiveHost?: string;
  passivePorts: string;
  tls: TlsMode;
  tlsCert?: string;
  tlsKey?: string;
  companies?: string;
  state: string;
  json?: boolean;
}

/** Adds the `serve` command to the program. */
export function registerServe(program: Command): void {
  const { min, max } = DEFAULT_PASSIVE_PORTS;
  program.command('serve')
    .description('serve the FTP server and back offices to real tablets and emulators at a QA bench')
    .option('--host <address>', 'address to listen on; 0.0.0.0 for every interface', DEFAULT_FTP_HOST)
    .option('--port <n>', 'FTP control port; 0 takes a free one', String(DEFAULT_FTP_PORT))
    .option('--passive-host <address>', 'address in PASV replies and in the settings printed: the bench\'s ' +
      'LAN address, or 10.0.2.2 for an Android emulator (default: --host)')
    .option('--passive-ports <min-max>', 'ports of passive data connections', `${min}-${max}`)
    .addOption(new Option('--tls <mode>', 'explicit FTP over TLS').choices(TLS_MODES).default('optional'))
    .option('--tls-cert <file>', 'PEM certificate (default: a self-signed one generated in the state folder)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--companies <file>', 'companies file, or a shipped one by name (bench); default the demo company')
    .option('--state <folder>', 'state kept from one start to the next', DEFAULT_STATE_FOLDER)
    .option('--json', 'print one JSON object per line: the settings of each device, then the events')
    .action(async (raw: RawServeOptions) => {
      await serveUntilSignal(serveOptions(raw));
    });
}

/** Checks the raw options. Throws ConfigError naming the option at fault. */
export function serveOptions(raw: RawServeOptions): ServeOptions {
  const port = Number(raw.port);
  if (!/^\d+$/.test(raw.port) || port > 65535) {
    throw new ConfigError(`--port: ${raw.port} is not a port number (0 to 65535; 0 takes a free one)`);
  }
  const range = /^(\d+)-(\d+)$/.exec(raw.passivePorts);
  if (range === null) throw new ConfigError(`--passive-ports: ${raw.passivePorts} is not min-max, e.g. 50000-50999`);
  if ((raw.tlsCert === undefined) !== (raw.tlsKey === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key go together: give both, or neither for a generated certificate');
  }
  if (UNSPECIFIED_HOSTS.includes(raw.host) && raw.passiveHost === undefined) {
    throw new ConfigError(`--host ${raw.host} needs --passive-host, the address devices reach this machine on: ` +
      `${lanAddresses().map(({ address }) => address).join(', ') || 'no LAN address found'}, ` +
      'or 10.0.2.2 for an Android emulator');
  }
  return {
    host: raw.host,
    port,
    ...(raw.passiveHost !== undefined && { passiveHost: raw.passiveHost }),
    passivePorts: { min: Number(range[1]), max: Number(range[2]) },
    tls: { mode: raw.tls, ...(raw.tlsCert !== undefined && { certFile: raw.tlsCert, keyFile: raw.tlsKey }) },
    companies: raw.companies === undefined ? defaultCompanies() : loadCompaniesFile(raw.companies),
    state: resolve(raw.state),
    json: raw.json === true,
  };
}

/** This machine's IPv4 addresses other than loopback, with their interface. */
export function lanAddresses(): { interface: string; address: string }[] {
  return Object.entries(networkInterfaces()).flatMap(([name, entries]) => (entries ?? [])
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => ({ interface: name, address: entry.address })));
}

async function serveUntilSignal(options: ServeOptions): Promise<void> {
  let signalled: (signal: string) => void = () => {};
  const stopAsked = new Promise<string>((done) => (signalled = done));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`estock-hil serve: ${signal} again while stopping: leaving at once\n`);
      process.exit(130);
    }
    stopping = true;
    signalled(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const output = lineWriter(options.json);
    const simulator = await startServing(options, output);
    const signal = await stopAsked;
    output.event({ event: 'stopping', signal });
    await simulator.stop();
    output.event({ event: 'stopped' });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Starts the simulator, exports to every device, prints the settings and logs the events. */
async function startServing(options: ServeOptions, output: LineWriter): Promise<RunningCompaniesSimulator> {
  const { companies: config } = options;
  const simulator = await startCompaniesSimulator({
    folder: options.state,
    companies: config.companies,
    mapping: loadMapping(config.mapping.format, config.mapping.version),
    ftp: {
      host: options.host, port: options.port, passivePorts: options.passivePorts, tls: options.tls,
      ...(options.passiveHost !== undefined && { passiveHost: options.passiveHost }),
    },
    onImport: (outcome) => output.event(importLine(outcome)),
  });
  forwardEvents(simulator, output);

  try {
    const host = options.passiveHost ?? simulator.ftp.host;
    const lines = await Promise.all(simulator.companies.map((company, index) =>
      exportAll(simulator, company, config.companies[index]!, host)));
    lines.flatMap(({ devices }) => devices).forEach((line) => output.device(line));
    output.ready({
      event: 'ready',
      ftp: {
        host: simulator.ftp.host, port: simulator.ftp.port, passiveHost: host,
        passivePorts: options.passivePorts, tls: simulator.ftp.tls,
      },
      state: options.state,
      companies: lines.map(({ company }) => company),
      lanAddresses: lanAddresses(),
    });
  } catch (error) {
    await simulator.stop();
    throw error;
  }
  return simulator;
}

const FORWARDED = [
  'session-start', 'login', 'login-refused', 'upload', 'upload-cut-short', 'download', 'download-cut-short',
  'session-end',
] as const satisfies readonly (keyof FtpServerEvents)[];

function forwardEvents(simulator: RunningCompaniesSimulator, output: LineWriter): void {
  for (const event of FORWARDED) {
    simulator.ftp.on(event, (payload) => output.event({ event, ...payload } as Untimed<EventLine>));
  }
}

function importLine(outcome: ImportOnArrival): Untimed<EventLine> {
  const { company, device, uploads, report, error } = outcome;
  if (report === undefined) {
    const code = (error as { code?: unknown } | undefined)?.code;
    return {
      event: 'import-failed', company, device, uploads,
      ...(typeof code === 'string' && { code }), error: error?.message ?? 'unknown error',
    };
  }
  const { zips, movementsImported, anomalies, ms } = report;
  return { event: 'import', company, device, uploads, zips, movementsImported, anomalies, ms };
}

/** Why the BO does not export to an eStock device, or undefined when it does. */
function skipReason(company: RunningCompany['company'], device: EstockDevice): string | undefined {
  const registered = company.registry.find((entry) => entry.deviceId === device.deviceId);
  if (registered?.blocked === true) return 'blocked in the device registry';
  if (device.blocked) return 'blocked in the eStock device list';
  if (!device.active) return 'not active in the eStock device list';
  return undefined;
}

function settingsLine(simulator: RunningCompaniesSimulator, running: RunningCompany, host: string,
  deviceId: string, report: ExportReport | undefined): DeviceSettingsLine {
  const { company } = running;
  return {
    event: 'device',
    company: company.name,
    device: deviceId,
    settings: {
      host, port: simulator.ftp.port, deviceId, user: company.ftp.login, password: company.ftp.password,
      tls: simulator.ftp.tls.mode,
    },
    authKey: company.registry.find((entry) => entry.deviceId === deviceId)!.authKey,
    loginDisabled: running.disabled,
    ...(report !== undefined && {
      export: {
        files: report.files.length, tables: report.tables, rows: report.rows,
        bytes: report.files.reduce((sum, file) => sum + file.bytes, 0), anomalies: report.anomalies,
      },
    }),
  };
}

/** Exports to each active, unblocked device of a company, one after the other. */
async function exportAll(simulator: RunningCompaniesSimulator, running: RunningCompany, served: ServedCompany,
  host: string): Promise<{ company: CompanyLine; devices: DeviceSettingsLine[] }> {
  const { company, backOffice } = running;
  const skipped = company.estock.flatMap((device) => {
    const reason = skipReason(company, device);
    return reason === undefined ? [] : [{ device: device.deviceId, reason }];
  });
  const exported = company.estock.filter((device) => skipReason(company, device) === undefined);
  const devices: DeviceSettingsLine[] = [];
  for (const { deviceId } of exported) {
    // A disabled login refuses the back office as it refuses the devices: nothing can be exported.
    const report = running.disabled ? undefined : await backOffice.exportForDevice(deviceId);
    devices.push(settingsLine(simulator, running, host, deviceId, report));
  }
  return {
    company: {
      company: company.name, login: company.ftp.login, disabled: running.disabled, root: running.root,
      database: backOffice.databaseFile, catalog: running.catalog, catalogSeed: served.catalog,
      movementsImported: backOffice.movements().length, devices: exported.map((device) => device.deviceId), skipped,
    },
    devices,
  };
}
