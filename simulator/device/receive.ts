/**
 * The synchronisation screen's receive: download what the BO exported for
 * this device (Sortant/eStock/<device>/: the zip, Version.txt and
 * <device>.txt), read it strictly, and replace the received tables in one
 * transaction. Movements not yet sent are kept and replayed on the new stock,
 * so that the local stock still shows them.
 */
import { performance } from 'node:perf_hooks';
import { DeviceError } from '../errors.ts';
import { decodeSingleRowFile, devicePaths, insertRows, readExportZip } from '../exchange/index.ts';
import type { Row } from '../exchange/types.ts';
import { withFtpSession } from '../ftp/client.ts';
import { logger } from '../log.ts';
import { companyRoot, downloadIfThere, remotePath } from './ftp-transfers.ts';
import { withAttempts } from './attempts.ts';
import { replayPendingMovements } from './movements.ts';
import type { DeviceStore } from './store.ts';
import type { DeviceSettingsInForce, ReceiveReport } from './types.ts';

interface Downloaded {
  zip?: Buffer;
  version?: Buffer;
  status?: Buffer;
}

async function download(store: DeviceStore, settings: DeviceSettingsInForce, attempt: number): Promise<Downloaded> {
  const paths = devicePaths(store.mapping, settings.deviceId);
  const who = `device ${settings.deviceId} receive${attempt > 1 ? ` (attempt ${attempt})` : ''}`;
  return await withFtpSession(settings.ftp, who, async (client) => {
    const root = await companyRoot(client);
    const zip = await downloadIfThere(client, remotePath(root, paths.exportZip));
    if (zip === undefined) return {};
    const version = await downloadIfThere(client, remotePath(root, paths.exportVersion));
    const status = await downloadIfThere(client, remotePath(root, paths.exportStatus));
    return { zip, version, status };
  }, settings.sync.timeoutMs);
}

function replaceExportTables(store: DeviceStore, tables: ReadonlyMap<string, Row[]>): number {
  let rows = 0;
  for (const table of store.mapping.exportTables) {
    const received = tables.get(table.name) ?? [];
    store.db.prepare(`DELETE FROM "${table.name}"`).run();
    insertRows(store.db, table, received);
    rows += received.length;
  }
  return rows;
}

/**
 * Downloads and loads the BO's export for the device. Throws DeviceError when
 * the BO has exported nothing yet (550 on the zip) or the export lacks its
 * Version.txt; ExchangeFormatError/ZipError for a broken export; FtpError for
 * any other FTP failure, once the sync settings' attempts are spent (the
 * download is tried again after their pause). On any failure the store is
 * left as it was.
 */
export async function receive(store: DeviceStore, settings: DeviceSettingsInForce): Promise<ReceiveReport> {
  const { deviceId } = settings;
  const log = logger('hil:device', deviceId);
  const paths = devicePaths(store.mapping, deviceId);
  const started = performance.now();
  log('receive: downloading %s', paths.exportZip);

  const { value: downloaded, attempts, failures } = await withAttempts(deviceId, 'receive', settings.sync,
    (attempt) => download(store, settings, attempt));
  const { zip, version, status } = downloaded;
  if (zip === undefined) {
    throw new DeviceError(`nothing to receive for ${deviceId}: the BO has not exported data for this device ` +
      `(${paths.exportZip}: 550 not found); run the BO's eStock export first`);
  }
  if (version === undefined) {
    throw new DeviceError(`incomplete export for ${deviceId}: ${paths.exportZip} is there but ${paths.exportVersion} ` +
      'is not (550); run the BO\'s eStock export again');
  }
  const bytes = zip.length + version.length + (status?.length ?? 0);
  log('receive: downloaded %d bytes in %d ms', bytes, Math.round(performance.now() - started));

  const tables = await readExportZip(store.mapping, zip, paths.exportZip);
  const versionRow = decodeSingleRowFile(store.mapping, 'exportVersion', version, paths.exportVersion);
  const statusRow = status === undefined ? undefined :
    decodeSingleRowFile(store.mapping, 'exportStatus', status, paths.exportStatus);
  const dataVersion = String(versionRow.DATA_VERSION);
  const exportDate = String(versionRow.EXPORT_DATE);

  const { rows, replayed } = store.transaction(() => {
    const loaded = replaceExportTables(store, tables);
    const count = replayPendingMovements(store);
    store.saveSettings({
      data_version: dataVersion,
      export_date: exportDate,
      last_update: statusRow === undefined ? undefined : String(statusRow.LAST_UPDATE),
    });
    return { rows: loaded, replayed: count };
  });

  const ms = Math.round(performance.now() - started);
  log('receive: %d tables, %d rows, data version %s of %s, %d pending movements replayed, %d ms',
    tables.size, rows, dataVersion, exportDate, replayed, ms);
  return { tables: tables.size, rows, bytes, dataVersion, exportDate, ms, attempts, failures };
}
