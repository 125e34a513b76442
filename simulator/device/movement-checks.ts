/**
 * What the stock screens refuse: a movement is checked against the data
 * received from the BO (reasons, depots, locations, articles, lots) and the
 * local stock before the device records it. Every refusal is a DeviceError
 * that names the device, the value at fault and what is expected instead.
 */
import { DeviceError, ExchangeFormatError } from '../errors.ts';
import { encodeTable } from '../exchange/index.ts';
import type { Mapping, Row, TableSpec } from '../exchange/types.ts';
import { deviceLot } from './journal.ts';
import { lotInStock, quantityAt, roundQuantity } from './stock.ts';
import type { LotFacts, MovementCode, Place } from './stock.ts';
import type { DeviceStore } from './store.ts';
import type { MovementInput, MovementType } from './types.ts';

/** TYPE_MVT and MVSMOTIF.SENS of each movement type. */
export const MOVEMENT_CODES: Readonly<Record<MovementType, MovementCode>> = {
  entry: 'E',
  exit: 'S',
  transfer: 'T',
  inventory: 'I',
};

/** A movement that passed every check, with what the checks found. */
export interface CheckedMovement {
  code: MovementCode;
  from: Place;
  to?: Place;
  /** Rounded to 3 decimals. */
  quantity: number;
  /** The lot as known before this movement; undefined for a lot new to the device. */
  known?: LotFacts;
  article: string;
}

/** One movement under check: where to look, and whose refusal it is. */
interface Checking {
  store: DeviceStore;
  deviceId: string;
  input: MovementInput;
}

function refuse(checking: Checking, problem: string): DeviceError {
  return new DeviceError(`${checking.deviceId}: ${problem}`);
}

function exists(store: DeviceStore, sql: string, ...values: string[]): boolean {
  return store.db.prepare(sql).get(...values) !== undefined;
}

function isBlank(value: string | undefined): value is undefined | '' {
  return value === undefined || value === '';
}

function checkReason(checking: Checking, code: MovementCode): void {
  const { reason: reasonCode, type } = checking.input;
  const reason = checking.store.db
    .prepare<[string], { SENS: string }>('SELECT SENS FROM MVSMOTIF WHERE MOTIF_CODE = ?')
    .get(reasonCode);
  if (reason === undefined) throw refuse(checking, `reason ${reasonCode} is not in the reasons received (MVSMOTIF)`);
  if (reason.SENS !== code) {
    throw refuse(checking, `reason ${reasonCode} is for movements of type ${reason.SENS}, not ${code} ` +
      `(${type}); choose a reason whose SENS is ${code}`);
  }
}

function checkPlace(checking: Checking, depot: string | undefined, location: string | undefined,
  what: string): Place {
  const { store } = checking;
  if (isBlank(depot)) throw refuse(checking, `the ${what} depot is missing`);
  if (!exists(store, 'SELECT 1 FROM DEPOT WHERE DEP_CODE = ?', depot)) {
    throw refuse(checking, `${what} depot ${depot} is not in the depots received (DEPOT)`);
  }
  if (isBlank(location)) {
    throw refuse(checking, `the ${what} location in depot ${depot} is missing; every stock line has one`);
  }
  if (!exists(store, 'SELECT 1 FROM EMPLACEMENT WHERE DEP_CODE = ? AND EMP_CODE = ?', depot, location)) {
    throw refuse(checking, `${what} location ${location} is not a location of depot ${depot} (EMPLACEMENT)`);
  }
  return { depot, location };
}

function checkPlaces(checking: Checking): { from: Place; to?: Place } {
  const { input } = checking;
  const from = checkPlace(checking, input.depot, input.location, 'source');
  if (input.type !== 'transfer') {
    if (input.toDepot !== undefined || input.toLocation !== undefined) {
      throw refuse(checking, `toDepot and toLocation are for transfers only, not for an ${input.type}`);
    }
    return { from };
  }
  const to = checkPlace(checking, input.toDepot, input.toLocation, 'destination');
  if (to.depot === from.depot && to.location === from.location) {
    throw refuse(checking, `transfer of lot ${input.lot} from ${from.depot}/${from.location} to itself`);
  }
  return { from, to };
}

