/**
 * Starts a real Appium server on 127.0.0.1 with the EstockVirtual driver (and
 * UiAutomator2, for real devices), for tests, page objects and calibration:
 *
 *     const appium = await startAppiumServer({ logFile: 'reports/appium.log' });
 *     const driver = await remote({ hostname: appium.hostname, port: appium.port, path: appium.path,
 *       capabilities: { platformName: 'Android', 'appium:automationName': 'EstockVirtual', 'appium:app': APP } });
 *     ...
 *     await appium.stop();
 *
 * Appium runs as `node <appium's main>` (never npx, whose child would outlive
 * a kill) with an APPIUM_HOME of its own: a temporary folder whose
 * node_modules links to this driver's folder and to UiAutomator2's package.
 * Appium's home detection would otherwise follow node_modules to the package
 * of the main checkout (a git worktree shares main's node_modules) and keep a
 * driver manifest that goes stale; a fresh home each start has neither problem.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { HilError } from '../errors.ts';
import { logger } from '../log.ts';

/** The folder of this driver package (the one Appium loads). */
export const DRIVER_FOLDER = dirname(fileURLToPath(import.meta.url));

/** The app file of eStock 2.1.0, for `appium:app`. */
export const ESTOCK_APP_FILE = join(DRIVER_FOLDER, 'apps', 'estock-2.1.0.json');

/** How long Appium may take to answer GET /status after it is spawned, in milliseconds. */
export const APPIUM_START_TIMEOUT_MS = 30_000;

/** How to start the server; everything is optional. */
export interface AppiumServerOptions {
  /** Default: a free port of 127.0.0.1. */
  port?: number;
  /** Appium's own log (stdout and stderr) is appended to this file; default: kept in memory for errors only. */
  logFile?: string;
  /** Appium's `--log-level`; default `info` with a log file, `warn` without. */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

/** A running Appium server: where webdriverio reaches it, and how to stop it. */
export interface StartedAppiumServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly hostname: '127.0.0.1';
  readonly port: number;
  /** The base path, `/`. */
  readonly path: string;
  /** Stops Appium (SIGTERM, then SIGKILL after 5 s) and deletes its home. */
  stop(): Promise<void>;
}

/** Appium did not start: the message has what it waited for and the last lines of its log. */
export class AppiumStartError extends HilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('APPIUM_START', message, options);
  }
}

/** Listens on `port` of 127.0.0.1 (0: any) for a moment; resolves the port, or rejects if it is taken. */
function tryPort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

// Appium given a port in use does not always exit, and GET /status would then reach the other server:
// a port asked for is checked first.
async function portToUse(port: number | undefined): Promise<number> {
  try {
    return await tryPort(port ?? 0);
  } catch (error) {
    throw new AppiumStartError(`cannot start Appium on 127.0.0.1:${port}: the port is in use ` +
      `(${(error as Error).message}); give another port or none`, { cause: error });
  }
}

/** An APPIUM_HOME made for one Appium run; `remove()` deletes it. */
export interface AppiumHome {
  readonly folder: string;
  remove(): void;
}

/**
 * Makes a throwaway APPIUM_HOME whose node_modules links only this checkout's
 * EstockVirtual driver and UiAutomator2. startAppiumServer makes its own; a
 * wdio config whose appium-service starts Appium can set
 * `process.env.APPIUM_HOME = createAppiumHome().folder` (the service passes
 * its environment on), so that a git worktree loads its own driver.
 */
export function createAppiumHome(): AppiumHome {
  const folder = makeAppiumHome();
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

function makeAppiumHome(): string {
  const require = createRequire(import.meta.url);
  const home = mkdtempSync(join(tmpdir(), 'estock-appium-home-'));
  writeFileSync(join(home, 'package.json'), JSON.stringify({
    name: 'estock-appium-home', private: true, devDependencies: { appium: '^3.8.0' },
  }));
  mkdirSync(join(home, 'node_modules'));
  symlinkSync(DRIVER_FOLDER, join(home, 'node_modules', 'appium-estock-virtual-driver'), 'dir');
  symlinkSync(dirname(require.resolve('appium-uiautomator2-driver/package.json')),
    join(home, 'node_modules', 'appium-uiautomator2-driver'), 'dir');
  return home;
}

async function statusAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}status`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}

/**
 * Starts Appium on 127.0.0.1 with the drivers `estock-virtual` and
 * `uiautomator2` and `--allow-insecure *:adb_shell` (for `mobile: shell`),
 * and waits until GET /status answers. Throws AppiumStartError when the port
 * asked for is in use, or with the last lines of Appium's log when it exits
 * or does not answer in APPIUM_START_TIMEOUT_MS.
 */
export async function startAppiumServer(options: AppiumServerOptions = {}): Promise<StartedAppiumServer> {
  const log = logger('hil:appium', 'server');
  const port = await portToUse(options.port);
  const home = makeAppiumHome();
  const appiumMain = createRequire(import.meta.url).resolve('appium');
  const args = [appiumMain, '--address', '127.0.0.1', '--port', String(port), '--base-path', '/',
    '--use-drivers', 'estock-virtual,uiautomator2', '--allow-insecure', '*:adb_shell',
    '--log-level', options.logLevel ?? (options.logFile === undefined ? 'warn' : 'info'), '--log-no-colors'];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, APPIUM_HOME: home, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  const file = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      file?.write(chunk);
      recent.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      recent.splice(0, Math.max(0, recent.length - 30));
    });
  }

  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    await stopChild(child);
    file?.end();
    rmSync(home, { recursive: true, force: true });
    log('stopped %s', url);
  };
  const started = performance.now();
  while (!(await statusAnswers(url) && child.exitCode === null)) {
    const waited = performance.now() - started;
    if (child.exitCode !== null || waited > APPIUM_START_TIMEOUT_MS) {
      await stop();
      throw new AppiumStartError(`Appium on ${url} ${child.exitCode === null ? `did not answer GET /status in ` +
        `${APPIUM_START_TIMEOUT_MS} ms` : `exited with code ${child.exitCode}`}; last lines of its log:\n` +
        recent.join('\n'));
    }
    await sleep(100);
  }
  log('started %s (pid %d) in %d ms', url, child.pid, Math.round(performance.now() - started));
  return { url, hostname: '127.0.0.1', port, path: '/', stop };
}
