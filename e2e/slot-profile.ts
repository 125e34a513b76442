/**
 * The device profile of a slot, as the run needs it: the capabilities of its
 * session, and where the scenario's simulator listens and is reached from the
 * device.
 */
import { resolve } from 'node:path';
import type { DeviceSlot } from './e2e-run.ts';
import { PROJECT_ROOT } from './e2e-run.ts';

/** What the run takes from a slot's device profile. */
export interface SlotProfile {
  /** The profile's name, for reports. */
  name: string;
  /** The session's capabilities (Appium ones, never a browserName). */
  capabilities: WebdriverIO.Capabilities;
  /** The address the device reaches the simulator's FTP server at. */
  simulatorHost: string;
  /** The address the simulator's FTP server listens on. */
  listenHost: string;
}

/** The virtual app the virtual driver installs. */
export const VIRTUAL_APP = resolve(PROJECT_ROOT, 'simulator', 'appium-driver', 'apps', 'estock-2.1.0.json');

/**
 * The profile of a slot. Stand-in until the device profiles land: the
 * virtual profile only, one udid per slot.
 */
export function slotProfile(slot: DeviceSlot): SlotProfile {
  return {
    name: slot.profile,
    capabilities: {
      platformName: 'Android',
      'appium:automationName': 'EstockVirtual',
      'appium:app': slot.app ?? VIRTUAL_APP,
      'appium:udid': slot.udid ?? `virtual-${slot.slot}`,
      'appium:newCommandTimeout': 120,
    },
    simulatorHost: '127.0.0.1',
    listenHost: '127.0.0.1',
  };
}
