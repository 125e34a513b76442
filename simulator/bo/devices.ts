/**
 * The devices of the back office: the registry (« Accès aux appareils
 * mobiles »: id, authentication key, blocked) and the eStock device list
 * (« Gestion des applications mobiles »: active, blocked, id, default login,
 * « Critères Articles et Lots »), with their changes, and which devices the
 * back office exports to and imports from: a device must be in both, active
 * and blocked in neither.
 */
import { randomBytes } from 'node:crypto';
import type { EstockDevice, RegisteredDevice } from '../company.ts';
import { DEVICE_ID_PATTERN } from '../company.ts';
import { BackOfficeError, BackOfficeValueError } from '../errors.ts';
import type { BoDatabase } from './database.ts';
import { checkCriteria } from './export-criteria.ts';

export type { EstockDevice, RegisteredDevice };

/** An authentication key: 16 hexadecimal digits, either case (stored lowercase). */
const AUTH_KEY = /^[0-9a-f]{16}$/i;

interface RegistryRow {
  device_id: string;
  auth_key: string;
  blocked: number;
}

interface ListRow {
  device_id: string;
  login: string;
  active: number;
  blocked: number;
  criteria: string;
}

/** The registry, by device id. */
export function registry(db: BoDatabase): RegisteredDevice[] {
  return db.prepare<[], RegistryRow>('SELECT device_id, auth_key, blocked FROM device_registry ORDER BY device_id')
    .all().map((row) => ({ deviceId: row.device_id, authKey: row.auth_key, blocked: row.blocked === 1 }));
}

/** The eStock device list, by device id. */
export function estockList(db: BoDatabase): EstockDevice[] {
  return db.prepare<[], ListRow>('SELECT device_id, login, active, blocked, criteria FROM estock_device ' +
    'ORDER BY device_id').all().map((row) => ({ deviceId: row.device_id, login: row.login,
    active: row.active === 1, blocked: row.blocked === 1, criteria: row.criteria }));
}

/** The devices that count against the licences: active in the eStock list and blocked nowhere. */
export function activeDevices(db: BoDatabase): string[] {
  return db.prepare<[], { device_id: string }>(`SELECT e.device_id FROM estock_device e
    JOIN device_registry r ON r.device_id = e.device_id
    WHERE e.active = 1 AND e.blocked = 0 AND r.blocked = 0 ORDER BY e.device_id`).all()
    .map((row) => row.device_id);
}

/** The key, lowercase; throws BackOfficeValueError when it is not 16 hexadecimal digits. */
function checkAuthKey(key: string, what: string): string {
  if (!AUTH_KEY.test(key)) {
    throw new BackOfficeValueError(`${what}: authentication key "${key}" is not 16 hexadecimal digits ` +
      '(0-9, a-f)');
  }
  return key.toLowerCase();
}

function registered(db: BoDatabase, deviceId: string): RegisteredDevice | undefined {
  return registry(db).find((device) => device.deviceId === deviceId);
}

function listed(db: BoDatabase, deviceId: string): EstockDevice | undefined {
  return estockList(db).find((device) => device.deviceId === deviceId);
}

/**
 * « Créer »: registers a device, with a random authentication key unless one
 * is given (either case, stored lowercase). Throws BackOfficeValueError for a
 * bad id or key, and BackOfficeError for an id registered already, even in
 * another case: the BO keeps a folder per device, and on its Windows `Tab001`
 * and `tab001` are one folder.
 */
export function registerDevice(db: BoDatabase,
  device: { deviceId: string; authKey?: string; blocked?: boolean }): RegisteredDevice {
  const what = `device ${device.deviceId} not registered`;
  if (!DEVICE_ID_PATTERN.test(device.deviceId)) {
    throw new BackOfficeValueError(`${what}: a device id is 1 to 30 letters, digits, "-", "_" or ".", ` +
      'starting with a letter or digit');
  }
  const wanted = device.deviceId.toLowerCase();
  const same = registry(db).find((each) => each.deviceId.toLowerCase() === wanted);
  if (same?.deviceId === device.deviceId) throw new BackOfficeError(`${what}: it is registered already`);
  if (same !== undefined) {
    throw new BackOfficeError(`${what}: ${same.deviceId} is registered, and ids that differ only by case share ` +
      'a folder on a file system that ignores case, as the back office\'s Windows does; choose another id');
  }
  const entry = { deviceId: device.deviceId, blocked: device.blocked ?? false,
    authKey: checkAuthKey(device.authKey ?? randomBytes(8).toString('hex'), what) };
  db.prepare('INSERT INTO device_registry (device_id, auth_key, blocked) VALUES (?, ?, ?)')
    .run(entry.deviceId, entry.authKey, entry.blocked ? 1 : 0);
  return entry;
}

