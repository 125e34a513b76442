/**
 * Creating the folders a user names (a reports folder, a state folder).
 * Node's `mkdirSync(path, { recursive: true })` never returns where the
 * kernel answers ENOENT for a folder whose parent exists, as it does under
 * /proc and /sys: it retries the parent for ever at full CPU. Here each
 * missing level is made on its own, so such a path fails at once.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Makes `folder` and any missing parent, like `mkdir -p`; a folder already
 * there is fine. Returns the absolute path. Throws the file system's error
 * (ENOENT, EACCES, ENOTDIR...) for the first level that cannot be made.
 */
export function makeFolders(folder: string): string {
  const absolute = resolve(folder);
  const missing: string[] = [];
  let level = absolute;
  while (statSync(level, { throwIfNoEntry: false }) === undefined && dirname(level) !== level) {
    missing.unshift(level);
    level = dirname(level);
  }
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (error) {
      // Made meanwhile by another process (two runs sharing a reports folder): that is what we want.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (!statSync(absolute).isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: not a folder, mkdir '${absolute}'`), { code: 'ENOTDIR', path: absolute });
  }
  return absolute;
}
