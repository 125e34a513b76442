/**
 * How the Appium suites reach the devices of a scenario: its first device is
 * this worker's device, in the worker's own session (reset for each scenario
 * as its profile says); a further device of a multi-device scenario gets a
 * session of its own on the same Appium server with the virtual profile. On
 * a bench with one tablet, the second device of "Two devices, one stock" is
 * therefore virtual.
 */
import { join } from 'node:path';
import { openAppiumDevice, type AppiumServerAddress } from '../devices/appium/appium-device.ts';
import { loadDeviceProfile, type DeviceProfile } from '../devices/profile.ts';
import type { DriverFactory } from '../scenarios/runner/run-scenario.ts';
import type { DeviceSlot } from './e2e-run.ts';
import { slotFolderName } from './slot-profile.ts';

/** The profile of a scenario's further devices. */
export const FURTHER_DEVICE_PROFILE = 'virtual';

/** This worker's device: its slot, its profile and its WebdriverIO session. */
export interface WorkerDevice {
  slot: DeviceSlot;
  profile: DeviceProfile;
  browser: WebdriverIO.Browser;
}

/**
 * A driver factory for one scenario whose first device is `firstDevice`.
 * Throws what openAppiumDevice throws: a refusal of the app fails the
 * scenario, a fault of the harness (wrong app version, a session Appium
 * refuses) breaks it.
 */
export function workerDriverFactory(worker: WorkerDevice, firstDevice: string): DriverFactory {
  let further = 0;
  return async (deviceId, folder, mapping) => {
    const exchange = { format: mapping.format, version: mapping.version };
    if (deviceId === firstDevice) {
      return openAppiumDevice({ deviceId, profile: worker.profile, browser: worker.browser, mapping: exchange });
    }
    further += 1;
    // Its own udid, that of no worker's device: each worker of the run has its further devices.
    const udid = `${slotFolderName(worker.slot)}-further-${further}`;
    const profile = loadDeviceProfile(FURTHER_DEVICE_PROFILE, { slot: further, udid });
    return openAppiumDevice({ deviceId, profile, server: serverOf(worker.browser),
      dataDir: join(folder, 'appium-data'), mapping: exchange });
  };
}

/** The Appium server of a session: where @wdio/appium-service started it. */
function serverOf(browser: WebdriverIO.Browser): AppiumServerAddress {
  const { hostname = '127.0.0.1', port = 4723, path = '/' } = browser.options;
  return { hostname, port, path };
}
