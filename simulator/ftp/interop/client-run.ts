/**
 * Running a third-party FTP client as a child process: a check that the tool
 * is installed, naming the Debian package when it is not, and a run that
 * gives its output or fails with its exit code and standard error.
 */
import { execFile } from 'node:child_process';

/** What a client run wrote. */
export interface ToolOutput {
  stdout: string;
  stderr: string;
}

/** How to run one client. */
export interface ToolRun {
  /** Written to the standard input, then closed. */
  input?: string;
  /** Default CLIENT_TIMEOUT_MS. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** No client run of these tests should need more than a few seconds; a hung one is killed. */
export const CLIENT_TIMEOUT_MS = 20_000;

// Clients turn file names from and to the locale's charset: a UTF-8 locale keeps them as they are.
const UTF8_ENV = { LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };

/**
 * Throws unless `command versionArgument` runs, with a message naming the
 * Debian package to install. Call it in a `before` hook.
 */
export async function requireTool(command: string, versionArgument: string, debianPackage: string)
  : Promise<void> {
  try {
    await runTool(command, [versionArgument], { timeoutMs: 10_000 });
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new Error(`${command} is missing or broken on this machine (${reason}); install it with ` +
      `"apt-get install ${debianPackage}" (.ci/run does it in CI)`, { cause: error });
  }
}

/**
 * Runs `command` with a UTF-8 locale, and resolves with its output when it
 * exits with 0. Rejects with the exit code (or the signal) and both outputs otherwise.
 */
export function runTool(command: string, args: readonly string[], options: ToolRun = {})
  : Promise<ToolOutput> {
  const timeout = options.timeoutMs ?? CLIENT_TIMEOUT_MS;
  const env = { ...process.env, ...UTF8_ENV, ...options.env };
  return new Promise((resolve, reject) => {
    // execFile, not execFileSync: the server under test answers from this very process.
    const child = execFile(command, args, { env, timeout, maxBuffer: 64 << 20, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr });
          return;
        }
        const status = error.killed
          ? `was killed after ${timeout} ms`
          : `exited with ${error.code ?? error.signal}`;
        reject(new Error(`${command} ${status}\nstderr: ${stderr.trim()}\nstdout: ${stdout.trim()}`,
          { cause: error }));
      });
    child.stdin?.end(options.input ?? '');
  });
}
