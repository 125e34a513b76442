/**
 * The system user vsftpd logs the benchmark in as: vsftpd serves local
 * accounts only (anonymous logins cannot write), so the benchmark needs one
 * of its own. It is created if missing (which needs root), without a login
 * shell, and on every run given a new random password and, as its home,
 * the folder vsftpd serves in that run (vsftpd refuses a login whose home
 * does not exist, whatever its local_root).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** The login of the benchmark's system user. */
export const BENCH_USER = 'estock-bench';

/** A system user ready for a vsftpd login. */
export interface BenchUser {
  login: string;
  password: string;
  uid: number;
  gid: number;
  /** True when this run created the user. */
  wasCreated: boolean;
}

/**
 * Makes sure BENCH_USER exists, with `home` as its home, and sets its
 * password. Throws, saying to run as root, when that cannot be done.
 */
export function prepareBenchUser(home: string): BenchUser {
  let entry = passwdEntry(BENCH_USER);
  const wasCreated = entry === undefined;
  if (entry === undefined) {
    run('useradd', ['--system', '--no-create-home', '--home-dir', home,
      '--shell', '/usr/sbin/nologin', '--comment', 'estock-hil FTP benchmark (vsftpd login)', BENCH_USER]);
    entry = passwdEntry(BENCH_USER);
    if (entry === undefined) throw new Error(`useradd ran but there is still no user ${BENCH_USER}`);
  }
  if (!wasCreated) run('usermod', ['--home', home, BENCH_USER]);
  const password = randomBytes(12).toString('base64url');
  run('chpasswd', [], `${BENCH_USER}:${password}\n`);
  return { login: BENCH_USER, password, uid: entry.uid, gid: entry.gid, wasCreated };
}

function passwdEntry(login: string): { uid: number; gid: number } | undefined {
  try {
    const fields = execFileSync('getent', ['passwd', login], { encoding: 'utf8' }).split(':');
    return { uid: Number(fields[2]), gid: Number(fields[3]) };
  } catch {
    return undefined;
  }
}

function run(command: string, args: string[], input?: string): void {
  try {
    execFileSync(command, args, { input, stdio: ['pipe', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? (error as Error).message;
    throw new Error(`${command} for the vsftpd benchmark user ${BENCH_USER} failed: ${stderr}; ` +
      'the benchmark must run as root to create that user and set its password', { cause: error });
  }
}
