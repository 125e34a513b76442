/**
 * Tries a sync action again after an FTP failure, as the sync settings say:
 * up to `attempts` times, `pauseMs` apart. Only FTP failures are tried again
 * (a timeout, a 4xx/5xx reply, a reset connection, a size that differs);
 * a refusal of the device itself or a broken export would fail the same way
 * again, so they end the action at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FtpError } from '../errors.ts';
import { logger } from '../log.ts';
import type { SyncSettings } from './types.ts';

/** What an action came to after its attempts. */
export interface Attempted<T> {
  value: T;
  /** Attempts made, the one that succeeded included. */
  attempts: number;
  /** Why each failed attempt failed, oldest first. */
  failures: string[];
}

/**
 * Runs `work` (given the attempt's number, from 1) until it succeeds or the
 * attempts are spent. Throws at once what is not an FtpError; after the last
 * attempt, an FtpError whose message lists why each attempt failed, with the
 * last one's reply code and the last error as its cause.
 */
export async function withAttempts<T>(deviceId: string, action: string, sync: SyncSettings,
  work: (attempt: number) => Promise<T>): Promise<Attempted<T>> {
  const log = logger('hil:device', deviceId);
  const failures: string[] = [];
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { value: await work(attempt), attempts: attempt, failures };
    } catch (error) {
      if (!(error instanceof FtpError)) throw error;
      failures.push(error.message);
      if (attempt >= sync.attempts) throw lastFailure(deviceId, action, failures, error);
      log('%s: attempt %d of %d failed, next in %d ms: %s', action, attempt, sync.attempts, sync.pauseMs,
        error.message);
      await sleep(sync.pauseMs);
    }
  }
}

function lastFailure(deviceId: string, action: string, failures: readonly string[], last: FtpError): FtpError {
  if (failures.length === 1) return last;
  const each = failures.map((reason, index) => `attempt ${index + 1}: ${reason}`).join('; ');
  return new FtpError(`device ${deviceId} ${action} failed ${failures.length} times: ${each}`, last.replyCode,
    { cause: last });
}
