/**
 * The company FTP server of the simulator: companies each confined to their
 * own root holding `Sortant/` and `Entrant/` (guide, section 1c), explicit TLS,
 * a JSON-lines transcript per session and events for every step. It knows
 * nothing of the exchange formats. The FTP protocol itself is our own
 * (protocol/), written so that every reply and every data connection can be
 * controlled; docs/ftp-server.md says why.
 */
import { EventEmitter } from 'node:events';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { makeFolders } from '../folders.ts';
import { logger } from '../log.ts';
import { createCompanyTree } from './company-tree.ts';
import type { FaultControl, ProfileControl } from './faults/control.ts';
import { FaultEngine } from './faults/fault-engine.ts';
import type { FaultSet, FiredFault } from './faults/fault-schema.ts';
import { ProfileHolder } from './profiles/profile-holder.ts';
import type { ServerProfile } from './profiles/profile-schema.ts';
import type { PassivePortRange } from './passive-ports.ts';
import { startProtocolServer } from './protocol/protocol-server.ts';
import type { CommandOutcome, LoginDecision, LoginRefusal, SessionHandlers } from './protocol/session-handlers.ts';
import { loadServerCertificate } from './protocol/tls-certificate.ts';
import { listenSettings } from './server-options.ts';
import { maskCommand, SessionTranscript, type TranscriptRecord } from './transcript.ts';

export type { TranscriptRecord } from './transcript.ts';
export type { PassivePortRange } from './passive-ports.ts';
export type { LoginRefusal } from './protocol/session-handlers.ts';
export {
  DEFAULT_FTP_HOST, DEFAULT_FTP_PORT, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_PASSIVE_PORTS,
} from './server-options.ts';

/** The FTP login of one company. */
export interface CompanyAccount {
  /** Company name, e.g. `Demo`; names its root folder. */
  company: string;
  /** The one FTP login of the company. */
  login: string;
  password: string;
  /** The company root on disk; default `<rootsFolder>/<company>`. */
  root?: string;
  /** A disabled login is refused (530) like a wrong password, and logged as disabled. */
  disabled?: boolean;
}

/**
 * Explicit FTP over TLS (AUTH TLS): `off` (AUTH refused, not in FEAT),
 * `optional` (the production setting: clients choose), `required` (no login
 * and no data connection without TLS).
 */
export type TlsMode = 'off' | 'optional' | 'required';

/** TLS settings of the server. */
export interface TlsOptions {
  mode: TlsMode;
  /**
   * PEM certificate and private key files. Without them a self-signed
   * certificate is generated on first start and kept in `<stateFolder>/tls/`.
   */
  certFile?: string;
  keyFile?: string;
}

/** How to start the server. */
export interface FtpServerOptions {
  /** Bind address; default 127.0.0.1. */
  host?: string;
  /** Default DEFAULT_FTP_PORT (2120); 0 takes a free port. */
  port?: number;
  /** Ports of passive data connections, inclusive; default 50000-50999. */
  passivePorts?: PassivePortRange;
  /** Address given in PASV replies (10.0.2.2 for an Android emulator); default `host`. */
  passiveHost?: string;
  companies: readonly CompanyAccount[];
  /** Company roots: `<rootsFolder>/<company>`, created with their tree. */
  rootsFolder: string;
  /** One JSON-lines transcript per session; created if missing. */
  transcriptsFolder: string;
  /** Where the server keeps its own state (the generated certificate); default the parent of transcriptsFolder. */
  stateFolder?: string;
  /** Default `{ mode: 'off' }`. */
  tls?: TlsOptions;
  /** A session without any command for this long gets 421 and is closed; default 15 minutes. */
  idleTimeoutMs?: number;
  /** Faults in force from the start (docs/faults.md); none by default. */
  faults?: FaultSet;
  /** A customer server's behaviour to reproduce from the start; our own by default. */
  profile?: ServerProfile;
}

