/**
 * What every page object shares: the session's finder, the map's messages,
 * and the small gestures (click, type, read, swipe, back) done the same way
 * on every screen.
 */
import { logger } from '../../../simulator/log.ts';
import { sleep, type Finder } from '../finder.ts';
import type { ElementName } from '../locator-map.ts';

/** The session a page object works in. */
export interface Screen {
  readonly finder: Finder;
  /** How long an action's result (receive, send, test FTP) is waited for, in ms. */
  readonly actionMs: number;
  /** Logs a line under `hil:appium` with the device id. */
  readonly log: (format: string, ...args: unknown[]) => void;
  /** The app's package, to bring it back to the foreground; unknown: back is all there is. */
  readonly appPackage?: string;
}

/** A screen context for one device's session. */
export function screenOf(finder: Finder, actionMs: number, deviceId: string, appPackage?: string): Screen {
  return { finder, actionMs, log: logger('hil:appium', deviceId), appPackage };
}

/** Finds an element by name and clicks it. */
export async function tap(screen: Screen, name: ElementName): Promise<void> {
  await (await screen.finder.find(name)).click();
}

/** Finds a field by name and replaces its value (an empty value only clears it). */
export async function type(screen: Screen, name: ElementName, value: string): Promise<void> {
  const field = await screen.finder.find(name);
  await field.clearValue();
  if (value !== '') await field.setValue(value);
}

/** The text of an element found by name now, or undefined when it is not on the screen. */
export async function textNow(screen: Screen, name: ElementName): Promise<string | undefined> {
  const found = await screen.finder.once(name);
  if (found === undefined) return undefined;
  try {
    return await found.element.getText();
  } catch (error) {
    // The screen changed between the find and the read; the caller reads again at its next pass.
    if (/stale/i.test(String((error as Error).name) + String((error as Error).message))) return undefined;
    throw error;
  }
}

/** Android's back key. */
export async function back(screen: Screen): Promise<void> {
  await screen.finder.browser.back();
}

/** How far a swipe moves, as a share of the window's height. */
const SWIPE_SHARE = 0.5;

/**
 * A vertical swipe in the middle of the window: `up` moves the content up
 * (shows what is below the fold), `down` brings the top back.
 */
export async function swipe(screen: Screen, direction: 'up' | 'down'): Promise<void> {
  const { browser } = screen.finder;
  const { width, height } = await browser.getWindowSize();
  const x = Math.round(width / 2);
  const low = Math.round(height * (0.5 + SWIPE_SHARE / 2));
  const high = Math.round(height * (0.5 - SWIPE_SHARE / 2));
  const [from, to] = direction === 'up' ? [low, high] : [high, low];
  await browser.action('pointer', { parameters: { pointerType: 'touch' } })
    .move({ x, y: from }).down().pause(100).move({ x, y: to, duration: 300 }).up().perform();
  await sleep(200);
}
