/**
 * The virtual device driven directly, without a screen: the fastest way to
 * run a scenario, and the reference the Appium paths are compared with.
 */
import { join } from 'node:path';
import { openVirtualDevice, type VirtualDevice } from '../simulator/device/index.ts';
import type { Mapping } from '../simulator/exchange/index.ts';
import type { DeviceDriver } from './device-driver.ts';

export interface VirtualDriverOptions {
  deviceId: string;
  /** The folder under which the device keeps its store, in `<deviceId>/`. */
  folder: string;
  mapping: Mapping;
  clock?: () => Date;
}

/** Opens a virtual device in its own folder and returns a driver for it. */
export function openVirtualDriver(options: VirtualDriverOptions): DeviceDriver {
  const device: VirtualDevice = openVirtualDevice({
    folder: join(options.folder, options.deviceId),
    mapping: options.mapping,
    clock: options.clock,
  });
  return {
    deviceId: options.deviceId,
    kind: 'virtual',
    configure: async (settings) => device.configure(settings),
    testFtp: () => device.testFtp(),
    receive: () => device.receive(),
    move: async (input) => device.move(input),
    send: () => device.send(),
    close: async () => device.close(),
  };
}
