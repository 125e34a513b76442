/**
 * Test fixtures: a virtual profile written into a folder with a `locators:`
 * field, and a copy of the shipped map with one name misspelt.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILES_FOLDER } from '../profile.ts';
import { LOCATORS_FOLDER } from './locator-map.ts';

/** Writes the shipped 2.1 map into `folder` as `name`, `sync.send` misspelt when `isWrong`; returns its path. */
export function writeMapCopy(folder: string, name: string, isWrong = false): string {
  const file = join(folder, name);
  const shipped = readFileSync(join(LOCATORS_FOLDER, '2.1.yaml'), 'utf8');
  writeFileSync(file, isWrong ? shipped.replace(/^(\s+)sync\.send:/m, '$1sync.sendd:') : shipped);
  return file;
}

/** Writes the virtual profile into `folder` as `name` with `locators: <map>` (relative); returns its path. */
export function writeProfileWithMap(folder: string, name: string, map: string): string {
  const file = join(folder, name);
  const written = readFileSync(join(PROFILES_FOLDER, 'virtual.yaml'), 'utf8')
    .replace('../../simulator', join(PROFILES_FOLDER, '..', '..', 'simulator'))
    .replace(/^appVersion: (.*)$/m, `appVersion: $1\nlocators: ${map}`);
  writeFileSync(file, written);
  return file;
}
