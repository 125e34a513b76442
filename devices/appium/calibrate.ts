/**
 * Calibration: a walk through every screen of the app, saving each screen's
 * hierarchy (`<nn>-<screen>.xml`) and picture (`.png`), and an index.json
 * telling, per screen, which logical names of the locator map were found and
 * by which locator. It is what a person writes a locator map for a new app
 * version from (docs/devices.md). A step that fails is recorded in the index
 * and the walk goes on from the synchronisation screen.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceProfile } from '../profile.ts';
import { describeLocator, Finder } from './finder.ts';
import {
  ELEMENT_NAMES, listLocatorMaps, loadLocatorMap, loadLocatorMapFor, LOCATORS_FOLDER, mapVersionFor,
  type ElementName, type LocatorMap,
} from './locator-map.ts';
import { openMovement } from './pages/movement.ts';
import { answerPermissionDialogs } from './pages/permissions.ts';
import { back, screenOf, tap, type Screen } from './pages/screen.ts';
import { waitForResult } from './pages/result-text.ts';
import { closeSettings, openSettings, scrollToTestFtp } from './pages/settings.ts';
import { openStock } from './pages/stock.ts';
import { showSync } from './pages/sync.ts';
import { appPackageOf, installedVersion, openSession, versionMatches, type AppiumServerAddress } from './session.ts';

/** What a calibration needs. */
export interface CalibrateOptions {
  profile: DeviceProfile;
  /** The folder the files are written to (created). */
  out: string;
  /** A session to use; else one is created on `server` and deleted at the end. */
  browser?: WebdriverIO.Browser;
  server?: AppiumServerAddress;
  /**
   * A locator map file instead of the profile's `locators` or the one serving the installed version (or the
   * newest).
   */
  locators?: string;
  /** Also run « Test FTP » with the app's current settings and save its result. */
  testFtp?: boolean;
  /** Extra capabilities (the virtual driver's data folder). */
  capabilities?: Record<string, unknown>;
  /** Called with each screen saved, e.g. to print progress. */
  onScreen?: (screen: CalibratedScreen) => void;
}

/** One screen of the walk as index.json lists it. */
export interface CalibratedScreen {
  /** `03-settings-top`: the base name of its `.xml` and `.png`. */
  file: string;
  screen: string;
  activity?: string;
  /** The locator map's screen group(s) this screen is (`Settings`, `Dialog`...): the names it should show. */
  groups: string[];
  /** Each name of those groups found on this screen, with the locator that found it. */
  found: Record<string, string>;
  /** The names of those groups not found on this screen. */
  missing: string[];
  /**
   * Names of other groups whose locator matched here too: a locator too loose (it would match on the wrong
   * screen), or a screen drawn over another (a menu, a dialog).
   */
  alsoMatched: Record<string, string>;
  /** Why the walk could not reach or leave this screen, when it could not. */
  error?: string;
}

/** What index.json holds: the device and app walked, the map used, each screen saved, the steps that failed. */
export interface CalibrationIndex {
  profile: string;
  udid?: string;
  appPackage: string;
  appVersion: string;
  /** Whether the installed version is the one the profile expects. */
  appVersionIsExpected: boolean;
  locatorMap: string;
  startedAt: string;
  screens: CalibratedScreen[];
  /** Steps of the walk that failed before their screen could be saved. */
  errors: string[];
}

/**
 * Walks the app and writes the files; returns the index, also written as
 * index.json. Throws only when no session can be opened or the app's version
 * cannot be read.
 */
