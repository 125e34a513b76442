/**
 * EstockVirtualDriver: the Appium driver (automation name EstockVirtual) that
 * shows the virtual eStock app the way UiAutomator2 shows the real one:
 * screens as view hierarchies, elements found by UiAutomator2's strategies,
 * clicks that start the device's real FTP work (docs/virtual-app.md).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BaseDriver, errors, W3C_ELEMENT_KEY } from '@appium/base-driver';
import type { DriverCaps, DriverData, Element, Rect, W3CDriverCaps } from '@appium/types';
import type { SyncSettings } from '../../device/index.ts';
import { logger } from '../../log.ts';
import { openAppSession, type AppSession } from './app-session.ts';
import type { VirtualApp } from './app/virtual-app.ts';
import { CAPABILITY_CONSTRAINTS, sessionOptions, type EstockConstraints } from './capabilities.ts';
import { ElementRegistry } from './element-registry.ts';
import { findNodes, LOCATOR_STRATEGIES, type SearchScope } from './locators.ts';
import { currentActivity, MOBILE_COMMANDS, runAppCommand, runShell, type MobileCommandName }
  from './mobile-commands.ts';
import { readAttribute } from './node-attributes.ts';
import { renderPageSource } from './page-source.ts';
import { performPointerActions, scrollIntoView } from './gestures.ts';
import { drawScreenshot } from './screenshot.ts';
import { applySyncSettings } from './sync-settings-command.ts';
import { topWindow } from './screens/windows.ts';
import { SCREEN, type UiNode } from './ui-node.ts';

const log = logger('hil:appium', 'driver');

/** How often a find is tried again while the implicit wait lasts, in milliseconds. */
export const FIND_RETRY_MS = 50;

/** The Appium driver of the virtual eStock app. */
export class EstockVirtualDriver extends BaseDriver<EstockConstraints> {
  /** `mobile:` commands, for BaseDriver's executeMethod. */
  static executeMethodMap = MOBILE_COMMANDS;

  #session: AppSession | undefined;
  #elements = new ElementRegistry();

  constructor(opts = {} as ConstructorParameters<typeof BaseDriver>[0], shouldValidateCaps = true) {
    super(opts, shouldValidateCaps);
    this.locatorStrategies = LOCATOR_STRATEGIES;
    this.desiredCapConstraints = CAPABILITY_CONSTRAINTS;
  }

  override async createSession(w3c1: W3CDriverCaps<EstockConstraints>, w3c2?: W3CDriverCaps<EstockConstraints>,
    w3c3?: W3CDriverCaps<EstockConstraints>, driverData?: DriverData[]):
    Promise<[string, DriverCaps<EstockConstraints>]> {
    const [sessionId, caps] = await super.createSession(w3c1, w3c2, w3c3, driverData);
    try {
      this.#session = openAppSession(sessionOptions(caps as Record<string, unknown>));
    } catch (error) {
      await super.deleteSession(sessionId);
      throw error;
    }
    this.#elements = new ElementRegistry();
    log('session %s created for %s', sessionId, this.#session.options.udid);
    return [sessionId, caps];
  }

  override async deleteSession(sessionId?: string | null): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    await session?.close();
    log('session %s deleted', sessionId ?? this.sessionId);
    await super.deleteSession(sessionId);
  }

  get #app(): VirtualApp {
    if (this.#session === undefined) throw new errors.NoSuchDriverError('no session is running');
    return this.#session.app;
  }

