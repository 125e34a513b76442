/**
 * Server profiles by name (the shipped ones, in this folder) or by file.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../errors.ts';
import { withFirstProblemOnly, YamlFile } from '../../yaml-file.ts';
import { serverProfileSchema, type ServerProfile } from './profile-schema.ts';

/** The folder of the shipped profiles. */
export const PROFILES_FOLDER = dirname(fileURLToPath(import.meta.url));

const PROFILE_NEEDS = 'a server profile is a mapping with name:, description: and the behaviours it changes; ' +
  'see simulator/ftp/profiles/vsftpd.yaml';

/** The names of the shipped profiles, sorted. */
export function shippedProfileNames(): string[] {
  return readdirSync(PROFILES_FOLDER).filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length)).sort();
}

/** The file of a shipped profile by name (`vsftpd`), or the path given if it names a file. */
export function profileFile(nameOrPath: string): string {
  return /[\\/]|\.ya?ml$/.test(nameOrPath) ? nameOrPath : join(PROFILES_FOLDER, `${nameOrPath}.yaml`);
}

/**
 * Reads and checks a server profile. Throws ConfigError naming the file, the
 * line and the key at fault; an unknown name lists the shipped ones.
 */
export function loadServerProfile(nameOrPath: string): ServerProfile {
  const file = profileFile(nameOrPath);
  if (file !== nameOrPath && !shippedProfileNames().includes(nameOrPath)) {
    throw new ConfigError(`no shipped server profile "${nameOrPath}"; the shipped ones are ` +
      `${shippedProfileNames().join(', ')}, or give a profile file's path`);
  }
  return withFirstProblemOnly(() => YamlFile.read(file, 'server profile').parseMapping(serverProfileSchema,
    PROFILE_NEEDS));
}
