/**
 * The app file that stands for the APK (`appium:app`): a JSON file naming the
 * package, its version and the exchange mapping the app speaks.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errors } from '@appium/base-driver';

/** What an app file holds; see docs/virtual-app.md. */
export interface AppFile {
  /** The absolute path it was read from. */
  path: string;
  package: string;
  versionName: string;
  versionCode: number;
  minSdk: number;
  targetSdk: number;
  mapping: { format: string; version: string };
  /** The page « Mise à jour de l'application » opens; shown, never fetched. */
  portalUrl: string;
}

function field(raw: Record<string, unknown>, name: string, type: 'string' | 'number', file: string): void {
  if (typeof raw[name] !== type) {
    throw new errors.SessionNotCreatedError(`app file ${file}: "${name}" must be a ${type}, ` +
      `found ${JSON.stringify(raw[name])}`);
  }
}

/**
 * Reads and checks an app file. Throws SessionNotCreatedError naming the
 * file and what is wrong with it: missing, not JSON, or a field missing.
 */
export function readAppFile(path: string): AppFile {
  const file = resolve(path);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    const problem = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new errors.SessionNotCreatedError(`app file ${file} (appium:app) cannot be read: ${problem}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new errors.SessionNotCreatedError(`app file ${file}: a JSON object is expected`);
  }

  for (const name of ['package', 'versionName', 'portalUrl']) field(raw, name, 'string', file);
  field(raw, 'versionCode', 'number', file);
  const mapping = raw.mapping as Record<string, unknown> | undefined;
  if (typeof mapping?.format !== 'string' || typeof mapping.version !== 'string') {
    throw new errors.SessionNotCreatedError(`app file ${file}: "mapping" must be { "format": "eStock", ` +
      `"version": "1.00" }, found ${JSON.stringify(raw.mapping)}`);
  }
  return {
    path: file,
    package: raw.package as string,
    versionName: raw.versionName as string,
    versionCode: raw.versionCode as number,
    minSdk: typeof raw.minSdk === 'number' ? raw.minSdk : 26,
    targetSdk: typeof raw.targetSdk === 'number' ? raw.targetSdk : 34,
    mapping: { format: mapping.format, version: mapping.version },
    portalUrl: raw.portalUrl as string,
  };
}
