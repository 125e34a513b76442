/**
 * Opening an Appium session from a device profile, and what is checked on it
 * before anything else: the installed app's version, read the way Android
 * tells it (`dumpsys package`).
 */
import { remote } from 'webdriverio';
import { logger } from '../../simulator/log.ts';
import type { DeviceProfile } from '../profile.ts';
import { AppVersionError } from './harness-errors.ts';

/** Where an Appium server listens: what startAppiumServer returns, or a running server's URL split up. */
export interface AppiumServerAddress {
  hostname: string;
  port: number;
  /** The base path, `/` for Appium 3's default. */
  path: string;
}

/** Capabilities added to the profile's for one session (the virtual driver's data folder, mapping). */
export type ExtraCapabilities = Record<string, unknown>;

/**
 * Creates a session on `server` with the profile's capabilities and `extra`.
 * Throws a plain Error (a fault of the harness) naming the profile, the slot
 * and the server, with the server's reason, when no session is created.
 */
export async function openSession(
  profile: DeviceProfile,
  server: AppiumServerAddress,
  extra: ExtraCapabilities = {},
): Promise<WebdriverIO.Browser> {
  const capabilities = { ...profile.capabilities, ...extra } as WebdriverIO.Capabilities;
  const started = Date.now();
  // Silent: every failed command is thrown to the caller, who words it; WebdriverIO's own lines would repeat it.
  let browser: WebdriverIO.Browser;
  try {
    browser = await remote({
      hostname: server.hostname, port: server.port, path: server.path, logLevel: 'silent',
      connectionRetryCount: 0, capabilities,
    });
  } catch (error) {
    throw new Error(`no Appium session for profile ${profile.name} (${profile.file}), slot ${profile.slot}, on ` +
      `${server.hostname}:${server.port}${server.path}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  logger('hil:appium', profile.name)('session %s on %s:%d%s for slot %d (%d ms)', browser.sessionId,
    server.hostname, server.port, server.path, profile.slot, Date.now() - started);
  return browser;
}

/** The URL of a running Appium server (`--appium-url http://127.0.0.1:4723/`) as an address. */
export function serverAddressOf(url: string): AppiumServerAddress {
  const parsed = new URL(url);
  return { hostname: parsed.hostname, port: Number(parsed.port || 4723), path: parsed.pathname || '/' };
}

/** The application id the session runs: the profile's, else the one the driver reports. */
export function appPackageOf(profile: DeviceProfile, browser: WebdriverIO.Browser): string {
  const caps = browser.capabilities as Record<string, unknown>;
  const reported = caps['appium:appPackage'] ?? caps.appPackage;
  const appPackage = profile.appPackage ?? (typeof reported === 'string' ? reported : undefined);
  if (appPackage === undefined) {
    throw new AppVersionError(`${profile.file}: appPackage: the profile names no application id and the ` +
      'session reports none; fill in appPackage so that the installed version can be checked');
  }
  return appPackage;
}

/** The versionName `dumpsys package <appPackage>` reports, through `mobile: shell`. */
export async function installedVersion(browser: WebdriverIO.Browser, appPackage: string): Promise<string> {
  let output: unknown;
  try {
    output = await browser.execute('mobile: shell', { command: 'dumpsys', args: ['package', appPackage] });
  } catch (error) {
    throw new AppVersionError(`cannot read the installed version of ${appPackage} (mobile: shell dumpsys ` +
      `package): ${(error as Error).message.split('\n')[0]}; the Appium server must allow it ` +
      '(appium --allow-insecure "*:adb_shell")', { cause: error });
  }
  const version = /versionName=(\S+)/.exec(String(output))?.[1];
  if (version === undefined) {
    throw new AppVersionError(`${appPackage} is not installed on the device: dumpsys package reports no ` +
      'versionName; install the app (the profile\'s app, or --app)');
  }
  return version;
}

/** Whether an installed version is the one expected: equal, or within it (2.1.3 is within 2.1). */
export function versionMatches(installed: string, expected: string): boolean {
  const have = installed.split('.');
  return expected.split('.').every((part, index) => have[index] !== undefined && Number(have[index]) === Number(part));
}

/** Reads the installed version and throws AppVersionError when it is not the profile's. */
export async function checkAppVersion(browser: WebdriverIO.Browser, profile: DeviceProfile): Promise<string> {
  const appPackage = appPackageOf(profile, browser);
  const installed = await installedVersion(browser, appPackage);
  if (!versionMatches(installed, profile.appVersion)) {
    throw new AppVersionError(`${appPackage} ${installed} is installed, the profile ${profile.name} expects ` +
      `${profile.appVersion} (${profile.file}, appVersion): install ${profile.appVersion}, or use a profile ` +
      `for ${installed} with its locator map`);
  }
  return installed;
}
