/**
 * The app as installed on one virtual device (one udid): its folder
 * `<estockDataDir>/<udid>/` holds the device's store, the preferences and
 * `app-install.json` (package, version and the answers to the permission
 * dialogs). Everything is on disk, so that `noReset` finds it again in a
 * later session of the same Appium process, or of another.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppFile } from './app-file.ts';

/** The file of the install record, in the udid's folder. */
export const INSTALL_FILE = 'app-install.json';

/** The runtime permissions eStock asks for at launch, in order. */
export const PERMISSIONS = ['media', 'camera'] as const;

/** One of the permissions eStock asks for. */
export type PermissionName = (typeof PERMISSIONS)[number];

/** How a permission dialog was answered; a one-time grant is not kept, so the question comes back. */
export type PermissionAnswer = 'granted' | 'denied' | 'once';

interface InstallRecord {
  package: string;
  versionName: string;
  versionCode: number;
  permissions: Partial<Record<PermissionName, 'granted' | 'denied'>>;
}

/** The app installed in a udid's folder. */
export class AppInstall {
  readonly folder: string;
  #record: InstallRecord | undefined;

  constructor(folder: string) {
    this.folder = folder;
    const file = join(folder, INSTALL_FILE);
    this.#record = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as InstallRecord : undefined;
  }

  /** Whether an app is installed there. */
  get isInstalled(): boolean {
    return this.#record !== undefined;
  }

  /** The installed package and version, if any. */
  get installed(): Readonly<InstallRecord> | undefined {
    return this.#record;
  }

  /** Installs the app (over any earlier version, keeping its data), granting every permission if asked. */
  install(app: AppFile, grantPermissions: boolean): void {
    mkdirSync(this.folder, { recursive: true });
    const permissions = grantPermissions
      ? Object.fromEntries(PERMISSIONS.map((name) => [name, 'granted' as const]))
      : this.#record?.permissions ?? {};
    this.#record = { package: app.package, versionName: app.versionName, versionCode: app.versionCode, permissions };
    this.#save();
  }

  /** Removes the app and all its data. */
  uninstall(): void {
    rmSync(this.folder, { recursive: true, force: true });
    this.#record = undefined;
  }

  /** `pm clear`: deletes the app's data and revokes its permissions; the app stays installed. */
  clearData(): void {
    if (existsSync(this.folder)) {
      for (const name of readdirSync(this.folder)) {
        if (name !== INSTALL_FILE) rmSync(join(this.folder, name), { recursive: true, force: true });
      }
    }
    if (this.#record !== undefined) {
      this.#record.permissions = {};
      this.#save();
    }
  }

  /** The permissions not answered yet (a one-time grant counts as not answered). */
  unanswered(): PermissionName[] {
    return PERMISSIONS.filter((name) => this.#record?.permissions[name] === undefined);
  }

  /** Keeps an answer to a permission dialog. */
  answer(permission: PermissionName, answer: PermissionAnswer): void {
    if (this.#record === undefined || answer === 'once') return;
    this.#record.permissions[permission] = answer;
    this.#save();
  }

  #save(): void {
    writeFileSync(join(this.folder, INSTALL_FILE), JSON.stringify(this.#record, null, 2));
  }
}
