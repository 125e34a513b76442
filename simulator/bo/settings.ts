/**
 * The back office's settings, kept in its database: the FTP profiles
 * (« Gestion des profils FTP », guide 2a) and the eStock exchange settings
 * (« Gestion des applications mobiles », eStock tab, guide 2d, box 2).
 *
 * A new back office starts with one profile, `estock-hil`, the simulator's own
 * FTP server, which the simulator rewrites with its address at each start.
 * The local folders default to folders inside the back office's own folder.
 */
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { BackOfficeError, BackOfficeValueError } from '../errors.ts';
import { loadMapping, MAPPINGS_FOLDER } from '../exchange/index.ts';
import type { Mapping } from '../exchange/types.ts';
import { BACK_OFFICE_CLIENT_NAME } from '../ftp/client-name.ts';
import type { FtpProfile } from '../ftp/client.ts';
import type { BoDatabase } from './database.ts';

/** The profile the simulator keeps pointing at its own FTP server. */
export const SIMULATOR_PROFILE = 'estock-hil';

/**
 * How the BO uses TLS with a profile: `off` (plain FTP), `optional` (« FTP
 * explicite sur TLS si disponible »: TLS when the server offers it, else plain),
 * `required` (TLS or nothing).
 */
export const TLS_MODES = ['off', 'optional', 'required'] as const;

/** An FTP profile of the BO. */
export const ftpProfileSchema = z.strictObject({
  name: z.string().trim().min(1).max(40),
  host: z.string().trim().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  password: z.string().min(1),
  tls: z.enum(TLS_MODES).default('off'),
});

/** An FTP profile of the BO, by name. */
export type FtpProfileSetting = z.infer<typeof ftpProfileSchema>;

/**
 * The image export modes (« Export Images »): every image of the exported
 * articles (« Toutes »), only those not sent yet to the device
 * (« Non envoyées »), or none (« Aucune »).
 */
export const IMAGE_EXPORT_MODES = ['all', 'not-sent', 'none'] as const;
export type ImageExportMode = (typeof IMAGE_EXPORT_MODES)[number];

/** The eStock settings of the BO. Folders given relative are taken from the BO's folder. */
export const estockSettingsSchema = z.strictObject({
  /** « Version »: the exchange format version; with exportMapping it selects the mapping file. */
  version: z.string().trim().min(1),
  /** « Profil FTP »: the name of the FTP profile exports and imports go through. */
  ftpProfile: z.string().trim().min(1),
  /** « Répertoire local d'export ». */
  exportFolder: z.string().min(1),
  /** « Répertoire local d'import ». */
  importFolder: z.string().min(1),
  /** « Fichier de mapping d'export »: `eStock` is the standard one. */
  exportMapping: z.string().trim().min(1),
  /** Where mappings other than the shipped ones are read from: `<folder>/<mapping>/<version>.yaml`. */
  mappingsFolder: z.string().min(1).optional(),
  /** « Répertoire photos importées ». */
  photosFolder: z.string().min(1),
  /** « Export Images ». */
  imageExport: z.enum(IMAGE_EXPORT_MODES),
  /** Whether an imported exit or transfer may leave a stock line below zero. */
  negativeStock: z.enum(['allow', 'refuse']),
  /**
   * How long the import watches a movement zip's size before taking it, in
   * milliseconds: a zip whose size changes meanwhile is still being uploaded.
   */
  settleMs: z.number().int().min(0).max(60_000),
});

/** The eStock settings of the BO. */
export type EstockSettings = z.infer<typeof estockSettingsSchema>;

/** The settings of a new back office, for its first mapping. */
export function defaultSettings(mapping: Pick<Mapping, 'format' | 'version'>): EstockSettings {
  return {
    version: mapping.version,
    ftpProfile: SIMULATOR_PROFILE,
    exportFolder: 'export',
    importFolder: 'import',
    exportMapping: mapping.format,
    photosFolder: 'photos',
    imageExport: 'none',
    negativeStock: 'allow',
    settleMs: 1000,
  };
}

const SETTINGS_KEY = 'estock_settings';

/** Writes the settings of a new back office and its first FTP profile, unless it has settings already. */
export function seedSettings(db: BoDatabase, settings: EstockSettings, profile: FtpProfileSetting): void {
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO bo_meta (key, value) VALUES (?, ?)')
      .run(SETTINGS_KEY, JSON.stringify(settings));
    const profiles = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM ftp_profile').get()!;
    if (profiles.n === 0) saveFtpProfile(db, profile);
  })();
}

/** The eStock settings as stored. */
export function readSettings(db: BoDatabase): EstockSettings {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM bo_meta WHERE key = ?')
    .get(SETTINGS_KEY);
  if (row === undefined) throw new BackOfficeError('the back office has no eStock settings yet');
  return estockSettingsSchema.parse(JSON.parse(row.value));
}

/** The problems of a zod check as one line: `key: problem; key: problem`. */
function problemsOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join('; ');
}

/**
 * Changes some settings. Throws BackOfficeValueError naming the setting at
 * fault for a value of the wrong kind, and BackOfficeError for an FTP
 * profile that does not exist or a mapping that cannot be loaded; nothing is
 * changed then.
 */
