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
import { defaultCompanies, loadCompaniesFile, type CompaniesConfig } from '../simulator/companies-file.ts';
import { ConfigError } from '../simulator/errors.ts';
import { loadMapping } from '../simulator/exchange/index.ts';
import { checkListenOptions, type ListenOptionNames } from '../simulator/ftp/server-options.ts';
import {
  DEFAULT_FTP_HOST, DEFAULT_FTP_PORT, DEFAULT_PASSIVE_PORTS, type FtpServerEvents, type StartedFtpServer,
  type TlsMode,
} from '../simulator/ftp/server.ts';
import type { ImportOnArrival } from '../simulator/import-on-upload.ts';
import {
  faultServerOptions, startCompaniesSimulator, type RunningCompaniesSimulator,
} from '../simulator/simulator.ts';
import { addFaultOptions, readFaultOptions, type FaultOptions, type RawFaultOptions } from './fault-options.ts';
import { removeServeAddress, writeServeAddress } from './serve-address.ts';
import {
  controlSocketPath, startControl, type ControlRequest, type ControlState, type StartedControl,
} from './serve-control.ts';
import { exportAtStart } from './serve-exports.ts';
import { lineWriter, type EventLine, type LineWriter, type Untimed } from './serve-lines.ts';
import { lockStateFolder } from './serve-lock.ts';

/** Where serve keeps its state unless told otherwise, from the current folder. */
export const DEFAULT_STATE_FOLDER = '.estock-hil/state';

const TLS_MODES: readonly TlsMode[] = ['off', 'optional', 'required'];
const UNSPECIFIED_HOSTS = ['0.0.0.0', '::'];
// The FTP server's checks name the options as the user typed them.
const FLAGS: ListenOptionNames = {
  host: '--host', port: '--port', passiveHost: '--passive-host', passivePorts: '--passive-ports',
};
/**
 * How long serve waits, once the exports are done, for the back offices'
 * sessions to end (their client has closed; the server hears it a moment
 * later), so that they are printed before the settings.
 */
const EXPORT_SESSIONS_END_MS = 2000;

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
  /** Faults and profile from the start (--fault, --faults, --seed, --ftp-profile). */
  faults: FaultOptions;
}

