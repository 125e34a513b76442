/**
 * What `estock-hil serve` prints, as data: the back offices' export sessions
 * at start, the settings of each device, the server once ready, then each
 * session event and import. With `--json` each is one JSON object on its own
 * line; otherwise a person reads them. Every line has its time.
 */
import { describeAnomaly, type Anomaly } from '../simulator/bo/index.ts';
import type { FaultInForce } from '../simulator/ftp/faults/control.ts';
import type { FiredFault } from '../simulator/ftp/faults/fault-schema.ts';
import { faultListText } from '../simulator/ftp/faults/fault-spec-text.ts';
import type { TlsMode } from '../simulator/ftp/server.ts';

/** What to type in the app's settings screen (and what the app does not ask but must match). */
export interface DeviceSettingsLine {
  event: 'device';
  /** When serve printed it, once every export was done (ISO 8601, UTC), as for `ready`. */
  time: string;
  company: string;
  device: string;
  settings: {
    /** The address the device reaches the server on: the passive host. */
    host: string;
    port: number;
    /** « Identifiant de la tablette » */
    deviceId: string;
    /** « Nom d'utilisateur »: the company's FTP login. */
    user: string;
    /** « Mot de passe » */
    password: string;
    tls: TlsMode;
  };
  /** The device's key in the BO's registry (« Clé d'authentification »). */
  authKey: string;
  /** A disabled company's login is refused: the app's Test FTP must fail with 530. */
  loginDisabled: boolean;
  /** The export made at start; absent when the company's login is disabled (its back office is refused too). */
  export?: { files: number; tables: number; rows: number; bytes: number; anomalies: Anomaly[] };
}

/** One company as the server serves it. */
export interface CompanyLine {
  company: string;
  login: string;
  disabled: boolean;
  root: string;
  database: string;
  /** `seeded` by this start, or `kept` from an earlier one with its stock and journal. */
  catalog: 'seeded' | 'kept';
  catalogSeed: { size: string; seed: number };
  /** Movements in the BO's journal at start. */
  movementsImported: number;
  devices: string[];
  /** eStock devices not exported to, and why. */
  skipped: { device: string; reason: string }[];
}

/** The server is listening and every export is done. */
export interface ReadyLine {
  event: 'ready';
  time: string;
  ftp: {
    host: string;
    port: number;
    passiveHost: string;
    passivePorts: { min: number; max: number };
    tls: { mode: TlsMode; certFile?: string };
  };
  state: string;
  companies: CompanyLine[];
  /** This machine's LAN addresses (IPv4, not loopback), for --host and --passive-host. */
  lanAddresses: { interface: string; address: string }[];
  /** The faults in force from the start, the server profile, and the socket `estock-hil faults` reaches. */
  faults?: { seed: number; faults: FaultInForce[]; profile: string | null; control: string };
}

type Timed<T> = T & { time: string };

/** A session event of the devices' FTP server, or an import, or the end. */
export type EventLine = Timed<
  | { event: 'session-start'; session: string; remoteAddress: string }
  | { event: 'login'; session: string; company: string; client?: string }
  | { event: 'login-refused'; session: string; login: string; reason: string }
  | { event: 'upload' | 'download'; session: string; company: string; path: string; bytes: number }
  | {
    event: 'upload-cut-short' | 'download-cut-short';
    session: string; company: string; path: string; bytes: number; reason: string;
  }
  | { event: 'session-end'; session: string; transcriptFile: string }
  | {
    event: 'import'; company: string; device: string; uploads: string[];
    zips: { name: string; movements: number; anomalies: number }[];
    movementsImported: number; anomalies: Anomaly[]; ms: number;
  }
  | { event: 'import-failed'; company: string; device: string; uploads: string[]; code?: string; error: string }
  | { event: 'fault'; session: string; fault: FiredFault }
  /** A command the server profile in force answered with a failure: `why` is the transcript's `profile`. */
  | { event: 'profile-refusal'; session: string; command: string; reply: number; why: string }
  | { event: 'faults'; change: 'set' | 'add' | 'clear'; seed: number; faults: FaultInForce[] }
  | { event: 'profile'; profile: string | null; description?: string }
  | { event: 'stopping'; signal: string }
  | { event: 'stopped' }
>;

/** Any line serve prints. */
export type ServeLine = DeviceSettingsLine | ReadyLine | EventLine;

const REFUSALS: Record<string, string> = {
  'unknown-login': 'unknown login',
  'wrong-password': 'wrong password',
  'disabled': 'the company is disabled',
  'tls-required': 'TLS is required (AUTH TLS before USER)',
};

const TLS_MEANING: Record<TlsMode, string> = {
  off: 'off: plain FTP only',
  optional: 'optional: explicit FTP over TLS if available, as in production',
  required: 'required: explicit FTP over TLS only',
};

