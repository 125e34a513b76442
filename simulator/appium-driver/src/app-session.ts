/**
 * What a session holds: the app file, the install on the udid's folder, the
 * virtual device opened there and the app running on it. One session per
 * udid at a time, since the device's store is a file only one may write.
 */
import { join, resolve } from 'node:path';
import { errors } from '@appium/base-driver';
import { openVirtualDevice } from '../../device/index.ts';
import { loadMapping } from '../../exchange/index.ts';
import { logger } from '../../log.ts';
import { readAppFile, type AppFile } from './app-file.ts';
import { AppInstall } from './app-install.ts';
import { Preferences } from './app/preferences.ts';
import { VirtualApp } from './app/virtual-app.ts';
import type { SessionOptions } from './capabilities.ts';

const udidsInUse = new Set<string>();

/** The app of a session on its virtual device. */
export interface AppSession {
  readonly options: SessionOptions;
  readonly appFile: AppFile;
  readonly install: AppInstall;
  /** The app; replaced by clearApp, which closes and reopens the device. */
  app: VirtualApp;
  /** `pm clear`: stops the app, deletes its data and permissions, reopens an empty device. */
  clearData(): Promise<void>;
  close(): Promise<void>;
}

function openApp(options: SessionOptions, appFile: AppFile, install: AppInstall): VirtualApp {
  const mapping = options.mapping ?? appFile.mapping;
  const device = openVirtualDevice({
    folder: install.folder,
    mapping: loadMapping(mapping.format, mapping.version),
    appVersion: appFile.versionName,
  });
  return new VirtualApp(appFile, device, new Preferences(install.folder, device), install, options.udid);
}

/**
 * Installs the app as the capabilities say (fresh, kept with noReset, or
 * uninstalled first with fullReset), opens the device and launches the app.
 * Throws SessionNotCreatedError for a wrong app file or mapping, or a udid
 * another session is using.
 */
export function openAppSession(options: SessionOptions): AppSession {
  const appFile = readAppFile(options.app);
  const folder = resolve(options.dataDir, options.udid);
  if (udidsInUse.has(folder)) {
    throw new errors.SessionNotCreatedError(`virtual device ${options.udid} (${folder}) is in use by another ` +
      'session; end it first or give another appium:udid');
  }
  const install = new AppInstall(folder);
  if (options.reset === 'full') install.uninstall();
  if (options.reset === 'data') install.clearData();
  install.install(appFile, options.autoGrantPermissions);

  let app: VirtualApp;
  try {
    app = openApp(options, appFile, install);
  } catch (error) {
    throw new errors.SessionNotCreatedError(`virtual device ${options.udid} cannot be opened in ${folder}: ` +
      `${(error as Error).message}`);
  }
  udidsInUse.add(folder);
  app.launch();
  logger('hil:appium', `driver ${options.udid}`)('session on %s: %s %s, reset %s', join(folder),
    appFile.package, appFile.versionName, options.reset);

  const session: AppSession = {
    options, appFile, install, app,
    async clearData() {
      await session.app.settle();
      session.app.device.close();
      install.clearData();
      session.app = openApp(options, appFile, install);
    },
    async close() {
      await session.app.settle();
      session.app.device.close();
      udidsInUse.delete(folder);
    },
  };
  return session;
}
