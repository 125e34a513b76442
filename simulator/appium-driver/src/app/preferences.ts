/**
 * The settings screen's preferences: what each shows, how a typed value is
 * checked, and when the whole set becomes the device's settings. Like
 * Android's shared preferences, each value is kept on its own as soon as it is
 * accepted (`preferences.json` in the app's data); the device is configured
 * once the device id, the FTP server and the FTP user are all filled in.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICE_ID_PATTERN } from '../../../company.ts';
import type { DeviceSettings, VirtualDevice } from '../../../device/index.ts';

/** The keys of the text preferences, in the order of the list. */
export const PREFERENCE_KEYS = ['deviceId', 'user', 'password', 'host', 'port', 'login'] as const;

/** One text preference of the settings screen. */
export type PreferenceKey = (typeof PREFERENCE_KEYS)[number];

/** The title shown for each preference (the guide's labels, and ours for the last three). */
export const PREFERENCE_TITLES: Readonly<Record<PreferenceKey, string>> = {
  deviceId: 'Identifiant de la tablette',
  user: "Nom d'utilisateur",
  password: 'Mot de passe',
  host: 'Serveur FTP',
  port: 'Port FTP',
  login: 'Login eStock',
};

/** The file, in the app's data folder, that keeps the values. */
export const PREFERENCES_FILE = 'preferences.json';

const EMPTY_SUMMARY = 'Non renseigné';
const DEFAULT_FTP_PORT = '21';

type Values = Record<PreferenceKey, string>;

function fromDevice(settings: DeviceSettings | undefined): Values {
  return {
    deviceId: settings?.deviceId ?? '',
    user: settings?.ftp.user ?? '',
    password: settings?.ftp.password ?? '',
    host: settings?.ftp.host ?? '',
    port: settings === undefined ? DEFAULT_FTP_PORT : String(settings.ftp.port),
    login: settings?.login ?? '',
  };
}

function localProblem(key: PreferenceKey, value: string): string | undefined {
  if (key === 'port' && !(/^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535)) {
    return `Port FTP : « ${value} » n'est pas un numéro de port (1 à 65535)`;
  }
  if (key === 'deviceId' && !DEVICE_ID_PATTERN.test(value)) {
    return `Identifiant de la tablette : « ${value} » n'est pas valide : ` +
      '1 à 30 lettres, chiffres, « - », « _ » ou « . », en commençant par une lettre ou un chiffre';
  }
  return undefined;
}

/** The preferences of one app install, read from its data folder. */
export class Preferences {
  readonly #file: string;
  #values: Values;

  constructor(folder: string, device: VirtualDevice) {
    this.#file = join(folder, PREFERENCES_FILE);
    const stored = existsSync(this.#file) ? JSON.parse(readFileSync(this.#file, 'utf8')) as Partial<Values> : {};
    this.#values = { ...fromDevice(device.settings), ...stored };
  }

  /** The value as typed, the password too. */
  value(key: PreferenceKey): string {
    return this.#values[key];
  }

  /** The line under the title: the value, dots for the password, « Non renseigné » when empty. */
  summary(key: PreferenceKey): string {
    const value = this.#values[key];
    if (value === '') return EMPTY_SUMMARY;
    return key === 'password' ? '•'.repeat(value.length) : value;
  }

  /**
   * Accepts a value typed in the preference's dialog, and configures the
   * device when the settings are complete. Returns the reason it is refused
   * (our own wording, or the device's DeviceError message verbatim), the
   * values staying as they were; undefined once accepted.
   */
  change(key: PreferenceKey, typed: string, device: VirtualDevice): string | undefined {
    const value = key === 'password' ? typed : typed.trim();
    const problem = value === '' ? undefined : localProblem(key, value);
    if (problem !== undefined) return problem;

    const next = { ...this.#values, [key]: value };
    if (next.deviceId !== '' && next.host !== '' && next.user !== '') {
      try {
        device.configure(toSettings(next));
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    }
    this.#values = next;
    writeFileSync(this.#file, JSON.stringify(this.#values, null, 2));
    return undefined;
  }
}

function toSettings(values: Values): DeviceSettings {
  return {
    deviceId: values.deviceId,
    ftp: {
      host: values.host, port: Number(values.port || DEFAULT_FTP_PORT), user: values.user, password: values.password,
    },
    login: values.login === '' ? undefined : values.login,
  };
}
