/**
 * The server the interoperability tests share: one per `describe` block, on a
 * free port of 127.0.0.1, holding a known company tree (COMPANY_FILES), with
 * the TLS mode of the block. Each client run is wrapped in `server.run()`,
 * which hands back the transcript of the sessions that run opened.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import type { ServerProfile } from '../profiles/profile-schema.ts';
import { startFtpServer, type StartedFtpServer, type TlsMode } from '../server.ts';
import { DEMO } from '../test-fixture.ts';
import { SessionRecords } from './session-records.ts';

export { DEMO } from '../test-fixture.ts';

/** A device's outbox with two files (what the back office drops for device T1). */
export const LISTED_FOLDER = 'Sortant/eStock/T1';
/** A folder of the company tree that holds nothing. */
export const EMPTY_FOLDER = 'Sortant/HM1';
/** Where the tests upload, rename and delete: the inbox of device T1. */
export const UPLOAD_FOLDER = 'Entrant/eStock/T1/MvtStocks';
/** The name every client must carry byte for byte: accents, spaces and a double quote. */
export const AWKWARD_NAME = 'Récolte 2024 "cuvée".zip';

/** The files of the rename test in UPLOAD_FOLDER: `Before.zip` becomes `After.zip`, `Doomed.zip` goes. */
export const RENAME_TEST_FILES = ['After.zip', 'Before.zip', 'Doomed.zip'];

/** Which of RENAME_TEST_FILES `names` holds, sorted: `['After.zip']` once the test has run. */
export function renameTestFilesIn(names: readonly string[]): string[] {
  return RENAME_TEST_FILES.filter((file) => names.includes(file));
}

/**
 * The files on the server at start, by path from the company root. The zip is
 * random bytes, large enough to need several data chunks, of an odd length so
 * that its half is no round number.
 */
export const COMPANY_FILES: Readonly<Record<string, Buffer>> = {
  [`${LISTED_FOLDER}/Tables.zip`]: randomBytes(300_001),
  [`${LISTED_FOLDER}/Version.txt`]: Buffer.from('1.00\r\n'),
};

/** The big file of LISTED_FOLDER: downloads and resumed downloads read it. */
export const TABLES_ZIP = `${LISTED_FOLDER}/Tables.zip`;

/** The names LISTED_FOLDER lists, sorted. */
export const LISTED_NAMES = ['Tables.zip', 'Version.txt'];

/** How a client connects, and the server's TLS mode for it. */
export interface Transport {
  name: string;
  tlsMode: TlsMode;
  secure: boolean;
}

/** How the clients of each test file connect: plain FTP, and TLS on the production setting (optional). */
export const TRANSPORTS: readonly Transport[] = [
  { name: 'plain FTP', tlsMode: 'off', secure: false },
  { name: 'FTP over TLS (server tls optional)', tlsMode: 'optional', secure: true },
];

/** What a client run returned, and the records of the sessions it opened. */
export interface ClientRun<T> {
  result: T;
  records: SessionRecords;
}

/** A started server of one `describe` block, and what the tests do with it. */
export interface InteropServer {
  readonly server: StartedFtpServer;
  readonly tlsMode: TlsMode;
  /** The Demo company's root on disk. */
  readonly root: string;
  /** A scratch folder for the client's local files, removed with the server. */
  readonly localFolder: string;
  /** Absolute path on disk of a path from the company root. */
  onDisk(path: string): string;
  /** Writes a file under the company root, as the back office would. */
  place(path: string, bytes: Buffer): void;
  /** The names in a folder on disk (path from the company root). */
  namesOnDisk(folder: string): string[];
  /**
   * Runs one client (`work`), then waits until every session it opened has
   * ended, and returns their records. When `work` throws, the error is
   * thrown again with those sessions' transcript appended.
   */
  run<T>(work: () => Promise<T>): Promise<ClientRun<T>>;
}

const SESSION_END_WAIT_MS = 5000;

/**
 * Starts a server with tls `mode` (and a server `profile`, when given) before
 * the tests of the enclosing `describe`, and stops it after them. The returned
 * function gives the started server inside a test; it throws if the start failed.
 */
export function useInteropServer(mode: TlsMode, profile?: ServerProfile): () => InteropServer {
  let started: InteropServer | undefined;
  let folder: string | undefined;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hil-interop-'));
    started = await startInteropServer(folder, mode, profile);
  });
  after(async () => {
    await started?.server.stop();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    if (started === undefined) throw new Error(`the server with tls.mode "${mode}" did not start`);
    return started;
  };
}

async function startInteropServer(folder: string, tlsMode: TlsMode, profile: ServerProfile | undefined)
  : Promise<InteropServer> {
  const server = await startFtpServer({
    port: 0,
    companies: [DEMO],
    rootsFolder: join(folder, 'roots'),
    transcriptsFolder: join(folder, 'transcripts'),
    stateFolder: join(folder, 'state'),
    tls: { mode: tlsMode },
    ...(profile !== undefined && { profile }),
  });
  const root = server.companyRoot(DEMO.company);
  const onDisk = (path: string): string => join(root, path);
  const place = (path: string, bytes: Buffer): void => {
    mkdirSync(dirname(onDisk(path)), { recursive: true });
    writeFileSync(onDisk(path), bytes);
  };
  for (const [path, bytes] of Object.entries(COMPANY_FILES)) place(path, bytes);
  mkdirSync(onDisk(UPLOAD_FOLDER), { recursive: true });
  const localFolder = join(folder, 'local');
  mkdirSync(localFolder);

  const run = clientRunner(server);
  const namesOnDisk = (folder: string): string[] => readdirSync(onDisk(folder));
  return { server, tlsMode, root, localFolder, onDisk, place, namesOnDisk, run };
}

/** The `run` of an InteropServer: a client's work, then the transcript of the sessions it opened. */
function clientRunner(server: StartedFtpServer): InteropServer['run'] {
  const ended = new Set<string>();
  const opened: string[] = [];
  server.on('session-start', ({ session }) => opened.push(session));
  server.on('session-end', ({ session }) => ended.add(session));
  return async (work) => {
    const firstSession = opened.length;
    const recordsSoFar = (): SessionRecords => {
      const mine = new Set(opened.slice(firstSession));
      return new SessionRecords(server.transcript().filter(({ session }) => mine.has(session)));
    };
    const withTranscript = (error: unknown, note = ''): Error =>
      new Error(`${(error as Error).message}\n${note}${recordsSoFar().describe()}`, { cause: error });
    let result: Awaited<ReturnType<typeof work>>;
    try {
      result = await work();
    } catch (error) {
      const late = await allEnded(opened.slice(firstSession), ended)
        .then(() => '', (notEnded: Error) => `${notEnded.message}\n`);
      throw withTranscript(error, late);
    }
    try {
      await allEnded(opened.slice(firstSession), ended);
    } catch (error) {
      throw withTranscript(error);
    }
    return { result, records: recordsSoFar() };
  };
}

/** Resolves once every one of `sessions` is in `ended`; throws after SESSION_END_WAIT_MS. */
async function allEnded(sessions: readonly string[], ended: ReadonlySet<string>): Promise<void> {
  const deadline = Date.now() + SESSION_END_WAIT_MS;
  for (;;) {
    const open = sessions.filter((session) => !ended.has(session));
    if (open.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`FTP sessions ${open.join(', ')} had not ended ${SESSION_END_WAIT_MS} ms ` +
        'after the client was done');
    }
    await new Promise((done) => setTimeout(done, 10));
  }
}