/** `1 zip`, `2 zips`; `1 anomaly`, `2 anomalies`. */
function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Bytes for a person: `812 bytes`, `38.1 KiB`, `2.4 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The heading of the sessions made before ready, in the lines a person reads. */
export const EXPORT_SESSIONS_HEADING = 'The back offices exported through this server, ' +
  'one FTP session per device (not tablets):';

/**
 * The lines a person reads at start: the server, the back offices' export
 * sessions (the events before ready), then each company with the settings
 * of its devices.
 */
export function describeReady(ready: ReadyLine, devices: readonly DeviceSettingsLine[],
  exportSessions: readonly EventLine[] = []): string[] {
  const { ftp } = ready;
  const certificate = ftp.tls.certFile === undefined ? '' : ` (certificate ${ftp.tls.certFile})`;
  const lines = [
    `estock-hil serve: FTP server on ${ftp.host}:${ftp.port}, TLS ${ftp.tls.mode}${certificate}`,
    `  passive mode: ${ftp.passiveHost}, ports ${ftp.passivePorts.min}-${ftp.passivePorts.max}`,
    `  state kept in ${ready.state} (back offices, FTP trees, transcripts, certificate)`,
    ...addressHints(ready),
    ...faultsHints(ready),
  ];
  if (exportSessions.length > 0) {
    lines.push('', EXPORT_SESSIONS_HEADING,
      ...exportSessions.flatMap(describeEvent).map((line) => `  ${line}`));
  }
  for (const company of ready.companies) {
    lines.push('', ...describeCompany(company, devices.filter((device) => device.company === company.company)));
  }
  lines.push('', 'Waiting for devices; Ctrl-C stops.');
  return lines;
}

function addressHints(ready: ReadyLine): string[] {
  const lan = ready.lanAddresses.map(({ interface: name, address }) => `${address} (${name})`).join(', ');
  const hints = [`  this machine's LAN addresses: ${lan === '' ? 'none found' : lan}`];
  if (ready.ftp.passiveHost.startsWith('127.')) {
    const host = ready.ftp.passiveHost;
    hints.push(`  ${host} is this machine only: for a tablet on the LAN, restart with --host <LAN address>;`,
      '  for an Android emulator of this machine, with --passive-host 10.0.2.2 (and host 10.0.2.2 in the app)');
  }
  return hints;
}

function faultsHints(ready: ReadyLine): string[] {
  if (ready.faults === undefined) return [];
  const { seed, faults, profile, control } = ready.faults;
  return [
    `  faults: ${faults.length === 0 ? 'none' : `seed ${seed}, ${faultListText(faults)}`}; ` +
      `server profile: ${profile ?? 'none'}`,
    `  change them while serving: estock-hil faults set|add|clear|show|profile --state ${ready.state} ` +
      `(control socket ${control})`,
  ];
}

function describeCompany(company: CompanyLine, devices: readonly DeviceSettingsLine[]): string[] {
  const seed = `${company.catalogSeed.size}, seed ${company.catalogSeed.seed}`;
  const catalog = company.catalog === 'seeded' ? `catalog seeded (${seed})` : 'catalog kept from the last run';
  const lines = [
    `${company.company}: back office ${company.database}, ${catalog}, ` +
      `${count(company.movementsImported, 'movement')} imported so far`,
    `  FTP tree ${company.root}`,
  ];
  if (company.disabled) lines.push(`  DISABLED: the FTP login ${company.login} is refused (530)`);
  const first = devices[0];
  if (first !== undefined) {
    const { host, port, user, password, tls } = first.settings;
    lines.push('  settings to type in eStock on each tablet:',
      `    host ${host}, port ${port}, TLS ${TLS_MEANING[tls]}`,
      `    « Nom d'utilisateur » ${user}`,
      `    « Mot de passe »      ${password}`,
      '    « Identifiant de la tablette », one per tablet:');
    for (const device of devices) lines.push(`      ${describeDevice(device)}`);
  }
  for (const { device, reason } of company.skipped) lines.push(`  not exported to ${device}: ${reason}`);
  return lines;
}

function describeDevice(line: DeviceSettingsLine): string {
  const { export: done } = line;
  if (done === undefined) return `${line.device.padEnd(12)} key ${line.authKey}  not exported: the login is disabled`;
  const exported = `exported ${done.tables} tables, ${done.rows} rows, ${formatBytes(done.bytes)}`;
  const anomalies = done.anomalies.map((anomaly) => `; ${describeAnomaly(anomaly)}`).join('');
  return `${line.device.padEnd(12)} key ${line.authKey}  ${exported}${anomalies}`;
}

