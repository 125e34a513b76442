/**
 * A throwaway APPIUM_HOME for one run, whose node_modules holds only the two
 * drivers the suites load: this checkout's virtual driver and UiAutomator2.
 * Without it Appium takes the project as its home and reads the driver list
 * cached in node_modules/.cache/appium, which goes stale when a driver is
 * added, and, in a git worktree whose node_modules is main's, would load
 * main's virtual driver instead of this checkout's.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from './e2e-run.ts';

/** The folder of the virtual driver's package in this checkout. */
export const VIRTUAL_DRIVER_FOLDER = join(PROJECT_ROOT, 'simulator', 'appium-driver');

/** Makes the home and returns its folder; remove it with removeAppiumHome once Appium has stopped. */
export function makeAppiumHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'hil-appium-home-'));
  const modules = join(home, 'node_modules');
  mkdirSync(modules);
  const require = createRequire(join(PROJECT_ROOT, 'package.json'));
  const uiautomator2 = dirname(require.resolve('appium-uiautomator2-driver/package.json'));
  symlinkSync(VIRTUAL_DRIVER_FOLDER, join(modules, 'appium-estock-virtual-driver'), 'dir');
  symlinkSync(uiautomator2, join(modules, 'appium-uiautomator2-driver'), 'dir');
  writeFileSync(join(home, 'package.json'), `${JSON.stringify({ name: 'hil-appium-home', private: true })}\n`);
  return home;
}

/** Removes a home made by makeAppiumHome (the links only, never what they point to). */
export function removeAppiumHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}
