/**
 * The device profile of each slot of a run (devices/profiles, docs/devices.md)
 * and the capabilities of the slot's WebdriverIO session.
 */
import { join } from 'node:path';
import { loadDeviceProfile, type DeviceProfile } from '../devices/profile.ts';
import type { DeviceSlot } from './e2e-run.ts';

/** The profile resolved for the slot: its udid, app and capabilities. Throws what loadDeviceProfile throws. */
export function slotProfile(slot: DeviceSlot): DeviceProfile {
  return loadDeviceProfile(slot.profile, {
    slot: slot.slot,
    ...(slot.app !== undefined && { app: slot.app }),
    ...(slot.udid !== undefined && { udid: slot.udid }),
  });
}

/** `virtual-1`: the slot's folder name among the run's. */
export function slotFolderName(slot: DeviceSlot): string {
  return `${slot.profile.replace(/^.*\//, '').replace(/\.yaml$/, '')}-${slot.slot}`;
}

/**
 * The capabilities of the slot's session: the profile's, and for the virtual
 * driver the folder of the app's data, in the run's reports folder, so that
 * two runs at once never share a virtual device's store.
 */
export function slotCapabilities(slot: DeviceSlot, reportsFolder: string): WebdriverIO.Capabilities {
  const profile = slotProfile(slot);
  const dataDir = profile.kind === 'appium:virtual'
    ? { 'appium:estockDataDir': join(reportsFolder, slotFolderName(slot), 'appium-data') }
    : {};
  return { ...profile.capabilities, ...dataDir } as WebdriverIO.Capabilities;
}
