/**
 * vsftpd, the reference of the FTP benchmark, started by the benchmark
 * itself: its own config file in a temporary folder, listening on a free
 * port of 127.0.0.1, a local user's login into its home, passive ports, writes, and
 * explicit TLS (optional, as our production setting) with the benchmark's
 * certificate.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { BenchUser } from './bench-user.ts';
import type { CertificatePair } from './self-signed-cert.ts';
import type { BenchTarget } from './target.ts';

/** Where Debian's package installs it. */
export const VSFTPD_BINARY = '/usr/sbin/vsftpd';

/** How long vsftpd may take to greet a first connection, in milliseconds. */
export const VSFTPD_START_TIMEOUT_MS = 5_000;

const HOST = '127.0.0.1';
// No PAM file of that name exists, so PAM applies /etc/pam.d/other (pam_unix on Debian). The
// `vsftpd` service would also run pam_shells, which refuses the benchmark user's nologin shell.
const PAM_SERVICE = 'estock-hil-bench';

/** Thrown when vsftpd is not installed. */
export class VsftpdMissingError extends Error {
  constructor() {
    super(`vsftpd is not installed (no ${VSFTPD_BINARY}): apt-get install vsftpd`);
  }
}

/** How to start vsftpd. */
export interface VsftpdOptions {
  /** A folder of its own for the config file and the log; the caller removes it. */
  folder: string;
  /** The folder served, the user's home; created and given to the user. */
  root: string;
  user: BenchUser;
  cert: CertificatePair;
  passivePorts: { min: number; max: number };
}

/**
 * Writes the config, starts vsftpd in a process group of its own and resolves
 * once it greets a connection. Throws VsftpdMissingError, or an error with
 * vsftpd's own output when it exits or stays silent.
 */
export async function startVsftpd(options: VsftpdOptions): Promise<BenchTarget> {
  if (!existsSync(VSFTPD_BINARY)) throw new VsftpdMissingError();
  const { folder, root, user } = options;
  const emptyFolder = join(folder, 'empty');
  mkdirSync(root, { recursive: true });
  mkdirSync(emptyFolder, { recursive: true });
  chownSync(root, user.uid, user.gid);
  const port = await freePort();
  const configFile = join(folder, 'vsftpd.conf');
  writeFileSync(configFile, vsftpdConfig({ ...options, port, emptyFolder }));

  // Detached: vsftpd forks a process per session, and the whole group must go at stop.
  const child = spawn(VSFTPD_BINARY, [configFile], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (text: Buffer) => void (output += text.toString()));
  child.stderr.on('data', (text: Buffer) => void (output += text.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const kill = (): void => killGroup(child, 'SIGKILL');
  try {
    await untilGreeting(port, child, () => output);
  } catch (error) {
    kill();
    throw error;
  }
  return {
    name: 'vsftpd', host: HOST, port, login: user.login, password: user.password, root,
    stop: async () => {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(kill, 2_000);
      await exited;
      clearTimeout(timer);
    },
    kill,
  };
}

interface ConfigValues extends VsftpdOptions {
  port: number;
  emptyFolder: string;
}

function vsftpdConfig(values: ConfigValues): string {
  const settings: Record<string, string | number> = {
    listen: 'YES',
    listen_ipv6: 'NO',
    listen_address: HOST,
    listen_port: values.port,
    background: 'NO',
    anonymous_enable: 'NO',
    local_enable: 'YES',
    write_enable: 'YES',
    local_umask: '022',
    pam_service_name: PAM_SERVICE,
    secure_chroot_dir: values.emptyFolder,
    connect_from_port_20: 'NO',
    pasv_enable: 'YES',
    pasv_min_port: values.passivePorts.min,
    pasv_max_port: values.passivePorts.max,
    dirmessage_enable: 'NO',
    // A log of every command and transfer, as our server's transcripts, so both pay for one.
    xferlog_enable: 'YES',
    xferlog_std_format: 'NO',
    log_ftp_protocol: 'YES',
    vsftpd_log_file: join(values.folder, 'vsftpd.log'),
    ssl_enable: 'YES',
    rsa_cert_file: values.cert.certFile,
    rsa_private_key_file: values.cert.keyFile,
    allow_anon_ssl: 'NO',
    force_local_logins_ssl: 'NO',
    force_local_data_ssl: 'NO',
    require_ssl_reuse: 'NO',
    // The default, DES-CBC3-SHA, is refused by OpenSSL 3; our server gets Node's default list.
    ssl_ciphers: 'HIGH',
    // Our server asks no client certificate either.
    ssl_request_cert: 'NO',
    // The seccomp sandbox kills sessions in containers whose kernels filter its calls.
    seccomp_sandbox: 'NO',
  };
  return Object.entries(settings).map(([key, value]) => `${key}=${value}\n`).join('');
}

/** Resolves when a connection to `port` gets vsftpd's 220 greeting. */
async function untilGreeting(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + VSFTPD_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`vsftpd exited at start (${child.exitCode ?? child.signalCode}): ${output().trim()}`);
    }
    if (await greets(port)) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`vsftpd did not greet on ${HOST}:${port} within ${VSFTPD_START_TIMEOUT_MS} ms: ` +
    `${output().trim() || 'no output'}`);
}

function greets(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect(port, HOST);
    const done = (greeted: boolean): void => {
      socket.destroy();
      answer(greeted);
    };
    socket.once('data', (text: Buffer) => done(text.toString().startsWith('220')));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((answer, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? answer(address.port) :
        fail(new Error('no port for vsftpd'))));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
