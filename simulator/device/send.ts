/**
 * The synchronisation screen's send: the movements, lots and lot information
 * not yet sent go in one LotStockExported_<timestamp>.zip into the device's
 * inbox (Entrant/eStock/<device>/MvtStocks/), then the device's Version.txt
 * beside it. What the zip carried is marked sent only once the server
 * confirmed the upload (226, and 250 to the rename when uploading under a
 * temporary name) and reports the same size; otherwise it stays pending and
 * the next attempt, or the next send, carries it again in a zip of a new name.
 */
import { performance } from 'node:perf_hooks';
import { posix } from 'node:path';
import { FtpError } from '../errors.ts';
import {
  buildMovementUpload, devicePaths, encodeSingleRowFile, movementUploadName, parseMovementUploadName,
  temporaryUploadName,
} from '../exchange/index.ts';
import type { Row } from '../exchange/types.ts';
import { asFtpError, withFtpSession } from '../ftp/client.ts';
import { logger } from '../log.ts';
import { withAttempts } from './attempts.ts';
import { companyRoot, ensureFolder, expectReply, remotePath, uploadBuffer } from './ftp-transfers.ts';
import { markSent, pendingUpload, uploadIsEmpty, type PendingUpload } from './journal.ts';
import type { DeviceStore } from './store.ts';
import type { DeviceSettingsInForce, SendReport } from './types.ts';

/** What a send needs beside the store and the settings. */
export interface SendContext {
  now: Date;
  /** The row of Entrant/eStock/<device>/Version.txt: APP_VERSION, ANDROID_VERSION, DEVICE_MODEL. */
  deviceVersion: Row;
}

const ONE_SECOND_MS = 1000;
/** « Closing data connection »: the server has the whole file. */
const TRANSFER_COMPLETE = 226;
/** « Requested file action okay, completed »: the answer to RNTO. */
const FILE_ACTION_DONE = 250;

/**
 * The name of the next upload zip: from `now`, but strictly later than the
 * last name this device used, since names carry seconds only and two sends
 * in one second must not overwrite each other. The name is saved at once.
 */
export function nextUploadName(store: DeviceStore, now: Date): string {
  const last = store.setting('last_upload_name');
  const lastAt = last === undefined ? undefined : parseMovementUploadName(store.mapping, last);
  const second = (at: Date): number => Math.floor(at.getTime() / ONE_SECOND_MS);
  const at = lastAt !== undefined && second(now) <= second(lastAt) ? new Date(lastAt.getTime() + ONE_SECOND_MS) : now;
  const name = movementUploadName(store.mapping, at);
  store.saveSettings({ last_upload_name: name });
  return name;
}

/** What one attempt at the upload needs. */
interface UploadJob {
  store: DeviceStore;
  settings: DeviceSettingsInForce;
  pending: PendingUpload;
  zip: Buffer;
  version: Buffer;
  now: Date;
}

/** What one attempt came to: the zip's name, and a failure of the Version.txt upload after the marking. */
interface UploadDone {
  file: string;
  versionFailure?: FtpError;
}

/**
 * Uploads the zip under a new name (by STOR, or by STOR of a temporary name
 * then RNFR/RNTO) and marks what it carries sent only once the server
 * confirmed it: 226 to the STOR, 250 to the RNTO, and SIZE equal to the
 * zip's. Then Version.txt, whose failure is kept apart: the movements are
 * sent by then and must not go again.
 */
async function uploadOnce(job: UploadJob, attempt: number): Promise<UploadDone> {
  const { store, settings, pending, zip } = job;
  const { deviceId, sync } = settings;
  const paths = devicePaths(store.mapping, deviceId);
  const file = nextUploadName(store, job.now);
  const target = posix.join(paths.movementUploads, file);
  const who = `device ${deviceId} send${attempt > 1 ? ` (attempt ${attempt})` : ''}`;
  logger('hil:device', deviceId)('send: %s, %s upload (%d bytes)', target, sync.uploadMode, zip.length);

  return await withFtpSession(settings.ftp, who, async (client) => {
    const root = await companyRoot(client);
    await ensureFolder(client, root, paths.movementUploads);
    const final = remotePath(root, target);
    if (sync.uploadMode === 'temporary-name') {
      const temporary = temporaryUploadName(final);
      expectReply(await uploadBuffer(client, zip, temporary), TRANSFER_COMPLETE, `STOR ${temporary}`);
      expectReply((await client.rename(temporary, final)).code, FILE_ACTION_DONE, `RNTO ${final}`);
    } else {
      expectReply(await uploadBuffer(client, zip, final), TRANSFER_COMPLETE, `STOR ${final}`);
    }
    const size = await client.size(final);
    if (size !== zip.length) {
      throw new FtpError(`${target} has ${size} bytes on the server, ${zip.length} were sent; ` +
        `the ${pending.movements.length} movements stay pending for the next send`);
    }
    markSent(store, pending, file);
    try {
      await uploadBuffer(client, job.version, remotePath(root, paths.deviceVersion));
    } catch (error) {
      return { file, versionFailure: asFtpError(error, `${who}: upload of ${paths.deviceVersion}`) };
    }
    return { file };
  }, sync.timeoutMs);
}

/**
 * Sends what is pending. Nothing pending: a report with `file` undefined and
 * no FTP connection at all. An attempt that fails leaves everything pending;
 * the next, after the settings' pause, sends it in a zip of a new name. Throws
 * FtpError once the attempts are spent (nothing marked sent); a failure of the
 * Version.txt upload comes after the marking, so it is thrown without a new
 * attempt, and the movements are not sent twice.
 */
export async function send(store: DeviceStore, settings: DeviceSettingsInForce,
  context: SendContext): Promise<SendReport> {
  const { deviceId } = settings;
  const log = logger('hil:device', deviceId);
  const started = performance.now();
  const pending = pendingUpload(store);
  if (uploadIsEmpty(pending)) {
    log('send: nothing pending');
    return { file: undefined, movements: 0, lots: 0, bytes: 0, ms: Math.round(performance.now() - started) };
  }

  const zip = await buildMovementUpload(store.mapping, {
    movements: pending.movements.map((movement) => movement.uploadRow),
    lots: pending.lots,
    lotInformation: pending.lotInformation,
  });
  const version = encodeSingleRowFile(store.mapping, 'deviceVersion', context.deviceVersion);
  log('send: %d movements, %d lots, %d lot information (%d bytes)',
    pending.movements.length, pending.lots.length, pending.lotInformation.length, zip.length);
  const job: UploadJob = { store, settings, pending, zip, version, now: context.now };
  const { value, attempts, failures } = await withAttempts(deviceId, 'send', settings.sync,
    (attempt) => uploadOnce(job, attempt));
  if (value.versionFailure !== undefined) throw value.versionFailure;

  const ms = Math.round(performance.now() - started);
  log('send: %s confirmed, %d bytes, %d attempts, %d ms', value.file, zip.length, attempts, ms);
  return { file: value.file, movements: pending.movements.length, lots: pending.lots.length, bytes: zip.length, ms,
    attempts, failures };
}