/** « Gérer »: changes a registered device's key or blocked flag. Throws BackOfficeError for an unknown device. */
export function changeRegisteredDevice(db: BoDatabase, deviceId: string,
  change: { authKey?: string; blocked?: boolean }): RegisteredDevice {
  const what = `device ${deviceId} not changed`;
  const found = registered(db, deviceId);
  if (found === undefined) throw new BackOfficeError(`${what}: it is not in the registry`);
  const entry = { ...found, ...change };
  entry.authKey = checkAuthKey(entry.authKey, what);
  db.prepare('UPDATE device_registry SET auth_key = ?, blocked = ? WHERE device_id = ?')
    .run(entry.authKey, entry.blocked ? 1 : 0, deviceId);
  return entry;
}

/**
 * « Supprimer »: removes a device from the registry. Throws BackOfficeError
 * for an unknown device, or one still in the eStock list.
 */
export function unregisterDevice(db: BoDatabase, deviceId: string): void {
  const what = `device ${deviceId} not deleted`;
  if (registered(db, deviceId) === undefined) throw new BackOfficeError(`${what}: it is not in the registry`);
  if (listed(db, deviceId) !== undefined) {
    throw new BackOfficeError(`${what}: it is in the eStock device list; remove it from the list first`);
  }
  db.prepare('DELETE FROM device_registry WHERE device_id = ?').run(deviceId);
}

function checkLogin(db: BoDatabase, login: string, what: string): void {
  const users = db.prepare<[], { LOGIN: string }>('SELECT LOGIN FROM SOFTUSER ORDER BY LOGIN').all()
    .map((row) => row.LOGIN);
  if (!users.includes(login)) {
    throw new BackOfficeError(`${what}: login "${login}" is not one of the BO users (SOFTUSER: ` +
      `${users.join(', ') || 'none; seed the catalog first'})`);
  }
}

/**
 * « Ajouter »: adds a registered device to the eStock list with its default
 * login, one of the BO users (SOFTUSER), and its « Critères Articles et Lots »
 * (export-criteria.ts). Throws BackOfficeError for a device not in the
 * registry or listed already, an unknown login, or criteria that cannot be read.
 */
export function listDevice(db: BoDatabase, device: { deviceId: string; login: string; active?: boolean;
  blocked?: boolean; criteria?: string }): EstockDevice {
  const what = `device ${device.deviceId} not added to the eStock list`;
  if (registered(db, device.deviceId) === undefined) {
    throw new BackOfficeError(`${what}: a device joins the eStock list only from the registry; register it first`);
  }
  if (listed(db, device.deviceId) !== undefined) throw new BackOfficeError(`${what}: it is in the list already`);
  checkLogin(db, device.login, what);
  const entry = { deviceId: device.deviceId, login: device.login, active: device.active ?? true,
    blocked: device.blocked ?? false, criteria: device.criteria ?? '' };
  checkCriteria(entry.criteria, entry.deviceId, what);
  db.prepare('INSERT INTO estock_device (device_id, login, active, blocked, criteria) VALUES (?, ?, ?, ?, ?)')
    .run(entry.deviceId, entry.login, entry.active ? 1 : 0, entry.blocked ? 1 : 0, entry.criteria);
  return entry;
}

/**
 * Changes a listed device. Throws BackOfficeError for a device not in the
 * list, an unknown login or criteria that cannot be read; nothing changes then.
 */
