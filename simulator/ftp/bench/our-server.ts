/**
 * Our FTP server as a benchmark target. It runs in a child process
 * (our-server-child.ts) because vsftpd runs in processes of its own: in the
 * benchmark's process, our server would share one event loop, and one of the
 * two cores, with the client it is measured against.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildReady, ChildStart } from './our-server-child.ts';
import type { CertificatePair } from './self-signed-cert.ts';
import type { BenchTarget } from './target.ts';

const COMPANY = 'Bench';
const LOGIN = 'bench';

/** How to start our server. */
export interface OurServerOptions {
  /** A folder of its own for the roots, transcripts and state; the caller removes it. */
  folder: string;
  /** With a pair, TLS is `optional`; without, `off`. */
  cert: CertificatePair | undefined;
  passivePorts: { min: number; max: number };
}

/** Thrown when our server refuses to start; `code` is the server's error code (`CONFIG`...). */
export class OurServerStartError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

/** Starts startFtpServer on a free port of 127.0.0.1 in a child process. Throws OurServerStartError. */
export async function startOurServer(options: OurServerOptions): Promise<BenchTarget> {
  const password = randomBytes(12).toString('base64url');
  const start: ChildStart = {
    company: COMPANY,
    options: {
      host: '127.0.0.1',
      port: 0,
      passivePorts: options.passivePorts,
      companies: [{ company: COMPANY, login: LOGIN, password }],
      rootsFolder: join(options.folder, 'roots'),
      transcriptsFolder: join(options.folder, 'transcripts'),
      stateFolder: join(options.folder, 'state'),
      tls: options.cert === undefined ? { mode: 'off' } : { mode: 'optional', ...options.cert },
    },
  };
  const childFile = fileURLToPath(new URL('./our-server-child.ts', import.meta.url));
  // The same loader flags as this process (tsx's), however it was started.
  const child = fork(childFile, [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = await new Promise<ChildReady>((answer, fail) => {
    child.once('message', (message: ChildReady) => answer(message));
    child.once('exit', (code) => fail(new OurServerStartError(`our server's process exited at start (${code})`,
      undefined)));
    child.send(start);
  });
  if ('error' in ready) {
    await exited;
    throw new OurServerStartError(ready.error, ready.code);
  }
  const kill = (): void => void child.kill('SIGKILL');
  return {
    name: 'ours', host: '127.0.0.1', port: ready.port, login: LOGIN, password, root: ready.root,
    stop: async () => {
      if (child.connected) child.send('stop');
      const timer = setTimeout(kill, 5_000);
      await exited;
      clearTimeout(timer);
    },
    kill,
  };
}
