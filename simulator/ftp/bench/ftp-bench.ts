/**
 * `npm run bench:ftp`: our FTP server against vsftpd on 127.0.0.1 with the
 * same client (basic-ftp). It measures a large file up and down over plain
 * FTP and over explicit TLS with PROT P, and small transfers back to back on
 * one logged-in connection, over several runs, and prints the medians and the
 * ratios ours / vsftpd against the aims. A benchmark to read, not a test: it
 * exits 0 whatever the figures, 1 when it could not measure.
 * Usage: npm run bench:ftp -- [--runs 3] [--size-mb 200] [--small 600] [--no-tls] [--json]
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { prepareBenchUser } from './bench-user.ts';
import { timeBigFile, timeSmallTransfers, warmUp } from './cases.ts';
import { OurServerStartError, startOurServer } from './our-server.ts';
import { payloadBytes, writePayload, type Payload } from './payload.ts';
import { caseRows, figure, formatTable, type RunFigures } from './report.ts';
import { makeSelfSignedCert, type CertificatePair } from './self-signed-cert.ts';
import type { BenchTarget } from './target.ts';
import { startVsftpd, VSFTPD_BINARY, VsftpdMissingError } from './vsftpd.ts';

// Away from the default range of our server (50000-50999), which tests running meanwhile use.
const OUR_PASSIVE_PORTS = { min: 43000, max: 43999 };
const VSFTPD_PASSIVE_PORTS = { min: 44000, max: 44999 };

interface BenchOptions {
  runs: number;
  sizeMb: number;
  small: number;
  smallBytes: number;
  tls: boolean;
  json: boolean;
}

interface Measured {
  figures: Record<'ours' | 'vsftpd', RunFigures[]>;
  tls: Record<string, string>;
}

/** Progress for a person, on stderr, so that stdout holds only the table or the JSON. */
const note = (line: string): void => void process.stderr.write(`${line}\n`);

const program = new Command('bench:ftp')
  .description('our FTP server against vsftpd on 127.0.0.1: large files plain and TLS, small transfers')
  .option('--runs <n>', 'measured runs; the median is reported', '3')
  .option('--size-mb <n>', 'size of the large file, in MB (10^6 bytes)', '200')
  .option('--small <n>', 'small transfers each way per run', '600')
  .option('--small-bytes <n>', 'size of a small transfer, in bytes', '1024')
  .option('--no-tls', 'skip the TLS cases')
  .option('--json', 'print the figures as JSON only')
  .action(async (raw: Record<string, string | boolean>) => {
    const options: BenchOptions = {
      runs: wholeNumber(raw.runs, '--runs'), sizeMb: wholeNumber(raw.sizeMb, '--size-mb'),
      small: wholeNumber(raw.small, '--small'), smallBytes: wholeNumber(raw.smallBytes, '--small-bytes'),
      tls: raw.tls !== false, json: raw.json === true,
    };
    await bench(options);
  });

async function bench(options: BenchOptions): Promise<void> {
  if (!existsSync(VSFTPD_BINARY)) throw new VsftpdMissingError();
  const folder = mkdtempSync(join(tmpdir(), 'estock-hil-ftp-bench-'));
  // The vsftpd user must reach its root inside; it cannot list or read the rest.
  chmodSync(folder, 0o711);
  const targets: BenchTarget[] = [];
  const stopAll = stopAtTheEnd(folder, targets);
  try {
    const payload = await prepare(options, folder, targets);
    const measured = await measure(options, payload, targets, folder);
    await stopAll();
    process.stdout.write(options.json ? `${JSON.stringify(jsonReport(options, measured), null, 2)}\n` :
      `${textReport(options, measured)}\n`);
  } finally {
    await stopAll();
  }
}

/**
 * Returns the stop of the servers and removal of `folder`, run once, and
 * runs it on Ctrl-C or SIGTERM; at exit, whatever remains is killed.
 */
function stopAtTheEnd(folder: string, targets: readonly BenchTarget[]): () => Promise<void> {
  const stopAll = once(async () => {
    await Promise.allSettled(targets.map((target) => target.stop()));
    rmSync(folder, { recursive: true, force: true });
  });
  process.once('exit', () => {
    for (const target of targets) target.kill();
    rmSync(folder, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      note(`${signal}: stopping the servers and removing ${folder}`);
      void stopAll().finally(() => process.exit(130));
    });
  }
  return stopAll;
}

/** The user, the certificate, the large file and both servers. */
async function prepare(options: BenchOptions, folder: string, targets: BenchTarget[]): Promise<Payload> {
  const vsftpdFolder = join(folder, 'vsftpd');
  const vsftpdRoot = join(vsftpdFolder, 'root');
  mkdirSync(vsftpdRoot, { recursive: true });
  const user = prepareBenchUser(vsftpdRoot);
  note(user.wasCreated ? `Created the system user ${user.login} (no login shell) for vsftpd's local login ` +
    '(we run as root)' : `vsftpd logs in as the existing system user ${user.login}`);
  note(`${user.login}: new random password, home ${vsftpdRoot}`);
  const cert = makeSelfSignedCert(folder);

  const started = Date.now();
  const payload = writePayload(join(folder, 'payload.bin'), options.sizeMb * 1e6);
  note(`Wrote the ${options.sizeMb} MB file ${payload.file} in ${Date.now() - started} ms`);

  targets.push(await startOurs(folder, options.tls ? cert : undefined));
  targets.push(await startVsftpd({
    folder: vsftpdFolder, root: vsftpdRoot, user, cert, passivePorts: VSFTPD_PASSIVE_PORTS,
  }));
  for (const target of targets) note(`${target.name} listens on ${target.host}:${target.port}`);
  return payload;
}