/** The events of a started server and their payloads. */
export interface FtpServerEvents {
  'session-start': { session: string; remoteAddress: string };
  /** `client`: the name the client gave with CLNT before logging in, if it did. */
  'login': { session: string; company: string; client?: string };
  /** `reason`: `unknown-login`, `wrong-password`, `disabled` or `tls-required`. */
  'login-refused': { session: string; login: string; reason: LoginRefusal };
  'command': TranscriptRecord;
  /**
   * A completed upload, on disk in full (flushed) before the 226 reply;
   * `path` is from the company root: `Entrant/eStock/T1/Version.txt`.
   */
  'upload': { session: string; company: string; path: string; bytes: number };
  /**
   * An upload that did not complete: the data connection was reset or closed
   * without its TLS close, the client aborted, or the session ended. The file
   * holds what arrived (`bytes`) and must not be taken as complete.
   */
  'upload-cut-short': { session: string; company: string; path: string; bytes: number; reason: string };
  'download': { session: string; company: string; path: string; bytes: number };
  /** A file renamed (RNTO answered 250); paths from the company root, as for `upload`. */
  'rename': { session: string; company: string; from: string; to: string };
  /** A download that stopped before the end of the file. */
  'download-cut-short': { session: string; company: string; path: string; bytes: number; reason: string };
  'session-end': { session: string; transcriptFile: string };
  /** A fault fired in a session; it is in the session's transcript too. */
  'fault': { session: string; fault: FiredFault };
}

/** A listener of one event. */
export type FtpServerListener<E extends keyof FtpServerEvents> = (payload: FtpServerEvents[E]) => void;

/** A listening server. */
export interface StartedFtpServer {
  readonly host: string;
  /** The real port (the free one chosen when 0 was asked). */
  readonly port: number;
  /** `ftp://host:port`. */
  readonly url: string;
  /** The TLS mode in force, and the certificate file when TLS is on. */
  readonly tls: { mode: TlsMode; certFile?: string };
  /** Absolute folder of a company's root on disk. Throws ConfigError for an unknown company. */
  companyRoot(company: string): string;
  on<E extends keyof FtpServerEvents>(event: E, listener: FtpServerListener<E>): void;
  off<E extends keyof FtpServerEvents>(event: E, listener: FtpServerListener<E>): void;
  /** Every transcript record so far (all sessions), oldest first. */
  transcript(): readonly TranscriptRecord[];
  /** The faults in force, to change at run time. */
  readonly faults: FaultControl;
  /** The server profile in force, to change at run time. */
  readonly profile: ProfileControl;
  /** Closes the listener and every session; resolves when all sockets are closed. */
  stop(): Promise<void>;
}

type Emit = <E extends keyof FtpServerEvents>(event: E, payload: FtpServerEvents[E]) => void;

const log = logger('hil:ftp');

/**
 * Creates every company's tree (Sortant|Entrant / eStock|ND2|HM1) and the
 * transcripts folder, loads or generates the TLS certificate, then listens.
 * Throws ConfigError for a bad option (duplicate login, port out of range, a
 * passive address this server cannot serve, unreadable certificate) or an
 * address that cannot be bound.
 */
export async function startFtpServer(options: FtpServerOptions): Promise<StartedFtpServer> {
  const settings = listenSettings(options);
  const roots = new Map(options.companies.map(({ company, root }) =>
    [company, createCompanyTree(options.rootsFolder, company, root)]));
  const transcriptsFolder = createFolder(options.transcriptsFolder, 'transcripts');
  const tlsMode = options.tls?.mode ?? 'off';
  const certificate = tlsMode === 'off' ? undefined : await loadServerCertificate({
    ...options.tls,
    stateFolder: options.stateFolder ?? dirname(transcriptsFolder),
  });

  const events = new EventEmitter();
  const emit: Emit = (event, payload) => {
    try {
      events.emit(event, payload);
    } catch (error) {
      log('a listener of %s threw: %s', event, (error as Error).message);
    }
  };
  const records: TranscriptRecord[] = [];
  const faults = new FaultEngine(options.faults);
  const profile = new ProfileHolder(options.profile);
  let sessionCount = 0;
  const protocol = await startProtocolServer({
    ...settings,
    tlsMode,
    ...(certificate !== undefined && { sessionTls: certificate.sessionTls }),
    profile: () => profile.current(),
    faults,
    openSession: (remoteAddress) => {
      sessionCount += 1;
      const session = `s${String(sessionCount).padStart(4, '0')}`;
      return openSession({ session, remoteAddress, options, roots, transcriptsFolder, records, emit });
    },
  });

  const urlHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    host: settings.host,
    port: protocol.port,
    url: `ftp://${urlHost}:${protocol.port}`,
    tls: { mode: tlsMode, ...(certificate !== undefined && { certFile: certificate.certFile }) },
    companyRoot: (company) => {
      const root = roots.get(company);
      if (root !== undefined) return root;
      const known = [...roots.keys()].join(', ');
      throw new ConfigError(`FTP server: unknown company "${company}"; known: ${known}`);
    },
    on: (event, listener) => void events.on(event, listener),
    off: (event, listener) => void events.off(event, listener),
    transcript: () => records.slice(),
    faults,
    profile,
    stop: () => protocol.close(),
  };
}

