/**
 * Which devices the back office exports to and imports from: a device must be
 * in the registry (« Accès aux appareils mobiles ») and in the eStock device
 * list (« Gestion des applications mobiles »), active and blocked in neither.
 * Licences (« Gestion des modules ») are not counted yet: every listed device
 * has one.
 */
import { BackOfficeError } from '../errors.ts';
import type { BoDatabase } from './database.ts';

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
 * Why the BO does not import from a device, or undefined when it may.
 * Throws BackOfficeError when the device is not in the eStock device list.
 */
export function importRefusal(db: BoDatabase, company: string, deviceId: string):
  string | undefined {
  const standing = deviceStanding(db, deviceId);
  if (!standing.listed) {
    throw new BackOfficeError(`cannot import from device ${deviceId}: it is not in the eStock ` +
      `device list of ${company}; choose one of the listed devices`);
  }
  return refusal(standing, 'nothing imported');
}