async function startOurs(folder: string, cert: CertificatePair | undefined): Promise<BenchTarget> {
  try {
    return await startOurServer({ folder: join(folder, 'ours'), cert, passivePorts: OUR_PASSIVE_PORTS });
  } catch (error) {
    if (error instanceof OurServerStartError && error.code === 'CONFIG' && cert !== undefined) {
      throw new Error(`our server refused tls.mode "optional": ${error.message}; ` +
        'run with --no-tls to measure plain FTP only', { cause: error });
    }
    throw error;
  }
}

/** The runs, alternating which server goes first so that neither always meets the warmer machine. */
async function measure(options: BenchOptions, payload: Payload, targets: BenchTarget[],
  folder: string): Promise<Measured> {
  const small = payloadBytes(options.smallBytes);
  for (const target of targets) await warmUp(target, small, options.tls);
  const measured: Measured = { figures: { ours: [], vsftpd: [] }, tls: {} };
  for (let run = 1; run <= options.runs; run++) {
    const order = run % 2 === 1 ? targets : [...targets].reverse();
    for (const target of order) {
      const figures = await measureRun(options, target, payload, small, folder, measured.tls);
      measured.figures[target.name as 'ours' | 'vsftpd'].push(figures);
      note(`run ${run}/${options.runs} ${target.name.padEnd(6)} ${runLine(figures)}`);
    }
  }
  return measured;
}

async function measureRun(options: BenchOptions, target: BenchTarget, payload: Payload, small: Buffer,
  folder: string, tls: Record<string, string>): Promise<RunFigures> {
  const plain = await timeBigFile(target, false, payload, folder);
  const figures: RunFigures = { plainUpload: plain.uploadMBps, plainDownload: plain.downloadMBps };
  if (options.tls) {
    const secure = await timeBigFile(target, true, payload, folder);
    Object.assign(figures, { tlsUpload: secure.uploadMBps, tlsDownload: secure.downloadMBps });
    tls[target.name] = secure.tls ?? 'unknown';
  }
  const transfers = await timeSmallTransfers(target, options.small, small);
  return { ...figures, smallDownload: transfers.downloadMs, smallUpload: transfers.uploadMs };
}

function runLine(figures: RunFigures): string {
  const mb = (value: number | undefined): string => (value === undefined ? '-' : figure(value, 'MB/s'));
  const ms = (value: number | undefined): string => (value === undefined ? '-' : figure(value, 'ms'));
  return `plain up ${mb(figures.plainUpload)} down ${mb(figures.plainDownload)} MB/s, ` +
    `TLS up ${mb(figures.tlsUpload)} down ${mb(figures.tlsDownload)} MB/s, ` +
    `small down ${ms(figures.smallDownload)} up ${ms(figures.smallUpload)} ms`;
}

function textReport(options: BenchOptions, measured: Measured): string {
  const rows = caseRows(measured.figures.ours, measured.figures.vsftpd);
  const tls = Object.entries(measured.tls).map(([name, value]) => `${name} ${value}`).join(', ');
  const met = rows.filter((row) => row.aimIsMet).length;
  return [
    `FTP benchmark: ${options.sizeMb} MB file, ${options.small} small transfers of ${options.smallBytes} bytes ` +
      'each way, on 127.0.0.1',
    formatTable(rows, options.runs),
    ...(tls === '' ? [] : [`TLS negotiated: ${tls}`]),
    `Aims met: ${met} of ${rows.length}`,
    machineLine(),
  ].join('\n');
}

function jsonReport(options: BenchOptions, measured: Measured): object {
  return {
    date: new Date().toISOString(),
    machine: machine(),
    options,
    tls: measured.tls,
    cases: caseRows(measured.figures.ours, measured.figures.vsftpd),
  };
}

/** Where the figures were taken. */
function machine(): Record<string, string | number> {
  return {
    node: process.version,
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    vsftpd: quietly('dpkg-query', ['-W', '-f', '${Version}', 'vsftpd']),
    ourServerCommit: quietly('git', ['rev-parse', '--short', 'HEAD']),
  };
}

function machineLine(): string {
  const { node, cores, cpu, memoryGiB, vsftpd, ourServerCommit } = machine();
  return `Node.js ${node}, ${cores} cores (${cpu}), ${memoryGiB} GiB; vsftpd ${vsftpd}; ` +
    `our server at commit ${ourServerCommit}`;
}

function quietly(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function wholeNumber(value: unknown, option: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new Error(`${option}: ${String(value)} is not a whole number >= 1`);
  }
  return number;
}

function once(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= work());
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  note(`bench:ftp: ${(error as Error).message}`);
  process.exitCode = 1;
}
