/**
 * The eStock app driven through Appium, screen by screen, behind the same
 * DeviceDriver interface as the virtual device: the virtual app through the
 * EstockVirtual driver, or the real app through UiAutomator2. What the
 * screens show is parsed into the reports the virtual device returns; a
 * refusal the app shows is a DeviceError with the app's words.
 */
import type { DeviceDriver, DeviceSettings, MovementInput, ReceiveReport, RecordedMovement, SendReport } from
  '../device-driver.ts';
import type { FtpTestResult } from '../../simulator/device/types.ts';
import type { DeviceProfile } from '../profile.ts';
import { Finder } from './finder.ts';
import { loadLocatorMap, loadLocatorMapFor, type LocatorMap } from './locator-map.ts';
import { answerPermissionDialogs } from './pages/permissions.ts';
import { enterMovement } from './pages/movement.ts';
import { screenOf, type Screen } from './pages/screen.ts';
import {
  closeSettings, openSettings, preferenceValues, runFtpTest, setPreference,
} from './pages/settings.ts';
import { lookUpStock, type StockRow } from './pages/stock.ts';
import { openAppUpdate, pendingOnSync, receiveOnSync, sendOnSync, showSync } from './pages/sync.ts';
import { appPackageOf, checkAppVersion, openSession, type AppiumServerAddress } from './session.ts';

export type { AppiumServerAddress, StockRow };

/** A device driven through Appium, with what a harness needs beyond DeviceDriver. */
export interface AppiumDevice extends DeviceDriver {
  /** The session: `appium:virtual` or `appium:uiautomator2` in `kind`. */
  readonly browser: WebdriverIO.Browser;
  readonly profile: DeviceProfile;
  /** The versionName installed, checked against the profile at open. */
  readonly appVersion: string;
  /** The locator map in use. */
  readonly locators: LocatorMap;
  /** The screen as a PNG. */
  screenshot(): Promise<Buffer>;
  /** The screen's hierarchy as XML. */
  pageSource(): Promise<string>;
  /** Clears the app's data, launches it again and answers its permission dialogs. */
  reset(): Promise<void>;
  /** The stock screen's rows for a lot or article. */
  lookUpStock(query: string): Promise<StockRow[]>;
  /** « Mouvements à envoyer », or undefined when the screen does not show it. */
  pendingMovements(): Promise<number | undefined>;
  /** « Mise à jour de l'application »: the address the browser opened. */
  openAppUpdate(): Promise<string>;
}

/** How to open an AppiumDevice: an existing session (`browser`) or a server to create one on. */
export interface OpenAppiumDeviceOptions {
  /** The device id this driver stands for. */
  deviceId: string;
  /** A profile from loadDeviceProfile, resolved for its slot. */
  profile: DeviceProfile;
  /** A session to use (e.g. WebdriverIO's in a wdio run); it is not deleted on close. */
  browser?: WebdriverIO.Browser;
  /** The Appium server to create a session on when no browser is given; the session is deleted on close. */
  server?: AppiumServerAddress;
  /** The exchange mapping (virtual driver only: `appium:estockMapping`). */
  mapping?: { format: string; version: string };
  /** Where the virtual driver keeps the app's data (`appium:estockDataDir`). */
  dataDir?: string;
  /** A locator map instead of the profile's `locators` file or the one that serves the installed version. */
  locators?: LocatorMap;
}

/** Addresses a device cannot reach the simulator at: they mean « this machine », which the profile names. */
const THIS_MACHINE = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::']);

/**
 * Opens the device: creates or takes the session, checks the installed
 * version against the profile (AppVersionError, a fault of the harness),
 * resets the app when the profile asks for it on a session it did not
 * create, and answers the first-launch permission dialogs.
 */
export async function openAppiumDevice(options: OpenAppiumDeviceOptions): Promise<AppiumDevice> {
  const { profile } = options;
  const isOwnSession = options.browser === undefined;
  const browser = options.browser ?? await openSession(profile, serverOf(options), extraCapabilities(options));
  try {
    await browser.setTimeout({ implicit: 0 });
    const appVersion = await checkAppVersion(browser, profile);
    const appPackage = appPackageOf(profile, browser);
    const locators = options.locators ??
      (profile.locators === undefined ? loadLocatorMapFor(appVersion) : loadLocatorMap(profile.locators));
    const screen = screenOf(new Finder(browser, locators, profile.timeouts.findMs), profile.timeouts.actionMs,
      options.deviceId, appPackage);
    if (!isOwnSession && profile.reset === 'fresh') await resetApp(browser, appPackage);
    const answered = await answerPermissionDialogs(screen);
    screen.log('opened %s %s on %s (%s), %d permission dialogs answered', appPackage, appVersion,
      profile.udid ?? profile.name, profile.kind, answered);
    return appiumDevice({ ...options, browser, screen, appVersion, locators, isOwnSession });
  } catch (error) {
    if (isOwnSession) await browser.deleteSession().catch(() => undefined);
    throw error;
  }
}

function serverOf(options: OpenAppiumDeviceOptions): AppiumServerAddress {
  if (options.server === undefined) {
    throw new Error(`openAppiumDevice ${options.deviceId}: give a browser (an open session) or a server`);
  }
  return options.server;
}

function extraCapabilities(options: OpenAppiumDeviceOptions): Record<string, unknown> {
  const { profile, dataDir, mapping } = options;
  if (profile.kind !== 'appium:virtual') return {};
  return {
    ...(dataDir !== undefined && { 'appium:estockDataDir': dataDir }),
    ...(mapping !== undefined && { 'appium:estockMapping': `${mapping.format}@${mapping.version}` }),
  };
}

