/**
 * The zips an import refused and left in a device's inbox (truncated, not a
 * zip, a bomb, an unsafe entry name...), kept in the BO database's
 * refused_zip table by device and name with the size and the server's
 * modification time they had. A later import that finds the same name with
 * the same size and time reports it again without downloading it; a zip
 * whose size or time changed (sent again, complete) is taken again.
 */
import type { BoDatabase } from './database.ts';

/** A zip refused and left in the inbox, as refused_zip keeps it. */
export interface RefusedZip {
  deviceId: string;
  zipName: string;
  /** The size the inbox listing gave, in bytes. */
  bytes: number;
  /** The server's modification time (MLSD `modify` or MDTM), ISO 8601 UTC. */
  modifiedAt: string;
  /** When the back office refused it, 'YYYY-MM-DDTHH:mm:ss' (the BO's clock). */
  refusedAt: string;
  /** Why it was refused, e.g. `zip ends before its central directory`. */
  reason: string;
}

/** Keeps a refusal of `zipName`, replacing an earlier one of that name. */
export function recordRefusal(db: BoDatabase, refused: RefusedZip): void {
  db.prepare(`INSERT OR REPLACE INTO refused_zip (device_id, file_name, bytes, modified_at, refused_at, reason)
    VALUES (?, ?, ?, ?, ?, ?)`)
    .run(refused.deviceId, refused.zipName, refused.bytes, refused.modifiedAt, refused.refusedAt, refused.reason);
}

/** The refusals kept for a device's zips, by zip name. */
export function refusalsOf(db: BoDatabase, deviceId: string): Map<string, RefusedZip> {
  const rows = db.prepare<[string], RefusedZip>(`SELECT device_id AS deviceId, file_name AS zipName, bytes,
    modified_at AS modifiedAt, refused_at AS refusedAt, reason FROM refused_zip WHERE device_id = ?`).all(deviceId);
  return new Map(rows.map((row) => [row.zipName, row]));
}

/** Forgets the refusal of a zip: it was imported, or it is no longer in the inbox. */
export function forgetRefusal(db: BoDatabase, deviceId: string, zipName: string): void {
  db.prepare('DELETE FROM refused_zip WHERE device_id = ? AND file_name = ?').run(deviceId, zipName);
}