/** The lines a person reads for one event, its time first. */
export function describeEvent(line: EventLine): string[] {
  const at = new Date(line.time).toTimeString().slice(0, 8);
  switch (line.event) {
    case 'session-start': return [`${at} ${line.session} session opened from ${line.remoteAddress}`];
    case 'login':
      return [`${at} ${line.session} login accepted: ${line.company}${line.client === undefined ? ''
        : ` (client "${line.client}")`}`];
    case 'login-refused':
      return [`${at} ${line.session} login refused for "${line.login}": ${REFUSALS[line.reason] ?? line.reason}`];
    case 'upload':
    case 'download':
      return [`${at} ${line.session} ${line.company} ${line.event} ${line.path} (${formatBytes(line.bytes)})`];
    case 'upload-cut-short':
    case 'download-cut-short': {
      const what = line.event === 'upload-cut-short' ? 'UPLOAD CUT SHORT, not imported' : 'DOWNLOAD CUT SHORT';
      return [`${at} ${line.session} ${line.company} ${what}: ${line.path} after ${formatBytes(line.bytes)}: ` +
        line.reason];
    }
    case 'session-end': return [`${at} ${line.session} session closed, transcript ${line.transcriptFile}`];
    case 'import': return describeImport(at, line);
    case 'import-failed':
      return [`${at} IMPORT FAILED ${line.company}/${line.device}: ${line.error}`];
    case 'fault':
      return [`${at} ${line.session} FAULT ${line.fault.fault} (${line.fault.kind}): ${line.fault.text}`];
    case 'profile-refusal':
      return [`${at} ${line.session} PROFILE ${line.reply} to ${line.command}: ${line.why}`];
    case 'faults': {
      const done = { set: 'faults set', add: 'faults added', clear: 'faults cleared' }[line.change];
      return [`${at} ${done}: ${line.faults.length === 0 ? 'none in force' :
        `seed ${line.seed}, ${faultListText(line.faults)}`}`];
    }
    case 'profile':
      return [`${at} server profile ${line.profile === null ? 'removed: our own server\'s behaviour'
        : `${line.profile}: ${line.description ?? ''}`}`];
    case 'stopping': return [`${at} ${line.signal}: stopping`];
    case 'stopped': return [`${at} stopped`];
  }
}

function describeImport(at: string, line: Extract<EventLine, { event: 'import' }>): string[] {
  const anomalies = line.anomalies.length;
  const lines = [`${at} import ${line.company}/${line.device}: ${count(line.movementsImported, 'movement')} ` +
    `imported from ${count(line.zips.length, 'zip')}, ${count(anomalies, 'anomaly', 'anomalies')} ` +
    `(${line.ms} ms)`];
  for (const zip of line.zips) {
    lines.push(`    ${zip.name}: ${count(zip.movements, 'movement')}, ` +
      `${count(zip.anomalies, 'anomaly', 'anomalies')}`);
  }
  for (const anomaly of line.anomalies) lines.push(`    anomaly: ${describeAnomaly(anomaly)}`);
  return lines;
}

/** A line before its time is stamped. */
export type Untimed<T> = T extends unknown ? Omit<T, 'time'> : never;

const toStdout = (text: string): void => void process.stdout.write(`${text}\n`);

/** Where serve's lines go: `device` lines are held until `ready`, and events until then too. */
export interface LineWriter {
  device(line: Untimed<DeviceSettingsLine>): void;
  ready(line: Untimed<ReadyLine>): void;
  event(line: Untimed<EventLine>): void;
}

/**
 * Writes the lines, each stamped with its time, to `write` (default
 * stdout, a line each). The events before `ready` are the back offices'
 * export sessions at start: with `ready` come those events, in the order
 * they happened, then the `device` lines, then `ready`; later events as
 * they happen.
 */
export function lineWriter(json: boolean, write = toStdout): LineWriter {
  const devices: Untimed<DeviceSettingsLine>[] = [];
  let held: EventLine[] | undefined = [];
  const print = (line: EventLine): void => {
    if (json) write(JSON.stringify(line));
    else describeEvent(line).forEach(write);
  };

  return {
    device: (line) => void devices.push(line),
    ready(line) {
      const time = new Date().toISOString();
      const settings = devices.map((device): DeviceSettingsLine => ({ time, ...device }));
      const ready: ReadyLine = { time, ...line };
      const before = held ?? [];
      held = undefined;
      if (json) [...before, ...settings, ready].forEach((each) => write(JSON.stringify(each)));
      else describeReady(ready, settings, before).forEach(write);
    },
    event(line) {
      const timed = { time: new Date().toISOString(), ...line } as EventLine;
      if (held === undefined) print(timed);
      else held.push(timed);
    },
  };
}
