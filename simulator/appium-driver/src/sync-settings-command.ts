/**
 * `mobile: estockSyncSettings`, the virtual app's own command: sets the
 * virtual device's sync settings (timeoutMs, attempts, pauseMs, uploadMode, tls, passiveAddress),
 * which have no screen, since the real app's habits there are unknown. It is
 * how a scenario's device.configure reaches the device behind the virtual
 * app; UiAutomator2 has no such command, and a real device keeps its app's habits.
 */
import { errors } from '@appium/base-driver';
import type { SyncSettings } from '../../device/index.ts';
import type { VirtualApp } from './app/virtual-app.ts';

/** The command's parameters, in the order BaseDriver passes them. */
export const SYNC_SETTING_PARAMS = ['timeoutMs', 'attempts', 'pauseMs', 'uploadMode', 'tls', 'passiveAddress'] as const;

/**
 * Gives the device the sync settings passed (those left out keep their
 * value) and returns all of them as they now stand. Throws
 * InvalidArgumentError when the device is not configured yet (its settings
 * screen not filled in) or a value is out of range.
 */
export function applySyncSettings(app: VirtualApp, values: readonly unknown[]): SyncSettings {
  const settings = app.device.settings;
  if (settings === undefined) {
    throw new errors.InvalidArgumentError('mobile: estockSyncSettings: the device is not configured yet; fill in ' +
      'the settings screen (device id, FTP server, user) first');
  }
  const sync = Object.fromEntries(SYNC_SETTING_PARAMS.map((key, index) => [key, values[index]])
    .filter(([, value]) => value !== undefined)) as Partial<SyncSettings>;
  try {
    app.device.configure({ ...settings, sync });
  } catch (error) {
    throw new errors.InvalidArgumentError(`mobile: estockSyncSettings: ${(error as Error).message}`);
  }
  return app.device.settings!.sync;
}
