/**
 * What the driver's tests share: one real Appium server per test file, and
 * sessions of the virtual app through webdriverio, each on its own data dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { remote } from 'webdriverio';
import { ESTOCK_APP_FILE, startAppiumServer, type StartedAppiumServer } from './appium-server.ts';

/** A session of the virtual app. */
export type Session = WebdriverIO.Browser;

/** An Appium server with a data dir of its own for the virtual devices. */
export interface DriverBed {
  appium: StartedAppiumServer;
  dataDir: string;
  /** Opens a session; `caps` are added to (and override) the defaults: the eStock app, autoGrantPermissions. */
  session(caps?: Record<string, unknown>): Promise<Session>;
  stop(): Promise<void>;
}

/** Starts Appium and makes a data dir; `stop()` ends the sessions left, Appium and the data dir. */
export async function startDriverBed(): Promise<DriverBed> {
  const appium = await startAppiumServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'estock-driver-test-'));
  const open: Session[] = [];
  return {
    appium,
    dataDir,
    async session(caps = {}) {
      const session = await remote({
        hostname: appium.hostname, port: appium.port, path: appium.path, logLevel: 'silent',
        connectionRetryCount: 0,
        capabilities: {
          'platformName': 'Android',
          'appium:automationName': 'EstockVirtual',
          'appium:app': ESTOCK_APP_FILE,
          'appium:estockDataDir': dataDir,
          'appium:autoGrantPermissions': true,
          ...caps,
        } as WebdriverIO.Capabilities,
      });
      open.push(session);
      return session;
    },
    async stop() {
      await Promise.allSettled(open.map((session) => session.deleteSession()));
      await appium.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sets a text preference of the settings screen through its dialog; returns the dialog's message if refused. */
export async function setPreference(driver: Session, title: string, value: string): Promise<string | undefined> {
  await driver.$(`android=new UiScrollable(new UiSelector().scrollable(true))` +
    `.scrollIntoView(new UiSelector().text("${title}"))`).click();
  await driver.$('id=android:id/edit').setValue(value);
  await driver.$('id=android:id/button1').click();
  const messages = await driver.$$('id=android:id/message').length;
  return messages === 0 ? undefined : driver.$('id=android:id/message').getText();
}
