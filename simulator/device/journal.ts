/**
 * The device's journal of what it must send: movements recorded, lots and
 * lot information created or changed on the device. Each entry stays pending
 * until the server confirmed the upload zip that carried it; it then names
 * that zip (sent_in).
 */
import type { Row } from '../exchange/types.ts';
import type { DeviceStore } from './store.ts';
import type { MovementInput, RecordedMovement } from './types.ts';

/** A recorded movement with its upload row (a row of the mapping's upload movements file). */
export interface JournalMovement extends RecordedMovement {
  uploadRow: Row;
}

/** A lot created or changed on the device. */
export interface DeviceLot {
  lot: string;
  article: string;
  vintage: number | null;
  /** 'YYYY-MM-DD', for a lot created on the device. */
  createdOn: string | null;
  createdOnDevice: boolean;
}

/** Everything not yet sent, as upload rows. */
export interface PendingUpload {
  movements: JournalMovement[];
  lots: Row[];
  lotInformation: Row[];
}

interface MovementRecord {
  mvt_id: string;
  input: string;
  article: string;
  lot_is_new: number;
  recorded_at: string;
  upload_row: string;
}

interface LotRecord {
  lot_code: string;
  art_code: string;
  millesime: number | null;
  date_creation: string | null;
  created_on_device: number;
}

/** Movement counters are written with this many digits: Tab001-000042. */
const MOVEMENT_COUNTER_DIGITS = 6;

/** The next MVT_ID, `<deviceId>-<counter>`; the counter is saved, so call it inside the recording transaction. */
export function nextMovementId(store: DeviceStore, deviceId: string): string {
  const counter = Number(store.setting('movement_counter') ?? '0') + 1;
  store.saveSettings({ movement_counter: String(counter) });
  return `${deviceId}-${String(counter).padStart(MOVEMENT_COUNTER_DIGITS, '0')}`;
}

/** Adds a recorded movement to the journal, pending. */
export function journalMovement(store: DeviceStore, movement: RecordedMovement, uploadRow: Row): void {
  store.db
    .prepare(`INSERT INTO device_movement (mvt_id, input, article, lot_is_new, recorded_at, upload_row)
      VALUES (?, ?, ?, ?, ?, ?)`)
    .run(movement.id, JSON.stringify(movement.input), movement.article, movement.lotIsNew ? 1 : 0,
      movement.recordedAt, JSON.stringify(uploadRow));
}

/** Movements not yet sent, oldest first. */
export function pendingJournal(store: DeviceStore): JournalMovement[] {
  return store.db
    .prepare<[], MovementRecord>('SELECT * FROM device_movement WHERE sent_in IS NULL ORDER BY seq')
    .all()
    .map((record) => ({
      id: record.mvt_id,
      input: JSON.parse(record.input) as MovementInput,
      article: record.article,
      lotIsNew: record.lot_is_new === 1,
      recordedAt: record.recorded_at,
      uploadRow: JSON.parse(record.upload_row) as Row,
    }));
}

/** A lot the device created or changed, or undefined. */
export function deviceLot(store: DeviceStore, lot: string): DeviceLot | undefined {
  const record = store.db
    .prepare<[string], LotRecord>('SELECT * FROM device_lot WHERE lot_code = ?')
    .get(lot);
  if (record === undefined) return undefined;
  return {
    lot: record.lot_code,
    article: record.art_code,
    vintage: record.millesime,
    createdOn: record.date_creation,
    createdOnDevice: record.created_on_device === 1,
  };
}

/** Saves a lot created or changed on the device; it becomes pending again. */
export function saveDeviceLot(store: DeviceStore, lot: DeviceLot): void {
  store.db
    .prepare(`INSERT OR REPLACE INTO device_lot
      (lot_code, art_code, millesime, date_creation, created_on_device, sent_in) VALUES (?, ?, ?, ?, ?, NULL)`)
    .run(lot.lot, lot.article, lot.vintage, lot.createdOn, lot.createdOnDevice ? 1 : 0);
}

/** Saves information attached to a lot (INFO_CODE -> VALEUR); each entry becomes pending. */
export function saveLotInformation(store: DeviceStore, lot: string, information: Record<string, string>): void {
  const save = store.db.prepare(
    'INSERT OR REPLACE INTO device_lot_info (lot_code, info_code, valeur, sent_in) VALUES (?, ?, ?, NULL)');
  for (const [code, value] of Object.entries(information)) save.run(lot, code, value);
}

/** Everything pending, as rows of the mapping's upload files. */
export function pendingUpload(store: DeviceStore): PendingUpload {
  const lots = store.db
    .prepare<[], LotRecord>('SELECT * FROM device_lot WHERE sent_in IS NULL ORDER BY lot_code')
    .all()
    .map((record): Row => ({
      LOT_CODE: record.lot_code,
      ART_CODE: record.art_code,
      MILLESIME: record.millesime,
      DATE_CREATION: record.date_creation,
      CREE_SUR_MOBILE: record.created_on_device === 1,
    }));
  const lotInformation = store.db
    .prepare<[], { lot_code: string; info_code: string; valeur: string | null }>(
      'SELECT lot_code, info_code, valeur FROM device_lot_info WHERE sent_in IS NULL ORDER BY lot_code, info_code')
    .all()
    .map((record): Row => ({ LOT_CODE: record.lot_code, INFO_CODE: record.info_code, VALEUR: record.valeur }));
  return { movements: pendingJournal(store), lots, lotInformation };
}

/** Whether nothing waits to be sent. */
export function uploadIsEmpty(pending: PendingUpload): boolean {
  return pending.movements.length === 0 && pending.lots.length === 0 && pending.lotInformation.length === 0;
}

/** Marks what `pending` holds as sent in `file`, in one transaction. */
export function markSent(store: DeviceStore, pending: PendingUpload, file: string): void {
  const movement = store.db.prepare('UPDATE device_movement SET sent_in = ? WHERE mvt_id = ?');
  const lot = store.db.prepare('UPDATE device_lot SET sent_in = ? WHERE lot_code = ?');
  const information = store.db.prepare('UPDATE device_lot_info SET sent_in = ? WHERE lot_code = ? AND info_code = ?');
  store.transaction(() => {
    for (const entry of pending.movements) movement.run(file, entry.id);
    for (const row of pending.lots) lot.run(file, row.LOT_CODE);
    for (const row of pending.lotInformation) information.run(file, row.LOT_CODE, row.INFO_CODE);
  });
}
