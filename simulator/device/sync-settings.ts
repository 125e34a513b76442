/**
 * The device's sync settings (timeout, attempts, pause, upload mode): their
 * defaults, which keep the device as it was before they existed, their
 * checks, and how the store keeps them. The real app's habits are unknown;
 * docs/devices.md says so.
 */
import { DeviceError } from '../errors.ts';
import { FTP_CLIENT_TIMEOUT_MS } from '../ftp/client.ts';
import type { DeviceStore, SettingKey } from './store.ts';
import type { DeviceTls, PassiveAddressHabit, SyncSettings, UploadMode } from './types.ts';

/** The upload modes, as written in settings and scenario files. */
export const UPLOAD_MODES: readonly UploadMode[] = ['direct', 'temporary-name'];

/** The device's TLS habits, as written in settings and scenario files. */
export const DEVICE_TLS_MODES: readonly DeviceTls[] = ['off', 'optional', 'required'];

/** Where passive data connections go, as written in settings and scenario files. */
export const PASSIVE_ADDRESS_HABITS: readonly PassiveAddressHabit[] = ['control-host', 'as-given'];

/** One FTP client timeout, one attempt, no pause, the final name at once: the device's habits before these settings. */
export const DEFAULT_SYNC_SETTINGS: Readonly<SyncSettings> = {
  timeoutMs: FTP_CLIENT_TIMEOUT_MS,
  attempts: 1,
  pauseMs: 0,
  uploadMode: 'direct',
  tls: 'off',
  passiveAddress: 'control-host',
};

/** Bounds that keep a scenario from waiting for ever on a typo: an hour, 100 attempts. */
const MOST_MS = 3_600_000;
const MOST_ATTEMPTS = 100;

const STORE_KEYS: Readonly<Record<keyof SyncSettings, SettingKey>> = {
  timeoutMs: 'sync_timeout_ms',
  attempts: 'sync_attempts',
  pauseMs: 'sync_pause_ms',
  uploadMode: 'sync_upload_mode',
  tls: 'sync_tls',
  passiveAddress: 'sync_passive_address',
};

function isWhole(value: unknown, least: number, most: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= least && value <= most;
}

/** Throws DeviceError naming the first sync setting of `sync` that is out of its range. */
export function checkSyncSettings(deviceId: string, sync: Partial<SyncSettings>): void {
  const refuse = (key: string, expected: string): never => {
    throw new DeviceError(`device ${deviceId}: sync setting ${key} ${JSON.stringify(sync[key as keyof SyncSettings])}` +
      ` is not ${expected}`);
  };
  if (sync.timeoutMs !== undefined && !isWhole(sync.timeoutMs, 1, MOST_MS)) {
    refuse('timeoutMs', `a whole number of milliseconds from 1 to ${MOST_MS}`);
  }
  if (sync.attempts !== undefined && !isWhole(sync.attempts, 1, MOST_ATTEMPTS)) {
    refuse('attempts', `a whole number from 1 to ${MOST_ATTEMPTS}`);
  }
  if (sync.pauseMs !== undefined && !isWhole(sync.pauseMs, 0, MOST_MS)) {
    refuse('pauseMs', `a whole number of milliseconds from 0 to ${MOST_MS}`);
  }
  if (sync.uploadMode !== undefined && !UPLOAD_MODES.includes(sync.uploadMode)) {
    refuse('uploadMode', `one of ${UPLOAD_MODES.join(', ')}`);
  }
  if (sync.tls !== undefined && !DEVICE_TLS_MODES.includes(sync.tls)) {
    refuse('tls', `one of ${DEVICE_TLS_MODES.join(', ')}`);
  }
  if (sync.passiveAddress !== undefined && !PASSIVE_ADDRESS_HABITS.includes(sync.passiveAddress)) {
    refuse('passiveAddress', `one of ${PASSIVE_ADDRESS_HABITS.join(', ')}`);
  }
}

/** The sync settings the store keeps, defaults for those never set. */
export function readSyncSettings(store: DeviceStore): SyncSettings {
  const number = (key: keyof SyncSettings, fallback: number): number => {
    const value = store.setting(STORE_KEYS[key]);
    return value === undefined ? fallback : Number(value);
  };
  return {
    timeoutMs: number('timeoutMs', DEFAULT_SYNC_SETTINGS.timeoutMs),
    attempts: number('attempts', DEFAULT_SYNC_SETTINGS.attempts),
    pauseMs: number('pauseMs', DEFAULT_SYNC_SETTINGS.pauseMs),
    uploadMode: (store.setting(STORE_KEYS.uploadMode) as UploadMode | undefined) ?? DEFAULT_SYNC_SETTINGS.uploadMode,
    tls: (store.setting(STORE_KEYS.tls) as DeviceTls | undefined) ?? DEFAULT_SYNC_SETTINGS.tls,
    passiveAddress: (store.setting(STORE_KEYS.passiveAddress) as PassiveAddressHabit | undefined) ??
      DEFAULT_SYNC_SETTINGS.passiveAddress,
  };
}

/** The store's values for the sync settings given; those left out are not touched. */
export function syncSettingValues(sync: Partial<SyncSettings> = {}): Partial<Record<SettingKey, string>> {
  const values: Partial<Record<SettingKey, string>> = {};
  for (const key of Object.keys(STORE_KEYS) as (keyof SyncSettings)[]) {
    if (sync[key] !== undefined) values[STORE_KEYS[key]] = String(sync[key]);
  }
  return values;
}
