/**
 * The lock a running serve holds on its state folder. Two serves on one
 * state folder would race each other: both import each upload, and one
 * fails to find the zip the other took. The lock is the folder
 * `<state>/serve.lock`, made and kept fresh by proper-lockfile: its holder
 * touches it every STATE_LOCK_STALE_MS / 2 and removes it when it exits,
 * even on an error; one left by a serve that was killed is taken over once
 * it has not been touched for STATE_LOCK_STALE_MS.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { ConfigError, HilError } from '../simulator/errors.ts';
import { makeFolders } from '../simulator/folders.ts';

/** The lock's name inside the state folder. */
export const STATE_LOCK_NAME = 'serve.lock';

/** A lock untouched for this long (ms) was left by a serve that died: 10 s. */
export const STATE_LOCK_STALE_MS = 10_000;

/** A state folder held by this process. */
export interface StateLock {
  /** The lock, `<state>/serve.lock`. */
  readonly lockFile: string;
  /** Removes the lock; once is enough, a second call does nothing. */
  release(): Promise<void>;
}

/**
 * Makes the state folder if it is missing and locks it. Throws HilError
 * `STATE_IN_USE`, naming the folder, when another serve holds it, and
 * ConfigError when it cannot be made or locked. `onLost` hears of a lock
 * lost while held (removed by hand, or taken over by another serve after
 * this one could not touch it for `staleMs`); the lock is not taken again.
 */
export async function lockStateFolder(folder: string, onLost: (error: Error) => void,
  staleMs = STATE_LOCK_STALE_MS): Promise<StateLock> {
  try {
    makeFolders(folder);
  } catch (error) {
    throw new ConfigError(`--state: cannot make the state folder ${folder}: ` +
      (error as Error).message, { cause: error });
  }

  const lockFile = join(folder, STATE_LOCK_NAME);
  const options = { lockfilePath: lockFile, stale: staleMs, onCompromised: onLost };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(folder, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') throw inUse(folder, lockFile, staleMs, error);
    throw new ConfigError(`--state: cannot lock the state folder ${folder}: ` +
      (error as Error).message, { cause: error });
  }
  let released: Promise<void> | undefined;
  return {
    lockFile,
    release: () => released ??= release().catch((error: unknown) => {
      // Already lost (onLost was told): nothing of ours to remove.
      if ((error as NodeJS.ErrnoException).code !== 'ERELEASED') throw error;
    }),
  };
}

function inUse(folder: string, lockFile: string, staleMs: number, cause: unknown): HilError {
  const touched = statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs;
  const seconds = touched === undefined ? 0 : Math.round((Date.now() - touched) / 1000);
  const age = touched === undefined ? '' :
    ` (its lock ${lockFile} was touched ${Math.max(0, seconds)} s ago)`;
  return new HilError('STATE_IN_USE', `the state folder ${folder} is in use by ` +
    `another estock-hil serve${age}: stop that one, or give this one another ` +
    '--state. A serve that was killed leaves its lock behind, taken over ' +
    `${staleMs / 1000} s after it was last touched.`, { cause });
}

/**
 * Whether a serve holds the state folder now: its lock is there and was
 * touched within `staleMs`. A missing folder is not served.
 */
export async function stateFolderIsServed(folder: string, staleMs = STATE_LOCK_STALE_MS): Promise<boolean> {
  if (!existsSync(folder)) return false;
  return lockfile.check(folder, { lockfilePath: join(folder, STATE_LOCK_NAME), stale: staleMs });
}