export function changeListedDevice(db: BoDatabase, deviceId: string,
  change: Partial<Omit<EstockDevice, 'deviceId'>>): EstockDevice {
  const what = `device ${deviceId} not changed in the eStock list`;
  const found = listed(db, deviceId);
  if (found === undefined) throw new BackOfficeError(`${what}: it is not in the list`);
  const entry = { ...found, ...change };
  if (change.login !== undefined) checkLogin(db, entry.login, what);
  if (change.criteria !== undefined) checkCriteria(entry.criteria, deviceId, what);
  db.prepare('UPDATE estock_device SET login = ?, active = ?, blocked = ?, criteria = ? WHERE device_id = ?')
    .run(entry.login, entry.active ? 1 : 0, entry.blocked ? 1 : 0, entry.criteria, deviceId);
  return entry;
}

/** Removes a device from the eStock list (it stays registered). Throws BackOfficeError if it is not listed. */
export function unlistDevice(db: BoDatabase, deviceId: string): void {
  if (listed(db, deviceId) === undefined) {
    throw new BackOfficeError(`device ${deviceId} not removed from the eStock list: it is not in the list`);
  }
  db.prepare('DELETE FROM estock_device WHERE device_id = ?').run(deviceId);
}

/** What the BO knows of a device. */
export interface DeviceStanding {
  deviceId: string;
  registered: boolean;
  blockedInRegistry: boolean;
  listed: boolean;
  active: boolean;
  blockedInList: boolean;
  /** The default BO login of the device, when listed. */
  login: string | null;
  /** « Critères Articles et Lots »: empty for every article and lot. */
  criteria: string;
}

interface StandingRow {
  auth_key: string | null;
  registry_blocked: number | null;
  login: string | null;
  active: number | null;
  list_blocked: number | null;
  criteria: string | null;
}

/** Reads a device's standing from the mirror of the registry and the eStock list. */
export function deviceStanding(db: BoDatabase, deviceId: string): DeviceStanding {
  const row = db.prepare<[string, string], StandingRow>(`
    SELECT r.auth_key, r.blocked AS registry_blocked,
      e.login, e.active, e.blocked AS list_blocked, e.criteria
    FROM (SELECT ? AS device_id) d
    LEFT JOIN device_registry r ON r.device_id = d.device_id
    LEFT JOIN estock_device e ON e.device_id = ?`).get(deviceId, deviceId);
  return {
    deviceId,
    registered: row?.auth_key !== null && row?.auth_key !== undefined,
    blockedInRegistry: row?.registry_blocked === 1,
    listed: row?.login !== null && row?.login !== undefined,
    active: row?.active === 1,
    blockedInList: row?.list_blocked === 1,
    login: row?.login ?? null,
    criteria: row?.criteria ?? '',
  };
}

function refusal(standing: DeviceStanding, nothingDone: string): string | undefined {
  const device = `device ${standing.deviceId}`;
  if (!standing.listed) {
    return `${device} is registered but not in the eStock device list: ${nothingDone}; ` +
      'add it to the list first';
  }
  if (standing.blockedInRegistry) return `${device} is blocked in the device registry: ${nothingDone}`;
  if (standing.blockedInList) return `${device} is blocked in the eStock device list: ${nothingDone}`;
  if (!standing.active) return `${device} is not active in the eStock device list: ${nothingDone}`;
  return undefined;
}

/**
 * Why the BO does not export to a device, or undefined when it may.
 * Throws BackOfficeError when the device is not in the registry at all.
 */
export function exportRefusal(db: BoDatabase, company: string, deviceId: string):
  string | undefined {
  const standing = deviceStanding(db, deviceId);
  if (!standing.registered) {
    throw new BackOfficeError(`cannot export to device ${deviceId}: it is not in the device ` +
      `registry of ${company}; register it (with its authentication key) and add it to the ` +
      'eStock device list');
  }
  return refusal(standing, 'nothing exported');
}

/**
 * Why the BO does not import from a device, or undefined when it may: a
 * device not in the registry or not in the eStock list, blocked or inactive
 * gets nothing imported.
 */
export function importRefusal(db: BoDatabase, company: string, deviceId: string):
  string | undefined {
  const standing = deviceStanding(db, deviceId);
  if (!standing.registered) {
    return `device ${deviceId} is not in the device registry of ${company}: nothing imported; register it ` +
      'and add it to the eStock device list to import its movements';
  }
  return refusal(standing, 'nothing imported');
}
