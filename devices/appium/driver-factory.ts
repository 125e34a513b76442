/**
 * Drivers for a scenario's devices through Appium: each open device takes the
 * lowest free slot of the profile, hence its own udid and ports (a slot is
 * free again once its device is closed), and keeps the
 * virtual app's data in the scenario's folder. Its signature is the scenario
 * runner's DriverFactory.
 */
import type { Mapping } from '../../simulator/exchange/index.ts';
import { loadDeviceProfile } from '../profile.ts';
import { openAppiumDevice, type AppiumDevice } from './appium-device.ts';
import type { AppiumServerAddress } from './session.ts';

/** What every device of a run shares. */
export interface AppiumDriverFactoryOptions {
  /** A profile name or file (loadDeviceProfile). */
  profile: string;
  server: AppiumServerAddress;
  /** The app file or APK instead of the profile's. */
  app?: string;
  /** The serial of the first slot's device instead of the profile's; later slots keep the profile's. */
  udid?: string;
  /** The lowest slot to hand out; default 1. */
  firstSlot?: number;
}

/**
 * A factory that opens one AppiumDevice per call, on the lowest free slot.
 * Throws what loadDeviceProfile and openAppiumDevice throw.
 */
export function appiumDriverFactory(
  options: AppiumDriverFactoryOptions,
): (deviceId: string, folder: string, mapping: Mapping) => Promise<AppiumDevice> {
  const taken = new Set<number>();
  return async (deviceId, folder, mapping) => {
    let slot = options.firstSlot ?? 1;
    while (taken.has(slot)) slot += 1;
    taken.add(slot);
    try {
      const profile = loadDeviceProfile(options.profile,
        { slot, app: options.app, udid: slot === (options.firstSlot ?? 1) ? options.udid : undefined });
      const device = await openAppiumDevice({ deviceId, profile, server: options.server, dataDir: folder,
        mapping: { format: mapping.format, version: mapping.version } });
      const close = device.close;
      return { ...device, close: async () => {
        taken.delete(slot);
        await close();
      } };
    } catch (error) {
      taken.delete(slot);
      throw error;
    }
  };
}
