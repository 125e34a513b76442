/**
 * Finding elements by logical name: every locator of every name asked for is
 * tried in one pass with the implicit wait at 0, and passes repeat until a
 * deadline, so a name whose first locator misses costs one round trip, not a
 * whole implicit wait.
 */
import type {} from 'webdriverio';
import { LocatorNotFoundError } from './harness-errors.ts';
import type { ElementName, Locator, LocatorMap } from './locator-map.ts';

/** How often a pass is repeated while waiting, in milliseconds. */
export const FIND_POLL_MS = 150;

/** The W3C strategy and value of a locator. */
export function strategyOf(locator: Locator): { using: string; value: string } {
  if ('uiautomator' in locator) return { using: '-android uiautomator', value: locator.uiautomator };
  if ('id' in locator) return { using: 'id', value: locator.id };
  if ('accessibilityId' in locator) return { using: 'accessibility id', value: locator.accessibilityId };
  return { using: 'xpath', value: locator.xpath };
}

/** A locator in words for messages: `uiautomator new UiSelector().text("OK")`. */
export function describeLocator(locator: Locator): string {
  const [kind, value] = Object.entries(locator)[0] as [string, string];
  return `${kind} ${value}`;
}

/** An element found, and which name and locator found it. */
export interface Found {
  name: ElementName;
  element: WebdriverIO.Element;
  locator: Locator;
}

/** Finds elements of one session by the logical names of a locator map. */
export class Finder {
  readonly browser: WebdriverIO.Browser;
  readonly map: LocatorMap;
  /** The default deadline of find(), in milliseconds. */
  readonly findMs: number;
  /** Locators the driver refused as invalid, with its message, for the next error. */
  private readonly refused = new Map<string, string>();

  constructor(browser: WebdriverIO.Browser, map: LocatorMap, findMs: number) {
    this.browser = browser;
    this.map = map;
    this.findMs = findMs;
  }

  /** One pass over the locators of `names`, in order: the first element found, or undefined. */
  async once(...names: ElementName[]): Promise<Found | undefined> {
    for (const name of names) {
      for (const locator of this.element(name).locators) {
        const element = await this.tryOne(locator);
        if (element !== undefined) return { name, element, locator };
      }
    }
    return undefined;
  }

  /**
   * Waits for the first of `names` to show, trying all of them at each pass.
   * Throws LocatorNotFoundError naming each name, its screen and every
   * locator tried when none shows within `timeoutMs` (default findMs).
   */
  async firstOf(names: ElementName[], timeoutMs = this.findMs): Promise<Found> {
    const found = await this.waitFor(names, timeoutMs);
    if (found !== undefined) return found;
    throw new LocatorNotFoundError(this.notFoundMessage(names, timeoutMs));
  }

  /** Waits for one element by name; throws LocatorNotFoundError as firstOf does. */
  async find(name: ElementName, timeoutMs = this.findMs): Promise<WebdriverIO.Element> {
    return (await this.firstOf([name], timeoutMs)).element;
  }

  /** Waits for one of `names` until `timeoutMs`; undefined when none shows. */
  async waitFor(names: ElementName[], timeoutMs: number): Promise<Found | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await this.once(...names);
      if (found !== undefined || Date.now() >= deadline) return found;
      await sleep(Math.min(FIND_POLL_MS, Math.max(0, deadline - Date.now())));
    }
  }

  /** Waits until none of `names` shows any more; false when one still shows after `timeoutMs`. */
  async waitGone(names: ElementName[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.once(...names) === undefined) return true;
      if (Date.now() >= deadline) return false;
      await sleep(FIND_POLL_MS);
    }
  }

  /** The map's entry for a name. */
  element(name: ElementName): { screen: string; locators: readonly Locator[] } {
    const element = this.map.elements.get(name);
    if (element === undefined) throw new Error(`the locator map ${this.map.source} has no element ${name}`);
    return element;
  }

  /** Tries one locator once: its first element, or undefined (a locator the driver refuses counts as none). */
  async tryOne(locator: Locator): Promise<WebdriverIO.Element | undefined> {
    const { using, value } = strategyOf(locator);
    try {
      const references = await this.browser.findElements(using, value);
      const first = references[0];
      return first === undefined ? undefined : await this.browser.$(first).getElement();
    } catch (error) {
      // A locator the driver cannot parse is a wrong map entry, not a dead session: note it and go on.
      if (!isInvalidSelector(error)) throw error;
      this.refused.set(describeLocator(locator), (error as Error).message.split('\n')[0] ?? '');
      return undefined;
    }
  }

  private notFoundMessage(names: ElementName[], timeoutMs: number): string {
    const parts = names.map((name) => {
      const { screen, locators } = this.element(name);
      const tried = locators.map((locator) => {
        const described = describeLocator(locator);
        const refusal = this.refused.get(described);
        return refusal === undefined ? described : `${described} (refused: ${refusal})`;
      });
      return `${name} on screen ${screen}, tried ${tried.join(' | ')}`;
    });
    return `${names.length > 1 ? 'none of ' : ''}${parts.join('; ')}: not found within ${timeoutMs} ms ` +
      `(locator map ${this.map.source}); estock-hil calibrate shows what the screen holds`;
  }
}

function isInvalidSelector(error: unknown): boolean {
  const { name, message } = error as { name?: string; message?: string };
  return /invalid selector|invalid argument/i.test(`${name ?? ''} ${message ?? ''}`);
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
