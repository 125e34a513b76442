/**
 * The measured cases of the FTP benchmark, run with basic-ftp against any
 * target: a large file up and down (plain or explicit TLS with PROT P), and
 * small transfers back to back on one logged-in connection. Every transfer
 * is checked whole after its clock stops, so a broken one fails the run.
 */
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { Client } from 'basic-ftp';
import { logger } from '../../log.ts';
import { downloadBytes } from '../client.ts';
import { checkCopy, type Payload } from './payload.ts';
import type { BenchTarget } from './target.ts';

/** How long the client waits on a silent server, in milliseconds. */
export const CLIENT_TIMEOUT_MS = 60_000;

const BIG_NAME = 'bench-big.bin';
const SMALL_NAME = 'bench-small.bin';

/** Throughput of the large file, in MB/s (10^6 bytes a second). */
export interface BigFigures {
  uploadMBps: number;
  downloadMBps: number;
  /** TLS version and cipher of the control connection, e.g. `TLSv1.3 TLS_AES_256_GCM_SHA384`. */
  tls?: string;
}

/** Time per small transfer, in milliseconds. */
export interface SmallFigures {
  downloadMs: number;
  uploadMs: number;
}

/** Logs in, with explicit TLS (AUTH TLS, PBSZ 0, PROT P) when `secure`, accepting any certificate. */
export async function openClient(target: BenchTarget, secure: boolean): Promise<Client> {
  const client = new Client(CLIENT_TIMEOUT_MS);
  const wire = logger('hil:ftp:wire', `bench ${target.name}`);
  client.ftp.log = (message) => wire(message.replace(/^(> PASS) .*/, '$1 ****'));
  client.ftp.verbose = true;
  try {
    await client.access({
      host: target.host, port: target.port, user: target.login, password: target.password,
      secure, secureOptions: { rejectUnauthorized: false },
    });
  } catch (error) {
    client.close();
    throw new Error(`${target.name}: login ${secure ? 'over TLS ' : ''}failed: ${(error as Error).message}`,
      { cause: error });
  }
  return client;
}

/**
 * Uploads `payload`, checks the server's copy, downloads it into `localFolder`
 * and checks that copy; both copies are removed after.
 */
export async function timeBigFile(target: BenchTarget, secure: boolean, payload: Payload,
  localFolder: string): Promise<BigFigures> {
  const what = `${target.name} ${secure ? 'TLS' : 'plain'}`;
  const onServer = join(target.root, BIG_NAME);
  const local = join(localFolder, `download-${target.name}.bin`);
  const client = await openClient(target, secure);
  try {
    const uploadMs = await timed(() => client.uploadFrom(payload.file, BIG_NAME));
    await checkCopy(payload, onServer, `${what} upload`);
    const downloadMs = await timed(() => client.downloadTo(local, BIG_NAME));
    await checkCopy(payload, local, `${what} download`);
    return {
      uploadMBps: mbPerSecond(payload.bytes, uploadMs),
      downloadMBps: mbPerSecond(payload.bytes, downloadMs),
      ...(secure && { tls: tlsOf(client) }),
    };
  } finally {
    client.close();
    rmSync(onServer, { force: true });
    rmSync(local, { force: true });
  }
}

/**
 * `count` downloads of one file of `bytes` bytes, then `count` uploads of as
 * many files, back to back on one plain connection; each is checked after.
 */
export async function timeSmallTransfers(target: BenchTarget, count: number, bytes: Buffer): Promise<SmallFigures> {
  const what = `${target.name} small`;
  writeFileSync(join(target.root, SMALL_NAME), bytes);
  const names = Array.from({ length: count }, (_, index) => `bench-small-${index}.bin`);
  const client = await openClient(target, false);
  try {
    const received: Buffer[] = [];
    const downloadMs = await timed(async () => {
      for (let index = 0; index < count; index++) received.push(await downloadBytes(client, SMALL_NAME));
    });
    const wrong = received.findIndex((copy) => !copy.equals(bytes));
    if (wrong >= 0) throw new Error(`${what} download ${wrong + 1}: ${received[wrong]!.length} bytes, not the file`);

    const uploadMs = await timed(async () => {
      for (const name of names) await client.uploadFrom(Readable.from([bytes]), name);
    });
    const bad = names.find((name) => !readFileSync(join(target.root, name)).equals(bytes));
    if (bad !== undefined) throw new Error(`${what} upload: ${join(target.root, bad)} is not what was sent`);
    return { downloadMs: downloadMs / count, uploadMs: uploadMs / count };
  } finally {
    client.close();
    for (const name of [SMALL_NAME, ...names]) rmSync(join(target.root, name), { force: true });
  }
}

/** A few untimed transfers, so that neither server meets a cold client (JIT, first TLS handshake). */
export async function warmUp(target: BenchTarget, bytes: Buffer, tls: boolean): Promise<void> {
  await timeSmallTransfers(target, 20, bytes);
  if (tls) (await openClient(target, true)).close();
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function mbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

function tlsOf(client: Client): string {
  const socket = client.ftp.socket;
  if (!(socket instanceof TLSSocket)) return 'none';
  return `${socket.getProtocol() ?? '?'} ${socket.getCipher().name}`;
}