function checkQuantity(checking: Checking): number {
  const { type, quantity: given } = checking.input;
  if (typeof given !== 'number' || !Number.isFinite(given)) {
    throw refuse(checking, `quantity ${String(given)} is not a number`);
  }
  const quantity = roundQuantity(given);
  if (type === 'inventory' ? quantity < 0 : quantity <= 0) {
    const expected = type === 'inventory' ? '0 or more' : 'more than 0';
    throw refuse(checking, `quantity ${given} for an ${type}: expected ${expected} (3 decimals at most)`);
  }
  return quantity;
}

function knownLot(store: DeviceStore, lot: string): LotFacts | undefined {
  const fromDevice = deviceLot(store, lot);
  return lotInStock(store, lot) ??
    (fromDevice === undefined ? undefined : { article: fromDevice.article, vintage: fromDevice.vintage });
}

function checkLot(checking: Checking): { known?: LotFacts; article: string } {
  const { input } = checking;
  const known = knownLot(checking.store, input.lot);
  if (known !== undefined) {
    if (input.article !== undefined && input.article !== known.article) {
      throw refuse(checking, `lot ${input.lot} is of article ${known.article}, not ${input.article}`);
    }
    return { known, article: known.article };
  }
  if (input.type !== 'entry' && input.type !== 'inventory') {
    throw refuse(checking, `lot ${input.lot} is unknown on the device; a new lot starts with an entry ` +
      `or an inventory, not an ${input.type}`);
  }
  if (isBlank(input.article)) throw refuse(checking, `lot ${input.lot} is new on the device: give its article`);
  if (!exists(checking.store, 'SELECT 1 FROM ARTICLE WHERE ART_CODE = ?', input.article)) {
    throw refuse(checking, `article ${input.article} of new lot ${input.lot} is not in the articles ` +
      'received (ARTICLE)');
  }
  return { article: input.article };
}

function checkStockLeft(checking: Checking, from: Place, quantity: number): void {
  const { type, lot } = checking.input;
  if (type !== 'exit' && type !== 'transfer') return;
  const there = quantityAt(checking.store, lot, from);
  if (quantity > there) {
    throw refuse(checking, `${type} of ${quantity} of lot ${lot} at ${from.depot}/${from.location} ` +
      `refused: there is only ${there} there`);
  }
}

function checkShape(checking: Checking): MovementCode {
  const { type, lot, vintage } = checking.input;
  const code = Object.hasOwn(MOVEMENT_CODES, type) ? MOVEMENT_CODES[type] : undefined;
  if (code === undefined) {
    throw refuse(checking, `movement type ${String(type)} is not one of ${Object.keys(MOVEMENT_CODES).join(', ')}`);
  }
  if (typeof lot !== 'string' || lot === '') throw refuse(checking, 'the lot is missing');
  const isYear = Number.isInteger(vintage) && Number(vintage) >= 1000 && Number(vintage) <= 9999;
  if (vintage !== undefined && !isYear) throw refuse(checking, `vintage ${vintage} of lot ${lot} is not a year`);
  return code;
}

/**
 * Checks a movement against the received data and the local stock. Throws
 * DeviceError on the first problem: type, lot, vintage, reason, places,
 * quantity, lot's article, or stock left at the source.
 */
export function checkMovement(store: DeviceStore, deviceId: string, input: MovementInput): CheckedMovement {
  const checking: Checking = { store, deviceId, input };
  const code = checkShape(checking);
  checkReason(checking, code);
  const { from, to } = checkPlaces(checking);
  const quantity = checkQuantity(checking);
  const { known, article } = checkLot(checking);
  checkStockLeft(checking, from, quantity);
  return { code, from, to, quantity, known, article };
}

/**
 * Refuses rows the upload could not carry (a text too long, a character the
 * mapping's encoding lacks...), by encoding them with the mapping's codec now,
 * so that a later send never fails on a movement already recorded.
 */
export function checkWritable(deviceId: string, mapping: Mapping, table: TableSpec, rows: readonly Row[],
  what: string): void {
  try {
    encodeTable(mapping, table, rows);
  } catch (error) {
    if (!(error instanceof ExchangeFormatError)) throw error;
    throw new DeviceError(`${deviceId}: the ${what} cannot be sent: ${error.message}`, { cause: error });
  }
}
