/**
 * The company FTP server of the simulator: one login per company, each
 * confined to its own root holding `Sortant/` and `Entrant/` (guide, section
 * 1c), a JSON-lines transcript per session and events for every step. It
 * knows nothing of the exchange formats. ftp-srv runs behind it
 * (ftp-srv-backend.ts), so that nothing else depends on ftp-srv.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { ConfigError } from '../errors.ts';
import { logger } from '../log.ts';
import { createCompanyTree } from './company-tree.ts';
import { startFtpSrvBackend, type CommandOutcome, type SessionHandlers } from './ftp-srv-backend.ts';
import type { PassivePortRange } from './passive-ports.ts';
import { listenSettings } from './server-options.ts';
import { maskCommand, SessionTranscript, type TranscriptRecord } from './transcript.ts';

export type { TranscriptRecord } from './transcript.ts';
export type { PassivePortRange } from './passive-ports.ts';
export { DEFAULT_FTP_HOST, DEFAULT_FTP_PORT, DEFAULT_PASSIVE_PORTS } from './server-options.ts';

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
}

/** Why a login was refused. */
export type LoginRefusal = 'unknown-login' | 'wrong-password' | 'disabled' | 'tls-required';

/** The events of a started server and their payloads. */
export interface FtpServerEvents {
  'session-start': { session: string; remoteAddress: string };
  'login': { session: string; company: string };
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
  /** A download that stopped before the end of the file. */
  'download-cut-short': { session: string; company: string; path: string; bytes: number; reason: string };
  'session-end': { session: string; transcriptFile: string };
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
  /** Absolute folder of a company's root on disk. Throws ConfigError for an unknown company. */
  companyRoot(company: string): string;
  on<E extends keyof FtpServerEvents>(event: E, listener: FtpServerListener<E>): void;
  off<E extends keyof FtpServerEvents>(event: E, listener: FtpServerListener<E>): void;
  /** Every transcript record so far (all sessions), oldest first. */
  transcript(): readonly TranscriptRecord[];
  /** Closes the listener and every session; resolves when all sockets are closed. */
  stop(): Promise<void>;
}

type Emit = <E extends keyof FtpServerEvents>(event: E, payload: FtpServerEvents[E]) => void;

const log = logger('hil:ftp');

/**
 * Creates every company's tree (Sortant|Entrant / eStock|ND2|HM1) and the
 * transcripts folder, then listens. Throws ConfigError for a bad option
 * (duplicate login, port out of range, TLS asked) or an address that cannot be bound.
 */
export async function startFtpServer(options: FtpServerOptions): Promise<StartedFtpServer> {
  const settings = listenSettings(options);
  const roots = new Map(options.companies.map(({ company }) =>
    [company, createCompanyTree(options.rootsFolder, company)]));
  const transcriptsFolder = createTranscriptsFolder(options.transcriptsFolder);

  const events = new EventEmitter();
  const emit: Emit = (event, payload) => {
    try {
      events.emit(event, payload);
    } catch (error) {
      log('a listener of %s threw: %s', event, (error as Error).message);
    }
  };
  const records: TranscriptRecord[] = [];
  let sessionCount = 0;
  const backend = await startFtpSrvBackend({
    ...settings,
    openSession: (remoteAddress) => {
      sessionCount += 1;
      const session = `s${String(sessionCount).padStart(4, '0')}`;
      return openSession({ session, remoteAddress, options, roots, transcriptsFolder, records, emit });
    },
  });

  const urlHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    host: settings.host,
    port: backend.port,
    url: `ftp://${urlHost}:${backend.port}`,
    companyRoot: (company) => {
      const root = roots.get(company);
      if (root !== undefined) return root;
      const known = [...roots.keys()].join(', ');
      throw new ConfigError(`FTP server: unknown company "${company}"; known: ${known}`);
    },
    on: (event, listener) => void events.on(event, listener),
    off: (event, listener) => void events.off(event, listener),
    transcript: () => records.slice(),
    stop: () => backend.close(),
  };
}

function createTranscriptsFolder(folder: string): string {
  const absolute = resolve(folder);
  try {
    mkdirSync(absolute, { recursive: true });
  } catch (error) {
    throw new ConfigError(`FTP server: cannot create the transcripts folder ${absolute}: ` +
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

  return {
    label: session,
    login: (login, password) => {
      const account = context.options.companies.find((candidate) => candidate.login === login);
      if (account === undefined || account.password !== password) {
        log('[%s] login refused for "%s"', session, login);
        emit('login-refused', { session, login });
        return undefined;
      }
      company = account.company;
      emit('login', { session, company });
      return context.roots.get(company);
    },
    command: (outcome) => {
      const record = transcriptRecord(session, company, outcome);
      context.records.push(record);
      transcript.append(record);
      emit('command', record);
      if (company !== undefined) emitTransfer(context, company, outcome);
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
  return {
    time: outcome.arrivedAt.toISOString(),
    session,
    ...(company !== undefined && { company }),
    command: maskCommand(outcome.line),
    reply: outcome.reply,
    ...(outcome.bytes !== undefined && { bytes: outcome.bytes }),
    ms: outcome.ms,
  };
}

/** Emits `upload` or `download` for a transfer that succeeded. */
function emitTransfer(context: SessionContext, company: string, outcome: CommandOutcome): void {
  const replyIsSuccess = outcome.reply >= 200 && outcome.reply < 300;
  if (!replyIsSuccess) return;
  const root = context.roots.get(company)!;
  const fromRoot = (file: string): string => relative(root, file).split(sep).join('/');
  const { session } = context;
  const bytes = outcome.bytes ?? 0;
  if (outcome.stored !== undefined) {
    context.emit('upload', { session, company, path: fromRoot(outcome.stored), bytes });
  }
  if (outcome.retrieved !== undefined) {
    context.emit('download', { session, company, path: fromRoot(outcome.retrieved), bytes });
  }
}
