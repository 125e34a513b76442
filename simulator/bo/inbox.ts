/**
 * A device's inbox on the FTP server (`Entrant/eStock/<device>/MvtStocks/`)
 * as the import sees it: the movement zips it holds, oldest first, with
 * their sizes, and which of them are complete. The server shows a file
 * while it is being uploaded, so the import reads each zip's size, waits the
 * settings' `settleMs`, and reads it again: a zip whose size changed, or
 * that vanished meanwhile, is not taken this time. A file under a temporary
 * name (`LotStockExported_20261203_194131.zip.tmp`) is an upload a device has
 * not finished: it is not listed, not even as an anomaly, until its rename.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FTPError, type Client, type FileInfo } from 'basic-ftp';
import { isTemporaryUploadName, parseMovementUploadName } from '../exchange/index.ts';
import type { Mapping } from '../exchange/types.ts';
import type { Anomaly } from './types.ts';

const NOT_AN_UPLOAD = 'not a movement upload (LotStockExported_YYYYMMDD_HHMMSS.zip): ' +
  'ignored, left in the inbox';

/** A movement zip of the inbox. */
export interface InboxZip {
  name: string;
  /** The size LIST gave, in bytes. */
  bytes: number;
  /** The server's modification time, ISO 8601 UTC, when the listing gave it (MLSD's `modify` fact). */
  modifiedAt?: string;
}

/** What the inbox holds. */
export interface InboxListing {
  /** Movement zips, oldest first (by the timestamp in their name). */
  zips: InboxZip[];
  /** Other entries: each named, left alone. */
  anomalies: Anomaly[];
}

/** Whether a folder exists, looked for from the root one level at a time. */
async function folderExists(client: Client, path: string): Promise<boolean> {
  let parent = '';
  for (const name of path.split('/')) {
    const entries = await client.list(`${parent}/`);
    if (!entries.some((entry) => entry.isDirectory && entry.name === name)) return false;
    parent = `${parent}/${name}`;
  }
  return true;
}

/** The entries of a folder (from the company root, no leading `/`); none when it does not exist. */
export async function listFolder(client: Client, folder: string): Promise<FileInfo[]> {
  try {
    return await client.list(`/${folder}`);
  } catch (error) {
    // Servers differ in their reply to LIST of a missing folder (ftp-srv: 451 ENOENT; others 550).
    if (error instanceof FTPError && !(await folderExists(client, folder))) return [];
    throw error;
  }
}

/** The movement zips of an inbox, oldest first; other entries become anomalies, temporary names are skipped. */
export async function listInbox(client: Client, mapping: Mapping, inbox: string): Promise<InboxListing> {
  const zips: { zip: InboxZip; at: number }[] = [];
  const anomalies: Anomaly[] = [];
  for (const entry of await listFolder(client, inbox)) {
    if (entry.isFile && isTemporaryUploadName(entry.name)) continue;
    const at = entry.isFile ? parseMovementUploadName(mapping, entry.name) : undefined;
    if (at === undefined) anomalies.push({ file: `${inbox}/${entry.name}`, reason: NOT_AN_UPLOAD });
    else {
      const modifiedAt = entry.modifiedAt === undefined ? {} : { modifiedAt: entry.modifiedAt.toISOString() };
      zips.push({ zip: { name: entry.name, bytes: entry.size, ...modifiedAt }, at: at.getTime() });
    }
  }
  zips.sort((a, b) => a.at - b.at || a.zip.name.localeCompare(b.zip.name));
  return { zips: zips.map(({ zip }) => zip), anomalies };
}

/** The zips of a listing split into those whose size held still and those still changing. */
export interface SettledZips {
  settled: InboxZip[];
  /** One anomaly per zip not taken: its size changed, or it vanished. */
  unsettled: { zip: InboxZip; anomaly: Anomaly }[];
}

/**
 * Waits `settleMs` and lists the inbox again: a zip keeps its place only if
 * its size is the same. With `settleMs` 0, or no zip, every zip is taken at once.
 */
export async function settledZips(client: Client, inbox: string, zips: readonly InboxZip[],
  settleMs: number): Promise<SettledZips> {
  if (settleMs === 0 || zips.length === 0) return { settled: [...zips], unsettled: [] };
  await sleep(settleMs);
  const now = new Map((await listFolder(client, inbox)).filter((entry) => entry.isFile)
    .map((entry) => [entry.name, entry.size]));

  const result: SettledZips = { settled: [], unsettled: [] };
  for (const zip of zips) {
    const bytes = now.get(zip.name);
    if (bytes === zip.bytes) {
      result.settled.push(zip);
      continue;
    }
    const reason = bytes === undefined
      ? `gone from the inbox ${settleMs} ms after it was listed (deleted or renamed meanwhile): not imported`
      : `still being uploaded (${zip.bytes} bytes, then ${bytes} ${settleMs} ms later): left in the inbox ` +
        'for a later import';
    result.unsettled.push({ zip, anomaly: { file: zip.name, reason } });
  }
  return result;
}