interface RawServeOptions extends RawFaultOptions {
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
  const serve = program.command('serve')
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
    .option('--json', 'print one JSON object per line: the settings of each device, then the events');
  addFaultOptions(serve)
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
  const passivePorts = { min: Number(range[1]), max: Number(range[2]) };
  const passiveHost = raw.passiveHost === undefined ? {} : { passiveHost: raw.passiveHost };
  checkListenOptions({ host: raw.host, port, passivePorts, ...passiveHost }, FLAGS);
  return {
    host: raw.host,
    port,
    ...passiveHost,
    passivePorts,
    tls: { mode: raw.tls, ...(raw.tlsCert !== undefined && { certFile: raw.tlsCert, keyFile: raw.tlsKey }) },
    companies: raw.companies === undefined ? defaultCompanies() : loadCompaniesFile(raw.companies),
    state: resolve(raw.state),
    json: raw.json === true,
    faults: readFaultOptions(raw),
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
    const lock = await lockStateFolder(options.state, (error) => process.stderr.write(
      `estock-hil serve: lost the lock on the state folder ${options.state}: ${error.message}; ` +
      'another serve may be using it now\n'));
    try {
      const output = lineWriter(options.json);
      const served = await startServing(options, output);
      const signal = await stopAsked;
      output.event({ event: 'stopping', signal });
      await served.stop();
      output.event({ event: 'stopped' });
    } finally {
      removeServeAddress(options.state);
      await lock.release();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Starts the simulator and its control channel, exports to every device,
 * prints the settings and logs the events; `stop()` stops them.
 */
async function startServing(options: ServeOptions, output: LineWriter): Promise<{ stop(): Promise<void> }> {
  const { companies: config } = options;
  const simulator = await startCompaniesSimulator({
    folder: options.state,
    companies: config.companies,
    mapping: loadMapping(config.mapping.format, config.mapping.version),
    ftp: {
      host: options.host, port: options.port, passivePorts: options.passivePorts, tls: options.tls,
      ...(options.passiveHost !== undefined && { passiveHost: options.passiveHost }),
      ...faultServerOptions(options.faults),
    },
    onImport: (outcome) => output.event(importLine(outcome)),
  });
  forwardEvents(simulator, output);
  const sessions = openSessions(simulator.ftp);
  let control: StartedControl;
  try {
    control = await startControl(controlSocketPath(options.state), {
      faults: simulator.ftp.faults, profile: simulator.ftp.profile,
      onChange: (request, state) => output.event(controlChangeLine(request, state)),
    });
  } catch (error) {
    await simulator.stop();
    throw new ConfigError(`cannot open the control socket of serve in ${options.state}: ` +
      `${(error as Error).message}`, { cause: error });
  }
  // `estock-hil bo` goes through this server while it runs, rather than starting its own; `faults`, its socket.
  writeServeAddress(options.state, { host: simulator.ftp.host, port: simulator.ftp.port,
    tls: simulator.ftp.tls.mode, control: control.socket });
  const stop = async (): Promise<void> => {
    await control.close();
    await simulator.stop();
  };

  try {
    const host = options.passiveHost ?? simulator.ftp.host;
    const lines = await Promise.all(simulator.companies.map((company, index) =>
      exportAtStart(simulator, company, config.companies[index]!, host)));
    await sessions.ended(EXPORT_SESSIONS_END_MS);
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
      faults: { ...simulator.ftp.faults.current(), profile: simulator.ftp.profile.current()?.name ?? null,
        control: control.socket },
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/** What serve prints of a change made through its control socket. */
function controlChangeLine(request: Exclude<ControlRequest, { op: 'show' }>, state: ControlState):
  Untimed<EventLine> {
  if (request.op === 'profile') {
    const { profile } = state;
    return { event: 'profile', profile: profile?.name ?? null,
      ...(profile !== null && { description: profile.description }) };
  }
  return { event: 'faults', change: request.op, seed: state.seed, faults: state.faults };
}

const FORWARDED = [
  'session-start', 'login', 'login-refused', 'upload', 'upload-cut-short', 'download', 'download-cut-short',
  'session-end',
] as const satisfies readonly (keyof FtpServerEvents)[];

/** The faults that shape every command of a session rather than firing once. */
const CONTINUOUS_KINDS: ReadonlySet<string> = new Set(['latency', 'bandwidth']);

function forwardEvents(simulator: RunningCompaniesSimulator, output: LineWriter): void {
  for (const event of FORWARDED) {
    simulator.ftp.on(event, (payload) => output.event({ event, ...payload } as Untimed<EventLine>));
  }
  // Latency and bandwidth fire on every command they shape: the console gets them once a session, the
  // transcript every time.
  const told = new Set<string>();
  simulator.ftp.on('fault', ({ session, fault }) => {
    if (CONTINUOUS_KINDS.has(fault.kind)) {
      if (told.has(`${session} ${fault.fault}`)) return;
      told.add(`${session} ${fault.fault}`);
      fault = { ...fault, text: `${fault.text} (and each command of the session after it: see its transcript)` };
    }
    output.event({ event: 'fault', session, fault });
  });
  simulator.ftp.on('session-end', ({ session }) => {
    for (const key of told) if (key.startsWith(`${session} `)) told.delete(key);
  });
  // What the profile refused shows on the console too, not only in the transcript: QA sees why a tablet failed.
  simulator.ftp.on('command', ({ session, command, reply, profile }) => {
    if (profile !== undefined && reply >= 400) {
      output.event({ event: 'profile-refusal', session, command, reply, why: profile });
    }
  });
}

/** Follows the server's open sessions; `ended` resolves once none is open, or after `timeoutMs`. */
function openSessions(ftp: StartedFtpServer): { ended(timeoutMs: number): Promise<void> } {
  const open = new Set<string>();
  let wake = (): void => {};
  ftp.on('session-start', ({ session }) => open.add(session));
  ftp.on('session-end', ({ session }) => {
    open.delete(session);
    if (open.size === 0) wake();
  });
  return {
    ended: (timeoutMs) => new Promise<void>((done) => {
      if (open.size === 0) return done();
      const timer = setTimeout(done, timeoutMs);
      wake = () => (clearTimeout(timer), done());
    }),
  };
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
