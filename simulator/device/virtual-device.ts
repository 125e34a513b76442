/**
 * The virtual eStock device: what the app does, without a screen. It keeps
 * its own store, and reaches the company FTP server only as the tablet does,
 * through an FTP session; it never touches the BO.
 */
import { DeviceError } from '../errors.ts';
import { DEVICE_ID_PATTERN } from '../company.ts';
import { logger } from '../log.ts';
import { testFtp } from './ftp-test.ts';
import { pendingJournal } from './journal.ts';
import { recordMovement } from './movements.ts';
import { receive } from './receive.ts';
import { send } from './send.ts';
import { stockLines } from './stock.ts';
import { openDeviceStore, type DeviceStore } from './store.ts';
import { checkSyncSettings, readSyncSettings, syncSettingValues } from './sync-settings.ts';
import type { DeviceSettings, DeviceSettingsInForce, VirtualDevice, VirtualDeviceOptions } from './types.ts';

/** The export tables the device reads by name; a mapping without one of them cannot drive it. */
export const TABLES_THE_DEVICE_READS = ['ARTICLE', 'DEPOT', 'EMPLACEMENT', 'LOTSTOCK', 'LOTSTOCKILINK', 'MVSMOTIF'];

const NOT_CONFIGURED = 'configure the device first: device id, FTP user, password';

function readSettings(store: DeviceStore): DeviceSettingsInForce | undefined {
  const deviceId = store.setting('device_id');
  if (deviceId === undefined) return undefined;
  const sync = readSyncSettings(store);
  return {
    deviceId,
    ftp: {
      host: store.setting('ftp_host') ?? '',
      port: Number(store.setting('ftp_port')),
      user: store.setting('ftp_user') ?? '',
      password: store.setting('ftp_password') ?? '',
      tls: sync.tls,
      passiveAddress: sync.passiveAddress,
    },
    login: store.setting('login'),
    sync,
  };
}

function checkSettings(store: DeviceStore, current: DeviceSettings | undefined, next: DeviceSettings): void {
  if (typeof next.deviceId !== 'string' || !DEVICE_ID_PATTERN.test(next.deviceId)) {
    throw new DeviceError(`device id ${JSON.stringify(next.deviceId)} is not valid: 1 to 30 letters, digits, ` +
      '"-", "_" or ".", starting with a letter or digit');
  }
  const { host, port, user, password } = next.ftp;
  if (!host || !user || typeof password !== 'string') {
    throw new DeviceError(`device ${next.deviceId}: FTP host, user and password are all needed`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DeviceError(`device ${next.deviceId}: FTP port ${port} is not a port number (1 to 65535)`);
  }
  checkSyncSettings(next.deviceId, next.sync ?? {});
  const pending = pendingJournal(store).length;
  if (current !== undefined && current.deviceId !== next.deviceId && pending > 0) {
    throw new DeviceError(`device ${current.deviceId} has ${pending} movements not sent: send them before ` +
      `changing the device id to ${next.deviceId}`);
  }
}

/**
 * Opens the virtual device kept in `options.folder` (created if missing),
 * with the settings, received data and pending movements it had when last closed.
 * Throws DeviceError if the store cannot be opened or the mapping lacks a
 * table the device reads.
 */
export function openVirtualDevice(options: VirtualDeviceOptions): VirtualDevice {
  const store = openDeviceStore(options.folder, options.mapping);
  try {
    TABLES_THE_DEVICE_READS.forEach((name) => store.exportTable(name));
  } catch (error) {
    store.close();
    throw error;
  }
  const clock = options.clock ?? (() => new Date());
  const deviceVersion = {
    APP_VERSION: options.appVersion ?? '1.0.0',
    ANDROID_VERSION: options.androidVersion ?? '13',
    DEVICE_MODEL: options.model ?? 'estock-hil virtual tablet',
  };
  let settings = readSettings(store);
  let isClosed = false;

  const open = (): void => {
    if (isClosed) throw new DeviceError(`the device in ${options.folder} is closed; open it again`);
  };
  const ready = (): DeviceSettingsInForce => {
    open();
    if (settings === undefined) throw new DeviceError(NOT_CONFIGURED);
    return settings;
  };

  return {
    get settings() {
      return settings === undefined ? undefined : structuredClone(settings);
    },
    configure(next) {
      open();
      checkSettings(store, settings, next);
      store.saveSettings({
        device_id: next.deviceId,
        ftp_host: next.ftp.host,
        ftp_port: String(next.ftp.port),
        ftp_user: next.ftp.user,
        ftp_password: next.ftp.password,
        login: next.login,
        ...syncSettingValues(next.sync),
      });
      settings = readSettings(store);
      const { sync } = settings!;
      logger('hil:device', next.deviceId)('configured: FTP %s@%s:%d, login %s; sync: timeout %d ms, ' +
        '%d attempts %d ms apart, %s upload', next.ftp.user, next.ftp.host, next.ftp.port, next.login ?? '(none)',
      sync.timeoutMs, sync.attempts, sync.pauseMs, sync.uploadMode);
    },
    testFtp: async () => testFtp(options.mapping, ready(), clock()),
    receive: async () => receive(store, ready()),
    move(input) {
      const current = ready();
      if (store.setting('data_version') === undefined) {
        throw new DeviceError(`${current.deviceId}: nothing received yet: receive the BO's export before ` +
          'recording movements');
      }
      const movement = recordMovement(store, input, { deviceId: current.deviceId, login: current.login, at: clock() });
      logger('hil:device', current.deviceId)('movement %s: %s of %d of lot %s at %s/%s', movement.id, input.type,
        input.quantity, input.lot, input.depot, input.location ?? '');
      return movement;
    },
    send: async () => send(store, ready(), { now: clock(), deviceVersion }),
    pendingMovements() {
      open();
      return pendingJournal(store).map(({ uploadRow: _row, ...movement }) => movement);
    },
    stock() {
      open();
      return stockLines(store);
    },
    close() {
      if (isClosed) return;
      isClosed = true;
      store.close();
    },
  };
}
