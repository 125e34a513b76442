/**
 * The synchronisation screen's send: the movements, lots and lot information
 * not yet sent go in one LotStockExported_<timestamp>.zip into the device's
 * inbox (Entrant/eStock/<device>/MvtStocks/), then the device's Version.txt
 * beside it. What the zip carried is marked sent only once the server
 * confirmed the upload and reports the same size; otherwise it stays pending
 * and the next send carries it again.
 */
import { performance } from 'node:perf_hooks';
import { posix } from 'node:path';
import { FtpError } from '../errors.ts';
import {
  buildMovementUpload, devicePaths, encodeSingleRowFile, movementUploadName, parseMovementUploadName,
} from '../exchange/index.ts';
import type { Row } from '../exchange/types.ts';
import { withFtpSession } from '../ftp/client.ts';
import { logger } from '../log.ts';
import { companyRoot, ensureFolder, remotePath, uploadBuffer } from './ftp-transfers.ts';
import { markSent, pendingUpload, uploadIsEmpty } from './journal.ts';
import type { DeviceStore } from './store.ts';
import type { DeviceSettings, SendReport } from './types.ts';

/** What a send needs beside the store and the settings. */
export interface SendContext {
  now: Date;
  /** The row of Entrant/eStock/<device>/Version.txt: APP_VERSION, ANDROID_VERSION, DEVICE_MODEL. */
  deviceVersion: Row;
}

const ONE_SECOND_MS = 1000;

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

/**
 * Sends what is pending. Nothing pending: a report with `file` undefined and
 * no FTP connection at all. Throws FtpError when the upload fails or the
 * server's size differs (then nothing is marked sent); a failure of the
 * Version.txt upload comes after the marking, so the movements are not sent twice.
 */
export async function send(store: DeviceStore, settings: DeviceSettings, context: SendContext): Promise<SendReport> {
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
  const paths = devicePaths(store.mapping, deviceId);
  const file = nextUploadName(store, context.now);
  const target = posix.join(paths.movementUploads, file);
  const version = encodeSingleRowFile(store.mapping, 'deviceVersion', context.deviceVersion);
  log('send: %d movements, %d lots, %d lot information in %s (%d bytes)',
    pending.movements.length, pending.lots.length, pending.lotInformation.length, target, zip.length);

  await withFtpSession(settings.ftp, `device ${deviceId} send`, async (client) => {
    const root = await companyRoot(client);
    await ensureFolder(client, root, paths.movementUploads);
    await uploadBuffer(client, zip, remotePath(root, target));
    const size = await client.size(remotePath(root, target));
    if (size !== zip.length) {
      throw new FtpError(`${target} has ${size} bytes on the server, ${zip.length} were sent; ` +
        `the ${pending.movements.length} movements stay pending for the next send`);
    }
    markSent(store, pending, file);
    await uploadBuffer(client, version, remotePath(root, paths.deviceVersion));
  });

  const ms = Math.round(performance.now() - started);
  log('send: %s confirmed, %d bytes, %d ms', file, zip.length, ms);
  return { file, movements: pending.movements.length, lots: pending.lots.length, bytes: zip.length, ms };
}
