/**
 * Recording a stock movement on the device: checked, numbered, applied to the
 * local stock and journaled for the next send, all in one transaction. A lot
 * unknown to the device is created by its first entry or inventory.
 */
import { DeviceError } from '../errors.ts';
import type { Row } from '../exchange/types.ts';
import {
  deviceLot, journalMovement, nextMovementId, pendingUpload, saveDeviceLot, saveLotInformation,
} from './journal.ts';
import { localDate, localDateTime } from '../exchange/index.ts';
import { checkMovement, checkWritable, type CheckedMovement } from './movement-checks.ts';
import {
  applyToStock, lotInStock, setLocalLotInformation, setLotVintage, type MovementCode,
} from './stock.ts';
import type { DeviceStore } from './store.ts';
import type { MovementInput, RecordedMovement } from './types.ts';

/** Who records the movement, and when. */
export interface MovementContext {
  deviceId: string;
  login?: string;
  at: Date;
}

function uploadRow(id: string, input: MovementInput, checked: CheckedMovement, context: MovementContext): Row {
  return {
    MVT_ID: id,
    DEVICE_ID: context.deviceId,
    DATE_MVT: localDateTime(context.at),
    TYPE_MVT: checked.code,
    ART_CODE: checked.article,
    LOT_CODE: input.lot,
    DEP_CODE: checked.from.depot,
    EMP_CODE: checked.from.location,
    DEP_CODE_DEST: checked.to?.depot ?? null,
    EMP_CODE_DEST: checked.to?.location ?? null,
    QUANTITE: checked.quantity,
    MOTIF_CODE: input.reason,
    LOGIN: context.login ?? null,
    COMMENTAIRE: input.comment === undefined || input.comment === '' ? null : input.comment,
  };
}

function checkLotInformation(store: DeviceStore, deviceId: string, input: MovementInput): void {
  const rows = Object.entries(input.lotInformation ?? {}).map(([code, value]): Row => {
    if (code === '' || typeof value !== 'string') {
      throw new DeviceError(`${deviceId}: lot information ${JSON.stringify(code)} of lot ${input.lot} needs a code ` +
        'and a text value');
    }
    return { LOT_CODE: input.lot, INFO_CODE: code, VALEUR: value };
  });
  checkWritable(deviceId, store.mapping, store.mapping.upload.lotInformation, rows, 'lot information');
}

/** Creates the lot on the device, or records a new vintage of a known lot. */
function recordLot(store: DeviceStore, input: MovementInput, checked: CheckedMovement, context: MovementContext): void {
  if (checked.known === undefined) {
    saveDeviceLot(store, {
      lot: input.lot,
      article: checked.article,
      vintage: input.vintage ?? null,
      createdOn: localDate(context.at),
      createdOnDevice: true,
    });
    return;
  }
  if (input.vintage === undefined || input.vintage === checked.known.vintage) return;
  const earlier = deviceLot(store, input.lot);
  saveDeviceLot(store, {
    lot: input.lot,
    article: checked.article,
    vintage: input.vintage,
    createdOn: earlier?.createdOn ?? null,
    createdOnDevice: earlier?.createdOnDevice ?? false,
  });
  setLotVintage(store, input.lot, input.vintage);
}

function recordLotInformation(store: DeviceStore, lot: string, information: Record<string, string>): void {
  saveLotInformation(store, lot, information);
  for (const [code, value] of Object.entries(information)) setLocalLotInformation(store, lot, code, value);
}

/**
 * Checks and records one movement: MVT_ID from the persisted counter, DATE_MVT
 * from `context.at`, the local stock changed by the stock rules, lot and lot
 * information journaled. Throws DeviceError, and then changes nothing.
 */
export function recordMovement(store: DeviceStore, input: MovementInput, context: MovementContext): RecordedMovement {
  const { deviceId } = context;
  const checked = checkMovement(store, deviceId, input);
  checkLotInformation(store, deviceId, input);
  const { movements } = store.mapping.upload;
  checkWritable(deviceId, store.mapping, movements, [uploadRow(`${deviceId}-0`, input, checked, context)], 'movement');

  return store.transaction(() => {
    const id = nextMovementId(store, deviceId);
    const row = uploadRow(id, input, checked, context);
    const movement: RecordedMovement = {
      id,
      input: structuredClone(input),
      article: checked.article,
      lotIsNew: checked.known === undefined,
      recordedAt: localDateTime(context.at),
    };
    recordLot(store, input, checked, context);
    applyToStock(store, {
      code: checked.code,
      lot: input.lot,
      article: checked.article,
      vintage: input.vintage ?? checked.known?.vintage ?? null,
      from: checked.from,
      to: checked.to,
      quantity: checked.quantity,
      date: localDate(context.at),
    });
    if (input.lotInformation !== undefined) recordLotInformation(store, input.lot, input.lotInformation);
    journalMovement(store, movement, row);
    return movement;
  });
}

/**
 * Applies the movements not yet sent to freshly received stock, which the BO
 * exported without them; with no checks, since the BO's stock may differ from
 * what the device saw. Lots created or changed on the device and their
 * information are carried over too. Returns the number of movements replayed.
 */
export function replayPendingMovements(store: DeviceStore): number {
  const pending = pendingUpload(store);
  for (const lot of pending.lots) {
    if (lot.MILLESIME !== null) setLotVintage(store, String(lot.LOT_CODE), Number(lot.MILLESIME));
  }
  for (const { uploadRow: row } of pending.movements) {
    const lot = String(row.LOT_CODE);
    const facts = deviceLot(store, lot) ?? lotInStock(store, lot);
    applyToStock(store, {
      code: row.TYPE_MVT as MovementCode,
      lot,
      article: String(row.ART_CODE),
      vintage: facts?.vintage ?? null,
      from: { depot: String(row.DEP_CODE), location: String(row.EMP_CODE) },
      to: row.DEP_CODE_DEST === null ? undefined :
        { depot: String(row.DEP_CODE_DEST), location: String(row.EMP_CODE_DEST) },
      quantity: Number(row.QUANTITE),
      date: String(row.DATE_MVT).slice(0, 10),
    });
  }
  for (const row of pending.lotInformation) {
    setLocalLotInformation(store, String(row.LOT_CODE), String(row.INFO_CODE), row.VALEUR as string | null);
  }
  return pending.movements.length;
}