async function resetApp(browser: WebdriverIO.Browser, appId: string): Promise<void> {
  await browser.execute('mobile: clearApp', { appId });
  await browser.execute('mobile: activateApp', { appId });
}

interface Opened extends OpenAppiumDeviceOptions {
  browser: WebdriverIO.Browser;
  screen: Screen;
  appVersion: string;
  locators: LocatorMap;
  isOwnSession: boolean;
}

function appiumDevice(opened: Opened): AppiumDevice {
  const { browser, screen, profile } = opened;
  let isClosed = false;
  return {
    deviceId: opened.deviceId,
    kind: profile.kind,
    browser, profile,
    appVersion: opened.appVersion,
    locators: opened.locators,
    configure: (settings) => configure(screen, profile, settings),
    testFtp: () => testFtp(screen),
    receive: () => receive(screen),
    move: (input) => move(screen, input),
    send: () => send(screen),
    screenshot: async () => Buffer.from(await browser.takeScreenshot(), 'base64'),
    pageSource: () => browser.getPageSource(),
    reset: async () => {
      await resetApp(browser, appPackageOf(profile, browser));
      await answerPermissionDialogs(screen);
    },
    lookUpStock: (query) => lookUpStock(screen, query),
    pendingMovements: async () => {
      await showSync(screen);
      return pendingOnSync(screen);
    },
    openAppUpdate: () => openAppUpdate(screen),
    close: async () => {
      if (isClosed) return;
      isClosed = true;
      if (opened.isOwnSession) await browser.deleteSession();
    },
  };
}

async function configure(screen: Screen, profile: DeviceProfile, settings: DeviceSettings): Promise<void> {
  const { ftp } = settings;
  // The simulator listens on this machine; the device reaches it at the profile's address (10.0.2.2, the LAN).
  const host = THIS_MACHINE.has(ftp.host) ? profile.simulator.host : ftp.host;
  if (ftp.tls !== undefined && ftp.tls !== false && ftp.tls !== 'off') {
    screen.log('FTP over TLS (%s) has no setting on the screen: the app decides', String(ftp.tls));
  }
  const started = Date.now();
  await openSettings(screen);
  // A refused value throws with its dialog still open: the evidence shows it, the next action leaves it.
  const values = { deviceId: settings.deviceId, user: ftp.user, password: ftp.password, host, port: ftp.port,
    login: settings.login };
  for (const [name, value] of preferenceValues(values)) await setPreference(screen, name, value);
  screen.log('configured: FTP %s@%s:%d, login %s (%d ms on the screen)', ftp.user, host, ftp.port,
    settings.login ?? '(none)', Date.now() - started);
  await closeSettings(screen);
  await applySyncSettings(screen, profile, settings.sync);
}

/**
 * The sync settings (timeout, attempts, pause, upload mode) have no screen.
 * The virtual app takes them by its own `mobile: estockSyncSettings`; a real
 * app keeps its own habits, which are unknown, and the log says so plainly.
 */
export async function applySyncSettings(screen: Screen, profile: Pick<DeviceProfile, 'kind'>,
  sync: DeviceSettings['sync']): Promise<void> {
  const given = Object.entries(sync ?? {}).filter(([, value]) => value !== undefined);
  if (given.length === 0) return;
  const listed = given.map(([key, value]) => `${key} ${String(value)}`).join(', ');
  if (profile.kind !== 'appium:virtual') {
    screen.log('sync settings NOT applied (%s): the real app has no such settings; its own timeout, retries ' +
      'and upload habits apply', listed);
    return;
  }
  await screen.finder.browser.execute('mobile: estockSyncSettings', Object.fromEntries(given));
  screen.log('sync settings applied to the virtual app: %s', listed);
}

async function testFtp(screen: Screen): Promise<FtpTestResult> {
  const started = Date.now();
  await openSettings(screen);
  const { ok, message } = await runFtpTest(screen);
  // A failure stays on the screen (its dialog) for the evidence of the step that expected success.
  if (ok) await closeSettings(screen);
  return { ok, message, ms: Date.now() - started };
}

async function receive(screen: Screen): Promise<ReceiveReport> {
  const started = Date.now();
  const { groups } = await receiveOnSync(screen);
  return {
    tables: Number(groups.tables), rows: Number(groups.rows), bytes: Number(groups.bytes),
    dataVersion: groups.dataVersion ?? '',
    exportDate: (groups.exportDate ?? '').replace(' ', 'T'),
    ms: groups.ms === undefined ? Date.now() - started : Number(groups.ms),
  };
}

async function move(screen: Screen, input: MovementInput): Promise<RecordedMovement> {
  const { groups } = await enterMovement(screen, input);
  return {
    id: groups.id ?? '',
    input,
    article: groups.article ?? input.article ?? '',
    lotIsNew: groups.newLot !== undefined,
    recordedAt: groups.recordedAt ?? '',
  };
}

async function send(screen: Screen): Promise<SendReport> {
  const started = Date.now();
  const { message, groups } = await sendOnSync(screen);
  const ms = groups.ms === undefined ? Date.now() - started : Number(groups.ms);
  if (message === 'sync.nothingToSend') return { movements: 0, lots: 0, bytes: 0, ms };
  return { file: groups.file, movements: Number(groups.movements), lots: Number(groups.lots),
    bytes: Number(groups.bytes), ms };
}