function createFolder(folder: string, what: string): string {
  const absolute = resolve(folder);
  try {
    makeFolders(absolute);
  } catch (error) {
    throw new ConfigError(`FTP server: cannot create the ${what} folder ${absolute}: ` +
      `${(error as Error).message}`, { cause: error });
  }
  return absolute;
}

interface SessionContext {
  session: string;
  remoteAddress: string;
  options: FtpServerOptions;
  roots: ReadonlyMap<string, string>;
  transcriptsFolder: string;
  records: TranscriptRecord[];
  emit: Emit;
}

/** The handlers of one session: login decisions, transcript, events. */
function openSession(context: SessionContext): SessionHandlers {
  const { session, emit, remoteAddress } = context;
  const transcript = SessionTranscript.open(context.transcriptsFolder, session, new Date());
  let company: string | undefined;
  log('[%s] session from %s, transcript %s', session, remoteAddress, transcript.file);
  emit('session-start', { session, remoteAddress });
  const refuse = (login: string, reason: LoginRefusal): LoginDecision => {
    log('[%s] login refused for "%s": %s', session, login, reason);
    emit('login-refused', { session, login, reason });
    return { refused: reason };
  };

  return {
    label: session,
    login: (login, password, _secure, client) => {
      const account = context.options.companies.find((candidate) => candidate.login === login);
      if (account === undefined) return refuse(login, 'unknown-login');
      if (account.password !== password) return refuse(login, 'wrong-password');
      if (account.disabled === true) return refuse(login, 'disabled');
      company = account.company;
      log('[%s] logged in as %s (%s)', session, login, company);
      emit('login', { session, company, ...(client !== undefined && { client }) });
      return { root: context.roots.get(company)! };
    },
    refused: (login, reason) => void refuse(login, reason),
    fault: (fault) => {
      log('[%s] fault %d (%s) fired: %s', session, fault.fault, fault.kind, fault.text);
      emit('fault', { session, fault });
    },
    command: (outcome) => {
      const record = transcriptRecord(session, company, outcome);
      context.records.push(record);
      transcript.append(record);
      emit('command', record);
      if (company !== undefined) emitTransfer(context, company, outcome);
      const renamed = outcome.rename;
      if (company !== undefined && renamed !== undefined) emit('rename', { session, company, ...renamed });
    },
    end: () => {
      transcript.close();
      log('[%s] session ended', session);
      emit('session-end', { session, transcriptFile: transcript.file });
    },
  };
}

function transcriptRecord(session: string, company: string | undefined,
  outcome: CommandOutcome): TranscriptRecord {
  const cutShort = outcome.transfer?.cutShort;
  return {
    time: outcome.arrivedAt.toISOString(),
    session,
    ...(company !== undefined && { company }),
    command: maskCommand(outcome.line),
    reply: outcome.reply,
    ...(outcome.bytes !== undefined && { bytes: outcome.bytes }),
    ...(cutShort !== undefined && { cutShort }),
    ...(outcome.profile !== undefined && { profile: outcome.profile }),
    ...(outcome.client !== undefined && { client: outcome.client }),
    ms: outcome.ms,
    ...(outcome.faults !== undefined && { faults: outcome.faults }),
  };
}

/** Emits `upload`, `download` or their `-cut-short` kin for a command that moved a file. */
function emitTransfer(context: SessionContext, company: string, outcome: CommandOutcome): void {
  const transfer = outcome.transfer;
  if (transfer === undefined) return;
  const { session } = context;
  const base = { session, company, path: transfer.path, bytes: outcome.bytes ?? 0 };
  if (transfer.cutShort !== undefined) {
    log('[%s] %s of %s cut short after %d bytes: %s', session, transfer.direction, transfer.path,
      base.bytes, transfer.cutShort);
    context.emit(`${transfer.direction}-cut-short`, { ...base, reason: transfer.cutShort });
  } else {
    context.emit(transfer.direction, base);
  }
}
