/**
 * How the Appium suites reach the devices of a scenario: its first device is
 * this worker's device, in the worker's own session; a further device of a
 * multi-device scenario gets a session of its own on the same Appium server,
 * with the virtual profile (on a bench with one tablet, the second device of
 * "Two devices, one stock" is virtual).
 */
import { join } from 'node:path';
import type { DeviceDriver } from '../devices/device-driver.ts';
import { openVirtualDriver } from '../devices/virtual-driver.ts';
import type { DriverFactory } from '../scenarios/runner/run-scenario.ts';
import type { DeviceSlot } from './e2e-run.ts';
import type { SlotProfile } from './slot-profile.ts';

/** This worker's device: its slot, its profile and its WebdriverIO session. */
export interface WorkerDevice {
  slot: DeviceSlot;
  profile: SlotProfile;
  browser: WebdriverIO.Browser;
}

/**
 * A driver factory for one scenario of `devices` (the scenario's device ids,
 * in setup order). Stand-in until the Appium devices land: every device is
 * the virtual one driven directly.
 */
export function appiumDriverFactory(worker: WorkerDevice, devices: readonly string[]): DriverFactory {
  void worker;
  void devices;
  return async (deviceId, folder, mapping): Promise<DeviceDriver> =>
    openVirtualDriver({ deviceId, folder: join(folder), mapping });
}