export function changeSettings(db: BoDatabase, folder: string, change: Partial<EstockSettings>):
  EstockSettings {
  const parsed = estockSettingsSchema.safeParse({ ...readSettings(db), ...change });
  if (!parsed.success) throw new BackOfficeValueError(`settings not changed: ${problemsOf(parsed.error)}`);
  const settings = parsed.data;
  ftpProfileNamed(db, settings.ftpProfile, 'settings not changed: ftpProfile: ');
  try {
    settingsMapping(settings, folder);
  } catch (error) {
    throw new BackOfficeError(`settings not changed: ${(error as Error).message}`, { cause: error });
  }
  db.prepare('UPDATE bo_meta SET value = ? WHERE key = ?').run(JSON.stringify(settings), SETTINGS_KEY);
  return settings;
}

/** A settings folder as an absolute path: relative ones are taken from the BO's folder. */
export function settingsFolder(folder: string, path: string): string {
  return isAbsolute(path) ? path : join(folder, path);
}

/**
 * The mapping the settings select: `<mappingsFolder>/<exportMapping>/<version>.yaml`.
 * Throws BackOfficeError when it cannot be loaded.
 */
export function settingsMapping(settings: EstockSettings, folder: string): Mapping {
  const mappings = settings.mappingsFolder === undefined
    ? MAPPINGS_FOLDER : settingsFolder(folder, settings.mappingsFolder);
  try {
    return loadMapping(settings.exportMapping, settings.version, mappings);
  } catch (error) {
    throw new BackOfficeError(`the settings select the export mapping ${settings.exportMapping} ` +
      `version ${settings.version}, which cannot be loaded from ${mappings}: ${(error as Error).message}`,
    { cause: error });
  }
}

interface ProfileRow {
  name: string;
  host: string;
  port: number;
  user: string;
  password: string;
  tls: FtpProfileSetting['tls'];
}

/** Every FTP profile, by name. */
export function ftpProfiles(db: BoDatabase): FtpProfileSetting[] {
  return db.prepare<[], ProfileRow>('SELECT name, host, port, user, password, tls FROM ftp_profile ORDER BY name')
    .all();
}

/** The profile of that name; throws BackOfficeError (prefixed with `context`) when there is none. */
export function ftpProfileNamed(db: BoDatabase, name: string, context = ''): FtpProfileSetting {
  const found = ftpProfiles(db).find((profile) => profile.name === name);
  if (found === undefined) {
    const known = ftpProfiles(db).map((profile) => profile.name).join(', ') || 'none';
    throw new BackOfficeError(`${context}there is no FTP profile named "${name}" (profiles: ${known})`);
  }
  return found;
}

/** Creates or replaces a profile. Throws BackOfficeValueError naming the field at fault. */
export function saveFtpProfile(db: BoDatabase, profile: z.input<typeof ftpProfileSchema>): FtpProfileSetting {
  const parsed = ftpProfileSchema.safeParse(profile);
  if (!parsed.success) throw new BackOfficeValueError(`FTP profile not saved: ${problemsOf(parsed.error)}`);
  const { name, host, port, user, password, tls } = parsed.data;
  db.prepare(`INSERT INTO ftp_profile (name, host, port, user, password, tls) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET host = excluded.host, port = excluded.port, user = excluded.user,
      password = excluded.password, tls = excluded.tls`).run(name, host, port, user, password, tls);
  return parsed.data;
}

/**
 * Saves a profile as a user does in the profiles window: as saveFtpProfile,
 * but the simulator's own profile (SIMULATOR_PROFILE) is refused with
 * BackOfficeValueError, since each start of the simulator rewrites it with
 * its server's address: a change would be lost silently.
 */
export function saveUserFtpProfile(db: BoDatabase, profile: z.input<typeof ftpProfileSchema>): FtpProfileSetting {
  if (profile.name === SIMULATOR_PROFILE) {
    throw new BackOfficeValueError(`FTP profile not saved: "${SIMULATOR_PROFILE}" is the simulator's own ` +
      'server, rewritten with its address each time the simulator starts; make a profile of another name ' +
      'and select it in the settings (ftpProfile)');
  }
  return saveFtpProfile(db, profile);
}

/** Deletes a profile. Throws BackOfficeError for the profile the settings use, or one that does not exist. */
export function deleteFtpProfile(db: BoDatabase, name: string): void {
  ftpProfileNamed(db, name, 'FTP profile not deleted: ');
  if (readSettings(db).ftpProfile === name) {
    throw new BackOfficeError(`FTP profile not deleted: "${name}" is the profile of the eStock settings; ` +
      'choose another one there first');
  }
  db.prepare('DELETE FROM ftp_profile WHERE name = ?').run(name);
}

/**
 * The connection of a profile, for the FTP client. The back office names
 * itself with CLNT on every session, so that the server's faults for the
 * devices spare it (docs/faults.md).
 */
export function connectionOf(profile: FtpProfileSetting): FtpProfile {
  return { host: profile.host, port: profile.port, user: profile.user, password: profile.password,
    tls: profile.tls, clientName: BACK_OFFICE_CLIENT_NAME };
}