  #node(elementId: string): UiNode {
    return this.#elements.resolve(this.#app, elementId, topWindow(this.#app));
  }

  #scope(fromId?: string): SearchScope {
    const app = this.#app;
    const window = topWindow(app);
    return {
      window, appPackage: app.appFile.package,
      from: fromId === undefined ? undefined : this.#elements.resolve(app, fromId, window),
      scrollIntoView: (scroll) => scrollIntoView(app, scroll),
    };
  }

  async #find(strategy: string, selector: string, fromId?: string): Promise<UiNode[]> {
    const deadline = Date.now() + this.implicitWaitMs;
    for (;;) {
      const nodes = findNodes(strategy, selector, this.#scope(fromId));
      const left = deadline - Date.now();
      if (nodes.length > 0 || left <= 0) return nodes;
      await sleep(Math.min(FIND_RETRY_MS, left));
    }
  }

  #element(node: UiNode): Element {
    const id = this.#elements.idOf(this.#app, node);
    return { [W3C_ELEMENT_KEY]: id, ELEMENT: id };
  }

  async #findOne(strategy: string, selector: string, fromId?: string): Promise<Element> {
    const [node] = await this.#find(strategy, selector, fromId);
    if (node === undefined) {
      throw new errors.NoSuchElementError(`no element matches ${strategy} ${JSON.stringify(selector)} on the ` +
        `${this.#app.screen} screen${fromId === undefined ? '' : ` under element ${fromId}`} ` +
        `(implicit wait ${this.implicitWaitMs} ms)`);
    }
    return this.#element(node);
  }

  override async findElement(strategy: string, selector: string): Promise<Element> {
    return this.#findOne(strategy, selector);
  }

  override async findElements(strategy: string, selector: string): Promise<Element[]> {
    return (await this.#find(strategy, selector)).map((node) => this.#element(node));
  }

  override async findElementFromElement(strategy: string, selector: string, elementId: string): Promise<Element> {
    return this.#findOne(strategy, selector, elementId);
  }

  override async findElementsFromElement(strategy: string, selector: string, elementId: string):
    Promise<Element[]> {
    return (await this.#find(strategy, selector, elementId)).map((node) => this.#element(node));
  }

  /** Taps the element: its own action, or that of the nearest clickable parent; nothing if disabled. */
  async click(elementId: string): Promise<void> {
    let node: UiNode | undefined = this.#node(elementId);
    if (node.input !== undefined) this.#app.focusedKey = node.key;
    while (node !== undefined && node.onClick === undefined) node = node.parent;
    if (node?.enabled === true) node.onClick?.();
  }

  /** Replaces the text of a text field, as UiAutomator2's set value does. */
  async setValue(value: string | string[], elementId: string): Promise<void> {
    const node = this.#node(elementId);
    if (node.input === undefined || !node.enabled) {
      throw new errors.InvalidElementStateError(`element ${elementId} (${node.className} ` +
        `${node.resourceId || node.text}) is not an enabled text field; it takes no value`);
    }
    this.#app.focusedKey = node.key;
    node.input.set(Array.isArray(value) ? value.join('') : String(value));
  }

  /** Empties a text field. */
  async clear(elementId: string): Promise<void> {
    await this.setValue('', elementId);
  }

  async getText(elementId: string): Promise<string> {
    return this.#node(elementId).text;
  }

  async getAttribute(name: string, elementId: string): Promise<string | null> {
    return readAttribute(this.#node(elementId), name);
  }

  async getName(elementId: string): Promise<string> {
    return this.#node(elementId).className;
  }

  async getElementRect(elementId: string): Promise<Rect> {
    const { left, top, right, bottom } = this.#node(elementId).bounds;
    return { x: left, y: top, width: right - left, height: bottom - top };
  }

  async elementDisplayed(elementId: string): Promise<boolean> {
    return this.#node(elementId).displayed;
  }

  async elementEnabled(elementId: string): Promise<boolean> {
    return this.#node(elementId).enabled;
  }

  async elementSelected(elementId: string): Promise<boolean> {
    const node = this.#node(elementId);
    return node.selected || node.checked;
  }

  /** Android's back key. */
  async back(): Promise<void> {
    this.#app.back();
  }

  override async getPageSource(): Promise<string> {
    return renderPageSource(topWindow(this.#app));
  }

  /** A PNG of the screen, base64. */
  async getScreenshot(): Promise<string> {
    return drawScreenshot(this.#app).toString('base64');
  }

  async getWindowRect(): Promise<Rect> {
    return { x: 0, y: 0, width: SCREEN.width, height: SCREEN.height };
  }

  /** W3C actions: a tap, or a vertical swipe that scrolls the list under the finger. */
  async performActions(actions: unknown[]): Promise<void> {
    performPointerActions(this.#app, actions);
  }

  async releaseActions(): Promise<void> {}

  async hideKeyboard(): Promise<boolean> {
    this.#app.keyboardIsShown = false;
    return true;
  }

  async isKeyboardShown(): Promise<boolean> {
    return this.#app.keyboardIsShown;
  }

  async execute(script: string, args: unknown[] = []): Promise<unknown> {
    if (!script.trim().startsWith('mobile:')) {
      throw new errors.NotImplementedError(`execute ${JSON.stringify(script)}: only mobile: commands run on the ` +
        `virtual app (${Object.keys(MOBILE_COMMANDS).join(', ')})`);
    }
    return this.executeMethod(script.trim().replace(/^mobile:\s*/, 'mobile: '), args.length > 0 ? args : [{}]);
  }

  async activateApp(appId: string): Promise<void> {
    await this.#appCommand('activateApp', appId);
  }

  async terminateApp(appId: string): Promise<boolean> {
    return await this.#appCommand('terminateApp', appId) as boolean;
  }

  async queryAppState(appId: string): Promise<number> {
    return await this.#appCommand('queryAppState', appId) as number;
  }

  async isAppInstalled(appId: string): Promise<boolean> {
    return this.#session?.install.installed?.package === appId;
  }

  /** `mobile: clearApp`: stops the app and deletes its data and permissions. */
  async mobileClearApp(appId: string): Promise<boolean> {
    return await this.#appCommand('clearApp', appId) as boolean;
  }

  /** `mobile: activateApp`. */
  async mobileActivateApp(appId: string): Promise<void> {
    await this.#appCommand('activateApp', appId);
  }

  /** `mobile: terminateApp`: whether the app was running. */
  async mobileTerminateApp(appId: string): Promise<boolean> {
    return await this.#appCommand('terminateApp', appId) as boolean;
  }

  /** `mobile: queryAppState`: 0 not installed, 1 not running, 3 in the background, 4 in the foreground. */
  async mobileQueryAppState(appId: string): Promise<number> {
    return await this.#appCommand('queryAppState', appId) as number;
  }

  /** `mobile: shell`, which needs the server's `--allow-insecure *:adb_shell` as UiAutomator2 does. */
  async mobileShell(command: unknown, args?: unknown): Promise<string> {
    this.assertFeatureEnabled('adb_shell');
    if (this.#session === undefined) throw new errors.NoSuchDriverError('no session is running');
    return runShell(this.#session, command, args);
  }

  /** `mobile: getCurrentActivity` (ours: see docs/virtual-app.md). */
  async mobileGetCurrentActivity(): Promise<string> {
    return currentActivity(this.#app);
  }

  /** `mobile: getCurrentPackage`: the package of the window on top. */
  async mobileGetCurrentPackage(): Promise<string> {
    return topWindow(this.#app).packageName;
  }

  /** `mobile: estockSyncSettings` (ours): the virtual device's sync settings, as they stand after the change. */
  async mobileEstockSyncSettings(...values: unknown[]): Promise<SyncSettings> {
    return applySyncSettings(this.#app, values);
  }

  async #appCommand(name: MobileCommandName, appId: unknown): Promise<unknown> {
    if (this.#session === undefined) throw new errors.NoSuchDriverError('no session is running');
    return runAppCommand(this.#session, name, appId);
  }
}

export default EstockVirtualDriver;
