/**
 * The virtual eStock device: open one with openVirtualDevice, configure it,
 * then receive, move and send as the app's screens do.
 */
export { openVirtualDevice, TABLES_THE_DEVICE_READS } from './virtual-device.ts';
export { STORE_FILE } from './store.ts';
export { FTP_TEST_FILE } from './ftp-test.ts';
export { DEFAULT_SYNC_SETTINGS, DEVICE_TLS_MODES, PASSIVE_ADDRESS_HABITS, UPLOAD_MODES } from './sync-settings.ts';
export type {
  DeviceSettings,
  DeviceSettingsInForce,
  FtpTestResult,
  MovementInput,
  MovementType,
  ReceiveReport,
  RecordedMovement,
  SendReport,
  StockLine,
  SyncSettings,
  UploadMode,
  VirtualDevice,
  VirtualDeviceOptions,
} from './types.ts';