export async function calibrate(options: CalibrateOptions): Promise<CalibrationIndex> {
  const { profile } = options;
  mkdirSync(options.out, { recursive: true });
  // A map given (--locators, else the profile's) is read before the session: a wrong one is said at once.
  const mapFile = options.locators ?? profile.locators;
  const givenMap = mapFile === undefined ? undefined : loadLocatorMap(mapFile);
  const isOwnSession = options.browser === undefined;
  const browser = options.browser ?? await openSession(profile, serverOf(options), options.capabilities);
  try {
    await browser.setTimeout({ implicit: 0 });
    const appPackage = appPackageOf(profile, browser);
    const appVersion = await installedVersion(browser, appPackage);
    const locatorMap = givenMap ?? chooseMap(appVersion);
    const screen = screenOf(new Finder(browser, locatorMap, profile.timeouts.findMs), profile.timeouts.actionMs,
      `calibrate ${profile.name}`, appPackage);
    const index: CalibrationIndex = {
      profile: profile.name, udid: profile.udid, appPackage, appVersion,
      appVersionIsExpected: versionMatches(appVersion, profile.appVersion), locatorMap: locatorMap.source,
      startedAt: new Date().toISOString(), screens: [], errors: [],
    };
    await walk(new Walk(screen, options, index));
    writeFileSync(join(options.out, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
    return index;
  } finally {
    if (isOwnSession) await browser.deleteSession().catch(() => undefined);
  }
}

function serverOf(options: CalibrateOptions): AppiumServerAddress {
  if (options.server === undefined) throw new Error('calibrate: give a browser (an open session) or a server');
  return options.server;
}

function chooseMap(appVersion: string): LocatorMap {
  if (mapVersionFor(appVersion, listLocatorMaps()) !== undefined) return loadLocatorMapFor(appVersion);
  // A version without its map yet, the very case calibration is for: start from the newest map.
  const newest = listLocatorMaps().sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
  if (newest === undefined) throw new Error(`no locator map in ${LOCATORS_FOLDER}`);
  return loadLocatorMap(join(LOCATORS_FOLDER, `${newest}.yaml`));
}

/** The walk's state: the screen, where files go, the index being filled. */
class Walk {
  readonly screen: Screen;
  readonly options: CalibrateOptions;
  readonly index: CalibrationIndex;
  /** False once the driver has said it cannot tell the activity (the virtual driver). */
  private canTellActivity = true;

  constructor(screen: Screen, options: CalibrateOptions, index: CalibrationIndex) {
    this.screen = screen;
    this.options = options;
    this.index = index;
  }

  /** Saves the current screen under the next number. */
  async save(name: string): Promise<void> {
    const { browser } = this.screen.finder;
    const file = `${String(this.index.screens.length + 1).padStart(2, '0')}-${name}`;
    writeFileSync(join(this.options.out, `${file}.xml`), await browser.getPageSource());
    writeFileSync(join(this.options.out, `${file}.png`), Buffer.from(await browser.takeScreenshot(), 'base64'));
    const activity = await this.activity();
    const groups = groupsOf(name, this.screen);
    const { found, missing, alsoMatched } = await presentNames(this.screen, groups);
    const saved: CalibratedScreen = { file, screen: name, ...(activity && { activity }), groups, found, missing,
      alsoMatched };
    this.index.screens.push(saved);
    this.options.onScreen?.(saved);
  }

  private async activity(): Promise<string | undefined> {
    if (!this.canTellActivity) return undefined;
    try {
      return await this.screen.finder.browser.getCurrentActivity();
    } catch {
      this.canTellActivity = false;
      return undefined;
    }
  }

  /** Runs one step; a failure is recorded and the walk goes back to the synchronisation screen. */
  async step(name: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.index.errors.push(`${name}: ${(error as Error).message}`);
      this.screen.log('calibrate step %s failed: %s', name, (error as Error).message);
      await showSync(this.screen).catch(() => undefined);
    }
  }
}

async function walk(walk: Walk): Promise<void> {
  const { screen } = walk;
  await walk.step('permissions', () => permissionDialogs(walk));
  await walk.step('sync', async () => {
    await showSync(screen);
    await walk.save('sync');
  });
  await walk.step('menu', async () => {
    await tap(screen, 'menu.more');
    await screen.finder.find('menu.appUpdate');
    await walk.save('menu');
    await back(screen);
    await showSync(screen);
  });
  await walk.step('settings', () => settingsScreens(walk));
  await walk.step('stock', async () => {
    await openStock(screen);
    await walk.save('stock');
    await back(screen);
  });
  await walk.step('movement', () => movementScreens(walk));
  await walk.step('app update', async () => {
    await showSync(screen);
    await tap(screen, 'menu.more');
    await tap(screen, 'menu.appUpdate');
    await screen.finder.find('browser.url');
    await walk.save('browser');
    await back(screen);
    await showSync(screen);
  });
}

async function permissionDialogs(walk: Walk): Promise<void> {
  await answerPermissionDialogs(walk.screen, (dialog) => walk.save(`permission-${dialog}`));
}

async function settingsScreens(walk: Walk): Promise<void> {
  const { screen } = walk;
  await openSettings(screen);
  await walk.save('settings-top');
  await tap(screen, 'settings.deviceId');
  await screen.finder.find('dialog.edit');
  await walk.save('settings-dialog');
  await tap(screen, 'dialog.cancel');
  const testFtp = await scrollToTestFtp(screen);
  await walk.save('settings-bottom');
  if (walk.options.testFtp) {
    await testFtp.click();
    await waitForResult(screen, { status: 'dialog.title', messages: ['ftpTest.succeeded', 'ftpTest.failed'],
      before: undefined, what: 'the « Test FTP » dialog' });
    await walk.save('test-ftp');
    await tap(screen, 'dialog.ok');
  }
  await closeSettings(screen);
}

async function movementScreens(walk: Walk): Promise<void> {
  const { screen } = walk;
  await openMovement(screen);
  await walk.save('movement');
  await tap(screen, 'movement.type');
  await screen.finder.find('movement.type.transfer');
  await walk.save('movement-type');
  await tap(screen, 'movement.type.entry');
  await back(screen);
  await showSync(screen);
}

/** Locators that change the screen when tried: never tried while only looking. */
function hasSideEffect(value: string): boolean {
  return value.includes('UiScrollable');
}

/**
 * The map's screen groups of each screen the walk saves (by its name without a number: `permission-2` is
 * `permission`). The overflow menu's entries are in the synchronisation screen's group.
 */
const SCREEN_GROUPS: Record<string, readonly string[]> = {
  'permission': ['Permissions'],
  'sync': ['Synchronisation'],
  'menu': ['Synchronisation'],
  'settings-top': ['Settings'],
  'settings-bottom': ['Settings'],
  'settings-dialog': ['Dialog'],
  'test-ftp': ['Dialog'],
  'stock': ['Stock'],
  'movement': ['Movement'],
  'movement-type': ['Movement'],
  'browser': ['Browser'],
};

/** The groups a saved screen is; every group of the map when the map names its groups otherwise. */
function groupsOf(name: string, screen: Screen): string[] {
  const inMap = new Set(ELEMENT_NAMES.map((element) => screen.finder.element(element).screen));
  const groups = (SCREEN_GROUPS[name.replace(/-\d+$/, '')] ?? []).filter((group) => inMap.has(group));
  return groups.length > 0 ? groups : [...inMap];
}

interface PresentNames {
  found: Record<string, string>;
  missing: ElementName[];
  alsoMatched: Record<string, string>;
}

async function presentNames(screen: Screen, groups: readonly string[]): Promise<PresentNames> {
  const found: Record<string, string> = {};
  const missing: ElementName[] = [];
  const alsoMatched: Record<string, string> = {};
  for (const name of ELEMENT_NAMES) {
    const isOfScreen = groups.includes(screen.finder.element(name).screen);
    let hit: string | undefined;
    for (const locator of screen.finder.element(name).locators) {
      const described = describeLocator(locator);
      if (hasSideEffect(described)) continue;
      if (await screen.finder.tryOne(locator) !== undefined) {
        hit = described;
        break;
      }
    }
    if (hit === undefined) {
      if (isOfScreen) missing.push(name);
    } else if (isOfScreen) {
      found[name] = hit;
    } else {
      alsoMatched[name] = hit;
    }
  }
  return { found, missing, alsoMatched };
}
