/**
 * `estock-hil run --device <profile>`: the same scenarios as a plain run, each
 * device reached through Appium (an Appium server started for the run on
 * 127.0.0.1), without WebdriverIO or Allure. A quick way to try a device
 * profile or the virtual driver; `npm run e2e` is the full suite with reports.
 */
import { appiumDriverFactory } from '../devices/appium/driver-factory.ts';
import { loadDeviceProfile } from '../devices/profile.ts';
import { loadLocatorMap } from '../devices/appium/locator-map.ts';
import { startAppiumServer } from '../simulator/appium-driver/appium-server.ts';
import type { RunSuiteOptions } from '../scenarios/runner/run-suite.ts';

/** What a run through Appium adds to runSuite's options, and how to stop its server. */
export interface AppiumRun {
  suiteOptions: Pick<RunSuiteOptions, 'openDriver' | 'simulatorAddress'>;
  stop(): Promise<void>;
}

/**
 * Checks the profile and its locator map (a wrong one throws ConfigError before anything starts),
 * then starts Appium. Each device of a scenario opens on the lowest free slot
 * of the profile, in a session of its own.
 */
export async function throughAppium(profileName: string, app?: string, udid?: string): Promise<AppiumRun> {
  const { simulator, locators } = loadDeviceProfile(profileName, { slot: 1, app, udid });
  // A wrong locator map is said once, here, with its lines, rather than at each scenario's device.
  if (locators !== undefined) loadLocatorMap(locators);
  const server = await startAppiumServer();
  return {
    suiteOptions: {
      openDriver: appiumDriverFactory({ profile: profileName, server, app, udid }),
      simulatorAddress: { listen: simulator.listen, advertised: simulator.host, passiveHost: simulator.passiveHost },
    },
    stop: () => server.stop(),
  };
}
